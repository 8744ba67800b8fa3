"""Figures of the OCR reader on scanned copies of the example cards.

For every example card: its scan (``bench/scan.py``: Chromium print, 150 dpi grey, skewed,
noisy, image-only PDF) is read by ``graph.readers.scan.ocr_pdf`` and parsed, and the card is
scored against its gold (CARD_SCHEMA.md method, ``tests/graph/parser/card_scoring.py``) on
the header keys (title, service_id, agency, parent_agency, service_types), on the eight
headline keys and on all gold keys; OCR speed in pages per second of one process.

    python bench/scan_bench.py [--pages N] [--scans DIR]

``--pages N`` reads the first N pages of each card only (the header keys are on page 1);
scans are made once into DIR (default ``build/scans``) and reused.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests" / "graph" / "parser")]

from card_scoring import HEADLINE, score_card  # noqa: E402
from scan import scan_card  # noqa: E402

from graph.parser import parse_text  # noqa: E402
from graph.readers.scan import ocr_pdf  # noqa: E402
from graph.testing import EXAMPLES  # noqa: E402

HEADER = ("title", "service_id", "agency", "parent_agency", "service_types")
GOLD = ROOT / "tests" / "data" / "gold"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--scans", type=Path, default=ROOT / "build" / "scans")
    args = parser.parse_args(argv)
    args.scans.mkdir(parents=True, exist_ok=True)
    print("card\tpages\theader\theadline\tall keys\tpages/s\tconfidence")
    sums = [0.0, 0.0, 0.0]
    total_pages = total_seconds = 0.0
    cards = sorted(EXAMPLES.glob("*.txt"))
    for seed, card in enumerate(cards):
        suffix = f".p{args.pages}" if args.pages else ""
        scan = args.scans / f"{card.stem}{suffix}.scan.pdf"
        if not scan.exists():
            scan.write_bytes(scan_card(card.read_text(encoding="utf-8"), seed, args.pages))
        data = scan.read_bytes()
        pages = len(pdfium.PdfDocument(data))
        start = time.perf_counter()
        text = ocr_pdf(data, scan.name)
        seconds = time.perf_counter() - start
        got = parse_text(text, scan.name).to_dict()
        gold = json.loads((GOLD / f"{card.stem}.json").read_text(encoding="utf-8"))
        scores = [score_card(got, gold, keys) for keys in (HEADER, HEADLINE, tuple(gold))]
        means = [sum(s.values()) / len(s) for s in scores]
        sums = [a + b for a, b in zip(sums, means, strict=True)]
        total_pages += pages
        total_seconds += seconds
        confidence = [w.split("confidence ")[1].split(";")[0] for w in text.warnings if "conf" in w]
        missed = [k for k, v in scores[0].items() if v < 1]
        print(
            f"{card.stem}\t{pages}\t{means[0]:.2f}\t{means[1]:.2f}\t{means[2]:.2f}\t"
            f"{pages / seconds:.2f}\t{','.join(confidence)}"
            + (f"\t(header misses: {', '.join(missed)})" if missed else "")
        )
    n = len(cards)
    print(
        f"mean\t{total_pages:.0f}\t{sums[0] / n:.2f}\t{sums[1] / n:.2f}\t{sums[2] / n:.2f}\t"
        f"{total_pages / total_seconds:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
