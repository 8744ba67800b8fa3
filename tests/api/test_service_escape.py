"""SERVICE and LOAD never reach the network, however the query text is written.

The bug these tests are named for: the check ended a ``#`` comment at LF only, the engine
at CR too, so ``# x\\r SERVICE <http://127.0.0.1:P/> {...}`` passed the check and made the
server send a request to any address it could reach. Every test here runs the queries
against a real TCP listener on loopback and asserts that nothing connected to it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.isolation import isolate_network
from graph.errors import QueryError
from graph.sparql.guard import check_query
from graph.store.embedded import EmbeddedStore


class Listener:
    """A TCP server on loopback that records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    self.hits.append(conn.recv(200))
                except OSError:
                    self.hits.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _escape(listener: Listener, line_end: str) -> str:
    return (
        f"SELECT * WHERE {{ # x{line_end} SERVICE <http://127.0.0.1:{listener.port}/> "
        "{ ?s ?p ?o } }"
    )


def test_listener_sees_an_unchecked_service_call(listener):
    """The control: the engine itself does call out, so a silent listener means something."""
    before = len(listener.hits)
    with pytest.raises(OSError):
        list(ox.Store().query(_escape(listener, "\r")))
    assert len(listener.hits) == before + 1


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_service_after_cr_comment_refused_by_guard(listener, line_end):
    with pytest.raises(QueryError, match="SERVICE"):
        check_query(_escape(listener, line_end))


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_service_after_cr_comment_refused_by_embedded_store(listener, tmp_path, line_end):
    before = len(listener.hits)
    store = EmbeddedStore(tmp_path / "store")
    try:
        with pytest.raises(QueryError, match="SERVICE"):
            store.query(_escape(listener, line_end))
    finally:
        store.close()
    assert len(listener.hits) == before


@pytest.mark.parametrize("method", ["GET", "POST", "POST-direct"])
def test_service_after_cr_comment_refused_by_endpoint(client, listener, method):
    query = _escape(listener, "\r")
    before = len(listener.hits)
    if method == "GET":  # the CR travels as %0D
        response = client.get("/sparql", params={"query": query})
    elif method == "POST":
        response = client.post("/sparql", data={"query": query})
    else:
        response = client.post(
            "/sparql",
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.json()["detail"]
    assert len(listener.hits) == before


# --- property: no spelling of SERVICE or LOAD gets out ------------------------------------

# One triple, so that ?a ?b ?c matches and a pattern beside it (EXISTS) is evaluated.
ONE_TRIPLE = ox.Store()
ONE_TRIPLE.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))

LINE_ENDS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", " ", "\t"]
SPACES = [" ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u3000", ""]


def _keyword(word: str, style: int) -> str:
    if style == 0:
        return word
    if style == 1:
        return word.lower()
    if style == 2:
        return word[0] + word[1:].lower()
    return "".join(f"\\u{ord(c):04X}" if i == 1 else c for i, c in enumerate(word))


@st.composite
def hostile_queries(draw: st.DrawFn, port: int) -> str:
    keyword = _keyword(draw(st.sampled_from(["SERVICE", "LOAD"])), draw(st.integers(0, 3)))
    silent = draw(st.sampled_from(["", " SILENT", " silent"]))
    comment = draw(st.text(alphabet="ab #'\"\\<>{}", max_size=6))
    end = draw(st.sampled_from(LINE_ENDS))
    pre, post = draw(st.sampled_from(SPACES)), draw(st.sampled_from(SPACES))
    target = f"<http://127.0.0.1:{port}/>"
    body = f"{keyword}{silent}{post}{target}{pre}{{ ?s ?p ?o }}"
    shape = draw(st.integers(0, 3))
    if shape == 0:  # hidden after a comment
        return f"SELECT * WHERE {{{pre}#{comment}{end}{body} }}"
    if shape == 1:  # inside EXISTS
        return f"ASK {{ ?a ?b ?c FILTER EXISTS {{ #{comment}{end}{body} }} }}"
    if shape == 2:  # after a string literal holding a line end
        return f"SELECT * WHERE {{ BIND('{comment}' AS ?x){end}{body} }}"
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{{pre}#{comment}{end}{body} }}"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_spelling_of_service_or_load_reaches_a_listener(listener, data):
    """Whatever the check lets through is run by the engine exactly as checked, and must
    not open a connection; whatever the engine would run that calls out must be refused."""
    query = data.draw(hostile_queries(listener.port))
    before = len(listener.hits)
    try:
        checked = check_query(query)
    except QueryError:
        return
    try:
        result = ONE_TRIPLE.query(checked.text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
        del result  # pyoxigraph results must be dropped on the thread that made them
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass
    assert len(listener.hits) == before, f"a checked query called out: {query!r}"


# --- defence in depth: a query worker has no network --------------------------------------


def test_isolated_process_cannot_call_out_even_unchecked(listener):
    """The second wall: a process that isolated itself cannot reach the listener even with
    an unchecked SERVICE query run straight on pyoxigraph."""
    script = textwrap.dedent(
        f"""
        import sys
        import pyoxigraph as ox
        from api.isolation import isolate_network
        if not isolate_network():
            sys.exit(3)
        try:
            list(ox.Store().query({_escape(listener, chr(13))!r}))
        except OSError as exc:
            print("refused:", exc)
        """
    )
    before = len(listener.hits)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "refused" in done.stdout
    assert len(listener.hits) == before


def test_isolation_reports_failure_honestly_when_already_isolated():
    """isolate_network() in a child says True only when the network is really gone."""
    script = "from api.isolation import isolate_network, network_reachable\n"
    script += "print(network_reachable(), isolate_network(), network_reachable())"
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["True", "True", "False"], done.stderr
    assert callable(isolate_network)


def test_query_workers_over_the_embedded_store_run_without_network(settings):
    """The pool the server uses: every worker it starts reports that it is isolated."""
    import asyncio
    import concurrent.futures

    from api.pool import QueryPool

    async def start_and_look() -> list[bool]:
        pool = QueryPool(settings, size=2)
        await pool.start()
        try:
            return [worker.isolated for worker in pool.workers]
        finally:
            await pool.close()

    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # no loop of playwright's
        isolated = thread.submit(asyncio.run, start_and_look()).result()
    assert isolated == [True, True, True]  # two workers and the fast lane
