"""Fixtures of the store contract suite: one store per backend, servers per session.

``store`` is parametrized over the embedded store and the real servers of ``servers.py``;
the server backends carry the ``server`` mark and are skipped, with the reason, when the
server binary is not installed. Every test gets an empty store: the server stores are
cleared of servicegraph graphs before each test (the servers themselves live for the
session, so start-up is paid once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from graph.settings import Settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore
from graph.store.remote import RemoteStore
from tests.graph.store.servers import Server, ServerMissingError, oxigraph_server, virtuoso_server

BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("oxigraph", id="oxigraph", marks=pytest.mark.server),
    pytest.param("virtuoso", id="virtuoso", marks=pytest.mark.server),
]


def _serve(factory: Callable[[], AbstractContextManager[Server]]) -> Iterator[Server]:
    try:
        manager = factory()
        server = manager.__enter__()
    except ServerMissingError as exc:
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def oxigraph() -> Iterator[Server]:
    yield from _serve(oxigraph_server)


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[Server]:
    yield from _serve(virtuoso_server)


def remote_store(server: Server) -> RemoteStore:
    """A RemoteStore on ``server`` with no servicegraph graphs left from earlier tests."""
    store = RemoteStore.from_settings(Settings(store=server.url, **server.settings))
    for name in store.graph_names():
        store.delete_graph(name)
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "embedded":
        opened: Store = EmbeddedStore(None)
    else:
        opened = remote_store(request.getfixturevalue(request.param))
    try:
        yield opened
    finally:
        opened.close()
