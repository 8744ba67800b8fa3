"""Listings are right at national scale, never silently cut (security review, finding 2).

At 2,000 services ``/services?limit=1`` answered ``"total": 2`` (its query hit the row cap
and the router ignored the flag), and ``/agencies`` and ``/systems`` answered 504: register
nodes are typed and labelled in every card graph that names them, and joining them directly
multiplied a listing's rows by those graphs. Here a synthetic corpus of 2,100 services is
ingested once and every listing is compared with a COUNT asked of the store itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.ingest import ingest
from graph.settings import Settings
from graph.store.embedded import EmbeddedStore
from graph.synth import write_corpus
from ontology.namespace import SG

SERVICES = 2100
PREFIX = f"PREFIX sg: <{SG.Service.removesuffix('Service')}>\n"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("national")
    write_corpus(SERVICES, root / "cards", seed=11)
    data_dir = root / "data"
    store = EmbeddedStore(data_dir)
    try:
        report = ingest([root / "cards"], store, data_dir=data_dir)
    finally:
        store.close()
    assert not report.failed
    return data_dir


@pytest.fixture(scope="module")
def counts(national: Path) -> dict[str, int]:
    """The figures asked of the store directly, in-process."""
    store = EmbeddedStore(national, read_only=True)
    try:

        def count(pattern: str) -> int:
            rows = store.query(f"{PREFIX}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
            return int(rows.rows[0][0])

        return {
            "services": count("?x a sg:Service"),
            "agencies": count("?x a sg:Agency"),
            "systems": count("?x a sg:System"),
        }
    finally:
        store.close()


@pytest.fixture(scope="module")
def http(national: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=national, query_workers=1, query_timeout=30)
    with TestClient(create_app(settings)) as client:
        yield client


def test_services_total_is_the_store_count_at_2000_services(http, counts):
    assert counts["services"] >= 2000
    first = http.get("/services", params={"limit": 1})
    assert first.status_code == 200, first.text
    assert first.json()["total"] == counts["services"]
    last = http.get("/services", params={"limit": 50, "offset": counts["services"] - 10})
    assert last.status_code == 200, last.text
    assert len(last.json()["items"]) == 10


def test_agency_and_system_listings_answer_with_every_entry(http, counts):
    agencies = http.get("/agencies")
    systems = http.get("/systems")
    assert agencies.status_code == 200, agencies.text
    assert systems.status_code == 200, systems.text
    assert len({a["iri"] for a in agencies.json()}) == counts["agencies"]
    assert len({s["iri"] for s in systems.json()}) == counts["systems"]


def test_listing_service_counts_match_the_store(http, national):
    """The busiest agency's and system's service counts, as listed, against a COUNT."""
    top_agency = http.get("/agencies").json()[0]
    top_system = http.get("/systems").json()[0]
    store = EmbeddedStore(national, read_only=True)
    try:
        provided = store.query(
            f"{PREFIX}SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE "
            f"{{ ?s sg:providedBy <{top_agency['iri']}> }}"
        ).rows[0][0]
        used = store.query(
            f"{PREFIX}SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ "
            f"{{ ?s sg:hasExchange/sg:counterpartSystem <{top_system['iri']}> }} UNION "
            f"{{ ?s sg:deliveredThrough <{top_system['iri']}> }} }}"
        ).rows[0][0]
    finally:
        store.close()
    assert top_agency["services"] == int(provided) > 50
    assert top_system["services"] == int(used) > 50


def test_busiest_agency_and_system_pages_answer(http):
    """The detail resources of the busiest entries, whose rows multiplied the most."""
    agency = http.get("/agencies").json()[0]
    system = http.get("/systems").json()[0]
    for path in (f"/agencies/{agency['iri']}", f"/systems/{system['iri']}"):
        response = http.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    page = http.get(f"/agencies/{agency['iri']}").json()
    assert len(page["service_list"]) == agency["services"]
