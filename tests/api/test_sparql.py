"""The SPARQL 1.1 Protocol query operation at /sparql, through FastAPI's TestClient."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from ontology.namespace import ID

SERVICES = """PREFIX sg: <https://w3id.org/servicegraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?service ?title WHERE { ?service a sg:Service ; dct:title ?title } ORDER BY ?service"""
CONSTRUCT = """PREFIX sg: <https://w3id.org/servicegraph/ontology#>
CONSTRUCT { ?s sg:providedBy ?a } WHERE { ?s sg:providedBy ?a }"""
JSON = "application/sparql-results+json"


def bindings(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    data = response.json()
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def expected_services(example_store) -> list[dict[str, str]]:
    rows = example_store.query(SERVICES).dicts()
    return [{k: str(v) for k, v in row.items()} for row in rows]


def test_get_post_form_and_post_direct_agree_with_the_store(client, example_store):
    expected = expected_services(example_store)
    assert len(expected) == 6  # five cards; card 001 is a sub-service with its parent
    via_get = client.get("/sparql", params={"query": SERVICES}, headers={"Accept": JSON})
    via_form = client.post("/sparql", data={"query": SERVICES}, headers={"Accept": JSON})
    via_body = client.post(
        "/sparql",
        content=SERVICES.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON},
    )
    for response in (via_get, via_form, via_body):
        assert bindings(response) == expected
        assert response.headers["content-type"].startswith(JSON)


def test_persian_is_utf8_not_escaped(client):
    response = client.get("/sparql", params={"query": SERVICES}, headers={"Accept": JSON})
    assert "ارزیابی عملکرد سالانه".encode() in response.content
    assert b"\\u06" not in response.content


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        (
            "text/csv;q=0.4, application/sparql-results+xml;q=0.9",
            None,
            "application/sparql-results+xml",
        ),
        ("application/json", None, JSON),
        ("*/*", None, JSON),
        (None, None, JSON),
        ("application/sparql-results+xml", "csv", "text/csv"),
    ],
    ids=["xml", "csv", "tsv", "q-values", "json-alias", "any", "no-accept", "format-wins"],
)
def test_select_content_negotiation(client, accept, fmt, media):
    params = {"query": SERVICES} | ({"format": fmt} if fmt else {})
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"] == "Accept"


def test_csv_has_one_line_per_service(client, example_store):
    response = client.get("/sparql", params={"query": SERVICES}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["service", "title"]
    assert [r[1] for r in rows[1:]] == [r["title"] for r in expected_services(example_store)]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_formats_give_the_same_graph(client, example_store, accept, fmt):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    got = Graph().parse(data=response.content, format=fmt)
    assert len(got) == 6
    assert isomorphic(got, example_store.query(CONSTRUCT).graph)


def test_ask_and_describe(client):
    ask = client.get(
        "/sparql",
        params={"query": "ASK { ?s a <https://w3id.org/servicegraph/ontology#Service> }"},
        headers={"Accept": JSON},
    )
    assert ask.json()["boolean"] is True
    describe = client.get(
        "/sparql",
        params={"query": f"DESCRIBE <{ID['service/1001176000']}>"},
        headers={"Accept": "text/turtle"},
    )
    graph = Graph().parse(data=describe.text, format="turtle")
    assert (URIRef(ID["service/1001176000"]), None, None) in graph


def test_dataset_parameters_restrict_to_one_card(client):
    card = str(ID["card/1001176000"])
    restricted = client.get(
        "/sparql", params={"query": SERVICES, "default-graph-uri": card}, headers={"Accept": JSON}
    )
    assert [r["service"] for r in bindings(restricted)] == [str(ID["service/1001176000"])]
    named = client.post(
        "/sparql?named-graph-uri=" + card,
        content=b"SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        headers={"Content-Type": "application/sparql-query", "Accept": JSON},
    )
    assert bindings(named) == [{"g": card}]
    # named graphs only: the default graph is empty (SPARQL 1.1 Query §13.2)
    empty = client.get(
        "/sparql", params={"query": SERVICES, "named-graph-uri": card}, headers={"Accept": JSON}
    )
    assert bindings(empty) == []


def test_from_a_card_graph_in_the_query_is_allowed(client):
    query = SERVICES.replace("WHERE", f"FROM <{ID['card/18051569000']}> WHERE")
    rows = bindings(client.get("/sparql", params={"query": query}, headers={"Accept": JSON}))
    assert [r["service"] for r in rows] == [str(ID["service/18051569000"])]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "detail"),
    [
        ({"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "line 1, column"),
        ({"params": {"query": "SELECT * WHERE { ?s nope:p ?o }"}}, 400, "nope"),
        ({"params": {"format": "json"}}, 400, "missing the 'query'"),
        ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "exactly one"),
        ({"params": {"query": SERVICES}, "headers": {"Accept": "image/png"}}, 406, "image/png"),
        ({"params": {"query": CONSTRUCT}, "headers": {"Accept": "text/csv"}}, 406, "CONSTRUCT"),
        ({"params": {"query": SERVICES, "format": "ttl"}}, 406, "format"),
    ],
    ids=["syntax", "unknown-prefix", "no-query", "two-queries", "accept", "graph-csv", "format"],
)
def test_client_errors_are_problem_details(client, request_kwargs, status, detail):
    response = client.get("/sparql", **request_kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and detail in body["detail"]


def test_wrong_content_type_is_415(client):
    response = client.post(
        "/sparql", content=b"SELECT * {}", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert "application/sparql-query" in response.json()["detail"]


def test_browser_gets_the_query_editor(client):
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/static/sparql.js" in response.text
    script = client.get("/static/sparql.js").text
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write"):
        assert sink not in script
    assert "textContent" in script
    home = client.get("/")
    for link in ("/sparql", "/docs", "/viz"):
        assert f'href="{link}"' in home.text


def test_openapi_lists_the_resources(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/sparql",
        "/services",
        "/services/{id}",
        "/agencies",
        "/systems",
        "/cards",
        "/validate",
        "/queries",
        "/queries/{name}",
    ):
        assert path in paths
    assert json.dumps(paths)  # the schema serializes
