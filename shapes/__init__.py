"""SHACL shapes of servicegraph (one Turtle file per target class) and :func:`validate`.

Each ``<class>.ttl`` holds one ``<Class>Shape`` with Persian and English ``sh:message``
and an explicit ``sh:severity`` where a finding is a warning rather than a violation.

Per-card validation runs on every ingest, so it must cost well under a millisecond: the
shapes are compiled once per process by :mod:`shapes.engine` (a SHACL Core evaluator for
the components these shapes use, checked against pySHACL in ``tests/shapes``), no inference
runs, and enumerations are checked with ``sh:in`` so the data graph needs no concept
typings. Whole-graph validation, and any shape the engine does not implement, run on
pySHACL. The agency-cycle check is SHACL-SPARQL (``sh:sparql``, SHACL 5.3): per card it is
a graph walk, on the whole graph the standard constraint, run on demand.

>>> from rdflib import Graph
>>> validate(Graph()).conforms
True
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from ontology.namespace import ORG
from shapes.engine import CoreShapes, DataIndex, Finding, Unsupported
from shapes.owners import Owners

__all__ = ["ValidationReport", "ValidationResult", "load_shapes", "validate"]

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
Triples = Collection[tuple[Node, Node, Node]]
"""A card graph as plain triples (what :func:`graph.build.build_card` makes)."""
_lock = threading.Lock()
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL finding, named the way a person fixing the card needs it."""

    severity: str  # "violation", "warning" or "info"
    message_fa: str
    message_en: str
    shape: str  # e.g. "DataExchangeShape"
    focus: str  # IRI of the node the finding is about
    path: str | None  # the property, as a CURIE where possible
    field: str | None  # the card key it comes from, e.g. "external_exchanges[2].fields"
    value: str | None
    card_file: str | None
    service: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def line(self) -> str:
        """One line for terminals: severity, card, field, then both messages."""
        where = " ".join(x for x in (self.card_file, self.field or self.path) if x)
        return f"{self.severity}: {where}: {self.message_en} / {self.message_fa}"


@dataclass
class ValidationReport:
    """The findings of one validation; ``conforms`` ignores warnings and infos."""

    results: list[ValidationResult] = field(default_factory=list)
    # The sh:ValidationReport graph, or a function making it (per card it is rarely read).
    report: Graph | Callable[[], Graph] | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph | None:
        """The SHACL validation report graph (SHACL 3.6)."""
        if callable(self.report):
            self.report = self.report()
        return self.report

    @property
    def violations(self) -> int:
        return sum(r.severity == "violation" for r in self.results)

    @property
    def warnings(self) -> int:
        return sum(r.severity != "violation" for r in self.results)

    @property
    def conforms(self) -> bool:
        return self.violations == 0


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """All shapes files merged into one graph (parsed once per process)."""
    shapes = Graph()
    for entry in sorted(files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".ttl"):
            shapes.parse(data=entry.read_text(encoding="utf-8"), format="turtle")
    return shapes


@lru_cache(maxsize=2)
def _compiled(whole: bool) -> ShapesGraph:
    """pyshacl's compiled shapes, harvested once and reused by every validation.

    Per card the ``sh:sparql`` cycle constraint is left out: pyshacl re-parses its query
    for every focus node (about 4 ms each), while :func:`_cycles` finds the same cycles in
    microseconds. The whole-graph mode runs the standard SHACL-SPARQL constraint.
    """
    shapes = load_shapes()
    if not whole:
        shapes = _without_sparql(shapes)
    compiled = ShapesGraph(shapes)
    _ = compiled.shapes  # the harvest is the expensive part
    return compiled


@lru_cache(maxsize=1)
def _core() -> CoreShapes | None:
    """The per-card shapes compiled for :mod:`shapes.engine`, or None if it cannot run them."""
    try:
        return CoreShapes.compile(_without_sparql(load_shapes()))
    except Unsupported as exc:
        _LOG.warning("per-card validation uses pySHACL: %s", exc)
        return None


def _without_sparql(shapes: Graph) -> Graph:
    slim = Graph()
    constraints = set(shapes.objects(None, SH.sparql))
    for triple in shapes:
        if triple[1] != SH.sparql and triple[0] not in constraints:
            slim.add(triple)
    return slim


def _run(data: Graph, whole: bool) -> tuple[Graph, list[Node]]:
    options = {"inference": "none", "inplace": True, "logger": _LOG}
    validator = Validator(DataGraph.from_rdflib(data), shacl_graph=Graph(), options=options)
    validator.shacl_graph = _compiled(whole)
    with _lock:  # a ShapesGraph caches per-shape state; keep runs serial in one process
        _conforms, report, _text = validator.run()  # type: ignore[no-untyped-call]  # pyshacl is untyped
    return report, list(report.subjects(RDF.type, SH.ValidationResult))


def _cycles(data: Graph | DataIndex) -> list[Node]:
    """Agencies that are their own transitive parent (org:subOrganizationOf+)."""
    parents: dict[Node, list[Node]] = {}
    for child, parent in data.subject_objects(ORG.subOrganizationOf):
        parents.setdefault(child, []).append(parent)
    found = []
    for start in parents:
        seen: set[Node] = set()
        todo = list(parents[start])
        while todo:
            node = todo.pop()
            if node == start:
                found.append(start)
                break
            if node not in seen:
                seen.add(node)
                todo.extend(parents.get(node, ()))
    return found


@lru_cache(maxsize=1)
def _cycle_messages() -> dict[str | None, str]:
    shapes = load_shapes()
    constraint = next(iter(shapes.objects(None, SH.sparql)))
    return {
        m.language: str(m) for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal)
    }


@lru_cache(maxsize=1)
def _default_namespaces() -> NamespaceManager:
    return Graph().namespace_manager


def _curie(data: Graph | Triples, uri: URIRef) -> str:
    """``data.namespace_manager.normalizeUri(uri)`` without making a namespace manager for
    a graph that binds nothing (it would bind rdflib's ~30 default prefixes, ~1 ms)."""
    if not isinstance(data, Graph) or next(iter(data.store.namespaces()), None) is None:
        return _default_namespaces().normalizeUri(uri)
    return data.namespace_manager.normalizeUri(uri)


def _cycle_results(
    index: DataIndex, data: Graph | Triples, owners: Owners
) -> list[ValidationResult]:
    texts = _cycle_messages()
    results = []
    for agency in _cycles(index):
        card_file, service = owners.of(agency)
        results.append(
            ValidationResult(
                severity="violation",
                message_fa=texts.get("fa", ""),
                message_en=texts.get("en", ""),
                shape="AgencyShape",
                focus=str(agency),
                path=_curie(data, ORG.subOrganizationOf),
                field=owners.field(agency, ORG.subOrganizationOf),
                value=str(agency),
                card_file=card_file,
                service=service,
            )
        )
    return results


def validate(data: Graph | Triples, *, whole: bool = False) -> ValidationReport:
    """Validate ``data`` (one card graph, or with ``whole`` the union of many) against the
    shapes; every result names its card file, service and card field where it can.

    ``data`` is an rdflib Graph or a collection of triples (ingest's built cards). Per card
    the shapes run on :mod:`shapes.engine` (the same results as pySHACL in a fraction of the
    time); with ``whole``, or when the engine cannot run the shapes, pySHACL.
    """
    if whole:
        graph = data if isinstance(data, Graph) else _graph_of(data)
        owners = Owners(graph, whole=True)
        report, nodes = _run(graph, whole)
        results = [_result(report, node, graph, owners) for node in nodes]
        results.sort(key=_order)
        return ValidationReport(results, report)
    index = DataIndex(data)
    owners = Owners(index, whole=False)
    core = _core()
    if core is not None:
        findings = core.evaluate(index)
        results = [_finding_result(f, data, owners) for f in findings]
        made: Graph | Callable[[], Graph] = lambda: _report_graph(findings)  # noqa: E731
    else:
        graph = data if isinstance(data, Graph) else _graph_of(data)
        made, nodes = _run(graph, whole)
        results = [_result(made, node, data, owners) for node in nodes]
    results += _cycle_results(index, data, owners)
    results.sort(key=_order)
    return ValidationReport(results, made)


def _graph_of(triples: Triples) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _order(r: ValidationResult) -> tuple[str, ...]:
    return (
        r.card_file or "", r.severity, r.field or "", r.message_en, r.focus, r.path or "",
        r.value or "",
    )  # fmt: skip


def _finding_result(f: Finding, data: Graph | Triples, owners: Owners) -> ValidationResult:
    """The result :func:`_result` reads from pySHACL's report, made from a finding."""
    card_file, service = owners.of(f.focus)
    return ValidationResult(
        severity=_SEVERITY.get(f.severity, "violation"),
        message_fa=_pick_message(f.messages, "fa"),
        message_en=_pick_message(f.messages, "en"),
        shape=_shape_name(f.source_shape),
        focus=str(f.focus),
        path=_curie(data, f.path) if f.path is not None else None,
        field=owners.field(f.focus, f.path),
        value=None if f.value is None else str(f.value),
        card_file=card_file,
        service=service,
    )


def _report_graph(findings: list[Finding]) -> Graph:
    """The sh:ValidationReport of SHACL 3.6 for the engine's findings."""
    g = Graph()
    g.bind("sh", SH)
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(f.severity == SH.Violation for f in findings)
    g.add((report, SH.conforms, Literal(conforms)))
    for f in findings:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, f.focus))
        g.add((node, SH.resultSeverity, f.severity))
        g.add((node, SH.sourceShape, f.source_shape))
        g.add((node, SH.sourceConstraintComponent, f.component))
        if f.path is not None:
            g.add((node, SH.resultPath, f.path))
        if f.value is not None:
            g.add((node, SH.value, f.value))
        for message in f.messages:
            g.add((node, SH.resultMessage, message))
    return g


def _message(report: Graph, node: Node, lang: str) -> str:
    messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    return _pick_message(messages, lang)


def _pick_message(messages: Iterable[Literal], lang: str) -> str:
    messages = list(messages)
    for m in messages:
        if m.language == lang:
            return str(m)
    return str(messages[0]) if messages else ""


def _result(report: Graph, node: Node, data: Graph | Triples, owners: Owners) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    assert focus is not None  # every sh:ValidationResult has one (SHACL 3.6.2)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    source_shape = report.value(node, SH.sourceShape)
    shape = _shape_name(source_shape)
    card_file, service = owners.of(focus)
    return ValidationResult(
        severity=_SEVERITY.get(_iri_of(report.value(node, SH.resultSeverity)), "violation"),
        message_fa=_message(report, node, "fa"),
        message_en=_message(report, node, "en"),
        shape=shape,
        focus=str(focus),
        path=_curie(data, path) if isinstance(path, URIRef) else None,
        field=owners.field(focus, path),
        value=None if value is None else str(value),
        card_file=card_file,
        service=service,
    )


def _iri_of(node: Node | None) -> URIRef:
    return node if isinstance(node, URIRef) else SH.Violation


def _shape_name(shape: Node | None) -> str:
    """The named node shape a (possibly blank) property shape belongs to."""
    if isinstance(shape, URIRef):
        return shape.split("#")[-1]
    compiled = load_shapes()
    parent = compiled.value(None, SH.property, shape) or compiled.value(None, SH.sparql, shape)
    return parent.split("#")[-1] if isinstance(parent, URIRef) else "Shape"
