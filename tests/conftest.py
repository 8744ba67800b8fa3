"""Session fixtures every test package shares: the example cards ingested once.

``example_data_dir`` is a data directory whose embedded store holds the five example cards
(``examples/cards``), ingested once per session by :func:`graph.testing.ingest_examples`.
It is shared: open it read-only (``example_store``), or copy it (``shutil.copytree``) to
change it. ``example_graph`` is its dependency projection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.sources import dependency_graph
from graph.store.embedded import EmbeddedStore
from graph.testing import CHROMIUM, CHROMIUM_ARGS, ingest_examples

# --doctest-modules would import the conftest files as test modules all named "conftest",
# which clash as soon as two test folders are collected together; they hold no doctests.
collect_ignore_glob = ["conftest.py", "*/conftest.py", "*/*/conftest.py"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI (``CI=true``) a skipped test fails: CI installs every binary the tests need
    (``.ci/setup-system.sh``), so a skip there is a gap in the set-up, not a pass."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may skip: {reason}"


@pytest.fixture(scope="session")
def example_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the example cards, ingested once per session."""
    data_dir = tmp_path_factory.mktemp("examples") / "data"
    report = ingest_examples(data_dir)
    assert len(report.loaded) == 5, report.to_dict()
    return data_dir


@pytest.fixture(scope="session")
def example_store(example_data_dir: Path) -> Iterator[EmbeddedStore]:
    """The example store opened read-only in the test process (ground truth)."""
    store = EmbeddedStore(example_data_dir, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def example_graph(example_store: EmbeddedStore) -> nx.MultiDiGraph:
    """The dependency projection of the example cards (shared: do not change it)."""
    return dependency_graph(example_store)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (run: bash .ci/setup-system.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
