"""Every figure of reading card files, from one command (issue 14's "Figures").

    .venv/bin/python bench/cards_bench.py [--quick]

Runs, each in its own process so one's memory and caches do not colour the next:

1. ``read_bench.py``: born-digital PDFs (Chromium and LibreOffice, two Persian fonts) and
   the .docx/.doc/.odt they came from, scored against gold and against the same card's text
   version; PDF cards per second.
2. ``scan_bench.py``: scanned copies (150 dpi grey, skewed, noisy, image-only PDF) read by
   OCR: header keys, headline keys, all keys; OCR pages per second (``--quick``: page 1 only).
3. ``layout_scores.py``: every hand-made layout fixture and bundled card, all keys.
4. ``parse_bench.py``: text cards per second on one core.

It exits non-zero when any part does (a part that checks its own targets fails on a miss).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="OCR of page 1 of each card only")
    args = parser.parse_args()
    parts = [
        ("PDF, .docx, .doc and .odt files", ["read_bench.py"]),
        ("Scanned cards (OCR)", ["scan_bench.py", *(["--pages", "1"] if args.quick else [])]),
        ("Layout fixtures and bundled cards", ["layout_scores.py"]),
        ("Text cards: parser speed", ["parse_bench.py"]),
    ]
    failed = []
    for title, command in parts:
        print(f"\n== {title} ({' '.join(command)})", flush=True)
        done = subprocess.run([sys.executable, str(BENCH / command[0]), *command[1:]])
        if done.returncode:
            failed.append(command[0])
    if failed:
        print(f"\nparts that failed or missed a target: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
