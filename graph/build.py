"""The RDF builder: one canonical :class:`~graph.card.Card` becomes the graph of one card.

The graph is self-describing: besides the service, its exchanges, stages, steps and
licenses it carries the labels of every agency, system and field it points at (so a card
graph can be shown without the register), and a card record (``SG.CardRecord``, the IRI of
the card's named graph) with the provenance of the file and the canonical JSON itself.

Modelling decisions (README "Knowledge graph"):

* A card with a sub-service (``subservice_id`` or ``subservice_title``) describes the
  sub-service: the card's service node has the sub-service's identifier and title and
  ``SG.subServiceOf`` a parent service node (main ``service_id`` and ``title``), both
  provided by the card's agency.
* A system is operated by the agency the register names; when the register names none, an
  internal row's system (and the service's own system) is operated by the providing agency,
  and an external row's system by that row's agency.
* An exchange row without ``inquiry`` points at ``vocab/inquiry/unknown``; form-2 license
  rows merged into ``external_exchanges`` by the parser carry ``SG.fromLicenseForm true``.
* Free text is tagged ``@fa``; identifiers, URLs, phone numbers and e-mail are plain.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

import graph as _graph_pkg
from graph import iris
from graph.card import STAGE_NAMES, Card, ExternalExchange
from graph.text import match_key
from ontology.namespace import CPSV, ORG, SG, concept

if TYPE_CHECKING:
    from graph.resolve import Resolution, Resolver

__all__ = ["BuiltCard", "build_card", "is_url"]

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+/?\S*$", re.I)

# Card keys that have their own terms; any other key is kept as SG.cardValue "key: value".
_HANDLED = frozenset(Card.model_fields)  # every key (an unknown one would be a cardValue)
_ENUMS = (
    ("service_types", SG.serviceType, "service-type"),
    ("nature", SG.nature, "nature"),
    ("levels", SG.level, "level"),
    ("life_events", SG.lifeEvent, "life-event"),
    ("start_triggers", SG.startTrigger, "start-trigger"),
)
_TEXTS = (
    ("audience", SG.audience),
    ("required_documents", SG.requiredDocuments),
    ("legal_basis", SG.legalBasis),
    ("duration", SG.duration),
    ("frequency", SG.frequency),
    ("in_person_visits", SG.inPersonVisits),
    ("fee", SG.fee),
)
_KIND_CLASS = {"agency": SG.Agency, "system": SG.System, "field": SG.ExchangedField}


def is_url(text: str) -> bool:
    """True when a system name is only an address, not a name.

    >>> is_url("https://mail.mui.ac.ir/"), is_url("www.Mob.gov.ir"), is_url("سامانه سجاد")
    (True, True, False)
    """
    return bool(_URL.match(text.strip()))


def _fa(text: str) -> Literal:
    return Literal(text, lang="fa")


@dataclass
class BuiltCard:
    """The graph of one card with the IRIs and name resolutions ingest reports on.

    ``triples`` is the graph as a set; ``graph`` makes (once) the rdflib Graph of it.
    """

    key: str
    record: URIRef
    service: URIRef
    triples: set[tuple[Node, Node, Node]]
    resolutions: list[tuple[str, Resolution]] = field(default_factory=list)

    @cached_property
    def graph(self) -> Graph:
        g = Graph()
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g

    @property
    def unresolved(self) -> list[tuple[str, Resolution]]:
        """(name as written, resolution) pairs that did not reach the register."""
        return [(name, r) for name, r in self.resolutions if r.status == "unresolved"]


class _Builder:
    def __init__(self, card: Card, resolver: Resolver, reference: Graph | None) -> None:
        self.card = card
        self.resolver = resolver
        self.reference = reference
        self.key = iris.card_key(card)
        self.record = iris.record_iri(self.key)
        self.service = iris.service_iri(self.key)
        # A set, not an rdflib Graph: adding to a Memory store costs ~20 us a triple, most of
        # the build; the Graph is made only when someone asks for it (BuiltCard.graph).
        self.g: set[tuple[Node, Node, Node]] = set()
        self._operated: set[URIRef] = set()
        self.resolutions: list[tuple[str, Resolution]] = []
        self._labelled: set[URIRef] = set()

    # -- entities -----------------------------------------------------------------------
    def entity(self, written: str | None, res: Resolution | None) -> URIRef | None:
        """Add a resolved agency/system/field node with its labels and resolution status."""
        if res is None or not written:
            return None
        g, node = self.g, res.iri
        self.resolutions.append((written, res))
        g.add((node, RDF.type, _KIND_CLASS[res.kind]))
        g.add((node, SG.sourceLabel, Literal(written)))
        g.add((node, SG.resolution, concept("resolution", res.status)))
        self._label(node, res.label, res.label_en, agency=res.kind == "agency")
        return node

    def _label(self, node: URIRef, fa: str | None, en: str | None, *, agency: bool) -> None:
        if node in self._labelled:
            return
        self._labelled.add(node)
        props = (RDFS.label, SKOS.prefLabel) if agency else (RDFS.label,)
        for prop in props:
            if fa:
                self.g.add((node, prop, _fa(fa)))
            if en:
                self.g.add((node, prop, Literal(en, lang="en")))

    def agency(self, name: str | None, *, context: str | None = None) -> URIRef | None:
        return self.entity(name, self.resolver.agency(name, context=context))

    def system(self, name: str | None, *, agency: str | None) -> URIRef | None:
        return self.entity(name, self.resolver.system(name, agency=agency))

    def operated_by(self, system: URIRef, fallback: URIRef | None) -> None:
        """The register's operator (copied with its labels), else the fallback agency."""
        operator = self.reference.value(system, SG.operatedBy) if self.reference else None
        if isinstance(operator, URIRef):
            self.g.add((operator, RDF.type, SG.Agency))
            fa = en = None
            for label in self.reference.objects(operator, SKOS.prefLabel):
                if isinstance(label, Literal) and label.language == "en":
                    en = en or str(label)
                elif isinstance(label, Literal):
                    fa = fa or str(label)
            self._label(operator, fa, en, agency=True)
        elif system not in self._operated:
            operator = fallback
        else:
            return
        if operator is not None:
            self._operated.add(system)
            self.g.add((system, SG.operatedBy, operator))

    # -- sections -----------------------------------------------------------------------
    def build(self, sha256: str, generated_at: datetime) -> set[tuple[Node, Node, Node]]:
        card, g, svc = self.card, self.g, self.service
        g.add((svc, RDF.type, SG.Service))
        g.add((svc, RDF.type, CPSV.PublicService))
        provider = self.agency(card.agency, context=card.parent_agency)
        parent = iris.parent_service_iri(card)
        if parent is None:
            self._service_names(svc, card.service_id, card.title)
        else:
            sub_id = card.subservice_id
            self._service_names(svc, sub_id, card.subservice_title or card.title)
            g.add((svc, SG.subServiceOf, parent))
            g.add((parent, RDF.type, SG.Service))
            g.add((parent, RDF.type, CPSV.PublicService))
            self._service_names(parent, card.service_id, card.title)
            if provider is not None:
                g.add((parent, SG.providedBy, provider))
        if provider is not None:
            g.add((svc, SG.providedBy, provider))
            if card.parent_agency:
                mother = self.agency(card.parent_agency)
                # The register folds some provincial offices into their national body
                # («اداره کل بیمه سلامت استان ...» is the health-insurance organisation);
                # then agency and parent are one node, and a self-parent is no hierarchy.
                if mother is not None and mother != provider:
                    g.add((provider, ORG.subOrganizationOf, mother))
        if card.description:
            g.add((svc, DCTERMS.description, _fa(card.description)))
        for key, prop, scheme in _ENUMS:
            for code in getattr(card, key) or ():
                g.add((svc, prop, concept(scheme, code)))
        for key, prop in _TEXTS:
            if value := getattr(card, key):
                g.add((svc, prop, _fa(value)))
        self._recipients()
        if card.url:
            g.add((svc, SG.homepage, Literal(card.url)))
        if card.system_name:
            g.add((svc, SG.systemName, Literal(card.system_name)))
            if not is_url(card.system_name):
                own = self.system(card.system_name, agency=card.agency)
                if own is not None:
                    g.add((svc, SG.deliveredThrough, own))
                    self.operated_by(own, provider)
        self._stages()
        self._exchanges(provider)
        for n, step in enumerate(card.processes, 1):
            node = iris.step_iri(self.key, n)
            g.add((svc, SG.hasProcessStep, node))
            g.add((node, RDF.type, SG.ProcessStep))
            g.add((node, SG.order, Literal(n)))
            g.add((node, RDFS.label, _fa(step)))
        self._licenses()
        self._record(sha256, generated_at)
        return g

    def _service_names(self, node: URIRef, identifier: str | None, title: str | None) -> None:
        if identifier:
            self.g.add((node, DCTERMS.identifier, Literal(identifier)))
        if title:
            self.g.add((node, DCTERMS.title, _fa(title)))

    def _recipients(self) -> None:
        rec, svc = self.card.recipients, self.service
        if rec is None:
            return
        if rec.count is not None:
            self.g.add((svc, SG.recipientsCount, Literal(rec.count)))
        if rec.period is not None:
            self.g.add((svc, SG.recipientsPeriod, concept("period", rec.period)))
        if (per_year := rec.per_year()) is not None:
            self.g.add((svc, SG.recipientsPerYear, Literal(per_year)))

    def _stages(self) -> None:
        stages = self.card.stages
        if stages is None:
            return
        for name in STAGE_NAMES:
            stage = getattr(stages, name)
            if stage is None:
                continue
            node = iris.stage_iri(self.key, name)
            self.g.add((self.service, SG.hasStage, node))
            self.g.add((node, RDF.type, SG.Stage))
            self.g.add((node, SG.stageKind, concept("stage", name)))
            if stage.electronic is not None:
                self.g.add((node, SG.electronic, Literal(stage.electronic)))
            for channel in stage.channels:
                self.g.add((node, SG.channel, concept("channel", channel)))

    def _exchanges(self, provider: URIRef | None) -> None:
        card, g = self.card, self.g
        form2 = {
            (match_key(lic.get("inquired_agency")), match_key(lic.get("inquiry")))
            for lic in card.licenses
            if lic.get("form") == 2
        }
        rows: list[tuple[str, Any]] = [("internal", r) for r in card.internal_exchanges]
        rows += [("external", r) for r in card.external_exchanges]
        for n, (scope, row) in enumerate(rows, 1):
            node = iris.exchange_iri(self.key, n)
            g.add((self.service, SG.hasExchange, node))
            g.add((node, RDF.type, SG.DataExchange))
            g.add((node, SG.scope, concept("scope", scope)))
            g.add((node, SG.inquiryType, concept("inquiry", row.inquiry or "unknown")))
            counterpart = provider
            if isinstance(row, ExternalExchange):
                counterpart = self.agency(row.agency)
                if counterpart is not None:
                    g.add((node, SG.counterpartAgency, counterpart))
                if row.fee:
                    g.add((node, SG.fee, _fa(row.fee)))
                if row.system is None and len(row.fields) == 1 and form2:
                    if (match_key(row.agency), match_key(row.fields[0])) in form2:
                        g.add((node, SG.fromLicenseForm, Literal(True)))
            system = self.system(row.system, agency=getattr(row, "agency", None) or card.agency)
            if system is not None:
                g.add((node, SG.counterpartSystem, system))
                self.operated_by(system, counterpart)
            for name in row.fields:
                item = self.entity(name, self.resolver.field(name))
                if item is not None:
                    g.add((node, SG.exchangesField, item))

    def _licenses(self) -> None:
        for n, row in enumerate(self.card.licenses, 1):
            node = iris.license_iri(self.key, n)
            self.g.add((self.service, SG.hasLicense, node))
            self.g.add((node, RDF.type, SG.License))
            for col, value in row.items():
                if col == "form":
                    self.g.add((node, SG.licenseForm, Literal(int(value))))
                elif col == "title":
                    self.g.add((node, DCTERMS.title, _fa(str(value))))
                else:
                    for item in value if isinstance(value, list) else [value]:
                        self.g.add((node, SG.licenseValue, _fa(f"{col}: {item}")))

    def _record(self, sha256: str, generated_at: datetime) -> None:
        card, g, rec = self.card, self.g, self.record
        g.add((rec, RDF.type, SG.CardRecord))
        g.add((rec, RDF.type, PROV.Entity))
        g.add((rec, SG.describes, self.service))
        g.add((rec, SG.sourceFile, Literal(card.source)))
        g.add((rec, SG.sha256, Literal(sha256)))
        g.add((rec, SG.parserVersion, Literal(_graph_pkg.__version__)))
        g.add((rec, PROV.generatedAtTime, Literal(generated_at, datatype=XSD.dateTime)))
        for warning in card.warnings:
            g.add((rec, SG.parserWarning, _fa(warning)))
        g.add((rec, SG.canonicalCard, Literal(card.to_json(), datatype=RDF.JSON)))
        if (filler := card.form_filler) is not None and any(filler.model_dump().values()):
            node = iris.filler_iri(self.key)
            g.add((rec, SG.formFiller, node))
            g.add((node, RDF.type, SG.FormFiller))
            if filler.name:
                g.add((node, RDFS.label, _fa(filler.name)))
            for prop, value in ((SG.phone, filler.phone), (SG.email, filler.email)):
                if value:
                    g.add((node, prop, Literal(value)))
            if filler.unit:
                g.add((node, SG.unit, _fa(filler.unit)))
        for key, value in card.to_dict().items():
            if key not in _HANDLED and value not in (None, [], {}, ""):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                g.add((rec, SG.cardValue, _fa(f"{key}: {text}")))


@lru_cache(maxsize=1)
def _reference() -> Graph:
    """The register, parsed once (``load_reference`` returns a fresh copy per call)."""
    from ontology import load_reference

    return load_reference()


def build_card(
    card: Card,
    resolver: Resolver,
    *,
    raw: bytes | None = None,
    generated_at: datetime | None = None,
    reference: Graph | None = None,
) -> BuiltCard:
    """Build the graph of one card.

    ``raw`` is the file's bytes (their SHA-256 goes on the record; without them the hash of
    the canonical JSON is used); ``reference`` is the register graph the builder reads
    system operators from (``ontology.load_reference()`` when None).
    """
    if reference is None:
        reference = _reference()
    digest = hashlib.sha256(raw if raw is not None else card.to_json().encode()).hexdigest()
    when = generated_at or datetime.now(UTC).replace(microsecond=0)
    builder = _Builder(card, resolver, reference)
    built = builder.build(digest, when)
    return BuiltCard(builder.key, builder.record, builder.service, built, builder.resolutions)
