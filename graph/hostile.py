"""Hostile card files, made the same way for the tests and for ``bench/readers_bench.py``.

Each builder returns the bytes of a file an attacker or a broken tool could hand to
``parse``, ``ingest`` or an upload: a small .docx whose XML inflates to tens of MB, a zip
whose directory lies about its sizes, a package of thousands of members, XML nested
thousands deep, a UTF-8 card with one invalid byte. :func:`measure` reads a file in a fresh
interpreter and reports what it cost (peak RSS, seconds) and how it ended.

>>> len(docx_bomb(2**20)) < 2**20 // 20
True
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

__all__ = [
    "deep_docx",
    "docx_bomb",
    "lying_zip",
    "many_members",
    "measure",
    "one_bad_byte",
    "package",
]

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_PARAGRAPH = "<w:p><w:r><w:t>۱- عنوان خدمت: صدور مجوز</w:t></w:r></w:p>"


def package(document: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx around the document part ``document`` (and ``extra`` members)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _document(body: str) -> bytes:
    return f'<?xml version="1.0"?><w:document {_W}><w:body>{body}</w:body></w:document>'.encode()


def docx_bomb(xml_bytes: int = 31 * 2**20) -> bytes:
    """A .docx of a few hundred KB whose document part is ``xml_bytes`` of paragraphs."""
    return package(_document(_PARAGRAPH * (xml_bytes // len(_PARAGRAPH.encode()))))


def lying_zip(real_bytes: int = 64 * 2**20) -> bytes:
    """A .docx whose directory says its document part is 200 bytes; it inflates far more."""
    data = bytearray(docx_bomb(real_bytes))
    end = data.rfind(b"PK\x05\x06")
    at = data.find(b"word/document.xml", data.rfind(b"PK\x01\x02", 0, end) - 200)
    entry = data.rfind(b"PK\x01\x02", 0, at)
    data[entry + 24 : entry + 28] = (200).to_bytes(4, "little")  # uncompressed size
    return bytes(data)


def many_members(count: int = 40_000) -> bytes:
    """A .docx with ``count`` tiny members besides a real document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", _document(_PARAGRAPH))
        for n in range(count):
            archive.writestr(f"m/{n}", b"")
    return buffer.getvalue()


def deep_docx(depth: int = 100_000) -> bytes:
    """A .docx whose body nests ``depth`` content controls (XML depth, not size)."""
    body = "<w:sdt><w:sdtContent>" * depth + _PARAGRAPH + "</w:sdtContent></w:sdt>" * depth
    return package(_document(body))


def one_bad_byte(text: str, at: int | None = None) -> bytes:
    """``text`` as UTF-8 with one invalid byte (0xFF) after the first ``at`` bytes."""
    data = text.encode("utf-8")
    at = len(data) // 2 if at is None else at
    while at < len(data) and (data[at] & 0xC0) == 0x80:  # not inside a character
        at += 1
    return data[:at] + b"\xff" + data[at:]


_PROBE = """
import json, sys, time
from graph.errors import CardError
from graph.readers import read_card
start = time.perf_counter()
try:
    text = read_card(sys.argv[1], max_bytes=int(sys.argv[2]))
    outcome = {"chars": len(text), "warnings": list(getattr(text, "warnings", ()))}
except CardError as exc:
    outcome = {"error": str(exc)}
outcome["seconds"] = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec
status = open("/proc/self/status").read()
outcome["peak_mib"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps(outcome, ensure_ascii=False))
"""


def measure(path: Path | str, max_bytes: int = 5 * 2**20, timeout: float = 120) -> dict[str, Any]:
    """Read ``path`` with :func:`graph.readers.read_card` in a fresh interpreter.

    Returns ``error`` (the one-line message) or ``chars``/``warnings``, with ``seconds``
    and ``peak_mib`` (peak RSS of that interpreter, imports included; Linux only).
    """
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), str(max_bytes)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer
