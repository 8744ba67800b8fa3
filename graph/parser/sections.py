"""Sections 1-6 of the form: label-driven single values and checkbox groups.

The form part of a card becomes a *stream*: the form's printed labels in reading order,
with the text between them. A field's value is the text after its label in the same cell;
when that is empty, the text in the following cells and lines up to the next printed
word of the form. This one rule covers a value in the label's cell (``عنوان خدمت: ...``),
in the next cell (PDF tables), on the next lines (Word plain text), and several labels
on one line (compact web pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.parser.checkboxes import BOXES, Group, read_group, strip_marks_and_options
from graph.parser.document import Line
from graph.parser.labels import (
    FIELD_ORDER,
    GROUP_FIELDS,
    Matcher,
    matcher,
    per_card,
    vocabulary,
)

HEAD = "#head"
UNKNOWN = "#label"
# A printed label the vocabulary lacks: a few words and a colon, alone in its cell.
# ... unless it introduces the value's own list (``به شرح زیر:``, ``شامل:``).
_LEAD_IN = re.compile(r"زیر|ذیل|شامل|عبارتند|عبارت است|به شرح|به قرار")
_UNKNOWN_LABEL = re.compile(r"^(?:\d{1,2}\s*[-–.)]\s*)?[^\W\d][^\d:：<>@/\ue000\ue001]{1,40}[:：]$")
FEE_HEAD = "#fee"
_EMPTY = re.compile(r"^[\s\-–_.…:؛,،*/\\|()]*$")
_NUMBERING = re.compile(r"^\s*\d{1,2}\s*[-–.)]\s*$")
_TRAILING_NUMBER = re.compile(r"\s+\d{1,2}\s*[-–]\s*$")
_EDGES = " :：;؛-–,،.\"'«»"
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'،,]+", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_NOT_DIGIT = re.compile(r"\D")
_ID_RUN = re.compile(r"\d+(?:[ \-–/._٬،,]\d+)*")
_COUNT = re.compile(r"\d{1,3}(?:[,٬،]\d{3})+(?!\d)|\d+")
_RECIPIENT_PHRASE = re.compile(
    r"\d[\d,]*[\s\u200c]*خدمت[\s\u200c]*گیرندگان[\s\u200c]*در[\s:]*"
    r"(?:[\s\ue000\ue001]*(?:ماه|فصل|سال)(?![\w]))*"
)
TEXT_FIELDS = tuple(f for f in FIELD_ORDER if f not in GROUP_FIELDS)


@dataclass(slots=True)
class Piece:
    """A label (``key`` set) or a text run (``text`` set) at a line and cell."""

    key: str | None
    text: str
    line: int
    cell: int


def _stream_matcher() -> Matcher:
    vocab = vocabulary()
    columns = vocab["columns"]
    heads = (
        vocab["headings"]
        + vocab["processes"]
        + vocab["process_end"]
        + vocab["exchange_sections"]["internal"]
        + vocab["exchange_sections"]["external"]
        + vocab["filler"]["name"]
        + columns["agency"][:1]
        + columns["system"][:2]
        + columns["fields"][:3]
        + columns["non_electronic"][:2]
        + columns["electronic"]
    )
    return Matcher(dict(vocab["fields"]) | {HEAD: heads, FEE_HEAD: vocab["fee_heads"]})


_STREAM = _stream_matcher()


def build_stream(lines: list[Line]) -> list[Piece]:
    """Labels and text runs in reading order.

    A row of label cells with their values in the row below (Word and web tables that
    stack a label above its value) is read column by column: each label, then what stands
    under it. A cell holding only a short phrase ending in a colon is a label of the form
    this vocabulary does not know (``محل ارائه خدمت:``): it ends the value before it
    and is never a value itself.
    """
    pieces: list[Piece] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        below = _values_below(lines, n)
        if below:
            for c, cell in enumerate(line.cells):
                _add_cell(pieces, cell, line.number, c)
                for value_line in below:
                    if c < len(value_line.cells):
                        _add_cell(pieces, value_line.cells[c], value_line.number, c)
            n += 1 + len(below)
            continue
        for c, cell in enumerate(line.cells):
            if cell:
                _add_cell(pieces, cell, line.number, c)
        n += 1
    return pieces


def _add_cell(pieces: list[Piece], cell: str, line: int, c: int) -> None:
    if not cell:
        return
    pos = 0
    hits = _STREAM.find(cell)
    if not hits and cell[-1] in ":：" and _UNKNOWN_LABEL.match(cell) and not _LEAD_IN.search(cell):
        pieces.append(Piece(UNKNOWN, cell, line, c))
        return
    for hit in hits:
        _add_text(pieces, cell[pos : hit.start], line, c)
        pieces.append(Piece(hit.key, cell[hit.start : hit.end], line, c))
        pos = hit.end
    _add_text(pieces, cell[pos:], line, c)


def _values_below(lines: list[Line], n: int) -> list[Line]:
    """The lines under a row of field-label cells that hold their values, else []."""
    line = lines[n]
    if len(line.filled) < 2 or n + 1 == len(lines) or not lines[n + 1].text:
        return []
    if not all(_label_only(cell) for cell in line.filled):
        return []
    below = []
    for nxt in lines[n + 1 : n + 4]:
        if not nxt.text or _STREAM.find(nxt.text):
            break
        below.append(nxt)
    return below


def _label_only(cell: str) -> bool:
    hits = _STREAM.find(cell)
    if len(hits) != 1 or hits[0].key.startswith("#"):
        return False
    rest = cell[: hits[0].start] + cell[hits[0].end :]
    return _EMPTY.match(rest) is not None or _NUMBERING.match(rest) is not None


def holds_field_label(text: str) -> bool:
    """Whether ``text`` holds the label of a single-value field of sections 1-6.

    ``نام سامانه مربوط به خدمت`` starts with the column head ``نام سامانه`` of the
    exchange tables; the longer label decides what the line is.
    """
    return any(h.key in TEXT_FIELDS for h in _STREAM.find(text))


def _add_text(pieces: list[Piece], text: str, line: int, cell: int) -> None:
    text = text.strip()
    if text and not _NUMBERING.match(text) and not _EMPTY.match(text):
        pieces.append(Piece(None, text, line, cell))


@per_card
def clean(text: str | None) -> str | None:
    """A value as stored: no form noise, boxes or edge punctuation; None when empty."""
    if not text:
        return None
    text = _RECIPIENT_PHRASE.sub(" ", text)
    noise = matcher("noise").find(text)
    for hit in reversed(noise):
        text = text[: hit.start] + " " + text[hit.end :]
    if any(b in text for b in BOXES):
        text = strip_marks_and_options(text, *GROUP_FIELDS)
    text = _TRAILING_NUMBER.sub("", " ".join(text.split()))
    text = text.strip(_EDGES).strip()
    if text.startswith("(") and text.count("(") < text.count(")") + 0 and text.endswith(")"):
        text = text[1:-1].strip()
    return None if _EMPTY.match(text) else text


class Stream:
    """The label stream of a form, with the segment of text each label owns."""

    def __init__(self, lines: list[Line]) -> None:
        self.pieces = build_stream(lines)
        self.where: dict[str, list[int]] = {}
        for i, p in enumerate(self.pieces):
            if p.key and not p.key.startswith("#"):
                self.where.setdefault(p.key, []).append(i)

    def segment(self, index: int, *, stop_at_fee_heads: bool = True) -> list[Piece]:
        """Text pieces after the label at ``index``, up to the next label."""
        out = []
        for p in self.pieces[index + 1 :]:
            if p.key is not None and (stop_at_fee_heads or p.key != FEE_HEAD):
                break
            if p.key is None:
                out.append(p)
        return out

    def value(self, index: int) -> str | None:
        """The value of the label at ``index``: same cell first, else what follows."""
        label = self.pieces[index]
        seg = self.segment(index)
        same = [p.text for p in seg if p.line == label.line and p.cell == label.cell]
        text = clean(" ".join(same))
        if text:
            return text
        return clean(_join(p.text for p in seg))

    def first_value(self, key: str) -> str | None:
        for index in self.where.get(key, []):
            value = self.value(index)
            if value:
                return value
        return None

    def segment_text(self, index: int) -> str:
        return " ".join(p.text for p in self.segment(index))


def _join(texts) -> str:
    out: list[str] = []
    for t in texts:
        if not out or out[-1] != t:
            out.append(t)
    return " ".join(out)


def decide_group(group: Group, compact: bool, name: str, warnings: list[str]) -> list | None:
    order = list(vocabulary()["groups"][name])
    if group.boxes:
        if group.checked:
            return sorted(group.checked, key=order.index)
        if group.complete:
            return []
        warnings.append(f"{name}: no checked box among the options shown")
        return None
    if group.seen:
        if compact:
            return sorted(dict.fromkeys(group.seen), key=order.index)
        warnings.append(f"{name}: checkbox state not recoverable")
    return None


def digits_of(text: str | None) -> str | None:
    """An identifier's digits: the longest run of digits, joined through the single
    separators people type between groups (normalize already turned Persian digits).

    >>> digits_of("130-917-10000"), digits_of("1309 1710 100"), digits_of("کد: 12/5")
    ('13091710000', '13091710100', '125')
    """
    if not text:
        return None
    runs = [_NOT_DIGIT.sub("", m.group()) for m in _ID_RUN.finditer(text)]
    return max(runs, key=len) if runs else None


def count_of(text: str) -> int | None:
    """The first count in ``text``, read through thousands separators (``,`` ``٬`` ``،``)
    that stand before groups of three digits.

    >>> count_of("2٬450٬000 نفر"), count_of("3،200"), count_of("45,000"), count_of("3، 4")
    (2450000, 3200, 45000, 3)
    """
    m = _COUNT.search(text)
    return int(_NOT_DIGIT.sub("", m.group())) if m else None


def first_url(text: str | None) -> str | None:
    m = _URL.search(text or "")
    return m.group().rstrip(".)،,") if m else None


_RECIPIENTS = re.compile(r"(\d[\d,٬،]*)\s*خدمت\s*\u200c?\s*گیرندگان\s*در")


def read_fields(lines: list[Line], warnings: list[str]) -> dict:
    """Every single-value field and checkbox group of sections 1-6."""
    stream = Stream(lines)
    out: dict = {}
    if len(stream.where) < 2:  # one stray word is not a card
        return out
    for name in TEXT_FIELDS:
        out[name] = stream.first_value(name)
    _groups(stream, out, warnings)
    _orphans(stream, out)
    out["service_id"] = _identifier(out.get("service_id"), "service_id", warnings)
    out["subservice_id"] = _identifier(out.get("subservice_id"), "subservice_id", warnings)
    out["recipients"] = _recipients(stream, lines)
    out["frequency"] = _frequency(stream)
    out["fee"] = _fee(stream)
    url = out.get("url")
    out["url"] = first_url(url)
    return out


def _groups(stream: Stream, out: dict, warnings: list[str]) -> None:
    groups: dict[str, Group] = {}
    compact: dict[str, bool] = {}
    for name in sorted(GROUP_FIELDS, key=FIELD_ORDER.index):
        group = Group(name=name)
        for index in stream.where.get(name, []):
            candidate = read_group(stream.segment_text(index), name)
            if candidate.seen:
                group = candidate
                compact[name] = bool(read_group(_cell_tail(stream, index), name).seen)
                break
        groups[name] = group
    # Boxes that landed after another label (PDF shifts): options unique to one group.
    owners: dict[str, list[str]] = {}
    for name in GROUP_FIELDS:
        for option in vocabulary()["groups"][name]:
            owners.setdefault(option, []).append(name)
    for name in TEXT_FIELDS:
        for index in stream.where.get(name, [])[:1]:
            text = stream.segment_text(index)
            if not any(b in text for b in BOXES):
                continue
            for gname, group in groups.items():
                if not group.boxes or stream.where.get(gname, [len(stream.pieces)])[0] > index:
                    continue
                extra = read_group(text, gname)
                for key in extra.checked:
                    if owners[key] == [gname] and key not in group.checked:
                        group.checked.append(key)
    for name, group in groups.items():
        if name in stream.where:
            out[name] = decide_group(group, compact.get(name, False), name, warnings)
        else:
            out[name] = None


def _cell_tail(stream: Stream, index: int) -> str:
    label = stream.pieces[index]
    if index + 1 >= len(stream.pieces):
        return ""
    nxt = stream.pieces[index + 1]
    return nxt.text if nxt.line == label.line and nxt.cell == label.cell else ""


def _orphans(stream: Stream, out: dict) -> None:
    """Text the PDF left without its label goes to the missing field beside it."""
    for index in stream.where.get("frequency", []):
        if read_group(stream.segment_text(index), "frequency").seen:
            continue
        previous = _previous_label(stream, index)
        if previous in TEXT_FIELDS and previous != "frequency" and not out.get(previous):
            out[previous] = stream.value(index)
    for name in ("service_types",):
        for index in stream.where.get(name, []):
            label = stream.pieces[index]
            lines = {}
            for p in stream.segment(index):
                if p.line != label.line and not any(b in p.text for b in BOXES):
                    lines.setdefault(p.line, []).append(p.text)
            # A line that is more than the printed options is text, kept as written: the
            # option words inside a sentence (ازدواج in an audience) stay in it.
            rest = [
                clean(_join(t))
                for t in lines.values()
                if len(
                    clean(strip_marks_and_options(_join(t), *GROUP_FIELDS, "periods", "frequency"))
                    or ""
                )
                > 15
            ]
            rest = [r for r in rest if r]
            if not rest:
                continue
            previous = _previous_label(stream, index)
            if previous in TEXT_FIELDS and not out.get(previous):
                out[previous] = rest[0]
            else:
                following = FIELD_ORDER[FIELD_ORDER.index(name) + 1 :]
                for cand in following:
                    if cand in TEXT_FIELDS and cand not in stream.where and not out.get(cand):
                        out[cand] = rest[0]
                        break


def _previous_label(stream: Stream, index: int) -> str | None:
    for p in reversed(stream.pieces[:index]):
        if p.key:
            return p.key
    return None


def _identifier(value: str | None, name: str, warnings: list[str]) -> str | None:
    digits = digits_of(value)
    if value and not digits:
        warnings.append(f"{name}: no digits in {value[:40]!r}")
    return digits


def _recipients(stream: Stream, lines: list[Line]) -> dict | None:
    places = stream.where.get("recipients")
    if not places:
        return None
    count = period = None
    for line in lines:
        text = line.text
        m = _RECIPIENTS.search(text)
        if m:
            count = count_of(m.group(1))
            period = _period(read_group(text[m.end() : m.end() + 60], "periods"))
            break
    if count is None:
        seg = stream.segment_text(places[0])
        count = count_of(seg.split("خدمت")[0]) if seg else None
        tail = seg[seg.find("خدمت") :] if "خدمت" in seg else seg
        period = _period(read_group(tail, "periods"))
    return {"count": count, "period": period}


def _period(group: Group) -> str | None:
    """The checked period; on a page without boxes, the one period written after the count
    (``۵۰۰۰ نفر در ماه``). Several period words and no box are the printed options: unknown."""
    if group.checked:
        return group.checked[0]
    if not group.boxes and len(set(group.seen)) == 1:
        return group.seen[0]
    return None


def _frequency(stream: Stream) -> str | None:
    places = stream.where.get("frequency", [])
    best = None
    for index in places:
        text = stream.segment_text(index)
        if read_group(text, "frequency").seen:
            best = text
            break
    if best is None:
        return stream.first_value("frequency")
    options = read_group(best, "frequency")
    periods = [k for k in options.checked if k in ("month", "season", "year")]
    if not options.boxes and "once" not in options.seen:  # written in: "۱ بار در سال"
        periods = [k for k in options.seen if k in ("month", "season", "year")][:1]
    if "once" in options.checked:
        return "یک بار برای همیشه" if "یک بار" in best else "یکبار برای همیشه"
    times = re.search(r"(\d+)\s*بار\s*در", best)
    rest = strip_marks_and_options(best, "frequency")
    rest = clean(rest)
    if times:
        value = f"{times.group(1)} بار در"
        if periods:
            value += " " + {"month": "ماه", "season": "فصل", "year": "سال"}[periods[0]]
        return value
    return rest


def _fee(stream: Stream) -> str | None:
    for index in stream.where.get("fee", []):
        label = stream.pieces[index]
        for p in stream.segment(index, stop_at_fee_heads=False):
            if p.line == label.line and p.cell == label.cell and "خدمت" in p.text:
                continue
            value = clean(p.text)
            if value:
                return value
    return None
