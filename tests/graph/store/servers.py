"""Real SPARQL servers for the store tests: Oxigraph server and Virtuoso 7 on loopback ports.

Each starts in a temporary directory on free ports, is polled until it answers (with a
deadline), and is stopped by killing its process group. A missing binary is reported as
:class:`ServerMissingError` so fixtures can ``pytest.skip`` with the reason.

The Virtuoso ini keeps memory small and sets ``ResultSetMaxRows`` to
:data:`VIRTUOSO_MAX_ROWS`, so a test can provoke its silent row cap. Writes go through the
digest-authenticated endpoints (``/sparql-auth``, ``/sparql-graph-crud-auth``) as a user
with the ``SPARQL_UPDATE`` role, created with ``isql`` after start-up.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph.testing import free_port, wait_until_ready

VIRTUOSO_MAX_ROWS = 1000
VIRTUOSO_USER = ("sgtest", "sgtest-pw")
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {d}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
MaxQueryMem = 100M
ThreadsPerQuery = 1
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


class ServerMissingError(Exception):
    """A server binary is not installed; the message says how to get it."""


@dataclass
class Server:
    """A running server: its store URL and the settings fields a RemoteStore needs."""

    name: str
    url: str
    settings: dict[str, str] = field(default_factory=dict)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def oxigraph_server(*, timeout_s: int | None = None) -> Iterator[Server]:
    """``oxigraph serve`` (the PyPI ``oxigraph`` package) on a temporary directory."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        raise ServerMissingError("oxigraph server not installed: pip install -e '.[dev]'")
    tmp = Path(tempfile.mkdtemp(prefix="sg-oxigraph-"))
    port = free_port()
    args = [binary, "serve", "--location", str(tmp / "db"), "--bind", f"127.0.0.1:{port}"]
    if timeout_s is not None:
        args += ["--timeout-s", str(timeout_s)]
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=out, start_new_session=True)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", proc, timeout=30, log=log)
        yield Server("oxigraph", f"sparql+http://127.0.0.1:{port}")
    finally:
        _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def virtuoso_server(*, max_rows: int = VIRTUOSO_MAX_ROWS) -> Iterator[Server]:
    """Virtuoso Open Source 7 (Debian's ``virtuoso-opensource``) with a fresh database."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if not binary or not isql:
        raise ServerMissingError("virtuoso-t not installed: run .ci/setup-system.sh")
    tmp = Path(tempfile.mkdtemp(prefix="sg-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    ini = tmp / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(d=tmp, sql_port=sql_port, http_port=http_port, max_rows=max_rows)
    )
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=tmp,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        wait_until_ready(
            f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", proc, timeout=90, log=log
        )
        user, password = VIRTUOSO_USER
        grants = tmp / "grants.sql"
        grants.write_text(
            f"DB.DBA.USER_CREATE ('{user}', '{password}');\nGRANT SPARQL_UPDATE TO \"{user}\";\n"
        )
        done = subprocess.run(
            [isql, str(sql_port), "dba", "dba", str(grants)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "Error" in done.stdout:
            raise RuntimeError(f"isql grants failed: {done.stdout[-300:]} {done.stderr[-300:]}")
        yield Server(
            "virtuoso",
            f"sparql+http://127.0.0.1:{http_port}/sparql-auth",
            {"store_user": user, "store_password": password, "store_auth": "digest"},
        )
    finally:
        _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
