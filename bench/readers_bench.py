"""Figures of the card readers: legacy Word conversion, and what hostile files cost.

    .venv/bin/python bench/readers_bench.py [--no-server]

1. Conversion of the .doc/.odt/.rtf fixtures (``tests/data/word``) by LibreOffice: seconds
   per file converted alone (a fresh LibreOffice and profile each) and in one batch run;
   the extraction score (CARD_SCHEMA.md method, all keys) of each converted card against
   the example card's gold, beside the .docx it came from; and the lighter converters
   a user might reach for instead (odfpy's text for .odt; antiword/catdoc for .doc when
   installed), scored the same way.
2. Hostile inputs, each read by ``read_card`` in a fresh interpreter: size on disk, peak
   RSS (imports included), seconds, and the one line it ends with.
3. Unless ``--no-server``: six parallel ``POST /validate`` of zip bombs against
   ``servicegraph serve`` on loopback, with the server's RSS before, peak and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graph" / "parser"))

from card_scoring import score_card  # noqa: E402

from graph import hostile  # noqa: E402
from graph.parser import parse_text  # noqa: E402
from graph.readers import read_card  # noqa: E402
from graph.readers.convert import convert_files, to_docx  # noqa: E402
from graph.readers.wordml import docx_text  # noqa: E402

WORD = ROOT / "tests" / "data" / "word"
GOLD = ROOT / "tests" / "data" / "gold"
EXAMPLES = {"card_002": "002_0d3b341d9a24ee21", "card_004": "004_2c19728045f68b20"}
ALL_KEYS = tuple(json.loads((GOLD / f"{EXAMPLES['card_002']}.json").read_text("utf-8")))


def _score(text: str, stem: str) -> float:
    gold = json.loads((GOLD / f"{EXAMPLES[stem]}.json").read_text("utf-8"))
    try:
        card = parse_text(text, "x").to_dict()
    except Exception:  # a lighter converter's text may not read as a card at all
        return 0.0
    keys = [k for k in ALL_KEYS if k != "source"]
    scores = score_card(card, gold, keys)
    return sum(scores.values()) / len(scores)


def conversion() -> None:
    legacy = sorted(p for p in WORD.iterdir() if p.suffix in (".doc", ".odt", ".rtf"))
    print("## LibreOffice conversion (soffice --headless --convert-to docx)")
    for stem, example in EXAMPLES.items():
        text = (ROOT / "examples" / "cards" / f"{example}.txt").read_text("utf-8")
        print(f"{stem}: the example text card itself scores {_score(text, stem):.2f}")
    print(f"{'file':<16}{'alone s':>9}{'score':>7}{'docx score':>11}")
    alone = []
    for path in legacy:
        start = time.perf_counter()
        docx = to_docx(path.read_bytes(), path.name)
        alone.append(time.perf_counter() - start)
        score = _score(docx_text(docx, path.name), path.stem)
        base = _score(read_card(path.with_suffix(".docx")), path.stem)
        print(f"{path.name:<16}{alone[-1]:>9.2f}{score:>7.2f}{base:>11.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        converted = convert_files(legacy, Path(tmp))
        batch = time.perf_counter() - start
    ok = sum(isinstance(v, Path) for v in converted.values())
    print(
        f"one file alone: {sum(alone) / len(alone):.2f} s/file; one batch of {len(legacy)}: "
        f"{batch:.2f} s ({batch / len(legacy):.2f} s/file, {ok}/{len(legacy)} converted)"
    )
    print("\n## lighter converters (same scoring, all keys)")
    _odfpy(legacy)
    for program, args in (("antiword", ["-m", "UTF-8.txt"]), ("catdoc", ["-d", "utf-8"])):
        if shutil.which(program) is None:
            print(f"{program}: not installed (Debian package {program}); not measured")
            continue
        for path in (p for p in legacy if p.suffix == ".doc"):
            start = time.perf_counter()
            done = subprocess.run([program, *args, str(path)], capture_output=True, timeout=60)
            text = done.stdout.decode("utf-8", "replace")
            seconds = time.perf_counter() - start
            print(f"{program} {path.name}: {seconds:.2f} s, score {_score(text, path.stem):.2f}")


def _odfpy(legacy: list[Path]) -> None:
    try:
        from odf import teletype
        from odf.opendocument import load
        from odf.text import P
    except ImportError:
        print("odfpy: not installed (pip install odfpy); not measured")
        return
    for path in (p for p in legacy if p.suffix == ".odt"):
        start = time.perf_counter()
        document = load(str(path))
        text = "\n".join(teletype.extractText(p) for p in document.getElementsByType(P))
        seconds = time.perf_counter() - start
        print(f"odfpy {path.name}: {seconds:.2f} s, score {_score(text, path.stem):.2f}")


def hostile_inputs() -> None:
    card = next((ROOT / "examples" / "cards").glob("002_*.txt"))
    print("\n## hostile inputs (read_card in a fresh interpreter)")
    print(f"{'input':<34}{'bytes':>10}{'peak MiB':>10}{'seconds':>9}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: dict[str, Path] = {}

        def write(name: str, file: str, data: bytes) -> None:
            cases[name] = folder / file
            cases[name].write_bytes(data)

        cases["real card (.txt)"] = card
        cases["real card (.docx)"] = WORD / "card_002.docx"
        write("docx, 31 MB of XML paragraphs", "bomb.docx", hostile.docx_bomb())
        write("docx, directory lies (64 MB)", "lying.docx", hostile.lying_zip())
        write("docx, 40,000 members", "members.docx", hostile.many_members())
        write("docx, XML nested 100,000 deep", "deep.docx", hostile.deep_docx())
        write("utf-8 card, one bad byte", "bad.txt", hostile.one_bad_byte(card.read_text()))
        cases["symlink to /dev/zero"] = folder / "zero.txt"
        cases["symlink to /dev/zero"].symlink_to("/dev/zero")
        cases["FIFO (nobody writes)"] = folder / "fifo.txt"
        os.mkfifo(cases["FIFO (nobody writes)"])
        cases["sparse 7 MB .txt"] = folder / "big.txt"
        with cases["sparse 7 MB .txt"].open("wb") as handle:
            handle.truncate(7 * 2**20)
        for name, path in cases.items():
            size = path.stat().st_size if path.is_file() else 0
            out = hostile.measure(path)
            what = out.get("error") or f"read, {out['chars']} chars {out['warnings']}"
            what = what.replace(str(path), path.name)
            print(f"{name:<34}{size:>10}{out['peak_mib']:>10.1f}{out['seconds']:>9.3f}  {what}")


def uploads() -> None:
    import httpx

    from graph.testing import ingest_examples, serve

    print("\n## POST /validate: 6 parallel zip-bomb uploads (server RSS)")
    bombs = [
        ("bomb.docx", hostile.docx_bomb()),
        ("lying.docx", hostile.lying_zip()),
        ("deep.docx", hostile.deep_docx()),
    ] * 2
    with tempfile.TemporaryDirectory() as tmp:
        ingest_examples(Path(tmp) / "data")
        with serve(Path(tmp) / "data") as server, httpx.Client(timeout=120) as http:
            status = Path(f"/proc/{server.process.pid}/status")

            def mib(field: str) -> float:
                line = next(x for x in status.read_text().splitlines() if x.startswith(field))
                return int(line.split()[1]) / 1024

            before = mib("VmRSS:")
            start = time.perf_counter()
            with ThreadPoolExecutor(6) as pool:
                answers = list(
                    pool.map(
                        lambda item: http.post(f"{server.url}/validate", files={"file": item}),
                        bombs,
                    )
                )
            seconds = time.perf_counter() - start
            codes = sorted({r.status_code for r in answers})
            print(
                f"uploads: {len(bombs)} ({sum(len(b) for _, b in bombs)} bytes), answers {codes} "
                f"in {seconds:.2f} s; server RSS before {before:.0f} MiB, peak "
                f"{mib('VmHWM:'):.0f} MiB, after {mib('VmRSS:'):.0f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-server", action="store_true", help="skip the upload figures")
    args = parser.parse_args()
    conversion()
    hostile_inputs()
    if not args.no_server:
        uploads()


if __name__ == "__main__":
    main()
