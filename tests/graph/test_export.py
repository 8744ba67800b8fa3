"""The CPSV-AP 3.2.0 view of the example cards passes the official SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF

from graph.errors import ServicegraphError
from graph.export import export, profile_graph
from graph.ingest import ingest
from graph.store.embedded import EmbeddedStore
from ontology.namespace import CPSV, CV

ROOT = Path(__file__).parents[2]
SHAPES = ROOT / "tests" / "data" / "cpsv-ap" / "cpsv-ap-SHACL.ttl"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    s = EmbeddedStore(None)
    report = ingest([ROOT / "examples" / "cards"], s, data_dir=None)
    assert len(report.loaded) == 5
    return s


def test_cpsv_ap_view_conforms(store: EmbeddedStore) -> None:
    view = profile_graph(store)
    # five described services plus the parent of card 001's sub-service
    assert len(set(view.subjects(RDF.type, CPSV.PublicService))) == 6
    assert set(view.subjects(RDF.type, CV.PublicOrganisation))
    conforms, _, text = shacl_validate(view, shacl_graph=Graph().parse(SHAPES))
    assert conforms, text


def test_export_formats(store: EmbeddedStore) -> None:
    view = Graph().parse(data=export(store, "ttl", profile="cpsv-ap"), format="turtle")
    assert len(view) == len(profile_graph(store))
    dump = export(store, "nq")
    assert dump.count(b"\n") == store.triple_count()
    with pytest.raises(ServicegraphError, match="one graph"):
        export(store, "trig", profile="cpsv-ap")
    with pytest.raises(ServicegraphError, match="unknown profile"):
        export(store, "ttl", profile="dcat")
