"""Fixtures of the visualization tests: a store with the example cards, its projection,
a live server (the headless Chromium is ``tests/conftest.py``'s ``browser``).

The store is a copy of the session's example store (``tests/conftest.py``) plus one card
derived from card 003 whose internal system is named ``<img src=x onerror=alert(1)>`` and
whose service ID and title differ, so the hostile name reaches the views exactly as a typed
card would bring it.
"""

from __future__ import annotations

import html
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.sources import dependency_graph
from graph.ingest import ingest
from graph.settings import Settings
from graph.store.base import REFERENCE_GRAPH
from graph.store.embedded import EmbeddedStore
from graph.testing import EXAMPLES, free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SERVICE_ID = "1001176999"


def _hostile_card(folder: Path) -> Path:
    text = (EXAMPLES / "003_470926eedf9b2a55.txt").read_text("utf-8")
    for old, new in (
        # Written as entities, the way an HTML card carries it; the reader decodes them.
        ("سامانه کارمند ایران", html.escape(HOSTILE)),
        ("۱۰۰۱۱۷۶۰۰۰", "۱۰۰۱۱۷۶۹۹۹"),
        ("ارزیابی عملکرد سالانه دستگاههای اجرایی استان", "آزمون نام خطرناک سامانه"),
    ):
        assert old in text, f"card 003 no longer contains {old!r}"
        text = text.replace(old, new)
    path = folder / "005_hostile_system_name.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def data_dir(example_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose embedded store holds the example cards and the hostile card."""
    root = tmp_path_factory.mktemp("viz-data")
    shutil.copytree(example_data_dir, root, dirs_exist_ok=True)
    cards = root / "cards"
    cards.mkdir()
    store = EmbeddedStore(root)
    try:
        report = ingest([_hostile_card(cards)], store, data_dir=root)
        card_graphs = [g for g in store.graph_names() if g != REFERENCE_GRAPH]
    finally:
        store.close()
    assert not report.failed, [c.error for c in report.failed]
    assert len(card_graphs) == 6, card_graphs
    return root


@pytest.fixture(scope="session")
def G(data_dir: Path) -> nx.MultiDiGraph:
    """The dependency projection of the example cards (read-only, shared)."""
    store = EmbeddedStore(data_dir, read_only=True)
    try:
        return dependency_graph(store)
    finally:
        store.close()


@pytest.fixture(scope="session")
def server(data_dir: Path, G: nx.MultiDiGraph) -> Iterator[str]:
    """``create_app`` served by uvicorn on a free loopback port; yields the base URL."""
    import uvicorn

    from api.app import create_app

    port = free_port()
    settings = Settings(data_dir=data_dir, host="127.0.0.1", port=port, query_workers=1)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the API server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
