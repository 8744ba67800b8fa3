"""Ingest throughput: N distinct cards, end to end, into a fresh on-disk embedded store.

The cards are the five examples copied to N (each copy with its own service id and title,
so each is a distinct named graph), or with ``--synth`` a seeded synthetic corpus
(:mod:`graph.synth`, the national-scale input). ``graph.ingest.ingest`` runs parse +
resolve + build + per-card SHACL + load with ``--jobs`` worker processes. Prints cards/s
by the clock and by CPU time (this process plus its workers: on a shared machine the clock
depends on the neighbours, CPU time much less), and with ``--profile`` the time per stage
(the profile runs the ingest in-process, ``--jobs 1``, so that every stage is seen).

    .venv/bin/python bench/ingest_bench.py                     # 1,000 example copies
    .venv/bin/python bench/ingest_bench.py --synth --cards 5000
    .venv/bin/python bench/ingest_bench.py --cards 200 --batch 1 --jobs 1 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import tempfile
import time
from pathlib import Path

from graph.ingest import ingest
from graph.parser import parse_file
from graph.pool import default_jobs
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


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the ingest workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--synth", action="store_true", help="a synthetic corpus (seed 0)")
    parser.add_argument("--batch", type=int, default=32, help="cards per store transaction")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes")
    parser.add_argument("--profile", action="store_true", help="print the time per stage")
    args = parser.parse_args()
    jobs = 1 if args.profile else (args.jobs or default_jobs())
    with tempfile.TemporaryDirectory() as tmp:
        folder, data = Path(tmp) / "cards", Path(tmp) / "data"
        folder.mkdir()
        if args.synth:
            from graph.synth import write_corpus

            write_corpus(args.cards, folder, seed=0)
        else:
            make_copies(folder, args.cards)
        store = EmbeddedStore(data)
        profiler = cProfile.Profile() if args.profile else None
        start, (own, kids) = time.perf_counter(), _cpu()
        if profiler:
            profiler.enable()
        report = ingest([folder], store, data_dir=data, batch_size=args.batch, jobs=jobs)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - start
        own_end, kids_end = _cpu()
        own, kids = own_end - own, kids_end - kids
        graphs = len(store.graph_names()) - 1  # minus the register
        print(f"cards: {len(report.loaded)} loaded, {len(report.failed)} failed, {graphs} graphs")
        print(f"triples: {store.triple_count():,}")
        n = len(report.cards)
        print(
            f"wall: {elapsed:.2f} s -> {n / elapsed:.1f} cards/s (batch {args.batch}, jobs {jobs})"
        )
        print(
            f"cpu:  {own + kids:.2f} s -> {1000 * (own + kids) / n:.1f} ms/card "
            f"(writer {1000 * own / n:.1f}, workers {1000 * kids / n:.1f}); "
            f"{n / (own + kids):.1f} cards per CPU-second"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            for stage, where in STAGES.items():
                total = max((v[3] for k, v in stats.stats.items() if where in k[0]), default=0.0)
                print(f"  {stage:9s} {total:6.2f} s (largest cumulative call inside {where})")
        store.close()


if __name__ == "__main__":
    main()
