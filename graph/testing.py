"""Helpers the test fixtures and the bench scripts share (numpy's ``numpy.testing`` habit).

* :func:`free_port`, :func:`wait_until_ready` and :func:`serve`: a server on a loopback
  port in a subprocess, polled until it answers (with a deadline), stopped afterwards.
* :func:`ingest_examples`: the example cards of the source tree (``examples/cards``)
  ingested into a data directory, checked to have all loaded.
* :data:`CHROMIUM` and :data:`CHROMIUM_ARGS`: Debian's headless Chromium, kept offline.

>>> 0 < free_port() < 65536
True
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, AnyStr

import httpx

if TYPE_CHECKING:
    from graph.ingest import IngestReport

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "EXAMPLES",
    "RunningServer",
    "free_port",
    "ingest_examples",
    "serve",
    "stop",
    "wait_until_ready",
]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cards"
"""The five real example cards (in a source checkout; not part of the wheel)."""
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]  # (host, port) of an AF_INET socket
        return port


def _tail(log: IO[bytes] | Path | None) -> str:
    if log is None:
        return ""
    if isinstance(log, Path):
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-2000:]


def wait_until_ready(
    url: str,
    process: subprocess.Popen[AnyStr] | None = None,
    *,
    timeout: float = 60.0,
    log: IO[bytes] | Path | None = None,
) -> None:
    """Poll ``url`` until it answers below HTTP 500; :class:`RuntimeError` when ``process``
    exits first (with the tail of its ``log``) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server at {url} did not answer within {timeout:g} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen[AnyStr], timeout: float = 10.0) -> None:
    """Terminate ``process``, killing it if it does not exit within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class RunningServer:
    """A ``servicegraph serve`` started by :func:`serve`: its base URL and process."""

    url: str
    process: subprocess.Popen[bytes]


@contextmanager
def serve(
    data_dir: Path, *, timeout: float = 60.0, env: dict[str, str] | None = None
) -> Iterator[RunningServer]:
    """``servicegraph serve`` on a free loopback port over ``data_dir`` (no token, so the
    store is opened read-only), yielded once it answers and stopped on exit. ``env`` adds
    settings (``SERVICEGRAPH_*`` variables) for this server only."""
    port = free_port()
    env = {**os.environ, **(env or {}), "SERVICEGRAPH_DATA_DIR": str(data_dir)}
    env.pop("SERVICEGRAPH_TOKEN", None)
    command = [str(Path(sys.executable).parent / "servicegraph"), "serve", "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(base + "/queries", process, timeout=timeout, log=log)
            yield RunningServer(base, process)
        finally:
            stop(process)


def ingest_examples(data_dir: Path) -> IngestReport:
    """Ingest :data:`EXAMPLES` into an embedded store in ``data_dir``; every card must load."""
    from graph.ingest import ingest
    from graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(data_dir)
    try:
        report = ingest([EXAMPLES], store, data_dir=data_dir)
    finally:
        store.close()
    if report.failed:
        raise RuntimeError(f"example cards failed: {[c.error for c in report.failed]}")
    return report
