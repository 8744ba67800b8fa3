"""What a public endpoint must refuse: updates, outside access, oversize and overlong work."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import QueryError
from graph.settings import Settings
from graph.sparql.guard import check_query

REFUSED = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SPARQL Update is refused"),
    ("DELETE WHERE { ?s ?p ?o }", "SPARQL Update is refused"),
    ("LOAD <file:///etc/passwd>", "SPARQL Update is refused"),
    ("CLEAR ALL", "SPARQL Update is refused"),
    ("DROP GRAPH <urn:g>", "SPARQL Update is refused"),
    ("CREATE GRAPH <urn:g>", "SPARQL Update is refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    (
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://x/> { ?s ?p ?o } } }",
        "SERVICE",
    ),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "file:///etc/passwd"),
    ("SELECT * FROM NAMED <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "example.org"),
]


@pytest.mark.parametrize(("query", "message"), REFUSED, ids=[r[0][:30] for r in REFUSED])
def test_refused_at_the_endpoint(client, query, message):
    for response in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
    ):
        assert response.status_code == 400, response.text
        assert message in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> { }' } # SERVICE <http://y/> {}",
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "# LOAD <file:///etc/passwd>\nASK { ?s ?p ?o }",
    ],
    ids=["in-string-and-comment", "variable-named-service", "commented-load"],
)
def test_words_in_strings_comments_and_names_are_not_refused(query):
    assert check_query(query).form in ("select", "ask")


def test_update_operations_are_refused(client):
    update = client.post("/sparql", data={"update": "CLEAR ALL"})
    direct = client.post(
        "/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    for response in (update, direct):
        assert response.status_code == 400
        assert "read-only" in response.json()["detail"]


def test_dataset_parameter_naming_a_file_is_refused(client):
    response = client.get(
        "/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "file:///etc/passwd"}
    )
    assert response.status_code == 400
    assert "file:///etc/passwd" in response.json()["detail"]


def test_oversized_queries_are_413(client, settings):
    big = "ASK { ?s ?p ?o } #" + "x" * settings.max_query_bytes
    as_form = client.post("/sparql", data={"query": big})
    as_body = client.post(
        "/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    huge = client.post(
        "/sparql",
        content=b"x" * (4 * settings.max_query_bytes),
        headers={"Content-Type": "application/sparql-query"},
    )
    for response in (as_form, as_body, huge):
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == "application/problem+json"


def test_body_limit_counts_bytes_when_content_length_lies(client, settings):
    def chunks():
        for _ in range(8):
            yield b"#" * settings.max_query_bytes

    response = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_body_limit_applies_to_rest_routes(client, settings):
    response = client.post(
        "/validate",
        content=b"x" * (settings.max_upload_bytes + 70_000),
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413


CROSS_PRODUCT = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"""


def test_pathological_query_times_out_while_others_are_answered(example_data_dir):
    """A five-way cross product over the whole graph is killed at the time limit (504),
    while a simple query from another client is answered meanwhile."""
    settings = Settings(data_dir=example_data_dir, query_timeout=2.0, query_workers=2)
    with TestClient(create_app(settings)) as client:
        slow: dict[str, object] = {}

        def run_slow() -> None:
            started = time.monotonic()
            slow["response"] = client.get("/sparql", params={"query": CROSS_PRODUCT})
            slow["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_slow)
        thread.start()
        pool = client.app.state.pool
        deadline = time.monotonic() + 30
        while not sum(pool._running.values()):  # until the slow query holds a worker
            assert thread.is_alive() and time.monotonic() < deadline, "the slow query never ran"
            time.sleep(0.01)
        fast = client.get(
            "/sparql",
            params={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        fast_done_while_slow_runs = thread.is_alive()
        thread.join(30)
        assert fast.status_code == 200 and fast.json()["boolean"] is True
        assert fast_done_while_slow_runs
        response = slow["response"]
        assert response.status_code == 504, response.text
        assert "time limit of 2 s" in response.json()["detail"]
        # the killed worker is replaced: the pool answers again
        after = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert after.status_code == 200


def test_small_limits_truncate_results_and_refuse_long_get_queries(example_data_dir):
    settings = Settings(
        data_dir=example_data_dir, max_results=3, query_workers=1, max_query_bytes=500
    )
    with TestClient(create_app(settings)) as client:
        response = client.get(
            "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200
        assert response.headers["Servicegraph-Truncated"] == "true"
        assert len(response.json()["results"]["bindings"]) == 3
        small = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
        assert "Servicegraph-Truncated" not in small.headers
        too_long = client.get("/sparql", params={"query": "ASK {} #" + "é" * 300})
        assert too_long.status_code == 413  # 600 bytes of UTF-8 > 500


def test_guard_reports_position_of_syntax_errors():
    with pytest.raises(QueryError, match="line 2, column"):
        check_query("SELECT *\nWHERE { ?s ?p }")
