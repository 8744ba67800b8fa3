"""Where a SHACL finding came from: the card file, the service and the card field.

A person fixing a card needs "external_exchanges[2].fields in card_004.docx", not a blank
node and a property IRI. Per card the data graph holds one card record, so every finding
belongs to it; in a whole-graph validation the owner is found by walking from the focus node
up to its service (:attr:`CHILDREN`, provision, exchange rows).
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from ontology.namespace import ORG, SG
from shapes.engine import DataIndex

# Where a finding on a property points back to in the card (CARD_SCHEMA.md keys).
CARD_FIELDS: dict[URIRef, str] = {
    DCTERMS.title: "title",
    DCTERMS.identifier: "service_id",
    SG.providedBy: "agency",
    SG.serviceType: "service_types",
    SG.nature: "nature",
    SG.level: "levels",
    SG.lifeEvent: "life_events",
    SG.startTrigger: "start_triggers",
    SG.recipientsPeriod: "recipients.period",
    SG.recipientsPerYear: "recipients",
    SG.subServiceOf: "service_id",
    SG.counterpartSystem: "system",
    SG.counterpartAgency: "agency",
    SG.exchangesField: "fields",
    SG.inquiryType: "inquiry",
    SG.scope: "scope",
    SG.stageKind: "stages",
    SG.electronic: "electronic",
    SG.channel: "channels",
    ORG.subOrganizationOf: "parent_agency",
    SG.operatedBy: "operator",
}
CHILDREN = (SG.hasExchange, SG.hasStage, SG.hasProcessStep, SG.hasLicense)


class Owners:
    """Finds the card file and service a focus node came from."""

    def __init__(self, data: Graph | DataIndex, *, whole: bool) -> None:
        self.data = data
        records = list(data.subjects(RDF.type, SG.CardRecord))
        self.single = None if whole or len(records) != 1 else records[0]

    def _service_of(self, focus: Node) -> Node | None:
        if (focus, RDF.type, SG.Service) in self.data:
            return focus
        if (focus, RDF.type, SG.CardRecord) in self.data:
            return self.data.value(focus, SG.describes)
        for prop in CHILDREN:
            if (svc := self.data.value(None, prop, focus)) is not None:
                return svc
        for prop in (SG.providedBy, SG.deliveredThrough):
            if (svc := self.data.value(None, prop, focus)) is not None:
                return svc
        for prop in (SG.counterpartSystem, SG.counterpartAgency, SG.exchangesField):
            if (row := self.data.value(None, prop, focus)) is not None:
                return self.data.value(None, SG.hasExchange, row)
        return None

    def of(self, focus: Node) -> tuple[str | None, str | None]:
        record: Node | None
        if self.single is not None:
            record = self.single
            service = self.data.value(record, SG.describes)
        else:
            service = self._service_of(focus)
            record = self.data.value(None, SG.describes, service) if service else None
        source = self.data.value(record, SG.sourceFile) if record is not None else None
        title = self.data.value(service, DCTERMS.title) if service is not None else None
        label = str(title) if title is not None else (str(service) if service else None)
        return (str(source) if source is not None else None), label

    def field(self, focus: Node, path: Node | None) -> str | None:
        data = self.data
        prop = CARD_FIELDS.get(path) if isinstance(path, URIRef) else None
        if (focus, RDF.type, SG.DataExchange) in data:
            return self._exchange_field(focus, prop)
        if (focus, RDF.type, SG.Stage) in data:
            kind = data.value(focus, SG.stageKind)
            name = str(kind).rsplit("/", 1)[-1] if kind is not None else "?"
            return f"stages.{name}" + (f".{prop}" if prop and prop != "stages" else "")
        if (focus, RDF.type, SG.ProcessStep) in data:
            return f"processes[{data.value(focus, SG.order)}]"
        if (focus, RDF.type, SG.Agency) in data or (focus, RDF.type, SG.System) in data:
            label = data.value(focus, SG.sourceLabel) or data.value(focus, RDFS.label)
            label = label or data.value(focus, SKOS.prefLabel)
            return f"{prop or 'name'} ({label})" if label is not None else prop
        return prop

    def _exchange_field(self, focus: Node, prop: str | None) -> str:
        data = self.data
        scope = str(data.value(focus, SG.scope) or "").rsplit("/", 1)[-1] or "external"
        number = int(str(focus).rsplit("/", 1)[-1]) if str(focus)[-1:].isdigit() else 0
        service = data.value(None, SG.hasExchange, focus)
        rows = data.objects(service, SG.hasExchange) if service is not None else []
        internal = sum(
            1 for row in rows if str(data.value(row, SG.scope) or "").endswith("/internal")
        )
        index = number if scope == "internal" else number - internal
        text = f"{scope}_exchanges[{index}]"
        return f"{text}.{prop}" if prop and prop != "scope" else text
