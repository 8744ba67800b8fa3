"""The canonical card: the contract of CARD_SCHEMA.md as a pydantic model.

Every reader and layout ends in a :class:`Card`; the RDF builder, the API and the
benchmarks only ever see this object. Keys and enumerations are exactly those of the
contract (``extra="forbid"`` makes a stray key an error, not a silent addition).
"""

from __future__ import annotations

import json
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ontology.codes import (
    Channel,
    Inquiry,
    Level,
    LifeEvent,
    Nature,
    Period,
    ServiceType,
    StageName,
    StartTrigger,
)

STAGE_NAMES: tuple[StageName, ...] = get_args(StageName)  # in the order of the form
PERIODS_PER_YEAR: dict[str, int] = {"month": 12, "season": 4, "year": 1}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Recipients(_Strict):
    count: int | None = None
    period: Period | None = None

    def per_year(self) -> int | None:
        """Recipients per year, or None when the count or period is unknown.

        >>> Recipients(count=100, period="month").per_year()
        1200
        """
        if self.count is None or self.period is None:
            return None
        return self.count * PERIODS_PER_YEAR[self.period]


class Stage(_Strict):
    electronic: bool | None = None
    channels: list[Channel] = Field(default_factory=list)


class Stages(_Strict):
    informing: Stage | None = None
    request: Stage | None = None
    production: Stage | None = None
    delivery: Stage | None = None


class InternalExchange(_Strict):
    system: str | None
    fields: list[str] = Field(default_factory=list)
    inquiry: Inquiry | None = None


class ExternalExchange(_Strict):
    agency: str | None = None
    system: str | None = None
    fields: list[str] = Field(default_factory=list)
    inquiry: Inquiry | None = None
    fee: str | None = None


class FormFiller(_Strict):
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    unit: str | None = None


class Card(_Strict):
    """One service identity card in canonical form (CARD_SCHEMA.md v1)."""

    source: str
    title: str | None = None
    subservice_title: str | None = None
    service_id: str | None = None
    subservice_id: str | None = None
    agency: str | None = None
    parent_agency: str | None = None
    description: str | None = None
    service_types: list[ServiceType] | None = None
    audience: str | None = None
    nature: list[Nature] | None = None
    levels: list[Level] | None = None
    life_events: list[LifeEvent] | None = None
    start_triggers: list[StartTrigger] | None = None
    required_documents: str | None = None
    legal_basis: str | None = None
    recipients: Recipients | None = None
    duration: str | None = None
    frequency: str | None = None
    in_person_visits: str | None = None
    fee: str | None = None
    url: str | None = None
    system_name: str | None = None
    stages: Stages | None = None
    internal_exchanges: list[InternalExchange] = Field(default_factory=list)
    external_exchanges: list[ExternalExchange] = Field(default_factory=list)
    processes: list[str] = Field(default_factory=list)
    # License rows keep the form's own column keys ("form", "title", "inquired_agency", ...);
    # the contract lists them per form, and blank columns are left out.
    licenses: list[dict[str, Any]] = Field(default_factory=list)
    form_filler: FormFiller | None = None
    warnings: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The canonical object, every key present, in the contract's key order."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = None) -> str:
        """UTF-8 JSON with Persian kept as is (never ``\\u`` escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_yaml(self) -> str:
        """YAML for human review, Persian kept readable."""
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)
