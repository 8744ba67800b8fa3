"""RemoteStore against fake servers (httpx.MockTransport): the protocol edge cases.

Each fake answers the way a real server was seen to answer (Virtuoso 7.2 headers and ASK
quirk, Oxigraph's cut-short body on timeout), so the detection is tested without one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from graph.errors import QueryError, StoreError
from graph.settings import Settings
from graph.store.endpoints import endpoints_from_settings, parse_store_url
from graph.store.remote import STATE_GRAPH, RemoteStore
from graph.store.transport import Transport
from graph.testing import free_port
from ontology.namespace import ID

URL = "sparql+http://db.test:7878"
SELECT_JSON = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "literal", "value": str(i)}} for i in range(5)]},
}


def make_store(
    handler: Callable[[httpx.Request], httpx.Response], **settings: str
) -> tuple[RemoteStore, list[float]]:
    """A store whose HTTP goes to ``handler``; returns it and the list of back-off sleeps."""
    config = Settings(store=settings.pop("store", URL), **settings)
    sleeps: list[float] = []
    endpoints = endpoints_from_settings(config)
    transport = Transport(
        config,
        client=httpx.Client(transport=httpx.MockTransport(handler), auth=None),
        sleep=sleeps.append,
    )
    return RemoteStore(endpoints, transport, config), sleeps


def card() -> Graph:
    g = Graph()
    g.add((ID["service/1"], RDFS.label, Literal("خدمت", lang="fa")))
    return g


def json_response(data: object, **headers: str) -> httpx.Response:
    return httpx.Response(
        200,
        content=json.dumps(data).encode(),
        headers={"Content-Type": "application/sparql-results+json", **headers},
    )


# -- store URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sparql+http://h:7878/", ("oxigraph", "http://h:7878/query", "http://h:7878/store")),
        (
            "sparql+http://h:8890/sparql",
            ("virtuoso", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
        ),
        ("sparql+https://h/ds", ("fuseki", "https://h/ds/query", "https://h/ds/data")),
        (
            "sparql+http://h:7200/repositories/cards",
            (
                "graphdb",
                "http://h:7200/repositories/cards",
                "http://h:7200/repositories/cards/rdf-graphs/service",
            ),
        ),
        ("sparql+http://h/a/b/sparql-endpoint", ("generic", "http://h/a/b/sparql-endpoint", None)),
        ("sparql+http://h/x?flavor=fuseki", ("fuseki", "http://h/x/query", "http://h/x/data")),
        ("http://h/sparql", StoreError),
        ("sparql+http://h/x?flavor=blazegraph", StoreError),
    ],
    ids=[
        "oxigraph",
        "virtuoso",
        "fuseki",
        "graphdb",
        "generic",
        "flavor-param",
        "bad-scheme",
        "bad-flavor",
    ],
)
def test_store_url_layouts(url: str, expected: tuple | type[Exception]) -> None:
    if isinstance(expected, type):
        with pytest.raises(expected):
            parse_store_url(url)
        return
    e = parse_store_url(url)
    assert (e.flavor, e.query, e.gsp) == expected


def test_store_url_credentials_never_in_messages() -> None:
    e = parse_store_url("sparql+http://alice:s3cret@h:8890/sparql-auth")
    assert (e.user, e.password) == ("alice", "s3cret")
    assert "s3cret" not in e.query + e.update + (e.gsp or "")
    with pytest.raises(StoreError) as info:
        parse_store_url("sparql+http://alice:s3cret@h/x?flavor=nope")
    assert "s3cret" not in str(info.value)


def test_explicit_endpoint_settings_win() -> None:
    s = Settings(store="sparql+http://h:8890/sparql", update_url="http://other/update")
    e = endpoints_from_settings(s)
    assert (e.query, e.update) == ("http://h:8890/sparql", "http://other/update")


# -- retries ------------------------------------------------------------------------------


def test_query_retried_on_503_then_answers() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503) if len(calls) < 3 else json_response(SELECT_JSON)

    store, sleeps = make_store(handler)
    assert len(store.query("SELECT ?x WHERE { ?x ?p ?o }").rows) == 5
    assert len(calls) == 3 and sleeps == [0.25, 0.5]


def test_429_honours_retry_after() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}), json_response(SELECT_JSON)])
    store, sleeps = make_store(lambda request: next(answers))
    store.query("SELECT ?x WHERE { ?x ?p ?o }")
    assert sleeps == [7.0]


def test_client_errors_are_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(400, text="Virtuoso 37000 Error SP030: syntax error\nmore")

    store, _ = make_store(handler)
    with pytest.raises(QueryError, match=r"SP030: syntax error$"):
        store.query("SELECT ?x WHERE { ?x ?p ?o }")
    assert len(calls) == 1


def test_update_post_not_retried_after_it_was_sent() -> None:
    methods = []

    def handler(request: httpx.Request) -> httpx.Response:
        methods.append(request.method)
        if request.method == "GET" or request.url.path == "/query":
            return json_response({"head": {}, "boolean": False})
        if request.method == "PUT":
            return httpx.Response(405)  # no Graph Store: fall back to SPARQL Update
        return httpx.Response(502)

    store, _ = make_store(handler)
    with pytest.raises(StoreError, match="HTTP 502"):
        store.replace_graph(ID["card/x"], card())
    assert methods == ["PUT", "POST"]


def test_put_is_retried_on_502() -> None:
    puts = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            puts.append(request)
            return httpx.Response(502 if len(puts) == 1 else 204)
        return httpx.Response(204)

    store, _ = make_store(handler)
    store.replace_graph(ID["card/x"], card())
    assert len(puts) == 3  # the card (retried once) and the revision marker


def test_unreachable_store_is_one_line_naming_url() -> None:
    port = free_port()
    config = Settings(store=f"sparql+http://127.0.0.1:{port}", store_connect_timeout=1.0)
    store = RemoteStore.from_settings(config, sleep=lambda s: None)
    with pytest.raises(StoreError) as info:
        store.graph_names()
    message = str(info.value)
    assert message.startswith(f"cannot reach http://127.0.0.1:{port}/query: ")
    assert "\n" not in message


# -- Graph Store and the update fallback ---------------------------------------------------


def test_gsp_put_writes_card_and_marker() -> None:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.params["graph"], request.content))
        return httpx.Response(201)

    store, _ = make_store(handler)
    store.replace_graph(ID["card/x"], card())
    assert [(m, g) for m, g, _ in seen] == [("PUT", str(ID["card/x"])), ("PUT", str(STATE_GRAPH))]
    assert Graph().parse(data=seen[0][2], format="nt").isomorphic(card())
    assert store.has_gsp is True


def test_missing_gsp_detected_once_then_update_used() -> None:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if request.method == "PUT":
            return httpx.Response(404)
        update = parse_qs(request.content.decode())["update"][0]
        assert update.startswith(f"DROP SILENT GRAPH <{ID['card/x']}> ;\nINSERT DATA")
        assert f"DROP SILENT GRAPH <{STATE_GRAPH}>" in update
        return httpx.Response(200)

    store, _ = make_store(handler)
    store.replace_graph(ID["card/x"], card())
    store.replace_graph(ID["card/x"], card())
    assert seen == ["PUT", "POST", "POST"] and store.has_gsp is False


def test_write_refused_names_the_settings() -> None:
    store, _ = make_store(lambda request: httpx.Response(401))
    with pytest.raises(StoreError, match="check store_user"):
        store.replace_graph(ID["card/x"], card())


def test_graph_name_must_be_an_iri() -> None:
    store, _ = make_store(lambda request: httpx.Response(204))
    with pytest.raises(StoreError, match="not an absolute IRI"):
        store.replace_graph(ID["card/x> } ; DROP ALL ; #"], card())


# -- results cut short ---------------------------------------------------------------------


def test_virtuoso_max_rows_header_marks_truncated() -> None:
    store, _ = make_store(lambda request: json_response(SELECT_JSON, **{"X-SPARQL-MaxRows": "5"}))
    _, truncated = store.query_serialized(
        "SELECT ?x WHERE { ?x ?p ?o }", "application/sparql-results+json"
    )
    assert truncated


def test_virtuoso_anytime_timeout_marks_truncated() -> None:
    headers = {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}
    store, _ = make_store(lambda request: json_response(SELECT_JSON, **headers))
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?o }", timeout=1)
    assert result.truncated and "S1TAT" in (result.note or "")


def test_virtuoso_timeout_parameter_in_milliseconds() -> None:
    forms = []

    def handler(request: httpx.Request) -> httpx.Response:
        forms.append(parse_qs(request.content.decode()))
        return json_response(SELECT_JSON)

    store, _ = make_store(handler, store="sparql+http://h:8890/sparql")
    store.query("SELECT ?x WHERE { ?x ?p ?o }", timeout=2.5)
    assert forms[0]["timeout"] == ["2500"]


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        (
            "application/sparql-results+json",
            b'{"head":{"vars":["n"]},"results":{"bindings":['
            b"The SPARQL operation has been cancelled",
        ),
        ("text/csv", b"x\r\n1\r\n2The SPARQL operation has been cancelled"),
    ],
    ids=["json", "csv"],
)
def test_oxigraph_cut_short_body_is_an_error(media_type: str, body: bytes) -> None:
    store, _ = make_store(
        lambda request: httpx.Response(200, content=body, headers={"Content-Type": media_type})
    )
    with pytest.raises(QueryError, match=r"cut the result short.*cancelled") as info:
        store.query_serialized("SELECT ?x WHERE { ?x ?p ?o }", media_type)
    assert info.value.status_code == 504
    if media_type.endswith("json"):
        with pytest.raises(QueryError, match="cut the result short"):
            store.query("SELECT ?x WHERE { ?x ?p ?o }")


def test_virtuoso_ask_as_select_is_read_as_boolean() -> None:
    cell = {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    data = {
        "head": {"vars": ["__ASK_RETVAL"]},
        "results": {"bindings": [{"__ASK_RETVAL": {**cell, "value": "1"}}]},
    }
    store, _ = make_store(lambda request: json_response(data))
    result = store.query("ASK { ?s ?p ?o }")
    assert (result.kind, result.boolean) == ("ask", True)


def test_other_media_type_than_asked_is_refused() -> None:
    store, _ = make_store(
        lambda request: httpx.Response(200, content=b"{}", headers={"Content-Type": "text/html"})
    )
    with pytest.raises(QueryError, match="instead of text/csv") as info:
        store.query_serialized("SELECT ?x WHERE { ?x ?p ?o }", "text/csv")
    assert info.value.status_code == 406


# -- authentication -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "scheme"),
    [
        ({"store_user": "u", "store_password": "p", "store_auth": "basic"}, "Basic"),
        ({"store_user": "u", "store_password": "p", "store_auth": "digest"}, "Digest"),
        ({"store_token": "t0ken", "store_auth": "bearer"}, "Bearer"),
    ],
    ids=["basic", "digest", "bearer"],
)
def test_auth_schemes(settings: dict[str, str], scheme: str) -> None:
    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization", "")
        sent.append(auth.split(" ")[0])
        if not auth and scheme == "Digest":
            challenge = 'Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5"'
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        return json_response(SELECT_JSON)

    config = Settings(store=URL, **settings)
    store = RemoteStore.from_settings(config)
    store.transport.client._transport = httpx.MockTransport(handler)
    store.query("SELECT ?x WHERE { ?x ?p ?o }")
    assert sent[-1] == scheme
