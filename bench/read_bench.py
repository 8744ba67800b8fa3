"""How well and how fast card files of every format are read, against their gold objects.

    .venv/bin/python bench/read_bench.py [CORPUS_DIR] [--rounds N]

Scores every file in CORPUS_DIR (default ``tests/data/corpus``, built by
``bench/corpus.py``) whose name starts with the stem of a card that has a gold object
(``tests/data/gold/<stem>.json``) or an expected object (``tests/data/cards/<stem>.expected.json``):
the CARD_SCHEMA.md score over all keys, next to the score of the same card's text version
(the file the corpus was built from), the difference, the mean per producer and font (the
part of the name after the stem: ``chromium-noto``, ``libreoffice-vazirmatn.pdf`` ...), and
the rate of born-digital PDF cards read and parsed per second of CPU on one core. Any format
``graph.readers`` reads is scored, so scans, .doc and .odt get rows as soon as the readers
take them; a file that cannot be read is listed with its error and scores 0.

Targets: mean >= 0.95 on the generated PDFs, no card more than 0.02 below its text version,
>= 5 PDF cards/s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graph" / "parser"))
sys.path.insert(0, str(ROOT / "bench"))

from card_scoring import score_card  # noqa: E402
from corpus import sources  # noqa: E402

from graph.card import Card  # noqa: E402
from graph.errors import CardError  # noqa: E402
from graph.parser import parse_text  # noqa: E402
from graph.readers import read_card  # noqa: E402

ALL_KEYS = tuple(k for k in Card.model_fields if k not in ("source", "warnings"))
GOLD = ROOT / "tests" / "data" / "gold"
FIXTURES = ROOT / "tests" / "data" / "cards"


def gold_of(stem: str) -> dict | None:
    for path in (GOLD / f"{stem}.json", FIXTURES / f"{stem}.expected.json"):
        if path.exists():
            return json.loads(path.read_text("utf-8"))
    return None


def score(path: Path, gold: dict) -> tuple[float, str]:
    """(mean score over all keys, error or '') of one card file."""
    try:
        card = parse_text(read_card(path, max_bytes=20 * 2**20), path.name).to_dict()
    except CardError as exc:
        return 0.0, exc.reason
    scores = score_card(card, gold, keys=ALL_KEYS)
    return sum(scores.values()) / len(scores), ""


def speed(pdfs: list[Path], rounds: int) -> float:
    """Born-digital PDF cards read and parsed per CPU second."""
    data = [(p.name, p.read_bytes()) for p in pdfs]
    from graph.readers import read_card_bytes

    started = time.process_time()
    for _ in range(rounds):
        for name, blob in data:
            parse_text(read_card_bytes(blob, name, max_bytes=20 * 2**20), name)
    return rounds * len(data) / (time.process_time() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "tests/data/corpus")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    texts = sources()
    base = {stem: score(path, gold_of(stem) or {})[0] for stem, path in texts.items()}
    groups: dict[str, list[float]] = defaultdict(list)
    worst = 0.0
    close = []  # for each PDF: within 0.02 of its text version
    print(f"{'file':58} {'score':>6} {'text':>6} {'diff':>6}")
    for path in sorted(args.corpus.iterdir()):
        stem, _, kind = path.name.partition(".")
        gold = gold_of(stem)
        if gold is None:
            continue
        value, error = score(path, gold)
        diff = value - base.get(stem, value)
        if path.suffix == ".pdf":
            worst = min(worst, diff)
            close.append(diff >= -0.02)
        groups[kind].append(value)
        note = f"  ! {error}" if error else ""
        print(f"{path.name:58} {value:6.3f} {base.get(stem, 0):6.3f} {diff:+6.3f}{note}")
    print()
    for kind, values in sorted(groups.items()):
        print(f"mean {kind:40} {statistics.mean(values):.3f}  ({len(values)} cards)")
    pdf_scores = [v for k, vs in groups.items() if k.endswith(".pdf") for v in vs]
    if pdf_scores:
        print(
            f"mean of all generated PDFs {statistics.mean(pdf_scores):.3f}; {sum(close)}/"
            f"{len(close)} within 0.02 of their text version; worst {worst:+.3f}"
        )
    pdfs = sorted(args.corpus.glob("*.pdf"))
    if pdfs:
        print(f"speed: {speed(pdfs, args.rounds):.1f} born-digital PDF cards/s (one core, CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
