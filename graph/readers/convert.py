"""Legacy Word (.doc), OpenDocument (.odt) and RTF cards, converted to .docx by LibreOffice.

Agencies still publish cards as Word 97-2003 files, and some as .odt or .rtf. LibreOffice
reads all three with their tables, right-to-left paragraphs, form-field checkboxes and ☒/☐
glyphs, and writes them as .docx, which :mod:`graph.readers.wordml` already reads with
checkbox state; so a converted card parses to the same card as the Word original (measured
in ``bench/readers_bench.py``; why not a lighter converter is in the README).

Each call runs ``soffice --headless --convert-to docx`` once for a whole batch (measured on
two shared cores: a file alone about 2.5 s, each further file in the same run about 0.5 s),
with a private profile in a temporary folder (parallel runs never share one), a time limit
(the process group is killed when it passes) and the folder removed afterwards; at most
:data:`MAX_RUNNING` runs at once per process, so a burst of uploads cannot start a
LibreOffice each. Inputs get numbered names, so two ``card.doc`` from different folders do
not overwrite each other. A file LibreOffice cannot
convert is a :class:`~graph.errors.CardError` for that file alone; without LibreOffice,
every such file gets one line saying what to install.

>>> legacy_kind(b"{\\\\rtf1\\\\ansi ...")
'RTF document'
>>> legacy_kind(b"plain text") is None
True
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import CardError
from graph.readers.archive import Package
from graph.readers.files import MAX_CARD_BYTES, read_file

__all__ = [
    "CONVERTER",
    "LEGACY_SUFFIXES",
    "SECONDS_PER_FILE",
    "Converted",
    "convert_batch",
    "convert_files",
    "legacy_kind",
    "to_docx",
]

CONVERTER = ("soffice", "libreoffice")
"""Programs tried, in order, on the PATH."""
START_SECONDS = 60
SECONDS_PER_FILE = 20
"""Time limit of one conversion run: ``START_SECONDS + SECONDS_PER_FILE * files``."""
MAX_BATCH = 50
"""Files per LibreOffice run, so that one run's time limit stays reasonable."""
MAX_RUNNING = max(1, (os.cpu_count() or 2) // 2)
"""LibreOffice runs at once in one process (a burst of uploads waits for a free slot)."""
_SLOTS = threading.BoundedSemaphore(MAX_RUNNING)
_INSTALL = "install libreoffice-writer-nogui (Debian) or LibreOffice, or save it as .docx"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT = b"application/vnd.oasis.opendocument.text"
_ZIP = b"PK\x03\x04"
_SUFFIX = {"legacy Word .doc (OLE2) file": ".doc", "RTF document": ".rtf"}
_SUFFIX["OpenDocument text"] = ".odt"

LEGACY_SUFFIXES = frozenset({".doc", ".odt", ".rtf"})
"""Names under which :func:`convert_files` looks for legacy documents in a batch."""

Converted = dict[str, Path | str]
"""Batch results by the SHA-256 of the input bytes: the .docx made, or why not (picklable,
so ingest's worker processes can be handed it)."""


def legacy_kind(data: bytes, source: str = "<bytes>") -> str | None:
    """What legacy document ``data`` is ("RTF document" ...), or None for other formats."""
    if data.startswith(_OLE2):
        return "legacy Word .doc (OLE2) file"
    if data.startswith(b"{\\rtf"):
        return "RTF document"
    if data.startswith(_ZIP) and b"mimetype" in data[:64]:
        package = Package(data, source, ".odt")
        if "mimetype" in package.names and package.read("mimetype", 256).strip() == _ODT:
            return "OpenDocument text"
    return None


def _converter() -> str | None:
    return next(filter(None, map(shutil.which, CONVERTER)), None)


def _run(program: str, inputs: list[Path], folder: Path) -> bool:
    """One LibreOffice run converting ``inputs`` into ``folder``; False if it was killed
    at the time limit."""
    command = [
        program,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
        str(folder / "out"),
        *map(str, inputs),
    ]
    with (
        _SLOTS,
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the kill reaches soffice.bin too
            env={**os.environ, "HOME": str(folder)},
        ) as process,
    ):
        try:
            process.wait(timeout=_seconds(len(inputs)))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return False
    return True


def _seconds(files: int) -> int:
    return START_SECONDS + SECONDS_PER_FILE * files


def convert_batch(items: Iterable[tuple[str, bytes]], folder: Path) -> Converted:
    """Convert every legacy document among ``(source, bytes)`` into ``folder``, in few runs.

    Inputs that are not legacy documents are left out of the answer; a converter that is
    missing, or a file it did not convert, gives the reason for that file.
    """
    pending: dict[str, str] = {}  # digest -> kind, in input order
    inputs: list[Path] = []
    for source, data in items:
        try:
            kind = legacy_kind(data, source)
        except CardError:  # a broken package: reading the file says so
            continue
        digest = hashlib.sha256(data).hexdigest()
        if kind is None or digest in pending:
            continue
        (folder / "in").mkdir(parents=True, exist_ok=True)
        inputs.append(folder / "in" / f"{len(pending):05d}{_SUFFIX[kind]}")
        inputs[-1].write_bytes(data)
        pending[digest] = kind
    program = _converter()
    killed: set[Path] = set()
    for start in range(0, len(inputs) if program else 0, MAX_BATCH):
        chunk = inputs[start : start + MAX_BATCH]
        if program is not None and not _run(program, chunk, folder):
            killed.update(chunk)
    done: Converted = {}
    for given, (digest, kind) in zip(inputs, pending.items(), strict=True):
        made = folder / "out" / f"{given.stem}.docx"
        if program is None:
            done[digest] = f"{kind}: reading it needs LibreOffice; {_INSTALL}"
        elif made.is_file():
            done[digest] = made
        elif given in killed and len(inputs) > 1:
            continue  # a batch over its time: each file left gets its own run and limit
        elif given in killed:
            done[digest] = f"{kind}: LibreOffice did not convert it within {_seconds(1)} s"
        else:
            done[digest] = f"{kind}: LibreOffice could not convert it (damaged or protected?)"
    return done


def convert_files(paths: Iterable[Path], folder: Path) -> Converted:
    """:func:`convert_batch` for the files of a batch named as legacy documents.

    Files that cannot be read are left out: reading them again gives their error.
    """

    def items() -> Iterator[tuple[str, bytes]]:
        for path in paths:
            if path.suffix.lower() in LEGACY_SUFFIXES:
                try:
                    yield str(path), read_file(path)
                except CardError:
                    continue

    return convert_batch(items(), folder)


def to_docx(data: bytes, source: str, converted: Converted | None = None) -> bytes:
    """The .docx LibreOffice makes of legacy document ``data`` (looked up in ``converted``).

    Without a batch result for these bytes, the file is converted on its own now.
    """
    digest = hashlib.sha256(data).hexdigest()
    if converted is not None and digest in converted:
        return _result(converted[digest], source)
    with tempfile.TemporaryDirectory(prefix="servicegraph-convert-") as tmp:
        made = convert_batch([(source, data)], Path(tmp)).get(digest)
        if made is None:
            raise CardError(source, "not a .doc, .odt or .rtf document")
        return _result(made, source)


def _result(made: Path | str, source: str) -> bytes:
    if isinstance(made, str):
        raise CardError(source, made)
    return read_file(made, 4 * MAX_CARD_BYTES)
