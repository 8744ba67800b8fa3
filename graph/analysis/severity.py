"""What a change does to a service, in the words every output uses (CLI, API, viz, CSV).

Impact gives each reached service a severity from its inquiry mode (``graph.analysis.impact``):
an online inquiry *breaks* at once, a batch one *degrades* (late or partial answers), a
non-electronic one (paper, a letter) is *unaffected* by a change to a system, and an unstated
mode is *unknown*. "Affected" means breaks + degrades + unknown: a service whose inquiry
is on paper is reached by the walk but is not affected, so it is counted and listed apart.
The Persian and English words are defined here once.

>>> [o.key for o in OUTCOMES if o.affected]
['breaks', 'degrades', 'unknown']
>>> rows = tally([("high", ("a1",), 100, True), ("none", ("a1", "a2"), 5, True),
...               ("high", ("a2",), None, True), ("unknown", (), 7, False)])
>>> [(r["outcome"], r["services"], r["agencies"], r["recipients_per_year"]) for r in rows]
[('breaks', 2, 2, 100), ('degrades', 0, 0, 0), ('unknown', 1, 0, 0), ('unaffected', 1, 2, 5)]
>>> rows[0]["unknown_recipients"], affected_count(rows)
(1, 3)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

__all__ = ["AFFECTED_WORDS", "OUTCOMES", "Outcome", "affected_count", "outcome_of", "tally"]


class Outcome(NamedTuple):
    """One severity with its outcome key and its words."""

    severity: str  # high, medium, unknown, none (AffectedService.severity)
    key: str  # breaks, degrades, unknown, unaffected
    fa: str
    en: str
    affected: bool


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("high", "breaks", "از کار می‌افتد", "breaks", True),
    Outcome("medium", "degrades", "کند یا مختل می‌شود", "degrades", True),
    Outcome("unknown", "unknown", "نامعلوم", "unknown", True),
    Outcome("none", "unaffected", "بی‌اثر", "unaffected", False),
)
AFFECTED_WORDS = {"fa": "متاثر", "en": "affected"}
_BY_SEVERITY = {o.severity: o for o in OUTCOMES}


def outcome_of(severity: str) -> Outcome:
    """The outcome of a severity code (``high`` -> breaks).

    >>> outcome_of("none").fa
    'بی‌اثر'
    """
    return _BY_SEVERITY[severity]


def tally(rows: Iterable[tuple[str, tuple[str, ...], int | None, bool]]) -> list[dict[str, Any]]:
    """Services, providing agencies and recipients per outcome, from rows of
    (severity, providing agencies, recipients per year, whether its recipients are added);
    recipients not added (a main service counted at its sub-service) add none here either."""
    counts = {o.severity: [0, 0, 0] for o in OUTCOMES}  # services, people, unknown people
    agencies: dict[str, set[str]] = {o.severity: set() for o in OUTCOMES}
    for severity, providers, recipients, counted in rows:
        row = counts[severity]
        row[0] += 1
        agencies[severity].update(providers)
        if counted:
            if recipients is None:
                row[2] += 1
            else:
                row[1] += recipients
    return [
        {"severity": o.severity, "outcome": o.key, "label_fa": o.fa, "label_en": o.en,
         "affected": o.affected, "services": counts[o.severity][0],
         "agencies": len(agencies[o.severity]), "recipients_per_year": counts[o.severity][1],
         "unknown_recipients": counts[o.severity][2]}
        for o in OUTCOMES
    ]  # fmt: skip


def affected_count(rows: list[dict[str, Any]]) -> int:
    """Services affected (breaks + degrades + unknown) in :func:`tally` rows."""
    return sum(r["services"] for r in rows if r["affected"])
