"""Ingest throughput: the five example cards copied to N distinct cards, end to end.

Each copy gets its own service id and title (so each is a distinct named graph), then
``graph.ingest.ingest`` runs parse + resolve + build + validate + load into a fresh
on-disk embedded store. Prints cards/s overall and the time per stage.

    .venv/bin/python bench/ingest_bench.py            # 1,000 cards
    .venv/bin/python bench/ingest_bench.py --cards 200 --batch 1
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from graph.ingest import ingest
from graph.parser import parse_file
from graph.store.embedded import EmbeddedStore
from graph.text import normalize

ROOT = Path(__file__).resolve().parents[1]
STAGES = {
    "parse": "graph/parser",
    "read": "graph/readers",
    "resolve": "graph/resolve.py",
    "build": "graph/build.py",
    "validate": "shapes/__init__.py",
    "store": "graph/store/embedded.py",
}


def make_copies(folder: Path, count: int) -> int:
    """Write ``count`` distinct card files; returns how many distinct services they hold."""
    examples = sorted((ROOT / "examples" / "cards").glob("*.txt"))
    cards = [(p, parse_file(p)) for p in examples]
    for n in range(count):
        path, card = cards[n % len(cards)]
        text = path.read_text(encoding="utf-8")
        if card.service_id:
            new_id = f"{9_000_000_000 + n:010d}"
            text = text.replace(card.service_id, new_id)
        if card.title:  # the title line as written may differ from the normalized title
            lines = text.split("\n")
            hit = next(i for i, line in enumerate(lines) if card.title in normalize(line))
            lines[hit] = f"{lines[hit].rstrip()} {n}"
            text = "\n".join(lines)
        (folder / f"{n:05d}_{path.name}").write_text(text, encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=32, help="cards per store transaction")
    parser.add_argument("--profile", action="store_true", help="print the time per stage")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, data = Path(tmp) / "cards", Path(tmp) / "data"
        folder.mkdir()
        make_copies(folder, args.cards)
        store = EmbeddedStore(data)
        profiler = cProfile.Profile() if args.profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = ingest([folder], store, data_dir=data, batch_size=args.batch)
        if profiler:
            profiler.disable()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        graphs = len(store.graph_names()) - 1  # minus the register
        print(f"cards: {len(report.loaded)} loaded, {len(report.failed)} failed, {graphs} graphs")
        print(f"triples: {store.triple_count():,}")
        n = len(report.cards)
        print(f"wall: {elapsed:.2f} s -> {n / elapsed:.1f} cards/s (batch {args.batch})")
        print(f"cpu:  {cpu:.2f} s -> {n / cpu:.1f} cards/s per core (machine shared: see wall)")
        if profiler:
            stats = pstats.Stats(profiler)
            for stage, where in STAGES.items():
                total = max((v[3] for k, v in stats.stats.items() if where in k[0]), default=0.0)
                print(f"  {stage:9s} {total:6.2f} s (largest cumulative call inside {where})")
        store.close()


if __name__ == "__main__":
    main()
