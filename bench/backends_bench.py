"""Ingest throughput and catalogue-query latency: embedded store vs Oxigraph server vs Virtuoso.

The cards are ingested once into an in-memory embedded store (parse, build, validate are
the same work whatever the backend, so they are not timed); the resulting card graphs are
copied ``--copies`` times with distinct IRIs (``.../id/...-c<N>``) and written to each
backend in batches of 32, as ``servicegraph ingest`` does. Then every catalogue query runs
``--repeat`` times per backend. Figures are printed with the ratio to the embedded store.

    .venv/bin/python bench/backends_bench.py                 # 5 example cards x 20 copies
    .venv/bin/python bench/backends_bench.py --cards-dir DIR --copies 1   # a real corpus
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graph" / "store"))

from servers import ServerMissingError, oxigraph_server, virtuoso_server  # noqa: E402

from graph.ingest import ingest  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.sparql.catalogue import catalogue  # noqa: E402
from graph.store.base import REFERENCE_GRAPH, Store  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.store.remote import RemoteStore  # noqa: E402
from ontology.namespace import ID  # noqa: E402

BATCH = 32


def card_graphs(cards_dir: Path, copies: int) -> dict[URIRef, Graph]:
    """The named graphs of the corpus, the card graphs repeated ``copies`` times."""
    source = EmbeddedStore(None)
    ingest([cards_dir], source, data_dir=None)
    graphs = {REFERENCE_GRAPH: source.get_graph(REFERENCE_GRAPH)}
    cards = {n: source.get_graph(n) for n in source.graph_names() if n != REFERENCE_GRAPH}
    base = str(ID)
    for k in range(copies):

        def rename(term, k=k):
            if isinstance(term, URIRef) and str(term).startswith(base):
                return URIRef(f"{term}-c{k}")
            return term

        for name, graph in cards.items():
            copy = Graph()
            for s, p, o in graph:
                copy.add((rename(s), rename(p), rename(o)))
            graphs[rename(name)] = copy
    return graphs


def write(store: Store, graphs: dict[URIRef, Graph]) -> float:
    items = list(graphs.items())
    start = time.perf_counter()
    for i in range(0, len(items), BATCH):
        batch = dict(items[i : i + BATCH])
        store.replace_graphs(batch)
    return time.perf_counter() - start


def latencies(store: Store, repeat: int) -> dict[str, float]:
    out = {}
    for name, query in sorted(catalogue().items()):
        sparql, runs = query.render(), []
        for _ in range(repeat):
            start = time.perf_counter()
            result = store.query(sparql)
            runs.append(time.perf_counter() - start)
            if result.truncated:
                name += " (TRUNCATED)"
        out[name] = statistics.median(runs)
    start = time.perf_counter()
    for _ in range(repeat):
        store.revision()
    out["revision()"] = (time.perf_counter() - start) / repeat
    return out


def measure(store: Store, graphs: dict[URIRef, Graph], repeat: int) -> dict[str, float]:
    seconds = write(store, graphs)
    figures = {"ingest (graphs/s)": len(graphs) / seconds}
    figures.update(latencies(store, repeat))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards-dir", type=Path, default=ROOT / "examples" / "cards")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    graphs = card_graphs(args.cards_dir, args.copies)
    triples = sum(len(g) for g in graphs.values())
    print(f"{len(graphs) - 1} card graphs + reference, {triples} triples, batches of {BATCH}")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp))
        results["embedded"] = measure(store, graphs, args.repeat)
        store.close()
    for name, factory in (("oxigraph", oxigraph_server), ("virtuoso", virtuoso_server)):
        try:
            with factory(max_rows=100_000) if name == "virtuoso" else factory() as server:
                remote = RemoteStore.from_settings(Settings(store=server.url, **server.settings))
                results[name] = measure(remote, graphs, args.repeat)
                remote.close()
        except ServerMissingError as exc:
            print(f"{name}: skipped ({exc})")
    backends = list(results)
    print(f"{'figure':44}" + "".join(f"{b:>22}" for b in backends))
    for key in results["embedded"]:
        base = results["embedded"][key]
        cells = []
        for b in backends:
            value = results[b].get(key)
            if value is None:
                cells.append(f"{'-':>22}")
                continue
            unit = f"{value:9.1f}/s" if key.startswith("ingest") else f"{value * 1000:9.1f} ms"
            cells.append(f"{unit} ({value / base:5.2f}x)")
        print(f"{key[:44]:44}" + "".join(f"{c:>22}" for c in cells))


if __name__ == "__main__":
    main()
