"""How each kind of node and edge looks, and the bilingual words of the page.

One table per visual channel so that the legend is generated from the same data that styles
the graph: a colour changed here changes the drawing and the legend together.

Shapes are vis-network shapes that scale with ``size`` (``dot``, ``diamond``, ``square``,
``triangle``), so the size channel can carry criticality (systems), recipients per year
(services) and services provided (agencies).

>>> edge_style("depends_on", "batch")["dashes"]
[8, 6]
>>> words("en")["services"]
'services'
"""

from __future__ import annotations

from typing import Any, Literal

from graph.analysis.severity import outcome_of

Lang = Literal["fa", "en"]
LANGS: tuple[Lang, ...] = ("fa", "en")

# The font stack of the page and of the canvas labels (Vazirmatn is shipped in static/).
FONT_STACK = '"Vazirmatn", "Noto Sans Arabic", Tahoma, sans-serif'

KIND_STYLE: dict[str, dict[str, Any]] = {
    "agency": {"shape": "square", "color": "#1d5fa8", "border": "#0d3a6b"},
    "system": {"shape": "diamond", "color": "#e07b1f", "border": "#8a4508"},
    "service": {"shape": "dot", "color": "#2a9d8f", "border": "#176159"},
    "field": {"shape": "triangle", "color": "#8e6cbf", "border": "#553885"},
}
# Entries that did not resolve to the reference register get a dashed border.
UNCERTAIN_BORDER_DASHES = [4, 3]
FADED_COLOR = {"background": "#e8e8e8", "border": "#d0d0d0"}
FADED_FONT = "rgba(0,0,0,0.25)"
TARGET_COLOR = {"background": "#c0392b", "border": "#641e16"}
SEVERITY_COLOR = {
    "high": "#c0392b",
    "medium": "#e67e22",
    "unknown": "#7f8c8d",
    "none": "#27ae60",
}

# Inquiry mode of a depends_on edge: online solid, batch dashed, non-electronic dotted,
# unknown thin grey.
INQUIRY_STYLE: dict[str, dict[str, Any]] = {
    "online": {"dashes": False, "width": 2.2, "color": "#34495e"},
    "batch": {"dashes": [8, 6], "width": 2.0, "color": "#34495e"},
    "non_electronic": {"dashes": [2, 5], "width": 2.0, "color": "#34495e"},
    "unknown": {"dashes": False, "width": 0.8, "color": "#a8a8a8"},
}
INQUIRY_ORDER = ("online", "batch", "unknown", "non_electronic")  # most severe first

# Structural edges (not exchanges): thin, coloured like the kind they come from.
STRUCTURE_STYLE: dict[str, dict[str, Any]] = {
    "provides": {"dashes": False, "width": 1.0, "color": "#7fa7d6"},
    "operates": {"dashes": False, "width": 1.0, "color": "#f0b27a"},
    "parent": {"dashes": [3, 3], "width": 1.0, "color": "#5d7fa3"},
    "sub_service": {"dashes": False, "width": 1.0, "color": "#76c7bd"},
    "delivered_through": {"dashes": False, "width": 1.2, "color": "#76c7bd"},
    "routed_via": {"dashes": False, "width": 2.5, "color": "#9b59b6"},
    "carries": {"dashes": [1, 3], "width": 0.8, "color": "#b9a3d8"},
    "uses_field": {"dashes": [1, 3], "width": 0.8, "color": "#b9a3d8"},
}

WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "agency": "دستگاه",
        "system": "سامانه",
        "service": "خدمت",
        "field": "داده",
        "online": "استعلام برخط",
        "batch": "استعلام دسته‌ای",
        "non_electronic": "غیرالکترونیکی",
        "unknown": outcome_of("unknown").fa,
        "provides": "ارائه خدمت",
        "operates": "مالک سامانه",
        "parent": "دستگاه مادر",
        "sub_service": "زیرخدمت",
        "delivered_through": "سامانه خود خدمت",
        "routed_via": "از طریق",
        "carries": "منبع داده",
        "uses_field": "داده مبادله‌شده",
        "legend": "راهنما",
        "nodes": "گره‌ها",
        "edges_title": "پیوندها",
        "services": "خدمت",
        "agencies": "دستگاه",
        "systems": "سامانه",
        "landscape": "نقشه وابستگی خدمات",
        "aggregated": "نقشه تجمیعی دستگاه‌ها و سامانه‌ها",
        "focus": "پیرامون",
        "impact": "اثر تغییر",
        "depth": "عمق",
        "service_id": "شناسه خدمت",
        "provided_by": "دستگاه ارائه‌دهنده",
        "fields": "داده‌های مبادله‌شده",
        "inquiry": "نوع استعلام",
        "recipients": "گیرندگان در سال",
        "operated_by": "دستگاه مالک",
        "dependents": "خدمات وابسته",
        "status": "وضعیت تطبیق",
        "reference": "مرجع",
        "fuzzy": "تطبیق تقریبی",
        "unresolved": "تطبیق‌نشده",
        "service_count": "تعداد خدمات",
        "direct": "مستقیم",
        "indirect": "غیرمستقیم",
        "affected": "خدمات متاثر",
        "recipients_total": "گیرندگان در سال (جمع)",
        "recipients_unknown": "خدمات با گیرندگان نامشخص",
        "affected_agencies": "دستگاه‌های متاثر",
        "targets": "هدف تغییر",
        "severity": "شدت",
        "high": outcome_of("high").fa,
        "medium": outcome_of("medium").fa,
        "none": outcome_of("none").fa,
        "truncated": "نمایش محدود شد: تنها بخشی از گره‌ها رسم شده است",
        "selected": "گره انتخاب‌شده",
        "select_hint": "برای دیدن جزئیات روی یک گره کلیک کنید.",
        "api_page": "صفحه خدمت در API",
        "other_lang": "English",
        "filters": "پالایه‌ها",
        "path": "مسیر",
        "size_hint": "اندازه: گیرندگان (خدمت)، خدمات وابسته (سامانه)، خدمات ارائه‌شده (دستگاه)",
        "dashed_border": "حاشیه خط‌چین: تطبیق‌نشده با فهرست مرجع",
        "empty": "هیچ گره‌ای با این پالایه‌ها پیدا نشد.",
    },
    "en": {
        "agency": "agency",
        "system": "system",
        "service": "service",
        "field": "data field",
        "online": "online inquiry",
        "batch": "batch inquiry",
        "non_electronic": "non-electronic",
        "unknown": "unknown",
        "provides": "provides",
        "operates": "operates",
        "parent": "parent agency",
        "sub_service": "sub-service of",
        "delivered_through": "delivered through",
        "routed_via": "routed via",
        "carries": "source of field",
        "uses_field": "exchanges field",
        "legend": "Legend",
        "nodes": "nodes",
        "edges_title": "Links",
        "services": "services",
        "agencies": "agencies",
        "systems": "systems",
        "landscape": "Service dependency landscape",
        "aggregated": "Aggregated landscape of agencies and systems",
        "focus": "Neighbourhood of",
        "impact": "Impact of a change to",
        "depth": "depth",
        "service_id": "service ID",
        "provided_by": "provided by",
        "fields": "fields exchanged",
        "inquiry": "inquiry mode",
        "recipients": "recipients per year",
        "operated_by": "operated by",
        "dependents": "dependent services",
        "status": "register match",
        "reference": "reference",
        "fuzzy": "fuzzy match",
        "unresolved": "unresolved",
        "service_count": "services",
        "direct": "direct",
        "indirect": "indirect",
        "affected": "services affected",
        "recipients_total": "recipients per year (total)",
        "recipients_unknown": "services with unknown recipients",
        "affected_agencies": "agencies affected",
        "targets": "changed",
        "severity": "severity",
        "high": outcome_of("high").en,
        "medium": outcome_of("medium").en,
        "none": outcome_of("none").en,
        "truncated": "view truncated: only part of the nodes is drawn",
        "selected": "selected node",
        "select_hint": "Click a node to see its details.",
        "api_page": "service page in the API",
        "other_lang": "فارسی",
        "filters": "filters",
        "path": "path",
        "size_hint": "size: recipients (service), dependent services (system), "
        "services provided (agency)",
        "dashed_border": "dashed border: not matched to the reference register",
        "empty": "No node matches these filters.",
    },
}


def words(lang: Lang) -> dict[str, str]:
    """The page vocabulary in ``lang`` (Persian when the language is unknown)."""
    return WORDS.get(lang, WORDS["fa"])


def edge_style(kind: str, inquiry: str | None = None) -> dict[str, Any]:
    """vis-network edge options for an edge of ``kind`` (exchanges styled by inquiry)."""
    if kind == "depends_on":
        base = INQUIRY_STYLE.get(inquiry or "unknown", INQUIRY_STYLE["unknown"])
    else:
        base = STRUCTURE_STYLE.get(kind, INQUIRY_STYLE["unknown"])
    return {
        "dashes": base["dashes"],
        "width": base["width"],
        "color": {"color": base["color"], "highlight": "#111111", "inherit": False},
    }


def most_severe(modes: list[str]) -> str:
    """The most severe inquiry mode of several (online > batch > unknown > non_electronic).

    >>> most_severe(["non_electronic", "batch"])
    'batch'
    >>> most_severe([])
    'unknown'
    """
    for mode in INQUIRY_ORDER:
        if mode in modes:
            return mode
    return "unknown"


def legend(lang: Lang) -> dict[str, list[dict[str, Any]]]:
    """Legend entries for the page template: node kinds and exchange/structure edges."""
    w = words(lang)
    kinds = [
        {"label": w[kind], "shape": style["shape"], "color": style["color"]}
        for kind, style in KIND_STYLE.items()
    ]
    edges = [
        {
            "label": w[mode],
            "dashes": INQUIRY_STYLE[mode]["dashes"],
            "width": INQUIRY_STYLE[mode]["width"],
            "color": INQUIRY_STYLE[mode]["color"],
        }
        for mode in ("online", "batch", "non_electronic", "unknown")
    ] + [
        {
            "label": w[kind],
            "dashes": STRUCTURE_STYLE[kind]["dashes"],
            "width": STRUCTURE_STYLE[kind]["width"],
            "color": STRUCTURE_STYLE[kind]["color"],
        }
        for kind in ("provides", "operates", "routed_via", "parent")
    ]
    for entry in edges:
        dashes = entry["dashes"]
        entry["dasharray"] = " ".join(str(d) for d in dashes) if dashes else ""
    return {"kinds": kinds, "edges": edges, "notes": [w["size_hint"], w["dashed_border"]]}
