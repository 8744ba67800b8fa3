"""Card files on disk: which files a folder holds, and reading one without trusting it.

One suffix list and one folder expansion serve ``servicegraph parse``, ``ingest`` and the
API's upload check, so the three can never disagree on what a card file is. Expansion walks
a folder recursively in sorted order and reports every file it leaves out, with the reason,
through ``on_skip``: a hidden file or folder, a suffix that is not a card format, something
that is not a regular file (a FIFO would block a reader forever, a device such as
``/dev/zero`` never ends), a symbolic link to a folder (not followed: links may loop). A
file named on the command line is always kept: reading it gives the error.

:func:`read_file` is the one way card bytes come off the disk: regular files only (after
following symbolic links), opened without blocking, the size checked before reading and
the read itself stopped at the limit, so a file that grows while read costs no more.

>>> sorted(CARD_SUFFIXES) == sorted({".txt", ".html", ".htm", ".xhtml", ".docx", ".doc",
...     ".odt", ".rtf", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
True
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from graph.errors import CardError

__all__ = ["CARD_SUFFIXES", "MAX_CARD_BYTES", "card_files", "read_file", "too_big"]

CARD_SUFFIXES = frozenset(
    {".txt", ".html", ".htm", ".xhtml", ".docx", ".doc", ".odt", ".rtf", ".pdf"}
    | {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
)
"""File types read from folders and accepted as uploads (the content then decides)."""

MAX_CARD_BYTES = 5 * 1024 * 1024
"""Default size limit; callers with settings pass ``Settings().max_upload_bytes``."""

_MB = 1024 * 1024
_CHUNK = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "is a directory, not a card file"),
    (stat.S_ISFIFO, "not a regular file (a named pipe)"),
    (stat.S_ISCHR, "not a regular file (a character device)"),
    (stat.S_ISBLK, "not a regular file (a block device)"),
    (stat.S_ISSOCK, "not a regular file (a socket)"),
)


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    for test, reason in _KINDS:
        if test(mode):
            return reason
    return None if stat.S_ISREG(mode) else "not a regular file"


def too_big(source: str, size: int, limit: int) -> CardError:
    """The error for a card over ``limit`` bytes, in MB or KB as fits the limit.

    >>> str(too_big("a.txt", 6 * 2**20, 5 * 2**20))
    'a.txt: file is 6.0 MB, over the 5 MB limit'
    """
    unit, scale = ("MB", _MB) if limit >= _MB else ("KB", 1024)
    return CardError(
        source,
        f"file is {size / scale:.1f} {unit}, over the {round(limit / scale, 1):g} {unit} limit",
    )


def read_file(path: Path | str, limit: int = MAX_CARD_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`CardError` naming the path for a missing, unreadable, non-regular,
    empty-named or oversized file; never blocks on a FIFO and never reads past ``limit``.
    """
    source = str(path)
    try:
        reason = _not_regular(os.stat(path).st_mode)
        if reason:
            raise CardError(source, reason)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            info = os.fstat(fd)  # the file opened, in case it was swapped since the stat
            reason = _not_regular(info.st_mode)
            if reason:
                raise CardError(source, reason)
            if info.st_size > limit:
                raise too_big(source, info.st_size, limit)
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except (FileNotFoundError, NotADirectoryError):
        raise CardError(source, "no such file") from None
    except PermissionError:
        raise CardError(source, "cannot read: permission denied") from None
    except IsADirectoryError:
        raise CardError(source, "is a directory, not a card file") from None
    except OSError as exc:
        raise CardError(source, f"cannot read: {exc.strerror or exc}") from None
    if size > limit:
        raise too_big(source, size, limit)
    return b"".join(chunks)


def card_files(
    paths: Iterable[Path | str], on_skip: Callable[[Path, str], None] | None = None
) -> list[Path]:
    """Files named directly, plus the card files folders hold (recursively, sorted).

    ``on_skip(path, reason)`` hears about every entry of a folder that is left out.
    """
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += _folder(path, on_skip or (lambda _path, _reason: None))
        else:
            out.append(path)
    return out


def _folder(root: Path, skip: Callable[[Path, str], None]) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=lambda e: skip(Path(e.filename), str(e))):
        here = Path(folder)
        for name in sorted(dirs):
            if name.startswith("."):
                skip(here / name, "hidden folder, not searched")
            elif (here / name).is_symlink():
                skip(here / name, "symbolic link to a folder, not followed")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(files):
            file = here / name
            reason = _skip_reason(file)
            if reason:
                skip(file, reason)
            else:
                found.append(file)
    return sorted(found)


def _skip_reason(file: Path) -> str | None:
    if file.name.startswith("."):
        return "hidden file"
    if file.suffix.lower() not in CARD_SUFFIXES:
        return f"not a card file type ({file.suffix or 'no suffix'})"
    try:
        mode = file.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return _not_regular(mode)
