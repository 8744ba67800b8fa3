"""Helpers shared by the bench scripts: percentiles, peak memory and a load client.

Starting a server and ingesting the example cards are in :mod:`graph.testing` (shared with
the test fixtures).

The load client runs as its own process (``python bench/common.py load URL ...``) so that
the server's figures are not measured against a client sharing its interpreter.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
JSON = "application/sparql-results+json"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def peak_rss_mib(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of ``pid`` from /proc, or of this process."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def load(url: str, requests: int, clients: int, sparql: str | None) -> dict[str, float]:
    """Send ``requests`` GETs (or /sparql POSTs when ``sparql``) from ``clients`` threads."""
    errors = 0

    def one(client: httpx.Client) -> float:
        nonlocal errors
        t = time.perf_counter()
        try:
            if sparql is None:
                response = client.get(url)
            else:
                response = client.post(url, data={"query": sparql}, headers={"Accept": JSON})
            if response.status_code != 200:
                errors += 1
        except httpx.HTTPError:
            errors += 1
        return time.perf_counter() - t

    pool_clients = [httpx.Client(timeout=60) for _ in range(clients)]
    for c in pool_clients:  # warm up connections and caches
        one(c)
    errors = 0
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        lat = list(pool.map(lambda i: one(pool_clients[i % clients]), range(requests)))
    wall = time.perf_counter() - started
    for c in pool_clients:
        c.close()
    return {
        "requests": requests,
        "rps": requests / wall,
        "p50_ms": 1000 * statistics.median(lat),
        "p99_ms": 1000 * percentile(lat, 0.99),
        "errors": errors,
    }


def run_load(url: str, requests: int, clients: int, sparql: str | None = None) -> dict[str, float]:
    """:func:`load` in a separate Python process; returns its figures."""
    args = [sys.executable, __file__, "load", url, str(requests), str(clients)]
    out = subprocess.run(
        args, input=sparql or "", capture_output=True, text=True, check=True, timeout=900
    )
    return json.loads(out.stdout)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="load client (reads a SPARQL query on stdin)")
    parser.add_argument("mode", choices=["load"])
    parser.add_argument("url")
    parser.add_argument("requests", type=int)
    parser.add_argument("clients", type=int)
    opts = parser.parse_args()
    query = sys.stdin.read().strip() or None
    print(json.dumps(load(opts.url, opts.requests, opts.clients, query)))
