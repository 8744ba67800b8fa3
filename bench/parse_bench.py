"""How many cards per second the parser reads on one core (target: >= 200 cards/s).

    .venv/bin/python bench/parse_bench.py [ROUNDS]

Reads the bundled examples once (file reading is not timed), then parses them ROUNDS
times (default 40) and prints the rate. The parser's memos live for one card only
(``graph.parser.labels.forget`` runs at the start of every parse), so parsing the same five
cards again does not flatter the figure. CPU time counts other processes' pressure on a
shared machine (caches, hyper-threads): compare figures taken under the same load.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from graph.parser import parse_text
from graph.readers import read_card

CARDS = Path(__file__).resolve().parents[1] / "examples" / "cards"


def main(rounds: int = 40) -> float:
    texts = [(p.name, read_card(p)) for p in sorted(CARDS.glob("*.txt"))]
    for name, text in texts:  # warm caches (compiled label vocabulary)
        parse_text(text, name)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for name, text in texts:
            parse_text(text, name)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = rounds * len(texts)
    # CPU time is the figure to compare: the wall clock also counts other processes.
    print(f"parsed {n} cards: {n / cpu:.0f} cards/s of CPU time, {n / wall:.0f} cards/s wall")
    return n / cpu


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
