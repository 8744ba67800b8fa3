"""The generator's vocabularies: ``words.yaml`` beside this module and the reference register.

Real names (agencies, national systems, exchanged fields) come from the register
(:func:`ontology.load_reference`) so that a synthetic card writes a hub exactly as the
resolver knows it, by its Persian prefLabel or one of its Persian altLabels. Everything is
passed once through :func:`graph.text.normalize`, the form the parser stores, so that a
card's intended canonical object is what a correct parser reads back.

>>> reg = register()
>>> reg.systems["gsb"].label
'گذرگاه خدمات دولت'
>>> reg.agencies[reg.systems["shahkar"].parent].label
'سازمان تنظیم مقررات و ارتباطات رادیویی'
>>> len(vocabulary()["provinces"])
31
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from graph.errors import ServicegraphError
from graph.text import normalize
from ontology import load_reference
from ontology.namespace import SG

__all__ = ["Named", "Register", "register", "vocabulary"]


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items()}
    return value


@cache
def vocabulary() -> dict[str, Any]:
    """``words.yaml``, every string normalized (parsed once per process)."""
    try:
        text = files(__package__).joinpath("words.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:  # a broken installation, not a user error
        raise ServicegraphError(f"graph/synth/words.yaml: cannot load ({exc})") from exc
    normalized: dict[str, Any] = _normalized(data)  # a mapping of lists and mappings
    return normalized


@dataclass(frozen=True)
class Named:
    """A register entry as cards write it: its label, its Persian altLabels, its parent
    (``org:subOrganizationOf`` of an agency, ``sg:operatedBy`` of a system) as a notation."""

    notation: str
    label: str
    alt_labels: tuple[str, ...]
    parent: str | None


@dataclass(frozen=True)
class Register:
    agencies: dict[str, Named]
    systems: dict[str, Named]
    fields: dict[str, Named]


def _notation(iri: URIRef) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _entries(graph: Graph, kind: URIRef, parent: URIRef | None) -> dict[str, Named]:
    out: dict[str, Named] = {}
    for iri in sorted({s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}):
        labels = sorted(str(x) for x in graph.objects(iri, SKOS.prefLabel) if _persian(x))
        if not labels:
            continue
        alts = sorted({normalize(str(x)) for x in graph.objects(iri, SKOS.altLabel) if _persian(x)})
        parents = (
            sorted(o for o in graph.objects(iri, parent) if isinstance(o, URIRef))
            if parent is not None
            else []
        )
        out[_notation(iri)] = Named(
            notation=_notation(iri),
            label=normalize(labels[0]),
            alt_labels=tuple(a for a in alts if a != normalize(labels[0])),
            parent=_notation(parents[0]) if parents else None,
        )
    return out


def _persian(term: object) -> bool:
    """Whether ``term`` is a literal tagged ``fa`` (the register's Persian labels)."""
    return isinstance(term, Literal) and term.language == "fa"


@cache
def register() -> Register:
    """Agencies, systems and fields of the reference register, keyed by notation."""
    graph = load_reference()
    return Register(
        agencies=_entries(graph, SG.Agency, ORG.subOrganizationOf),
        systems=_entries(graph, SG.System, SG.operatedBy),
        fields=_entries(graph, SG.ExchangedField, None),
    )
