"""Build real card files (PDF, .docx, .doc, .odt) from the bundled and hand-made cards.

    .venv/bin/python bench/corpus.py -o tests/data/corpus --fixtures   # the committed set
    .venv/bin/python bench/corpus.py -o /tmp/corpus [--only STEM ...]   # everything

Every source card (``examples/cards/*.txt``, gold in ``tests/data/gold/``; the fixtures in
``tests/data/cards/`` that have an ``.expected.json``) is read through
:func:`graph.readers.read_card` into the reader layout (a TAB between cells, a table row per
line, canonical checkbox markup) and laid out again by two independent producers:

* **Chromium**: an RTL HTML page (each TAB line one table row, ``<input type=checkbox>``
  boxes, which Chromium prints as vector squares) printed with headless Chromium, once in
  Vazirmatn (the woff2 the repository ships for the viz pages, loaded from disk) and once in
  Noto Naskh Arabic (Debian ``fonts-noto-core``).
* **LibreOffice**: a right-to-left .docx written with python-docx (tables in visual RTL
  order, ☒/☐ boxes) converted to PDF by ``soffice --headless`` in one call per font, in
  Noto Naskh Arabic and in Vazirmatn (converted to TrueType with fontTools into a private
  font folder that fontconfig is pointed at). The Noto .docx is also converted to ``.doc``
  and ``.odt`` for the legacy-Word reader.

Output names are ``<stem>.<producer>-<font>.<ext>``; the stem maps each file to its gold.
Nothing is fetched from the network; Chromium and LibreOffice run with private profiles and a
time limit. Rebuilding gives the same text and geometry (PDF dates and IDs differ).
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from graph.readers import read_card
from graph.readers.layout import CHECKED, UNCHECKED
from graph.testing import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold"
FIXTURES = ROOT / "tests" / "data" / "cards"
VAZIR = ROOT / "viz" / "static"
NOTO = "Noto Naskh Arabic"
TIMEOUT = 120  # seconds for one producer call
_BOX = {CHECKED: True, UNCHECKED: False}


def sources() -> dict[str, Path]:
    """Stem -> card file of every card that has a gold or expected object."""
    found = {p.stem: p for p in sorted((ROOT / "examples" / "cards").glob("*.txt"))}
    found = {s: p for s, p in found.items() if (GOLD / f"{s}.json").exists()}
    for expected in sorted(FIXTURES.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        (card,) = (p for p in FIXTURES.glob(f"{name}.*") if p != expected)
        found[name] = card
    return found


def _pieces(cell: str) -> list[str | bool]:
    """A cell's text split into strings and checkbox states (True/False)."""
    out: list[str | bool] = []
    rest = cell
    while rest:
        hits = [(rest.find(m), m) for m in _BOX if m in rest]
        if not hits:
            out.append(rest)
            break
        at, mark = min(hits)
        if at:
            out.append(rest[:at])
        out.append(_BOX[mark])
        rest = rest[at + len(mark) :]
    return out


def blocks(text: str) -> list[list[list[str]] | str]:
    """Paragraph lines (str) and tables (lists of rows of cells) of a reader-layout text."""
    out: list[list[list[str]] | str] = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
        elif out and isinstance(out[-1], list):
            out[-1].append(line.split("\t"))
        else:
            out.append([line.split("\t")])
    return out


# ---- HTML -> PDF with Chromium ----------------------------------------------------------

_CSS = """@page {{ size: A4; margin: 12mm; }}
{face}
body {{ font-family: {family}; font-size: 10pt; direction: rtl; }}
table {{ border-collapse: collapse; width: 100%; margin: 0; }}
td {{ border: 1px solid #000; padding: 2px 4px; vertical-align: top; }}
p {{ margin: 2px 0; }}
input {{ margin: 0 3px; vertical-align: middle; }}"""


def _html_cell(cell: str) -> str:
    parts = []
    for piece in _pieces(cell):
        if isinstance(piece, bool):
            parts.append(f"<input type=checkbox{' checked' if piece else ''}>")
        else:
            parts.append(html.escape(piece))
    return "".join(parts)


def card_html(text: str, font: str) -> str:
    """An RTL web page of the card; every TAB line becomes one row of a bordered table."""
    if font == "vazirmatn":
        face = (
            "@font-face { font-family: Vazirmatn; src: url('"
            + (VAZIR / "Vazirmatn-Regular.woff2").as_uri()
            + "') format('woff2'); }"
        )
        family = "Vazirmatn"
    else:
        face, family = "", f"'{NOTO}'"
    body = []
    for block in blocks(text):
        if isinstance(block, str):
            body.append(f"<p>{_html_cell(block) or '&nbsp;'}</p>")
            continue
        for row in block:  # one table per row: the cards' rows have their own columns
            cells = "".join(f"<td>{_html_cell(c)}</td>" for c in row)
            body.append(f"<table><tr>{cells}</tr></table>")
    css = _CSS.format(face=face, family=family)
    return (
        '<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )


def chromium_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """Print one local HTML page to PDF with headless Chromium (no header/footer)."""
    args = [
        str(CHROMIUM),
        *CHROMIUM_ARGS,
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    subprocess.run(args, check=True, timeout=TIMEOUT, capture_output=True)


# ---- .docx -> PDF/.doc/.odt with LibreOffice ----------------------------------------------


def card_docx(text: str, font: str, path: Path) -> None:
    """A right-to-left Word document of the card: TAB lines as one-row tables, ☒/☐ boxes."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))

    def paragraph(container, cell_text: str) -> None:
        par = container.add_paragraph() if container is not document else document.add_paragraph()
        par.paragraph_format.space_after = Pt(1)
        par._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        chunks = [("☒" if p else "☐") if isinstance(p, bool) else p for p in _pieces(cell_text)]
        run = par.add_run("".join(chunks))
        run.font.size = Pt(10)
        run.font.name = font
        props = run._r.get_or_add_rPr()
        fonts = props.find(qn("w:rFonts"))
        for attr in ("w:cs", "w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(attr), font)
        props.append(OxmlElement("w:rtl"))
        size = OxmlElement("w:szCs")
        size.set(qn("w:val"), "20")
        props.append(size)

    for block in blocks(text):
        if isinstance(block, str):
            paragraph(document, block)
            continue
        for row in block:
            table = document.add_table(rows=1, cols=len(row))
            table.style = "Table Grid"
            table.autofit = False
            table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
            # Columns as wide as their text asks (as a person laying out the form would),
            # so that short words are not broken letter by letter in narrow cells.
            weights = [_weight(value) for value in row]
            widths = [Mm(186 * weight / sum(weights)) for weight in weights]
            for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
                column.width = cell.width = width
            for cell, value in zip(table.rows[0].cells, row, strict=True):
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                paragraph(cell, value)
    document.save(str(path))


def _weight(cell: str) -> int:
    """A column's share of the page: its text's length, within bounds."""
    text = "".join(p for p in _pieces(cell) if isinstance(p, str)).strip()
    return 3 if not text else min(len(text) + 6, 80)


def vazirmatn_fonts(folder: Path) -> Path:
    """Vazirmatn as TrueType in ``folder`` and a fontconfig file that adds it; returns it."""
    from fontTools.ttLib import TTFont

    folder.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        font = TTFont(str(VAZIR / f"Vazirmatn-{weight}.woff2"))
        font.flavor = None
        font.save(str(folder / f"Vazirmatn-{weight}.ttf"))
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<include>/etc/fonts/fonts.conf</include><dir>{folder}</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        "utf-8",
    )
    return conf


def soffice(files: list[Path], target: str, outdir: Path, work: Path, env: dict) -> None:
    """Convert ``files`` to ``target`` (pdf, doc, odt) in one LibreOffice call."""
    profile = (work / "lo-profile").as_uri()
    args = [
        "soffice",
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    subprocess.run(args, check=True, timeout=TIMEOUT * 3, capture_output=True, env=env)


def build(out: Path, only: list[str] | None = None) -> list[Path]:
    """Write the corpus into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    cards = {s: p for s, p in sources().items() if not only or s in only}
    with tempfile.TemporaryDirectory(prefix="sg-corpus-") as tmp:
        work = Path(tmp)
        texts = {stem: read_card(path) for stem, path in cards.items()}
        for font in ("vazirmatn", "noto"):
            for stem, text in texts.items():
                page = work / f"{stem}.{font}.html"
                page.write_text(card_html(text, font), "utf-8")
                chromium_pdf(page, out / f"{stem}.chromium-{font}.pdf", work / "chromium")
        env = dict(os.environ, FONTCONFIG_FILE=str(vazirmatn_fonts(work / "fonts")))
        for font, family in (("noto", NOTO), ("vazirmatn", "Vazirmatn")):
            folder = work / f"docx-{font}"
            folder.mkdir()
            docs = []
            for stem, text in texts.items():
                docs.append(folder / f"{stem}.libreoffice-{font}.docx")
                card_docx(text, family, docs[-1])
            soffice(docs, "pdf", out, work, env)
            if font == "noto":
                for target in ("doc", "odt"):
                    soffice(docs, target, out, work, env)
                for doc in docs:
                    shutil.copy(doc, out / doc.name)
    return sorted(p for p in out.iterdir() if p.stem.split(".")[0] in cards)


BUNDLED = frozenset(p.stem for p in (ROOT / "examples" / "cards").glob("*.txt"))
WORD_FIXTURES = BUNDLED | {"tax_pdf_inputs", "social_security_page"}


def committed(path: Path) -> bool:
    """Whether a built file is one of the fixtures kept in ``tests/data/corpus`` (a few MB):
    every card from both producers in Noto Naskh, the bundled cards also in Vazirmatn, and
    the Word/OpenDocument files of the bundled cards and two fixtures."""
    stem, _, kind = path.name.partition(".")
    if kind.endswith(".pdf"):
        return "noto" in kind or stem in BUNDLED
    return stem in WORD_FIXTURES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("--only", nargs="*", help="card stems to build (default: all)")
    parser.add_argument(
        "--fixtures", action="store_true", help="keep only the files committed as test fixtures"
    )
    args = parser.parse_args(argv)
    files = build(args.out, args.only)
    if args.fixtures:
        for path in files:
            if not committed(path):
                path.unlink()
        files = [p for p in files if p.exists()]
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {total / 1024:.0f} KB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
