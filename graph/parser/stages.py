"""The stages table of section 6: for each stage, electronic or not and the channels.

A line holding a stage label (``در مرحله درخواست خدمت``) opens that stage; box lines
without a label belong to the stage above them (PDF conversions wrap one table row over
several lines). When no line of the table carries a box the state is unknown: null.
"""

from __future__ import annotations

from graph.parser.checkboxes import BOXES, read_group
from graph.parser.document import Line
from graph.parser.labels import matcher


def read_stages(lines: list[Line], warnings: list[str]) -> dict | None:
    stages: dict[str, dict] = {}
    current = None
    seen_boxes = False
    for line in lines:
        text = line.text
        if current and any(h.key == "fields" for h in matcher("columns").find(text)):
            break  # the exchange tables begin
        hits = matcher("stages").find(text)
        if hits:
            current = hits[-1].key
        if current is None:
            continue
        stage = stages.setdefault(current, {"electronic": None, "channels": []})
        kind = read_group(text, "stage_type")
        channels = read_group(text, "channels")
        if any(b in text for b in BOXES):
            seen_boxes = True
        if "electronic" in kind.checked:
            stage["electronic"] = True
        elif "non_electronic" in kind.checked and stage["electronic"] is None:
            stage["electronic"] = False
        elif channels.checked and "electronic" in kind.seen and stage["electronic"] is None:
            stage["electronic"] = True
        for ch in channels.checked:
            if ch not in stage["channels"]:
                stage["channels"].append(ch)
    if not stages:
        return None
    if not seen_boxes:
        warnings.append("stages: checkbox state not recoverable")
        return None
    return stages
