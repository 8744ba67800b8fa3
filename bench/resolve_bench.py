"""Name-resolution throughput: 5,000 cards' worth of the gold cards' names.

With ``--unique`` each card also carries two names the register does not know, which
exercises the fuzzy pass (the slow path). Prints load time and microseconds per name.

    .venv/bin/python bench/resolve_bench.py [--unique]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from graph.resolve import Resolver

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold"


def main(unique: bool) -> None:
    t0 = time.perf_counter()
    resolver = Resolver.default()
    load = time.perf_counter() - t0
    cards = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    t = time.perf_counter()
    names = 0
    for i in range(5000):
        card = cards[i % len(cards)]
        resolver.agency(card["agency"], context=card["parent_agency"])
        resolver.agency(card["parent_agency"])
        names += 2
        for row in card["internal_exchanges"]:
            resolver.system(row["system"], agency=card["agency"])
            names += 1 + len(row["fields"])
            for field in row["fields"]:
                resolver.field(field)
        for row in card["external_exchanges"]:
            resolver.agency(row["agency"])
            resolver.system(row["system"], agency=row["agency"])
            names += 2 + len(row["fields"])
            for field in row["fields"]:
                resolver.field(field)
        if unique:
            resolver.agency(f"اداره کل نمونه شماره {i}")
            resolver.system(f"سامانه آزمایشی شماره {i}")
            names += 2
    elapsed = time.perf_counter() - t
    print(
        f"register load + index: {load:.2f} s; 5000 cards, {names} names: {elapsed:.2f} s "
        f"({elapsed / names * 1e6:.1f} us/name)"
    )


if __name__ == "__main__":
    main("--unique" in sys.argv)
