"""A compiled evaluator for the SHACL Core subset our shapes use, for per-card validation.

Why: every ingested card is validated, and pySHACL spends ~10 ms on one card graph of
~150 triples (per-shape, per-focus-node bookkeeping in Python). Our shapes use only a few
constraint components over predicate paths, which compile to a handful of dictionary
lookups: this evaluator runs the same shapes in well under a millisecond.

It is exact for what it accepts and refuses the rest: :meth:`CoreShapes.compile` raises
:class:`Unsupported` for any target, path, constraint parameter or datatype it does not
implement (or a reporting shape without ``sh:message``), and :func:`shapes.validate` then
falls back to pySHACL. Whole-graph validation (with SHACL-SPARQL) always runs pySHACL.
``tests/shapes/test_engine.py`` checks both give the same results on real card graphs.

Semantics follow SHACL 1.0 and pySHACL 0.40 where the spec leaves room:

* targets: ``sh:targetClass`` (SHACL 2.1.3.3), instances of subclasses included via
  ``rdfs:subClassOf*`` in the data graph;
* ``sh:class`` (4.1.1): ``rdf:type/rdfs:subClassOf*`` in the data graph, never a literal;
* ``sh:datatype`` (4.1.2): same IRI and not ill-typed (pySHACL's checks of the value);
* ``sh:minInclusive`` (4.3.3): pySHACL's literal comparison; strings never compare with
  numbers; IRIs and blank nodes fail;
* ``sh:minCount``/``sh:maxCount`` (4.2): one result without ``sh:value``;
* ``sh:pattern`` (4.4.1): ``re.search`` on the lexical form, blank nodes fail;
* ``sh:in`` (4.7.3): RDF term equality;
* ``sh:or`` (4.6.3) of property shapes: one result on the focus node, ``sh:value`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

__all__ = ["CoreShapes", "DataIndex", "Finding", "Unsupported"]

# Parameters a shape may carry; anything else in the sh: namespace is refused.
_NODE_PARAMS = frozenset({SH.targetClass, SH.property, SH["or"], SH.message, SH.severity})
_PROPERTY_PARAMS = frozenset(
    {
        SH.path, SH.minCount, SH.maxCount, SH["class"], SH["in"], SH.pattern, SH.datatype,
        SH.minInclusive, SH.message, SH.severity, SH.name, SH.description, SH.order,
    }
)  # fmt: skip
_DESCRIPTIVE = frozenset({SH.name, SH.description, SH.order, SH.message, SH.severity})
_VALUE_TYPES: dict[URIRef, Callable[[object], bool]] = {
    XSD.string: lambda v: isinstance(v, str | bytes),
    RDF.langString: lambda v: isinstance(v, str | bytes),
    XSD.integer: lambda v: isinstance(v, int),
    XSD.boolean: lambda v: isinstance(v, bool),
}


class Unsupported(Exception):  # noqa: N818 - a verdict, not a failure to report
    """The shapes use something this evaluator does not implement (pySHACL is used)."""


@dataclass(frozen=True)
class Finding:
    """One validation result, as pySHACL would write it into its report graph."""

    source_shape: Node
    component: URIRef
    severity: URIRef
    focus: Node
    path: URIRef | None
    value: Node | None
    messages: tuple[Literal, ...]


_TYPE, _SUBCLASS, _OR = RDF.type, RDFS.subClassOf, SH.OrConstraintComponent
_EMPTY: dict[Node, list[Node]] = {}


class DataIndex:
    """Subject -> predicate -> objects of a small data graph, built in one pass."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.spo: dict[Node, dict[Node, list[Node]]] = {}
        self.typed: dict[Node, list[Node]] = {}  # class -> its direct instances
        self.has_subclasses = False
        spo = self.spo
        for s, p, o in triples:
            by_predicate = spo.get(s)
            if by_predicate is None:
                spo[s] = {p: [o]}
            elif (values := by_predicate.get(p)) is None:
                by_predicate[p] = [o]
            else:
                values.append(o)
        for s, by_predicate in spo.items():
            for o in by_predicate.get(_TYPE, ()):
                self.typed.setdefault(o, []).append(s)
            if _SUBCLASS in by_predicate:
                self.has_subclasses = True
        self._supers: dict[Node, set[Node]] = {}
        self._pos: dict[tuple[Node, Node], list[Node]] | None = None

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.spo.get(subject, _EMPTY).get(predicate, [])

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and everything it reaches by ``rdfs:subClassOf*`` in the data graph."""
        if cls in self._supers:
            return self._supers[cls]
        seen, todo = {cls}, [cls]
        while self.has_subclasses and todo:
            for parent in self.objects(todo.pop(), _SUBCLASS):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        self._supers[cls] = seen
        return seen

    def instances(self, classes: Iterable[Node]) -> list[Node]:
        """Instances of ``classes`` and of their subclasses (SHACL 2.1.3.3), first-seen order."""
        wanted = set(classes)
        found: dict[Node, None] = {}
        for cls, members in self.typed.items():
            if cls in wanted or (self.has_subclasses and self.superclasses(cls) & wanted):
                found.update(dict.fromkeys(members))
        return list(found)

    # -- the slice of rdflib's Graph API that shapes._Owners and shapes._cycles read ------
    def value(self, subject: Node | None, predicate: Node, obj: Node | None = None) -> Node | None:
        """One value, like ``Graph.value``; the least one when there are several (stable)."""
        if subject is None:
            if self._pos is None:
                self._pos = {}
                for s, by_predicate in self.spo.items():
                    for p, objects in by_predicate.items():
                        for o in objects:
                            self._pos.setdefault((p, o), []).append(s)
            found = self._pos.get((predicate, obj), [])
        else:
            found = self.objects(subject, predicate)
        if len(found) > 1:
            return min(found, key=lambda n: (type(n).__name__, str(n)))
        return found[0] if found else None

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        if predicate == _TYPE:
            return list(self.typed.get(obj, ()))
        return [s for s, by in self.spo.items() if obj in by.get(predicate, ())]

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for s, by_predicate in self.spo.items():
            for o in by_predicate.get(predicate, ()):
                yield s, o

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        s, p, o = triple
        return o in self.objects(s, p)

    def is_instance(self, node: Node, cls: Node) -> bool:
        types = self.objects(node, _TYPE)
        if cls in types:
            return True
        return self.has_subclasses and any(cls in self.superclasses(t) for t in types)


@dataclass
class _PropertyShape:
    node: Node
    path: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    min_count: int | None = None
    max_count: int | None = None
    classes: tuple[Node, ...] = ()
    allowed: frozenset[Node] | None = None
    patterns: tuple[re.Pattern[str], ...] = ()
    datatype: URIRef | None = None
    min_inclusive: tuple[Literal, ...] = ()

    def findings(self, focus: Node, data: DataIndex) -> list[Finding]:
        values = data.objects(focus, self.path)
        out: list[Finding] = []

        def add(component: str, value: Node | None) -> None:
            out.append(
                Finding(
                    self.node,
                    _COMPONENTS[component],
                    self.severity,
                    focus,
                    self.path,
                    value,
                    self.messages,
                )
            )

        if self.min_count is not None and len(values) < self.min_count:
            add("MinCount", None)
        if self.max_count is not None and len(values) > self.max_count:
            add("MaxCount", None)
        for v in values:
            for cls in self.classes:
                if isinstance(v, Literal) or not data.is_instance(v, cls):
                    add("Class", v)
            if self.allowed is not None and v not in self.allowed:
                add("In", v)
            for pattern in self.patterns:
                if isinstance(v, BNode) or not pattern.search(_lexical(v)):
                    add("Pattern", v)
            if self.datatype is not None and not _has_datatype(v, self.datatype):
                add("Datatype", v)
            for bound in self.min_inclusive:
                if not _at_least(v, bound):
                    add("MinInclusive", v)
        return out


@dataclass
class _NodeShape:
    node: URIRef
    targets: tuple[Node, ...]
    severity: URIRef
    messages: tuple[Literal, ...]
    properties: list[_PropertyShape] = field(default_factory=list)
    alternatives: list[list[_PropertyShape]] = field(default_factory=list)  # each sh:or

    def findings(self, data: DataIndex) -> list[Finding]:
        out: list[Finding] = []
        for focus in data.instances(self.targets):
            for members in self.alternatives:
                if not any(not m.findings(focus, data) for m in members):
                    out.append(
                        Finding(self.node, _OR, self.severity, focus, None, focus, self.messages)
                    )
            for prop in self.properties:
                out.extend(prop.findings(focus, data))
        return out


class CoreShapes:
    """Shapes compiled for :meth:`evaluate`; build with :meth:`compile`."""

    def __init__(self, shapes: list[_NodeShape]) -> None:
        self.shapes = shapes

    @classmethod
    def compile(cls, graph: Graph) -> CoreShapes:
        """Compile every node shape of ``graph``; :class:`Unsupported` when not all can be."""
        targeted = {s for s, p, _ in graph if p in _TARGETS}
        if targeted - set(graph.subjects(SH.targetClass, None)):
            raise Unsupported("a target other than sh:targetClass")
        if set(graph.subjects(RDF.type, RDFS.Class)) & set(graph.subjects(RDF.type, SH.NodeShape)):
            raise Unsupported("implicit class targets")
        owned = set(graph.objects(None, SH.property))
        owned |= {m for lst in graph.objects(None, SH["or"]) for m in Collection(graph, lst)}
        roots = set(graph.subjects(RDF.type, SH.NodeShape)) | set(
            graph.subjects(SH.targetClass, None)
        )
        shapes = []
        for node in sorted(roots - owned):
            if not isinstance(node, URIRef):
                raise Unsupported(f"blank node shape {node}")
            shapes.append(_node_shape(graph, node))
        return cls(shapes)

    def evaluate(self, data: DataIndex) -> list[Finding]:
        return [f for shape in self.shapes for f in shape.findings(data)]


_COMPONENTS = {
    name: SH[f"{name}ConstraintComponent"]
    for name in ("MinCount", "MaxCount", "Class", "In", "Pattern", "Datatype", "MinInclusive")
}
_TARGETS = frozenset({SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf})


def _params(graph: Graph, node: Node, allowed: frozenset[URIRef]) -> None:
    for p in set(graph.predicates(node, None)):
        if str(p).startswith(str(SH)) and p not in allowed:
            raise Unsupported(f"{p} on {node}")
    if graph.value(node, SH.deactivated) is not None:
        raise Unsupported("sh:deactivated")


def _severity(graph: Graph, node: Node) -> URIRef:
    value = graph.value(node, SH.severity)
    return value if isinstance(value, URIRef) else SH.Violation


def _messages(graph: Graph, node: Node, *, required: bool) -> tuple[Literal, ...]:
    found = tuple(m for m in graph.objects(node, SH.message) if isinstance(m, Literal))
    if required and not found:
        raise Unsupported(f"{node} reports without sh:message")
    return found


def _node_shape(graph: Graph, node: URIRef) -> _NodeShape:
    _params(graph, node, _NODE_PARAMS)
    or_lists = list(graph.objects(node, SH["or"]))
    shape = _NodeShape(
        node,
        tuple(graph.objects(node, SH.targetClass)),
        _severity(graph, node),
        _messages(graph, node, required=bool(or_lists)),
    )
    for prop in graph.objects(node, SH.property):
        shape.properties.append(_property_shape(graph, prop, reporting=True))
    for lst in or_lists:
        members = [_property_shape(graph, m, reporting=False) for m in Collection(graph, lst)]
        shape.alternatives.append(members)
    return shape


def _property_shape(graph: Graph, node: Node, *, reporting: bool) -> _PropertyShape:
    _params(graph, node, _PROPERTY_PARAMS)
    path = graph.value(node, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported(f"path of {node} is not a predicate")
    constraints = set(graph.predicates(node, None)) - _DESCRIPTIVE - {SH.path}
    shape = _PropertyShape(
        node,
        path,
        _severity(graph, node),
        _messages(graph, node, required=reporting and bool(constraints)),
    )
    for p, o in graph.predicate_objects(node):
        if p == SH.minCount:
            shape.min_count = int(o)
        elif p == SH.maxCount:
            shape.max_count = int(o)
        elif p == SH["class"]:
            shape.classes += (o,)
        elif p == SH["in"]:
            if shape.allowed is not None:
                raise Unsupported("two sh:in lists")
            shape.allowed = frozenset(Collection(graph, o))
        elif p == SH.pattern:
            if graph.value(node, SH.flags) is not None:
                raise Unsupported("sh:flags")
            shape.patterns += (re.compile(str(o)),)
        elif p == SH.datatype:
            if o not in _VALUE_TYPES or shape.datatype is not None:
                raise Unsupported(f"sh:datatype {o}")
            shape.datatype = o
        elif p == SH.minInclusive:
            if not isinstance(o, Literal):
                raise Unsupported("sh:minInclusive is not a literal")
            shape.min_inclusive += (o,)
    return shape


def _lexical(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None:
        if v.datatype in (None, RDF.langString, XSD.string):
            return str(v.value)
    return str(v)


def _has_datatype(v: Node, datatype: URIRef) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        return getattr(v, "ill_typed", None) is not True and _VALUE_TYPES[datatype](v.value)
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return _VALUE_TYPES[datatype](v.value)
    if datatype == RDF.langString and v.language:
        return _VALUE_TYPES[datatype](v.value)
    return False


def _at_least(v: Node, bound: Literal) -> bool:
    if not isinstance(v, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        return compare_literal(v, bound) >= 0
    except (TypeError, NotImplementedError):
        return False
