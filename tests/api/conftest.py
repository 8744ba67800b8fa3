"""Fixtures of the API tests: stores ingested from the example cards, apps and a server.

The example store is ingested once per session and opened read-only by every app that has
no token (writes disabled), so the TestClient app, the short-timeout app and the uvicorn
server share it. Tests that write get their own store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.card import Card
from graph.ingest import ingest, ingest_card
from graph.settings import Settings
from graph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cards"
GOLD = ROOT.parent / "shared" / "gold"
TOKEN = "test-token-1b8f0c"


def ingest_examples(data_dir: Path, extra: list[Card] = ()) -> None:
    store = EmbeddedStore(data_dir)
    try:
        report = ingest([EXAMPLES], store, data_dir=data_dir)
        assert len(report.loaded) == 5, report.to_dict()
        for card in extra:
            ingest_card(card, card.to_json().encode(), store, data_dir=data_dir)
    finally:
        store.close()


def gold_card(name: str, **changes: object) -> Card:
    """A gold card from shared/gold with fields changed (a card the examples lack)."""
    data = json.loads((GOLD / name).read_text(encoding="utf-8"))
    return Card(**{**data, **changes})


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("examples")
    ingest_examples(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def example_store(example_dir: Path) -> Iterator[EmbeddedStore]:
    """The example store opened read-only in the test process (ground truth)."""
    store = EmbeddedStore(example_dir, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def settings(example_dir: Path) -> Settings:
    return Settings(data_dir=example_dir, query_workers=2, query_timeout=20)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
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
    ingest_examples(data_dir, extra)
    settings = Settings(data_dir=data_dir, token=TOKEN, query_workers=1, max_upload_bytes=200_000)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(example_dir: Path) -> Iterator[str]:
    """``servicegraph serve`` in a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "SERVICEGRAPH_DATA_DIR": str(example_dir)}
    env.pop("SERVICEGRAPH_TOKEN", None)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "servicegraph"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(base + "/queries", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
