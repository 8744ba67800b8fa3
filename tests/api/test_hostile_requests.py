"""The smaller findings of the security review, each with a test named for it."""

from __future__ import annotations

import csv
import http.client
import io
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from api.headers import CONTENT_SECURITY_POLICY
from api.results import spreadsheet_safe_csv
from graph.analysis.formats import csv_text

TOKEN = "test-token-1b8f0c"  # the token of the `writable` fixture (conftest.py)

NESTED = "SELECT * WHERE " + "{" * 2000 + " ?s ?p ?o " + "}" * 2000


def test_deeply_nested_groups_are_400_not_500(client):
    for response in (
        client.get("/sparql", params={"query": NESTED}),
        client.post("/sparql", data={"query": NESTED}),
    ):
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "nested too deeply" in response.json()["detail"]


def _get(base: str, target: str) -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_long_get_query_answers_413_instead_of_resetting(server):
    """A GET query past the text limit reaches the endpoint (the HTTP parser's line limit
    fits any query the endpoint accepts) and gets a problem answer, not a reset."""
    query = "ASK { ?s ?p ?o } #" + "x" * 70_000  # over the 64 KiB default
    status, body = _get(server, "/sparql?query=" + quote(query))
    assert status == 413
    assert b"larger than the limit" in body
    ok, _ = _get(server, "/sparql?query=" + quote("ASK { ?s ?p ?o } #" + "x" * 20_000))
    assert ok == 200


def test_one_megabyte_get_query_answers_413_or_414_problem(server):
    """The issue's own case: a 1 MB GET query (bench/hostile_bench.py sends it)."""
    host, port = server.removeprefix("http://").split(":")
    target = "/sparql?query=" + quote("ASK { ?s ?p ?o } #" + "x" * 2**20)
    answer = b""
    try:
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            while len(answer) < 65536 and (chunk := sock.recv(65536)):
                answer += chunk
    except OSError:  # a reset after (or instead of) the status line
        pass
    assert answer.split(b" ", 2)[1:2] in ([b"413"], [b"414"]), answer[:200]
    assert b"application/problem+json" in answer


def test_delete_card_with_a_backslash_key_is_a_400_problem(writable):
    response = writable.delete("/cards/..%5Cx", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "not a card key" in response.json()["detail"]


def test_pages_send_csp_and_nosniff(client):
    for path, accept in (("/", "text/html"), ("/sparql", "text/html"), ("/docs", "text/html")):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
    answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in answer.headers  # not a page


def test_editor_links_only_web_iris(server, browser):
    """A ``javascript:`` IRI in a result must not become a clickable link in the editor;
    an https IRI still does. Run in Chromium against ``servicegraph serve``."""
    query = (
        "SELECT ?iri WHERE { VALUES ?iri { <javascript:alert(document.domain)> "
        "<https://w3id.org/servicegraph/ref/system/shahkar> } }"
    )
    page = browser.new_page()
    try:
        page.goto(server + "/sparql", wait_until="domcontentloaded")
        page.fill("#query", query)
        page.click("#query-form button[type=submit]")
        page.wait_for_selector("#results tbody tr:nth-child(2)")
        hrefs = page.eval_on_selector_all("#results a", "links => links.map(a => a.href)")
        cells = page.eval_on_selector_all("#results tbody td", "tds => tds.map(t => t.textContent)")
    finally:
        page.close()
    assert "javascript:alert(document.domain)" in cells
    assert hrefs == ["https://w3id.org/servicegraph/ref/system/shahkar"]


def test_csv_cells_starting_with_formula_characters_are_neutralised():
    text = csv_text(["title"], [['=HYPERLINK("http://x")'], ["+1+2"], ["@SUM(A1)"], ["-3"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["title"], ['\'=HYPERLINK("http://x")'], ["'+1+2"], ["'@SUM(A1)"], ["-3"]]
    sparql_csv = "x,y\r\n=1+2,سلام\r\n".encode()
    assert spreadsheet_safe_csv(sparql_csv).decode() == "x,y\n'=1+2,سلام\n"


def test_cli_query_csv_is_spreadsheet_safe(example_data_dir):
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "servicegraph"),
            "--data-dir",
            str(example_data_dir),
            "query",
            "--sparql",
            "SELECT ?x WHERE { BIND('=cmd|calc' AS ?x) }",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["x", "'=cmd|calc"]


def test_unexpected_errors_answer_problem_json_without_internals(settings):
    """A defect in a handler answers 500 as problem+json, not a plain-text traceback."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(settings)  # its own app: the lifespan (store, workers) is not started

    @app.get("/__boom", include_in_schema=False)
    def boom() -> None:
        raise KeyError("secret internals")

    response = TestClient(app, raise_server_exceptions=False).get("/__boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text


def test_anonymous_validation_is_rate_limited_per_client(example_data_dir):
    """Finding 3: unauthenticated validation was unbounded; now each address gets
    ``validate_per_minute`` a minute (429 + Retry-After after that); the token lifts it."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.settings import Settings

    settings = Settings(
        data_dir=example_data_dir, token=TOKEN, query_workers=1, validate_per_minute=2
    )
    card = (Path(__file__).resolve().parents[2] / "examples" / "cards").glob("*.txt")
    upload = {"file": ("card.txt", next(iter(sorted(card))).read_bytes())}
    with TestClient(create_app(settings)) as http:
        statuses = [http.post("/validate", files=upload).status_code for _ in range(3)]
        refused = http.post("/validate", files=upload)
        with_token = http.post(
            "/validate", files=upload, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "2 a minute" in refused.json()["detail"]
    assert with_token.status_code == 200


def test_large_sparql_answer_is_streamed_from_a_file_already_unlinked(client):
    """Finding 4: an unread answer was held whole in the server. A large one is now streamed
    from a spooled file that is unlinked as soon as the response opens it."""
    pool = client.app.state.pool
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(17))
    query = f'CONSTRUCT {{ <urn:x> <urn:y> ?v17 }} WHERE {{ BIND("0123456789" AS ?v0) {binds} }}'
    with client.stream(
        "POST", "/sparql", data={"query": query}, headers={"Accept": "application/n-triples"}
    ) as response:
        assert response.status_code == 200, response.read()
        chunks = response.iter_bytes()
        first = next(chunks)
        assert os.listdir(pool.spool_dir) == []  # nothing left on disk once it is open
        rest = list(chunks)
        body = first + b"".join(rest)
    assert rest and len(first) <= 64 * 1024  # sent in chunks as the client reads, not whole
    assert int(response.headers["content-length"]) == len(body) > 1024 * 1024
    assert body.count(b"0123456789") == 2**17
