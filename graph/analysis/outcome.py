"""What an impact analysis returns: affected services with their reasons, and the result.

Kept apart from :mod:`graph.analysis.impact` (the walk) because the API, the CLI views
and the visualization read these types without needing the walk. The per-service list
and the summary tables are built on first use (see :class:`ImpactResult`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.analysis.caches import gc_paused

__all__ = ["AffectedService", "ImpactResult", "Reason"]


@dataclass(slots=True)
class Reason:
    """Why one service is affected by one target."""

    target: str
    path: list[str]
    direct: bool
    distance: int


@dataclass(slots=True)
class AffectedService:
    """One affected service, listed once with every target that reaches it."""

    iri: str
    service_id: str | None
    title: str
    agencies: list[str]
    agency: str | None
    recipients_per_year: int | None
    inquiry: str
    severity: str
    direct: bool
    path: list[str]
    fields: list[str]
    reasons: list[Reason] = field(default_factory=list)
    # False for a main service one of whose sub-services is affected too: its people are
    # counted at the sub-service, so no one is counted twice (README "Impact").
    recipients_counted: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as ``dataclasses.asdict`` would give, ten times faster."""
        return {
            "iri": self.iri, "service_id": self.service_id, "title": self.title,
            "agencies": list(self.agencies), "agency": self.agency,
            "recipients_per_year": self.recipients_per_year, "inquiry": self.inquiry,
            "severity": self.severity, "direct": self.direct, "path": list(self.path),
            "fields": list(self.fields),
            "reasons": [
                {"target": r.target, "path": list(r.path), "direct": r.direct,
                 "distance": r.distance}
                for r in self.reasons
            ],
            "recipients_counted": self.recipients_counted,
        }  # fmt: skip


class ImpactResult:
    """The answer to "what breaks": services, agencies, fields, modes and the weight.

    :func:`impact` computes the totals and the modes; the per-service list (paths,
    reasons) and the per-agency, per-field, touched-node and label tables are built on
    first use (or by :meth:`to_dict`), so a caller that reads only the totals (a
    dashboard, the hub table) does not pay for 10,000 path lists.
    """

    def __init__(
        self,
        targets: list[dict[str, str]],
        depth: int | None,
        services: list[AffectedService] | Callable[[], list[AffectedService]],
        nodes: list[dict[str, Any]] | None = None,
        agencies: list[dict[str, Any]] | None = None,
        fields: list[dict[str, Any]] | None = None,
        inquiry: list[dict[str, Any]] | None = None,
        totals: dict[str, int] | None = None,
        labels: dict[str, str] | None = None,
        *,
        details: Callable[[], tuple[list[Any], list[Any], list[Any], dict[str, Any]]] | None = None,
        outcomes: list[dict[str, Any]] | None = None,
    ) -> None:
        self.targets, self.depth = targets, depth
        # Per outcome (breaks, degrades, unknown, unaffected): services, agencies, people
        # (graph.analysis.severity.tally); totals["affected"] leaves the unaffected out.
        self.outcomes = outcomes or []
        self.inquiry, self.totals = inquiry or [], totals or {}
        self._services = services if isinstance(services, list) else None
        self._build = None if isinstance(services, list) else services
        self._details = details
        self._tables = (
            None if details else (nodes or [], agencies or [], fields or [], labels or {})
        )

    @property
    def services(self) -> list[AffectedService]:
        """Affected services: direct first, then by severity, recipients and title."""
        if self._services is None:
            with gc_paused():
                self._services = self._build()  # type: ignore[misc]
            self._build = None
        return self._services

    def _table(self, i: int) -> Any:
        if self._tables is None:
            with gc_paused():
                self._tables = self._details()  # type: ignore[misc]
            self._details = None
        return self._tables[i]

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """Systems, agencies and fields the change reaches, each with its path."""
        return self._table(0)  # type: ignore[no-any-return]

    @property
    def agencies(self) -> list[dict[str, Any]]:
        """Providing agencies of the affected services, most affected first."""
        return self._table(1)  # type: ignore[no-any-return]

    @property
    def fields(self) -> list[dict[str, Any]]:
        """Fields involved, with how many (direct) services exchange them."""
        return self._table(2)  # type: ignore[no-any-return]

    @property
    def labels(self) -> dict[str, str]:
        """The label of every IRI in a path, target, agency or field."""
        return self._table(3)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"ImpactResult(targets={self.targets!r}, totals={self.totals!r})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (each service with service_id, title, agency, path ...);
        ``labels`` maps every IRI in a path, target, agency or field to its label."""
        with gc_paused():
            return self._plain()

    def _plain(self) -> dict[str, Any]:
        return {
            "targets": [dict(t) for t in self.targets],
            "depth": self.depth,
            "services": [s.to_dict() for s in self.services],
            "nodes": [{**n, "path": list(n["path"])} for n in self.nodes],
            "agencies": [dict(a) for a in self.agencies],
            "fields": [dict(f) for f in self.fields],
            "inquiry": [dict(m) for m in self.inquiry],
            "totals": dict(self.totals),
            "outcomes": [dict(o) for o in self.outcomes],
            "labels": dict(self.labels),
        }
