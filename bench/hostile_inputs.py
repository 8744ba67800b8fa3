"""The hostile inputs of ``bench/hostile_bench.py``: each sent to a running server, with the
bytes it sent and received and how it ended (the bench adds seconds and the RSS rise).

Every case is bounded: answers are read up to a cap, raw sockets are closed after a set
wait, the SERVICE listener accepts for at most a few seconds. A 1 MB GET query goes over a
raw socket because httpx refuses URLs that long on the client side.

>>> len(doublings(20)) < 2000
True
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol
from urllib.parse import quote, urlencode

import httpx
from common import JSON

from graph import hostile

Outcome = tuple[int, int, str]  # bytes sent, bytes received, status


class Sampler(Protocol):
    peak_total: float

    def reset(self) -> tuple[float, float]: ...
    def now(self) -> tuple[float, float]: ...


def doublings(n: int, copies: int = 10) -> str:
    """A CONSTRUCT whose answer is ``copies`` literals of 10 * 2**n characters."""
    binds = ['BIND("0123456789" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i - 1},?v{i - 1}) AS ?v{i})" for i in range(1, n + 1)]
    template = " ".join(f"<urn:x:{c}> <urn:x:p> ?v{n} ." for c in range(copies))
    return f"CONSTRUCT {{ {template} }} WHERE {{ {' '.join(binds)} }}"


def _read(base: str, query: str, cap: int = 256 * 2**20) -> Outcome:
    body = urlencode({"query": query})
    received = 0
    with httpx.Client(timeout=60) as http, http.stream(
        "POST", base + "/sparql", content=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/n-triples"}) as answer:  # fmt: skip
        for chunk in answer.iter_raw():
            received += len(chunk)
            if received > cap:
                break
    return len(body), received, str(answer.status_code)


def _connect(base: str, request: bytes, rcvbuf: int = 0) -> socket.socket:
    """A raw socket to the server that has sent ``request`` (a small receive buffer when
    ``rcvbuf``, so that what the server pushes stays on its side)."""
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", int(base.rsplit(":", 1)[1])))
    sock.sendall(request)
    return sock


def _status(head: bytes) -> str:
    return head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/") else "nothing"


def _post(query: str) -> bytes:
    body = urlencode({"query": query}).encode()
    return (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/n-triples\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}"
            "\r\n\r\n").encode() + body  # fmt: skip


def _unread(base: str, clients: int = 8, hold: float = 10.0) -> Outcome:
    """``clients`` raw sockets ask for a ~26 MB answer and read nothing for ``hold`` s;
    meanwhile a trivial uncached query shows whether others are still served."""
    requests = [_post(doublings(18).replace("urn:x:", f"urn:x{c}:")) for c in range(clients)]
    socks = [_connect(base, r, rcvbuf=4096) for r in requests]
    time.sleep(hold / 2)
    start = time.perf_counter()
    probe = httpx.post(base + "/sparql", data={"query": f"ASK {{ <urn:probe:{start}> ?p ?o }}"},
                       headers={"Accept": JSON}, timeout=30).status_code  # fmt: skip
    probe_ms = 1000 * (time.perf_counter() - start)
    time.sleep(hold / 2)
    statuses: Counter[str] = Counter()
    waiting = 0
    for sock in socks:
        try:
            sock.settimeout(0.5)
            head = sock.recv(65536, socket.MSG_PEEK)
        except OSError:
            head = b""
        waiting += len(head)
        statuses[_status(head)] += 1
        sock.close()
    print(f"  (while they held: an uncached ASK from another client got {probe} in "
          f"{probe_ms:.0f} ms; bytes waiting unread in their sockets: {waiting})")  # fmt: skip
    return sum(map(len, requests)), waiting, str(dict(statuses))


def _long_get(base: str, size: int = 2**20) -> Outcome:
    """A GET query of ``size`` bytes (a comment) over a raw socket; the answer read to 1 MB."""
    query = quote("SELECT * WHERE { ?s ?p ?o } # " + "x" * size, safe="")
    request = (f"GET /sparql?query={query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {JSON}\r\n"
               "Connection: close\r\n\r\n").encode()  # fmt: skip
    answer = b""
    try:
        with _connect(base, request) as sock:
            while len(answer) < 2**20 and (chunk := sock.recv(65536)):
                answer += chunk
    except OSError as exc:
        return len(request), len(answer), f"{_status(answer)} then {type(exc).__name__}"
    return len(request), len(answer), _status(answer)


def _uploads(base: str) -> Outcome:
    bombs = [("bomb.docx", hostile.docx_bomb()), ("lying.docx", hostile.lying_zip())] * 3
    with httpx.Client(timeout=120) as http, ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda f: http.post(base + "/validate", files={"file": f}), bombs))
    received = sum(len(a.content) for a in answers)
    return (
        sum(len(b) for _, b in bombs),
        received,
        str(dict(Counter(a.status_code for a in answers))),
    )


def _sparql(base: str, query: str, get: bool = False) -> Outcome:
    with httpx.Client(timeout=60) as http:
        if get:
            answer = http.get(base + "/sparql", params={"query": query}, headers={"Accept": JSON})
            sent = len(str(answer.request.url))
        else:
            answer = http.post(base + "/sparql", data={"query": query}, headers={"Accept": JSON})
            sent = len(answer.request.content)
    return sent, len(answer.content), str(answer.status_code)


def _service(base: str) -> Outcome:
    """A SERVICE behind a comment ended by \\r, by POST and by GET, to a listener of ours."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    port, seen = listener.getsockname()[1], []
    stop = threading.Event()

    def accept() -> None:
        for _ in range(200):  # at most 40 s
            if stop.is_set():
                break
            try:
                conn, _ = listener.accept()
                seen.append(conn.recv(200))
                conn.close()
            except OSError:
                pass

    thread = threading.Thread(target=accept)
    thread.start()
    query = f"SELECT * WHERE {{ # x\r SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
    post = _sparql(base, query)
    get = _sparql(base, query, get=True)
    time.sleep(2)
    stop.set()
    thread.join()
    listener.close()
    return (post[0] + get[0], post[1] + get[1],
            f"POST {post[2]}, GET {get[2]}; listener saw {len(seen)} connections")  # fmt: skip


def hostile_inputs(base: str, memory: Sampler) -> None:
    """Print one line per hostile input: bytes, status, seconds and the RSS rise."""
    nested = "SELECT * WHERE " + "{ " * 2000 + "?s ?p ?o" + " }" * 2000
    cases: list[tuple[str, Callable[[], Outcome]]] = [
        ("CONSTRUCT, 20 CONCAT doublings", lambda: _read(base, doublings(20))),
        ("CONSTRUCT, 23 CONCAT doublings", lambda: _read(base, doublings(23))),
        ("8 clients never read ~26 MB", lambda: _unread(base)),
        ("6 x POST /validate zip bombs", lambda: _uploads(base)),
        ("2,000 nested groups", lambda: _sparql(base, nested)),
        ("1 MB GET query", lambda: _long_get(base)),
        ("SERVICE after '# x\\r'", lambda: _service(base)),
    ]
    print("\n## hostile inputs (RSS rise: peak of server + workers over before; server RSS after)")
    print(f"{'input':<32}{'sent':>10}{'received':>11}{'seconds':>9}{'RSS +MiB':>9}"
          f"{'server':>7}  status")  # fmt: skip
    for name, run in cases:
        before = sum(memory.reset())
        start = time.perf_counter()
        sent, received, status = run()
        seconds = time.perf_counter() - start
        rise, server = memory.peak_total - before, memory.now()[0]
        print(f"{name:<32}{sent:>10}{received:>11}{seconds:>9.2f}{rise:>9.0f}{server:>7.0f}"
              f"  {status}")  # fmt: skip
        time.sleep(1)
    server, workers = memory.now()
    print(f"after the hostile inputs: server {server:.0f} MiB, workers {workers:.0f} MiB")
