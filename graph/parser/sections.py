"""Sections 1-6 of the form: label-driven single values and checkbox groups, read from
the label stream (:mod:`graph.parser.stream`) of the form part of a card."""

from __future__ import annotations

import re

from graph.parser.checkboxes import BOXES, Group, read_group, strip_marks_and_options
from graph.parser.document import Line
from graph.parser.labels import FIELD_ORDER, GROUP_FIELDS, TEXT_FIELDS, vocabulary
from graph.parser.records import Fields, Recipients
from graph.parser.stream import Stream, join_texts
from graph.parser.values import clean

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'،,]+", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D")
_ID_RUN = re.compile(r"\d+(?:[ \-–/._٬،,]\d+)*")
_COUNT = re.compile(r"\d{1,3}(?:[,٬،]\d{3})+(?!\d)|\d+")


def decide_group(group: Group, compact: bool, name: str, warnings: list[str]) -> list[str] | None:
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


def read_fields(lines: list[Line], warnings: list[str]) -> Fields | None:
    """Every single-value field and checkbox group of sections 1-6; None when the lines
    hold fewer than two of the form's labels."""
    stream = Stream(lines)
    if len(stream.where) < 2:  # one stray word is not a card
        return None
    out = Fields(texts={name: stream.first_value(name) for name in TEXT_FIELDS})
    _groups(stream, out.groups, warnings)
    texts = out.texts
    _orphans(stream, texts)
    texts["service_id"] = _identifier(texts.get("service_id"), "service_id", warnings)
    texts["subservice_id"] = _identifier(texts.get("subservice_id"), "subservice_id", warnings)
    out.recipients = _recipients(stream, lines)
    texts["frequency"] = _frequency(stream)
    texts["fee"] = _fee(stream)
    texts["url"] = first_url(texts.get("url"))
    return out


def _groups(stream: Stream, out: dict[str, list[str] | None], warnings: list[str]) -> None:
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


def _orphans(stream: Stream, out: dict[str, str | None]) -> None:
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
            lines: dict[int, list[str]] = {}
            for p in stream.segment(index):
                if p.line != label.line and not any(b in p.text for b in BOXES):
                    lines.setdefault(p.line, []).append(p.text)
            # A line that is more than the printed options is text, kept as written: the
            # option words inside a sentence (ازدواج in an audience) stay in it.
            cleaned = [clean(join_texts(t)) for t in lines.values() if _more_than_options(t)]
            rest = [r for r in cleaned if r]
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


def _more_than_options(texts: list[str]) -> bool:
    """Whether a line says more than printed option words (the rest is over 15 letters)."""
    bare = strip_marks_and_options(join_texts(texts), *GROUP_FIELDS, "periods", "frequency")
    return len(clean(bare) or "") > 15


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


def _recipients(stream: Stream, lines: list[Line]) -> Recipients | None:
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
    rest = clean(strip_marks_and_options(best, "frequency"))
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
