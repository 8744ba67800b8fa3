"""Fixtures of the API tests: apps and a server on the example store.

The example store (``example_data_dir``, ``example_store``: ``tests/conftest.py``) is
ingested once per session and opened read-only by every app that has no token (writes
disabled), so the TestClient app, the short-timeout app and the uvicorn server share it.
Tests that write get their own copy.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.card import Card
from graph.ingest import ingest_card
from graph.settings import Settings
from graph.store.embedded import EmbeddedStore
from graph.testing import serve

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold"
TOKEN = "test-token-1b8f0c"


def gold_card(name: str, **changes: object) -> Card:
    """A gold card from tests/data/gold with fields changed (a card the examples lack)."""
    data = json.loads((GOLD / name).read_text(encoding="utf-8"))
    return Card(**{**data, **changes})


@pytest.fixture(scope="session")
def settings(example_data_dir: Path) -> Settings:
    return Settings(data_dir=example_data_dir, query_workers=2, query_timeout=20)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def writable(
    example_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """An app with a token on its own store, which also holds two cards the examples lack:
    one with a non-electronic inquiry and one with a SHACL violation."""
    data_dir = tmp_path_factory.mktemp("writable")
    extra = [
        gold_card(
            "003_470926eedf9b2a55.json",
            source="non_electronic.txt",
            service_id="9990000001",
            external_exchanges=[
                {
                    "agency": "سازمان ثبت احوال کشور",
                    "system": None,
                    "fields": ["شماره تلفن همراه"],
                    "inquiry": "non_electronic",
                    "fee": None,
                }
            ],
            internal_exchanges=[],
        ),
        gold_card(
            "002_0d3b341d9a24ee21.json",
            source="negative.txt",
            service_id="9990000002",
            recipients={"count": -5, "period": "year"},
        ),
    ]
    shutil.copytree(example_data_dir, data_dir, dirs_exist_ok=True)
    store = EmbeddedStore(data_dir)
    try:
        for card in extra:
            ingest_card(card, card.to_json().encode(), store, data_dir=data_dir)
    finally:
        store.close()
    settings = Settings(data_dir=data_dir, token=TOKEN, query_workers=1, max_upload_bytes=200_000)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def server(example_data_dir: Path) -> Iterator[str]:
    """``servicegraph serve`` in a subprocess on a free loopback port; yields its base URL."""
    with serve(example_data_dir) as running:
        yield running.url
