"""Endpoint overhead: a catalogue query through /sparql versus the same query on the store.

Ingests the example cards into a temporary store, starts ``servicegraph serve`` (uvicorn)
in a separate process on a free loopback port, then sends a bounded number of requests
from a few client threads (httpx) and prints requests/s and p50/p99 latency; the same
query run in-process on the store gives the baseline, and the ratio is the overhead.

    .venv/bin/python bench/api_bench.py [--requests 400] [--clients 4] [--query NAME]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from api import catalogue
from graph.ingest import ingest
from graph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
JSON = "application/sparql-results+json"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, latencies: list[float], wall: float) -> float:
    rps = len(latencies) / wall
    print(
        f"{name:<22} {len(latencies):>5} req  {rps:>8.1f} req/s  "
        f"p50 {1000 * statistics.median(latencies):7.2f} ms  "
        f"p99 {1000 * percentile(latencies, 0.99):7.2f} ms"
    )
    return rps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--query", default="agency-dependencies")
    args = parser.parse_args()
    sparql = catalogue.load(args.query).render({})

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        store = EmbeddedStore(data_dir)
        ingest([ROOT / "examples" / "cards"], store, data_dir=data_dir)
        print(f"store: {store.triple_count()} quads; query: {args.query}")
        store.close()

        store = EmbeddedStore(data_dir, read_only=True)
        direct = []
        started = time.perf_counter()
        for _ in range(args.requests):
            t = time.perf_counter()
            store.query_serialized(sparql, JSON, max_results=100_000)
            direct.append(time.perf_counter() - t)
        direct_rps = report("store (in-process)", direct, time.perf_counter() - started)
        store.close()

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "SERVICEGRAPH_DATA_DIR": str(data_dir)}
        env.pop("SERVICEGRAPH_TOKEN", None)
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "servicegraph"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/queries", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start")
                time.sleep(0.2)

            def one(client: httpx.Client) -> float:
                t = time.perf_counter()
                response = client.post(
                    base + "/sparql", data={"query": sparql}, headers={"Accept": JSON}
                )
                response.raise_for_status()
                return time.perf_counter() - t

            clients = [httpx.Client(timeout=30) for _ in range(args.clients)]
            for c in clients:  # warm up connections and workers
                one(c)
            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                latencies = list(
                    pool.map(lambda i: one(clients[i % args.clients]), range(args.requests))
                )
            wall = time.perf_counter() - started
            for c in clients:
                c.close()
            endpoint_rps = report(f"/sparql ({args.clients} clients)", latencies, wall)
        finally:
            server.terminate()
            server.wait(10)
        print(
            f"overhead: the endpoint serves {endpoint_rps / direct_rps:.2f}x the in-process "
            f"rate; p50 {statistics.median(latencies) / statistics.median(direct):.1f}x"
        )


if __name__ == "__main__":
    main()
