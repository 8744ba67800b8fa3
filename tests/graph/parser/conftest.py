from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CARDS = ROOT / "examples" / "cards"
GOLD = ROOT / "tests" / "data" / "gold"
FIXTURES = ROOT / "tests" / "data" / "cards"


@pytest.fixture(scope="session")
def parsed() -> dict[str, dict]:
    from graph.parser import parse_text

    return {
        p.stem: parse_text(p.read_text(encoding="utf-8"), p.name).to_dict()
        for p in sorted(CARDS.glob("*.txt"))
    }


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}
