"""Digital maturity per agency: how much of its service delivery is already electronic.

Three measures, each with its denominator stated so that "unknown" never reads as "no":

* the share of delivery stages (informing, request, production, delivery) marked
  electronic, over the stages whose electronic flag the card states;
* the services that still need in-person visits, read from the card's free-text answer
  (:func:`visits_needed`), with the services whose answer cannot be read counted apart;
* the exchanges (dependencies) that are still non-electronic (paper letters, the
  applicant carrying documents), which block end-to-end digital delivery.
"""

from __future__ import annotations

import re
from typing import Any

from graph.analysis.projection import DependencyGraph, label_of
from graph.analysis.propagation import propagation_index
from graph.text import normalize

__all__ = ["maturity", "visits_needed"]

_NO_VISIT = re.compile(r"نیست|ندارد|نمی\s?باشد|نیاز\s*ندار|بدون|غیرحضوری|غیر حضوری|صفر|^0\b|^-$")
_NUMBER_WORDS = ("یک", "دو", "سه", "چهار", "پنج", "یکبار", "دوبار")


def visits_needed(text: str | int | None) -> bool | None:
    """Whether a card's "number of in-person visits" answer means at least one visit.

    >>> visits_needed("نیاز به مراجعه حضوری نیست"), visits_needed("۲ بار"), visits_needed(0)
    (False, True, False)
    >>> visits_needed("یک بار مراجعه"), visits_needed("هر بار که نیاز باشد"), visits_needed(None)
    (True, None, None)
    """
    if text is None:
        return None
    if isinstance(text, int):
        return text > 0
    value = normalize(str(text))
    if not value:
        return None
    if _NO_VISIT.search(value):
        return False
    if m := re.search(r"\d+", value):
        return int(m.group()) > 0
    words = value.split()
    return True if words and words[0] in _NUMBER_WORDS else None


def maturity(G: DependencyGraph) -> list[dict[str, Any]]:
    """One row per providing agency, least electronic first.

    >>> import networkx as nx

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="agency", label_fa="استانداری")
    >>> G.add_node("s", kind="service", stages_total=4, stages_known=4, stages_electronic=3,
    ...            in_person_visits="1 بار")
    >>> _ = G.add_edge("a", "s", key="provides")
    >>> _ = G.add_edge("s", "x", key="depends_on", inquiry="non_electronic")
    >>> row = maturity(G)[0]
    >>> row["electronic_share"], row["in_person_services"], row["non_electronic_exchanges"]
    (0.75, 1, 1)
    """
    index = propagation_index(G)
    rows: dict[str, dict[str, Any]] = {}
    for service, agencies in index.providers.items():
        data = G.nodes[service]
        needs = [d for d in index.needs.get(service, ()) if d.kind == "depends_on"]
        visits = visits_needed(data.get("in_person_visits"))
        for agency in agencies:
            row = rows.setdefault(
                agency,
                {"iri": agency, "label": label_of(G, agency), "services": 0,
                 "stages_known": 0, "stages_electronic": 0, "stages_unknown": 0,
                 "in_person_services": 0, "visits_unknown": 0, "exchanges": 0,
                 "non_electronic_exchanges": 0, "unknown_exchanges": 0},
            )  # fmt: skip
            row["services"] += 1
            row["stages_known"] += data.get("stages_known", 0)
            row["stages_electronic"] += data.get("stages_electronic", 0)
            row["stages_unknown"] += 4 - data.get("stages_known", 0)
            row["in_person_services"] += visits is True
            row["visits_unknown"] += visits is None
            row["exchanges"] += len(needs)
            row["non_electronic_exchanges"] += sum(d.inquiry == "non_electronic" for d in needs)
            row["unknown_exchanges"] += sum(d.inquiry == "unknown" for d in needs)
    for row in rows.values():
        known = row["stages_known"]
        row["electronic_share"] = round(row["stages_electronic"] / known, 3) if known else None
    return sorted(
        rows.values(),
        key=lambda r: (
            r["electronic_share"] is None,
            r["electronic_share"] or 0.0,
            -r["in_person_services"],
            r["label"],
        ),
    )
