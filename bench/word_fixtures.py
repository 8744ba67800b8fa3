"""Build the Word-family test fixtures: a real .docx card, then .doc/.odt/.rtf by LibreOffice.

The .docx is written with python-docx from an example card (``examples/cards``): every
TAB-separated run of lines becomes a right-to-left table (``w:bidiVisual``, one row per
line, a short row's last cell spanning the rest), other lines become right-to-left
paragraphs, and the card's checkbox markup becomes ☒/☐ glyphs -- how Word users type a
ticked box. LibreOffice (``soffice --headless --convert-to``) then saves the same document
as Word 97-2003 (.doc), OpenDocument (.odt) and RTF, as an agency's own export would.

Run from the repository root::

    .venv/bin/python bench/word_fixtures.py            # rebuilds tests/data/word/
    .venv/bin/python bench/word_fixtures.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
CARDS = ("002_0d3b341d9a24ee21", "004_2c19728045f68b20")
FORMATS = ("doc", "odt", "rtf")
_BOX = re.compile(r'<input (checked="" )?type="checkbox"/>')
_TAG = re.compile(r"<[^>]+>")


def _rtl_paragraph(paragraph: docx.text.paragraph.Paragraph) -> None:
    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))


def _write(paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    """Text with ☒/☐ for the checkbox markup, every run right-to-left in a Persian font."""
    _rtl_paragraph(paragraph)
    text = _TAG.sub(" ", _BOX.sub(lambda m: " ☒ " if m.group(1) else " ☐ ", text))
    run = paragraph.add_run(" ".join(text.split()))
    run.font.size = Pt(10)
    pr = run._r.get_or_add_rPr()
    pr.append(OxmlElement("w:rtl"))
    fonts = pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        pr.insert(0, fonts)
    fonts.set(qn("w:cs"), "Noto Naskh Arabic")


def _table(document: docx.document.Document, rows: list[list[str]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    for r, cells in enumerate(rows):
        if len(cells) < width:
            table.cell(r, len(cells) - 1).merge(table.cell(r, width - 1))
        for c, text in enumerate(cells):
            _write(table.cell(r, c).paragraphs[0], text)


def card_docx(card: Path, target: Path) -> None:
    """Write the example card ``card`` as a Word document at ``target``."""
    document = docx.Document()
    rows: list[list[str]] = []
    for line in card.read_text("utf-8").splitlines():
        if "\t" in line:
            cells = line.split("\t")
            while len(cells) > 1 and not cells[-1].strip():
                cells.pop()
            rows.append(cells)
            continue
        if rows:
            _table(document, rows)
            rows = []
        if line.strip():
            _write(document.add_paragraph(), line)
    if rows:
        _table(document, rows)
    _rtl_paragraph(document.add_paragraph())  # Word ends every body with a paragraph
    document.save(target)


def convert(source: Path, fmt: str, out: Path) -> Path:
    """Save ``source`` as ``fmt`` with LibreOffice (a private profile, a time limit)."""
    with tempfile.TemporaryDirectory(prefix="sg-fixture-") as tmp:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        made = Path(tmp) / f"{source.stem}.{fmt}"
        target = out / made.name
        shutil.move(made, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "word")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in CARDS:
        target = args.out / f"card_{name[:3]}.docx"
        card_docx(ROOT / "examples" / "cards" / f"{name}.txt", target)
        for fmt in FORMATS:
            made = convert(target, fmt, args.out)
            print(f"{made.relative_to(args.out.parent)}: {made.stat().st_size} bytes")
        print(f"{target.relative_to(args.out.parent)}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
