"""The enumeration codes of the canonical card, written once.

Each is a ``Literal`` type, so the card model (:mod:`graph.card`) validates it and mypy
checks it, and each becomes a SKOS concept scheme of the vocabulary
(:data:`ontology.namespace.SCHEMES`, :func:`ontology.namespace.concept`) by
:func:`typing.get_args`, so the card and the graph can never disagree on a code.

>>> codes(Level)
('national', 'regional', 'provincial', 'city', 'village')
"""

from __future__ import annotations

from typing import Any, Literal, get_args

__all__ = [
    "Channel",
    "Inquiry",
    "InquiryMode",
    "Level",
    "LifeEvent",
    "Nature",
    "Period",
    "Resolution",
    "Scope",
    "ServiceType",
    "StageName",
    "StartTrigger",
    "codes",
]

ServiceType = Literal["G2C", "G2B", "G2G"]
Nature = Literal["sovereign", "enterprise"]
Level = Literal["national", "regional", "provincial", "city", "village"]
LifeEvent = Literal[
    "birth",
    "education",
    "health",
    "tax",
    "business",
    "social_security",
    "property_registration",
    "urban_facilities",
    "insurance",
    "marriage",
    "retirement",
    "certificates",
    "death",
    "other",
]
StartTrigger = Literal[
    "applicant_request", "scheduled_time", "specific_event", "agency_detection", "other"
]
Period = Literal["month", "season", "year"]
Channel = Literal[
    "web",
    "mobile_app",
    "email",
    "post",
    "call_center",
    "sms",
    "counter_office",
    "intranet",
    "other",
]
Inquiry = Literal["online", "batch", "non_electronic"]
"""How a card says an exchange is made."""
InquiryMode = Literal[Inquiry, "non_electronic_agency", "non_electronic_applicant", "unknown"]
"""The inquiry scheme of the graph: the card's codes and what the builder refines them to."""
StageName = Literal["informing", "request", "production", "delivery"]
Scope = Literal["internal", "external"]
Resolution = Literal["reference", "fuzzy", "unresolved"]


def codes(enumeration: Any) -> tuple[str, ...]:
    """The codes of a ``Literal`` type, in the order written (nested Literals flattened)."""
    out: list[str] = []
    for arg in get_args(enumeration):
        out += codes(arg) if get_args(arg) else [arg]
    return tuple(out)
