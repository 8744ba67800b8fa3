"""The servicegraph ontology, its SKOS vocabularies and the reference register, as graphs.

The Turtle files ship inside this package and are found with
:func:`importlib.resources.files`, never the working directory. Each file is parsed once
per process; every call returns a fresh copy, so a caller that adds triples to its graph
cannot change what the next caller sees.

>>> from ontology.namespace import SG
>>> from rdflib.namespace import RDF
>>> (SG.Agency, RDF.type, None) in load_ontology()
True
>>> len(set(load_reference().subjects(RDF.type, SG.Agency))) >= 60
True
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rdflib import Graph

from ontology.errors import ServicegraphError

__all__ = ["load_ontology", "load_reference", "load_vocabularies", "reference_files"]

_REFERENCE = ("agencies.ttl", "systems.ttl", "fields.ttl")


def reference_files() -> tuple[str, ...]:
    """Names of the register's Turtle files inside ``ontology/reference/``."""
    return _REFERENCE


@cache
def _parsed(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        resource = files(__name__).joinpath(*name.split("/"))
        try:
            graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
        except FileNotFoundError as exc:  # a broken installation, not a user error
            raise ServicegraphError(f"ontology/{name}: missing from the installed package") from exc
        except Exception as exc:  # rdflib raises several parser exception types
            raise ServicegraphError(f"ontology/{name}: not valid Turtle ({exc})") from exc
    return graph


def _copy(source: Graph) -> Graph:
    graph = Graph()
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph += source
    return graph


def load_ontology() -> Graph:
    """The OWL ontology (``servicegraph.ttl``): every class and property of ``SG``."""
    return _copy(_parsed("servicegraph.ttl"))


def load_vocabularies() -> Graph:
    """The SKOS concept schemes of the card's enumerations (``vocabularies.ttl``)."""
    return _copy(_parsed("vocabularies.ttl"))


def load_reference() -> Graph:
    """The reference register: agencies, systems and exchanged fields (``reference/*.ttl``)."""
    return _copy(_parsed(*(f"reference/{name}" for name in _REFERENCE)))
