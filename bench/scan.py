"""Scanned copies of real cards: the test corpus for the OCR reader (``graph.readers.scan``).

A card's text (the reader layout of ``examples/cards/*.txt``: TAB-separated cells, one row a
line, ``<input>`` checkboxes) is drawn as an HTML page of bordered right-to-left tables,
printed to PDF by headless Chromium (checkboxes become vector squares, filled when checked),
then "scanned": each page rasterised in grey at a low resolution, rotated by under a degree,
with sensor noise, and written back as an image-only PDF whose pages are JPEG images. Nothing
of the text layer survives, as with a paper card put through an office scanner.

    python bench/scan.py [OUT_DIR] [--pages N]    # scans of the example cards

writes ``<stem>.scan.pdf`` for every example card (the first N pages when given).
"""

from __future__ import annotations

import argparse
import html
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from graph.testing import CHROMIUM, CHROMIUM_ARGS, EXAMPLES

_BOX = re.compile(r'<input( checked="")? type="checkbox"/>')
_STYLE = """
@page { size: A4; margin: 12mm; }
body { direction: rtl; font-family: '%s'; font-size: 11pt; line-height: 1.5; }
table { border-collapse: collapse; width: 100%%; margin: 4pt 0; }
td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; }
input { width: 11pt; height: 11pt; margin: 0 3pt; vertical-align: middle; }
"""


def card_html(text: str, font: str = "Noto Naskh Arabic") -> str:
    """The card text as a printable page: runs of tabbed lines with as many cells become one
    bordered table (a form's tables change their columns where the card's rows do).

    >>> page = card_html("عنوان\\nنوع\\t<input checked=\\"\\" type=\\"checkbox\\"/> G2C")
    >>> "<td>نوع</td>" in page and '<input type="checkbox" checked>' in page
    True
    """
    body: list[str] = []
    columns = 0  # cells per row of the open table (0: none open)
    for line in text.splitlines():
        cells = line.rstrip("\t").split("\t")
        width = len(cells) if len(cells) > 1 else 0
        if width != columns:
            if columns:
                body.append("</table>")
            if width:
                body.append("<table>")
            columns = width
        if columns:
            body.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
        elif line.strip():
            body.append(f"<p>{_cell(line)}</p>")
    if columns:
        body.append("</table>")
    return (
        f'<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"<style>{_STYLE % font}</style></head><body>{''.join(body)}</body></html>"
    )


def _cell(text: str) -> str:
    parts = _BOX.split(text)
    out = [html.escape(parts[0])]
    for checked, rest in zip(parts[1::2], parts[2::2], strict=True):
        out.append(f'<input type="checkbox"{" checked" if checked else ""}>')
        out.append(html.escape(rest))
    return "".join(out)


def html_pdf(page: str, timeout: float = 60) -> bytes:
    """Print an HTML page to PDF with Debian's headless Chromium (offline, private profile)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "card.html", Path(tmp) / "card.pdf"
        src.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                str(CHROMIUM),
                *CHROMIUM_ARGS,
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                src.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return out.read_bytes()


def scan_pdf(
    pdf: bytes,
    dpi: int = 150,
    angle_deg: float = 0.6,
    noise: float = 10.0,
    seed: int = 0,
    pages: int | None = None,
    quality: int = 60,
) -> bytes:
    """An image-only PDF of ``pdf`` as an office scanner makes it: grey, skewed, noisy.

    Each page is rendered at ``dpi``, rotated by ``angle_deg`` (white fills the corners),
    given Gaussian noise of standard deviation ``noise`` grey levels, and stored as a JPEG.
    """
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    images = []
    for index in range(len(doc) if pages is None else min(pages, len(doc))):
        image = doc[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(angle_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
        pixels = np.asarray(image, dtype=np.float32)
        pixels += rng.normal(0.0, noise, pixels.shape)
        images.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))
    doc.close()
    out = io.BytesIO()
    images[0].save(
        out, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality
    )
    return out.getvalue()


def scan_card(text: str, seed: int = 0, pages: int | None = None, **options: float) -> bytes:
    """The scanned image-only PDF of one card text (angle alternates sign with the seed)."""
    angle = options.pop("angle_deg", 0.6 if seed % 2 == 0 else -0.4)
    return scan_pdf(html_pdf(card_html(text)), angle_deg=angle, seed=seed, pages=pages, **options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="build/scans", type=Path)
    parser.add_argument("--pages", type=int, default=None, help="first N pages only")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for seed, card in enumerate(sorted(EXAMPLES.glob("*.txt"))):
        data = scan_card(card.read_text(encoding="utf-8"), seed=seed, pages=args.pages)
        target = args.out / f"{card.stem}.scan.pdf"
        target.write_bytes(data)
        print(f"{target}\t{len(data) / 1024:.0f} KB", file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
