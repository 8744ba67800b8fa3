"""Endpoint overhead: a catalogue query through /sparql versus the same query on the store.

Ingests the example cards into a temporary store, starts ``servicegraph serve`` (uvicorn)
in a separate process on a free loopback port, then sends a bounded number of requests
from a few client threads (httpx, in their own process: ``bench/common.py``) and prints
requests/s and p50/p99 latency; the same query run in-process on the store gives the
baseline, and the ratio is the overhead.

    .venv/bin/python bench/api_bench.py [--requests 400] [--clients 4] [--query NAME]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import JSON, percentile, run_load

from graph.sparql import catalogue
from graph.store.embedded import EmbeddedStore
from graph.testing import ingest_examples, serve


def report(name: str, requests: int, rps: float, p50_ms: float, p99_ms: float) -> None:
    print(
        f"{name:<22} {requests:>5} req  {rps:>8.1f} req/s  "
        f"p50 {p50_ms:7.2f} ms  p99 {p99_ms:7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--query", default="agency-dependencies")
    args = parser.parse_args()
    sparql = catalogue.load(args.query).render({})

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        ingest_examples(data_dir)
        store = EmbeddedStore(data_dir, read_only=True)
        print(f"store: {store.triple_count()} quads; query: {args.query}")
        direct = []
        started = time.perf_counter()
        for _ in range(args.requests):
            t = time.perf_counter()
            store.query_serialized(sparql, JSON, max_results=100_000)
            direct.append(time.perf_counter() - t)
        direct_rps = len(direct) / (time.perf_counter() - started)
        direct_p50 = 1000 * statistics.median(direct)
        report(
            "store (in-process)",
            len(direct),
            direct_rps,
            direct_p50,
            1000 * percentile(direct, 0.99),
        )
        store.close()

        # Without the result cache every request runs in a worker: the endpoint's own
        # overhead. With it (the default) repeats are answered from memory.
        for label, cache in (("no cache", "0"), ("result cache", None)):
            env = {} if cache is None else {"SERVICEGRAPH_RESULT_CACHE_BYTES": cache}
            with serve(data_dir, env=env) as server:
                figures = run_load(server.url + "/sparql", args.requests, args.clients, sparql)
            if figures["errors"]:
                raise SystemExit(f"{figures['errors']} requests failed")
            report(
                f"/sparql, {label} ({args.clients} clients)",
                args.requests,
                figures["rps"],
                figures["p50_ms"],
                figures["p99_ms"],
            )
            print(
                f"  {label}: the endpoint serves {figures['rps'] / direct_rps:.2f}x the "
                f"in-process rate; p50 {figures['p50_ms'] / direct_p50:.1f}x"
            )


if __name__ == "__main__":
    main()
