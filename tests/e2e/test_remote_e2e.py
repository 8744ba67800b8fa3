"""End to end on real servers: ingest the example cards into Oxigraph server and Virtuoso,
run the query catalogue and an impact analysis, and get the embedded store's answers.

The servers come from ``tests/graph/store/servers.py`` (loaded by path, as ``tests`` is
not a package); they are skipped with the reason when not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.term import Node

from graph.settings import Settings
from graph.store.base import Store
from graph.store.remote import RemoteStore
from tests.graph.store import servers

ROOT = Path(__file__).parents[2]


def _ingested(store: Store, data_dir: Path) -> Store:
    from graph.ingest import ingest
    from graph.testing import EXAMPLES

    report = ingest([EXAMPLES], store, data_dir=data_dir)
    assert [c.error for c in report.cards if c.error] == []
    assert sum(c.loaded for c in report.cards) == len(list(EXAMPLES.iterdir()))
    return store


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    factory = {"oxigraph": servers.oxigraph_server, "virtuoso": servers.virtuoso_server}
    try:
        manager = factory[request.param]()
        server = manager.__enter__()
    except servers.ServerMissingError as exc:
        pytest.skip(str(exc))
    try:
        store = RemoteStore.from_settings(Settings(store=server.url, **server.settings))
        yield _ingested(store, tmp_path_factory.mktemp(request.param))
        store.close()
    finally:
        manager.__exit__(None, None, None)


def _canonical(value: Node | None) -> str:
    """A comparable form of a result term. GROUP_CONCAT joins in engine order, so the
    ``" | "``-joined lists of the catalogue are compared as sorted parts."""
    if isinstance(value, Literal) and " | " in value:
        return " | ".join(sorted(str(value).split(" | ")))
    return "" if value is None else value.n3()


def _rows(store: Store, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql)
    assert not result.truncated, result.note
    rows = [tuple(_canonical(v) for v in row) for row in result.rows]
    if "SAMPLE(" in sparql.upper():
        # SAMPLE picks any value of a group, and engines pick differently: only the group
        # keys (first column) and the row count are comparable
        rows = [row[:1] for row in rows]
    return sorted(rows)


pytestmark = pytest.mark.server


def test_catalogue_queries_agree(example_store: Store, remote: Store) -> None:
    from graph.sparql.catalogue import catalogue

    queries = catalogue()
    assert queries, "the query catalogue is empty"
    answered = 0
    for name, query in sorted(queries.items()):
        sparql = query.render()
        expected = _rows(example_store, sparql)
        assert _rows(remote, sparql) == expected, name
        answered += bool(expected)
    assert answered >= len(queries) // 2  # most catalogue queries answer on the examples


def test_impact_analysis_agrees(example_store: Store, remote: Store) -> None:
    from graph.analysis.impact import impact
    from graph.analysis.sources import dependency_graph

    local, there = dependency_graph(example_store), dependency_graph(remote)
    assert sorted(local.nodes) == sorted(there.nodes)
    assert sorted(local.edges(keys=True)) == sorted(there.edges(keys=True))
    systems = [n for n, kind in local.nodes(data="kind") if kind == "system"]
    assert systems
    # the system most services depend on: the question the project exists to answer
    target = max(systems, key=lambda n: (local.in_degree(n), n))
    expected = impact(local, [target]).to_dict()
    assert expected["services"]
    assert impact(there, [target]).to_dict() == expected
