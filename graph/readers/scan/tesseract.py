"""Running Tesseract with its Persian model on many small images in one process.

A card page is read as dozens of separate crops (one per table cell, one per band of
running text), so that columns never run together. Starting Tesseract and loading the
``fas`` model costs more than reading one cell, so all crops of a page go to a single
``tesseract <list-file> - -l fas --psm 6 tsv`` call: Tesseract reads a file that lists
image paths as a multi-page input, and its TSV output numbers the pages, so each word finds
its crop again, with its position and confidence. The call has a time limit; Tesseract or
the model missing is one clear :class:`~graph.errors.CardError`.

>>> head = "level page_num block_num par_num line_num word_num left top width height conf text"
>>> row = "5 2 1 1 1 1 10 5 30 12 91.5 خدمت"
>>> words = parse_tsv("\\n".join([head, row]).replace(" ", "\\t"), 2)
>>> words[1]
[Word(text='خدمت', left=10, top=5, width=30, height=12, conf=0.915, line=(1, 1, 1))]
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from graph.errors import CardError

__all__ = ["LANGUAGE", "Word", "parse_tsv", "read_images", "require_tesseract"]

LANGUAGE = "fas"
INSTALL = (
    "scanned document needs OCR: install tesseract-ocr and tesseract-ocr-fas "
    "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-fas)"
)


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text, box in the crop, confidence 0..1 and line key."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]


def require_tesseract(source: str) -> str:
    """The path of a Tesseract that has the Persian model, or a CardError saying what to do."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise CardError(source, INSTALL)
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        raise CardError(source, INSTALL) from None
    if LANGUAGE not in (listed.stdout + listed.stderr).split():
        raise CardError(source, f"{INSTALL}; the Persian model '{LANGUAGE}' is missing")
    return binary


def read_images(
    binary: str,
    images: list[np.ndarray],
    source: str,
    timeout: float,
    scale: float = 1.0,
    psm: int = 6,
) -> list[list[Word]]:
    """The words of each image, read by one Tesseract process within ``timeout`` seconds.

    Each image is resized by ``scale`` and smoothed by a 3x3 median filter (scanner noise
    otherwise makes Tesseract's layout analysis miss whole lines); the words' boxes are
    given back in the image's own pixels. ``psm`` is Tesseract's page segmentation mode:
    6 (a block of lines) or 13 (one raw line, no layout analysis).
    """
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="servicegraph-ocr-") as tmp:
        listing = Path(tmp) / "images.txt"
        paths = []
        for index, image in enumerate(images):
            path = Path(tmp) / f"{index:05d}.png"
            picture = Image.fromarray(image).filter(ImageFilter.MedianFilter(3))
            if scale != 1:
                size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
                picture = picture.resize(size, Image.Resampling.LANCZOS)
            picture.save(path, dpi=(round(300 * scale),) * 2)
            paths.append(str(path))
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        command = [binary, str(listing), "-", "-l", LANGUAGE, "--psm", str(psm), "tsv"]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=max(1.0, timeout), check=False
            )
        except subprocess.TimeoutExpired:
            raise CardError(source, f"OCR took over the {timeout:.0f} s time limit") from None
        except OSError as exc:
            raise CardError(source, f"{INSTALL} ({exc.strerror})") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise CardError(source, f"OCR failed: {' '.join(detail) or 'tesseract error'}")
    words = parse_tsv(done.stdout.decode("utf-8", "replace"), len(images))
    if scale == 1:
        return words
    back = 1 / scale
    return [
        [
            Word(
                w.text,
                round(w.left * back),
                round(w.top * back),
                round(w.width * back),
                round(w.height * back),
                w.conf,
                w.line,
            )
            for w in found
        ]
        for found in words
    ]


def parse_tsv(tsv: str, count: int) -> list[list[Word]]:
    """Tesseract's TSV output split into the words of each input image (pages from 1)."""
    words: list[list[Word]] = [[] for _ in range(count)]
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5" or not fields[11].strip():
            continue
        page = int(fields[1]) - 1
        if 0 <= page < count:
            left, top, width, height = (int(v) for v in fields[6:10])
            words[page].append(
                Word(
                    _logical(fields[11]),
                    left,
                    top,
                    width,
                    height,
                    max(0.0, float(fields[10])) / 100,
                    (int(fields[2]), int(fields[3]), int(fields[4])),
                )
            )
    return words


def _logical(text: str) -> str:
    """A word in logical order: Tesseract marks a lone right-to-left word it gives in visual
    (reversed) order with a left-to-right mark, in raw-line mode.

    >>> _logical(" تمدخ\u200e") == "خدمت"
    True
    """
    text = text.strip()
    if "\u200e" in text:
        text = text.replace("\u200e", "")
        if text and all("\u0600" <= ch <= "\u06ff" for ch in text):
            return text[::-1]
    return text
