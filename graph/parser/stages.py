"""The stages table of section 6: for each stage, electronic or not and the channels.

A line holding a stage label (``در مرحله درخواست خدمت``) opens that stage; box lines
without a label belong to the stage above them (PDF conversions wrap one table row over
several lines). When no line of the table carries a box the state is unknown: null.
"""

from __future__ import annotations

from graph.parser.checkboxes import BOXES, read_group
from graph.parser.document import Line
from graph.parser.labels import matcher
from graph.parser.records import StageRecord


def read_stages(lines: list[Line], warnings: list[str]) -> dict[str, StageRecord] | None:
    stages: dict[str, StageRecord] = {}
    current: str | None = None
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
        # Each cell is read on its own: a box in the channels cell is not the box of the
        # type options in the cell before it. A cell without a box or a Wingdings mark has
        # nothing checked, but its printed type word (الکترونیکی) still counts.
        boxed = [c for c in line.filled if _may_hold_boxes(c)]
        if not boxed:
            continue
        kinds = [read_group(cell, "stage_type") for cell in line.filled]
        kind_checked = [k for g in kinds for k in g.checked]
        kind_seen = [k for g in kinds for k in g.seen]
        channel_checked = [k for cell in boxed for k in read_group(cell, "channels").checked]
        if any(b in text for b in BOXES):
            seen_boxes = True
        if "electronic" in kind_checked:
            stage["electronic"] = True
        elif "non_electronic" in kind_checked and stage["electronic"] is None:
            stage["electronic"] = False
        elif channel_checked and "electronic" in kind_seen and stage["electronic"] is None:
            stage["electronic"] = True
        for ch in channel_checked:
            if ch not in stage["channels"]:
                stage["channels"].append(ch)
    if not stages:
        return None
    if not seen_boxes:
        warnings.append("stages: checkbox state not recoverable")
        return None
    return stages


def _may_hold_boxes(cell: str) -> bool:
    return any(b in cell for b in BOXES) or "R" in cell or "S" in cell
