"""The national-scale benchmark suite (``make bench``): synthetic corpora of each size, end to end.

    .venv/bin/python bench/run.py                       # sizes 5,000 and 50,000, 3 runs
    .venv/bin/python bench/run.py --sizes 500,5000 --runs 1 [--profile]

For each size it writes a seeded synthetic corpus (:mod:`graph.synth`), then measures
(median of ``--runs`` runs where a figure is repeated): parse throughput; full ingest
(parse + resolve + build + per-card SHACL + load) into a fresh embedded store, in a child
process so its peak RSS is its own; store size on disk and time to reopen it; every
catalogue query (p50/p95 on the embedded store, and once on a plain rdflib Dataset
holding the same quads, up to ``--rdflib-max``); the dependency-graph projection; impact
of GSB and of a small system; hub ranking; the aggregated landscape HTML; ``servicegraph
serve`` under load from a separate client process (/sparql and a REST endpoint), with the
server's peak RSS. Prints a table per size, flags missed targets, and writes
``bench/results/<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    JSON,
    disk_mib,
    peak_rss_mib,
    percentile,
    run_load,
)

GSB = "https://w3id.org/servicegraph/ref/system/gsb"
# The everyday form of the parameterised queries, at their worst case: the top hub and
# the most exchanged field. Every query is measured as GET /queries/NAME runs it, a page
# of page_size rows (the first, and the last where there are several); the whole unpaged
# listing (a format=csv download, tens of thousands of rows) is measured as an export.
BOUND = {
    "services-by-system": ("system", GSB),
    "field-recipients": ("field", "https://w3id.org/servicegraph/ref/field/mobile-number"),
}
TARGETS = {  # figure -> (bound, "min" or "max"), checked at 5,000 services
    "ingest_cards_per_s": (100, "min"),
    "query_p95_ms_max": (300, "max"),
    "impact_gsb_ms": (50, "max"),
    "server_sparql_rps": (200, "min"),
    "server_rss_mib": (1024, "max"),
}


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def ingest_child(cards: Path, data: Path, profile: bool) -> None:
    """Run in a child process: ingest ``cards`` into a fresh store at ``data``."""
    from graph.ingest import ingest
    from graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(data)
    prof = cProfile.Profile() if profile else None
    t = time.perf_counter()
    if prof:
        prof.enable()
    report = ingest([cards], store, data_dir=data)
    if prof:
        prof.disable()
    wall = time.perf_counter() - t
    out = {
        "cards": len(report.cards),
        "loaded": len(report.loaded),
        "failed": len(report.failed),
        "violations": report.violations,
        "wall_s": wall,
        "cards_per_s": len(report.cards) / wall,
        "triples": store.triple_count(),
        "rss_mib": peak_rss_mib(),
    }
    store.close()
    if prof:
        from ingest_bench import STAGES

        stats = pstats.Stats(prof)
        out["stages_s"] = {
            stage: max((v[3] for k, v in stats.stats.items() if where in k[0]), default=0.0)
            for stage, where in STAGES.items()
        }
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        out["profile"] = buf.getvalue()
    print(json.dumps(out))


def run_ingest(cards: Path, data: Path, profile: bool) -> dict:
    import subprocess

    args = [sys.executable, __file__, "--ingest-child", str(cards), str(data)]
    done = subprocess.run(
        [*args, *(["--profile"] if profile else [])], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"ingest failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(n: int, opts: argparse.Namespace, work: Path) -> dict:
    from graph.parser import parse_text
    from graph.synth import write_corpus

    res: dict = {"services": n}
    cards = work / f"cards-{n}"
    _, res["synth_s"] = timed(write_corpus, n, cards, seed=opts.seed)
    print(f"[{n}] corpus written in {res['synth_s']:.1f} s", flush=True)

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(cards.glob("*.txt"))]
    sample = texts[: min(len(texts), 3000)]
    rates = []
    for _ in range(opts.runs):
        cpu = time.process_time()
        for name, text in sample:
            parse_text(text, name)
        rates.append(len(sample) / (time.process_time() - cpu))
    res["parse_cards_per_s"] = statistics.median(rates)

    ingests = []
    for run in range(opts.runs if n <= 5000 else 1):
        data = work / f"data-{n}-{run}"
        ingests.append(run_ingest(cards, data, opts.profile and run == 0))
        print(f"[{n}] ingest run {run + 1}: {ingests[-1]['cards_per_s']:.1f} cards/s", flush=True)
    data = work / f"data-{n}-0"
    res["ingest"] = {k: v for k, v in ingests[0].items() if k != "profile"}
    res["ingest_cards_per_s"] = statistics.median(i["cards_per_s"] for i in ingests)
    res["ingest_rss_mib"] = max(i["rss_mib"] for i in ingests)
    res["store_mib"] = disk_mib(data)
    if "profile" in ingests[0]:
        res["ingest_profile"] = ingests[0]["profile"]

    from graph.store.embedded import EmbeddedStore

    reopen = []
    for _ in range(opts.runs):
        store, took = timed(EmbeddedStore, data, read_only=True)
        store.triple_count()
        reopen.append(took)
        store.close()
    res["reopen_ms"] = 1000 * statistics.median(reopen)

    store = EmbeddedStore(data, read_only=True)
    res["queries"] = bench_queries(store, n, opts)
    paged = {k: q for k, q in res["queries"].items() if not k.endswith(" export")}
    res["query_p95_ms_max"] = max(q["p95_ms"] for q in paged.values())
    res["export_p95_ms_max"] = max(
        (q["p95_ms"] for k, q in res["queries"].items() if k.endswith(" export")), default=0.0
    )
    res.update(bench_analysis(store, opts))
    store.close()
    # A simple catalogue query under load: the services of one small system (few rows),
    # so the figure is the endpoint's own throughput, not one heavy query's cost.
    res["server_query"] = f"services-by-system[system={res.pop('small_system')}]"
    res.update(bench_server(data, res["server_query"], opts))
    return res


def rdflib_time(rdf, sparql: str, limit: float) -> float | None:
    """Seconds rdflib takes for ``sparql`` in a forked child, or None past ``limit``."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def child() -> None:
        t = time.perf_counter()
        len(list(rdf.query(sparql)))
        queue.put(time.perf_counter() - t)

    proc = ctx.Process(target=child)
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return queue.get() if not queue.empty() else None


def bench_queries(store, n: int, opts: argparse.Namespace) -> dict:
    from rdflib import Dataset, URIRef

    from graph.errors import StoreError
    from graph.settings import Settings
    from graph.sparql import catalogue

    out = {}
    size = Settings().page_size
    runs = []
    for name, q in catalogue.catalogue().items():
        whole = q.render({})
        runs.append((name, q.render({}, catalogue.Page(size))))
        rows = len(store.query(whole).rows)
        if rows > size:
            last = catalogue.Page(size, (rows - 1) // size * size)
            runs.append((f"{name} page {last.offset // size + 1}", q.render({}, last)))
            runs.append((f"{name} export", whole))
        if name in BOUND:
            param, iri = BOUND[name]
            value = iri.rsplit("/", 1)[-1]
            bound = q.render({param: [URIRef(iri)]}, catalogue.Page(size))
            runs.append((f"{name}[{param}={value}]", bound))
    for name, sparql in runs:
        lat = []
        for _ in range(max(5, 3 * opts.runs)):
            try:
                _, took = timed(store.query_serialized, sparql, JSON, timeout=opts.query_timeout)
            except StoreError:  # past the timeout: record the bound, do not repeat
                lat.append(opts.query_timeout)
                break
            lat.append(took)
            if took > 2.0:  # a slow query is measured once or twice, not a dozen times
                break
        row = {"p50_ms": 1000 * statistics.median(lat), "p95_ms": 1000 * percentile(lat, 0.95)}
        row["timed_out"] = lat[-1] >= opts.query_timeout
        out[name] = row
    if n > opts.rdflib_max:
        return out
    # rdflib only after every store figure: its millions of Python objects would slow this
    # process (the garbage collector walks them) and so every figure measured beside them.
    rdf = Dataset(default_union=True)
    _, out_load = timed(rdf.parse, data=store.export("nq"), format="nquads")
    for name, sparql in runs:
        row = out[name]
        took = rdflib_time(rdf, sparql, opts.rdflib_timeout)
        row["rdflib_ms"] = 1000 * took if took is not None else None
        if took is not None:
            row["ratio"] = row["rdflib_ms"] / max(row["p50_ms"], 1e-3)
    out["_rdflib_load_s"] = {"p50_ms": 0.0, "p95_ms": 0.0, "load_s": out_load}
    del rdf
    gc.collect()  # its reference cycles go now, not during the analysis figures
    return out


def bench_analysis(store, opts: argparse.Namespace) -> dict:
    from graph.analysis.criticality import hubs
    from graph.analysis.impact import impact
    from graph.analysis.sources import dependency_graph
    from viz.page import render
    from viz.views import landscape

    G, built = timed(dependency_graph, store)  # noqa: N806 (networkx's name for a graph)
    systems = [v for v, k in G.nodes(data="kind") if k == "system" and G.degree(v) > 0]
    small = min(systems, key=lambda v: (G.degree(v), v))
    runs = max(3, opts.runs)
    gsb = [timed(impact, G, [GSB])[1] for _ in range(runs)]
    small_t = [timed(impact, G, [small])[1] for _ in range(runs)]
    ranking = [timed(hubs, G, 20)[1] for _ in range(runs)]
    html, viz_t = timed(lambda: render(landscape(G, aggregate=True)))
    return {
        "graph_nodes": G.number_of_nodes(),
        "graph_edges": G.number_of_edges(),
        "graph_build_s": built,
        "impact_gsb_ms": 1000 * statistics.median(gsb),
        "impact_gsb_services": len(impact(G, [GSB]).services),
        "impact_small_ms": 1000 * statistics.median(small_t),
        "small_system": small,
        "hubs_s": statistics.median(ranking),
        "viz_landscape_s": viz_t,
        "viz_landscape_kib": len(html.encode()) / 1024,
    }


def bench_server(data: Path, query: str, opts: argparse.Namespace) -> dict:
    from rdflib import URIRef

    from graph.sparql import catalogue
    from graph.testing import serve

    name, _, bound = query.partition("[")
    params = {}
    if bound:
        param, _, iri = bound.rstrip("]").partition("=")
        params[param] = [URIRef(iri)]
    with serve(data, timeout=180) as server:
        sparql = catalogue.load(name).render(params)
        sp = run_load(server.url + "/sparql", opts.requests, opts.clients, sparql)
        rest_url = f"{server.url}/queries/{name}"
        if bound:
            rest_url += "?" + urlencode({param: iri})
        rest = run_load(rest_url, opts.requests, opts.clients)
        rss = peak_rss_mib(server.process.pid)
    return {
        "server_sparql": sp,
        "server_rest": rest,
        "server_sparql_rps": sp["rps"],
        "server_rss_mib": rss,
    }


def table(res: dict) -> str:
    n = res["services"]
    lines = [f"\n== {n:,} services =="]

    def row(label: str, value: str, key: str | None = None) -> None:
        flag = ""
        if key in TARGETS and n == 5000:
            bound, kind = TARGETS[key]
            ok = res[key] >= bound if kind == "min" else res[key] <= bound
            flag = f"  target {'>=' if kind == 'min' else '<='} {bound}: {'ok' if ok else 'MISSED'}"
        lines.append(f"{label:<44} {value:>14}{flag}")

    ing = res["ingest"]
    row("corpus generation (s)", f"{res['synth_s']:.1f}")
    row("parse (cards/s, CPU)", f"{res['parse_cards_per_s']:.0f}")
    row("full ingest (cards/s)", f"{res['ingest_cards_per_s']:.1f}", "ingest_cards_per_s")
    row("  loaded / failed / violations", f"{ing['loaded']}/{ing['failed']}/{ing['violations']}")
    row("  quads", f"{ing['triples']:,}")
    row("ingest peak RSS (MiB)", f"{res['ingest_rss_mib']:.0f}")
    row("store on disk (MiB)", f"{res['store_mib']:.1f}")
    row("reopen store (ms)", f"{res['reopen_ms']:.0f}")
    for name, q in res["queries"].items():
        if name.startswith("_"):
            row("rdflib Dataset load (s)", f"{q['load_s']:.1f}")
            continue
        extra = ""
        if "rdflib_ms" in q:
            extra = (
                f" rdflib {q['rdflib_ms']:.0f} ms ({q['ratio']:.0f}x)"
                if q["rdflib_ms"] is not None
                else " rdflib > timeout"
            )
        row(f"query {name} p50/p95 (ms)", f"{q['p50_ms']:.0f}/{q['p95_ms']:.0f}")
        if q.get("timed_out"):
            lines[-1] += " TIMED OUT"
        if extra:
            lines[-1] += extra
    row("slowest query page p95 (ms)", f"{res['query_p95_ms_max']:.0f}", "query_p95_ms_max")
    row("  slowest whole-listing export (ms)", f"{res['export_p95_ms_max']:.0f}")
    row("dependency graph build (s)", f"{res['graph_build_s']:.2f}")
    row("  nodes / edges", f"{res['graph_nodes']:,}/{res['graph_edges']:,}")
    row("impact GSB (ms)", f"{res['impact_gsb_ms']:.1f}", "impact_gsb_ms")
    row("  services affected by GSB", f"{res['impact_gsb_services']:,}")
    row("impact small system (ms)", f"{res['impact_small_ms']:.2f}")
    row("hub ranking top 20 (s)", f"{res['hubs_s']:.2f}")
    row("aggregated landscape HTML (s)", f"{res['viz_landscape_s']:.2f}")
    row("  size (KiB)", f"{res['viz_landscape_kib']:.0f}")
    sp, rest = res["server_sparql"], res["server_rest"]
    row(f"server /sparql {res['server_query']} (req/s)", f"{sp['rps']:.0f}", "server_sparql_rps")
    lines[-1] += f"  p50 {sp['p50_ms']:.0f} ms p99 {sp['p99_ms']:.0f} ms errors {sp['errors']}"
    row(f"server GET /queries/{res['server_query']} (req/s)", f"{rest['rps']:.0f}")
    lines[-1] += (
        f"  p50 {rest['p50_ms']:.0f} ms p99 {rest['p99_ms']:.0f} ms errors {rest['errors']}"
    )
    row("server peak RSS (MiB)", f"{res['server_rss_mib']:.0f}", "server_rss_mib")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rdflib-max", type=int, default=5000)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--query-timeout", type=float, default=60.0)
    parser.add_argument("--profile", action="store_true", help="cProfile the first ingest")
    parser.add_argument("--ingest-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.ingest_child:
        ingest_child(*opts.ingest_child, opts.profile)
        return
    sizes = [int(s) for s in opts.sizes.split(",") if s.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="sg-bench-") as tmp:
        for n in sizes:
            res = bench_size(n, opts, Path(tmp))
            results.append(res)
            print(table(res), flush=True)
            if "ingest_profile" in res:
                print(res["ingest_profile"])
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{datetime.now():%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps({"sizes": sizes, "results": results}, indent=1), encoding="utf-8")
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
