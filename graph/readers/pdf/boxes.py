"""Checkboxes drawn as vector graphics, and whether each is ticked.

Browsers and Word print a form's checkbox as paths, not text: Chromium paints a white
rounded square and then either a grey outline (empty) or a coloured square with a tick
(checked); Word and LibreOffice draw a square frame with a cross or tick inside. So a box
is a cluster of small, nearly square, closed paths sharing a centre; its state comes from
what is painted inside the frame:

* a tick or cross (an open path, or a closed mark clearly smaller than the frame) or a
  frame filled with a dark or saturated colour: checked;
* nothing but white fills and outlines: unchecked;
* anything else (a light grey fill, a mark of unknown shape): undecidable. The reader
  then writes no box at all and says so in a warning, so the parser yields ``null``
  instead of a guess.
"""

from __future__ import annotations

from graph.readers.pdf.page import Glyph, Part

__all__ = ["vector_boxes"]

_MIN, _MAX = 5.0, 20.0


def _square(p: Part) -> bool:
    w, h = p.x1 - p.x0, p.bottom - p.top
    return _MIN <= w <= _MAX and _MIN <= h <= _MAX and 0.75 <= w / h <= 1.33


def _ink(fill: tuple[int, int, int]) -> str:
    """``white``, ``ink`` (dark or saturated) or ``grey`` for a fill colour."""
    r, g, b = fill
    light = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    chroma = (max(fill) - min(fill)) / 255
    if light >= 0.93 and chroma < 0.1:
        return "white"
    if light <= 0.55 or chroma >= 0.3:
        return "ink"
    return "grey"


def _state(frame: Part, parts: list[Part]) -> bool | None:
    size = min(frame.x1 - frame.x0, frame.bottom - frame.top)
    inks = set()
    for p in parts:
        mark = not p.closed or min(p.x1 - p.x0, p.bottom - p.top) < 0.75 * size
        if mark:
            if p.fill is not None and _ink(p.fill) == "white" and not p.stroke:
                continue
            return True
        inks.add(_ink(p.fill) if p.fill is not None else "white")
    if "ink" in inks:
        return True
    if inks <= {"white"}:
        return False
    return None


def vector_boxes(parts: list[Part], page_no: int) -> tuple[list[Glyph], list[str]]:
    """Checkbox glyphs (``box`` set) for the path clusters that are boxes, and warnings."""
    frames = sorted((p for p in parts if p.closed and _square(p)), key=lambda p: -(p.x1 - p.x0))
    used: set[int] = set()
    boxes: list[Glyph] = []
    warnings: list[str] = []
    for frame in frames:
        if id(frame) in used:
            continue
        inside = [
            p
            for p in parts
            if id(p) not in used
            and p.x0 >= frame.x0 - 1.5
            and p.x1 <= frame.x1 + 1.5
            and p.top >= frame.top - 1.5
            and p.bottom <= frame.bottom + 1.5
        ]
        used.update(id(p) for p in inside)
        state = _state(frame, inside)
        if state is None:
            warnings.append(
                f"page {page_no}: a checkbox at ({frame.x0:.0f}, {frame.top:.0f}) pt "
                "could not be read as checked or empty; left unset"
            )
            continue
        boxes.append(Glyph("\ufffc", frame.x0, frame.x1, frame.top, frame.bottom, box=state))
    return boxes, warnings
