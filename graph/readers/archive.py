"""Zip packages (.docx, .odt) and their XML parts, read at a cost the reader decides.

A zip's directory states each member's size, and a hostile file states what it likes: a
180 KB .docx can hold 31 MB of XML that python-docx and lxml turn into a gigabyte of
objects. So nothing here trusts the directory: members are inflated as a stream and the
bytes that really come out are counted against :data:`MAX_PART_BYTES` (one member) and
:data:`MAX_INFLATED_BYTES` (the whole package), the number of members is bounded before
zipfile builds its index, and XML is fed to lxml's pull parser chunk by chunk with the
element count and depth bounded (no DTD loading, no entity expansion, no network, no
``huge_tree``). A real card's ``word/document.xml`` is tens to hundreds of KB and a few
thousand elements (about 2,000 for the fixtures LibreOffice and python-docx write; Word's
own output is more verbose); the limits are a hundred times that.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("a.xml", "<a><b>ب</b></a>")
>>> package = Package(buffer.getvalue(), "x.docx")
>>> package.xml("a.xml").findtext("b")
'ب'
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from graph.errors import CardError

__all__ = ["MAX_ELEMENTS", "MAX_INFLATED_BYTES", "MAX_MEMBERS", "MAX_PART_BYTES", "Package"]

MAX_MEMBERS = 2000
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_INFLATED_BYTES = 24 * 1024 * 1024
MAX_ELEMENTS = 200_000
MAX_XML_DEPTH = 200
_CHUNK = 64 * 1024
_CENTRAL_ENTRY = b"PK\x01\x02"


class Package:
    """A zip archive opened for bounded reading; errors name ``source`` and the member."""

    def __init__(self, data: bytes, source: str, kind: str = ".docx") -> None:
        self.source, self.kind = source, kind
        self._inflated = 0
        # Each member has a central-directory entry starting with this signature: counting
        # them bounds the index zipfile is about to build (an over-count only if compressed
        # data happens to hold it, which refuses nothing real).
        entries = data.count(_CENTRAL_ENTRY)
        if entries > MAX_MEMBERS:
            raise CardError(source, f"corrupt {kind}: {entries} members, over {MAX_MEMBERS}")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = frozenset(self._zip.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise CardError(source, f"corrupt {kind}: not a readable zip archive") from None

    def _error(self, reason: str) -> CardError:
        return CardError(self.source, f"corrupt {self.kind}: {reason}")

    def chunks(self, name: str, limit: int = MAX_PART_BYTES) -> Iterator[bytes]:
        """Member ``name`` inflated as a stream, stopping once over ``limit`` real bytes."""
        size = 0
        try:
            with self._zip.open(name) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    self._inflated += len(chunk)
                    if size > limit:
                        raise CardError(
                            self.source,
                            f"{self.kind} part {name} unpacks to over {limit / 2**20:g} MB,"
                            " over the limit",
                        )
                    if self._inflated > MAX_INFLATED_BYTES:
                        raise CardError(
                            self.source,
                            f"{self.kind} unpacks to over {MAX_INFLATED_BYTES / 2**20:g} MB,"
                            " over the limit",
                        )
                    yield chunk
        except KeyError:
            raise self._error(f"no part {name}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise self._error(f"part {name}: {str(exc) or type(exc).__name__}") from None
        except RuntimeError as exc:  # an encrypted member
            raise self._error(f"part {name}: {exc}") from None

    def read(self, name: str, limit: int = MAX_PART_BYTES) -> bytes:
        """Member ``name`` inflated, at most ``limit`` bytes (else :class:`CardError`)."""
        return b"".join(self.chunks(name, limit))

    def xml(self, name: str) -> etree._Element:
        """Member ``name`` parsed as XML within :data:`MAX_ELEMENTS` and depth bounds."""
        parser = etree.XMLPullParser(
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_blank_text=False,
        )
        elements = depth = 0
        try:
            for chunk in self.chunks(name):
                parser.feed(chunk)
                for event, _ in parser.read_events():
                    if event == "end":
                        depth -= 1
                        continue
                    elements += 1
                    depth += 1
                    if elements > MAX_ELEMENTS:
                        raise self._error(f"part {name} has over {MAX_ELEMENTS} XML elements")
                    if depth > MAX_XML_DEPTH:
                        raise self._error(f"part {name} nests XML over {MAX_XML_DEPTH} deep")
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            if "depth" in str(exc.msg).lower():  # libxml2's own bound, at 256
                raise self._error(f"part {name} nests XML over {MAX_XML_DEPTH} deep") from None
            raise self._error(f"part {name} is not well-formed XML ({exc.msg})") from None
        return root
