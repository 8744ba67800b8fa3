"""Benchmark of the dependency analytics: projection build and impact-query latency.

Prints figures, asserts nothing (speed is never checked by unit tests). Two scales:

* the five example cards, ingested into a temporary data directory;
* a synthetic store of N services (default 5,000 and 10,000) generated here with a fixed
  seed: agencies in a hierarchy, systems of which 70 % route through GSB, exchanges whose
  counterpart is drawn from a heavy-tailed (Zipf, s=1.1) distribution so a few hubs serve
  a large share of services, 10 % sub-services, 80 % of services with a recipient count.
  It is loaded into an in-memory pyoxigraph store and projected with the same five
  queries as a real store.

Targets (README "Performance"): impact of the top hub on 10,000 services < 100 ms after
the graph is built; national scale <= 50 ms at 5,000 services; the projection build near
the reference 0.80 s at 10,000 services. Every figure is printed as wall time and CPU time
(``time.process_time``), because the bench machine is shared: CPU time is what the code
costs, wall time what a user waits on a busy machine. Figures are medians.

Run: ``.venv/bin/python bench/analysis_bench.py [--services 5000 10000] [--repeat 20]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.analysis.criticality import hubs, reach_index
from graph.analysis.formats import to_json
from graph.analysis.impact import impact
from graph.analysis.matrix import dependency_matrix
from graph.analysis.projection import dependency_graph_from_rows
from graph.analysis.propagation import propagation_index
from graph.analysis.sources import dependency_graph
from graph.store.rows import oxigraph_select
from ontology.namespace import ID, ORG, REF, SG, concept

ROOT = Path(__file__).resolve().parents[1]
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
IDENT = ox.NamedNode("http://purl.org/dc/terms/identifier")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def synthetic_store(services: int, seed: int = 20240601) -> tuple[ox.Store, int]:
    """An in-memory store shaped like the national corpus; returns (store, quad count)."""
    rng = random.Random(seed)
    n_agencies, n_systems, n_fields = max(50, services // 5), max(60, services // 20), 2000
    quads: list[ox.Quad] = []
    ref = _n(ID["graph/reference"])

    def add(s: Any, p: Any, o: Any, g: ox.NamedNode) -> None:
        quads.append(ox.Quad(s, p, o, g))

    agencies = [_n(REF[f"agency/a{i}"]) for i in range(n_agencies)]
    for i, a in enumerate(agencies):
        add(a, RDF_TYPE, _n(SG.Agency), ref)
        add(a, LABEL, ox.Literal(f"دستگاه {i}", language="fa"), ref)
        if i:
            add(a, _n(ORG.subOrganizationOf), agencies[rng.randrange(max(1, i // 3))], ref)
    systems = [_n(REF[f"system/sys{i}"]) for i in range(n_systems)]
    gsb = systems[0]
    for i, s in enumerate(systems):
        add(s, RDF_TYPE, _n(SG.System), ref)
        add(s, LABEL, ox.Literal(f"سامانه {i}", language="fa"), ref)
        add(s, _n(SG.operatedBy), agencies[rng.randrange(n_agencies)], ref)
        if i and rng.random() < 0.7:
            add(s, _n(SG.routedVia), gsb, ref)
    fields = [_n(REF[f"field/f{i}"]) for i in range(n_fields)]
    for i, f in enumerate(fields):
        add(f, RDF_TYPE, _n(SG.ExchangedField), ref)
        add(f, LABEL, ox.Literal(f"فیلد {i}", language="fa"), ref)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(n_systems)]
    modes = [_n(concept("inquiry", m)) for m in ("online", "batch", "unknown", "non_electronic")]
    scopes = [_n(concept("scope", s)) for s in ("internal", "external")]
    svc_nodes: list[ox.NamedNode] = []
    for i in range(services):
        g = _n(ID[f"card/c{i}"])
        svc = _n(ID[f"service/s{i}"])
        add(g, RDF_TYPE, _n(SG.CardRecord), g)
        add(g, _n(SG.describes), svc, g)
        add(svc, RDF_TYPE, _n(SG.Service), g)
        add(svc, IDENT, ox.Literal(str(10_000_000 + i)), g)
        add(svc, TITLE, ox.Literal(f"خدمت {i}", language="fa"), g)
        add(svc, _n(SG.providedBy), agencies[rng.randrange(n_agencies)], g)
        if rng.random() < 0.8:
            people = ox.Literal(str(int(rng.lognormvariate(8, 2))), datatype=XSD_INTEGER)
            add(svc, _n(SG.recipientsPerYear), people, g)
        if svc_nodes and rng.random() < 0.1:
            add(svc, _n(SG.subServiceOf), rng.choice(svc_nodes), g)
        for k in range(rng.randint(1, 9)):
            x = _n(ID[f"exchange/s{i}/{k}"])
            add(svc, _n(SG.hasExchange), x, g)
            add(x, _n(SG.counterpartSystem), rng.choices(systems, weights)[0], g)
            add(x, _n(SG.exchangesField), rng.choice(fields), g)
            add(x, _n(SG.inquiryType), rng.choice(modes), g)
            add(x, _n(SG.scope), rng.choice(scopes), g)
        svc_nodes.append(svc)
    store = ox.Store()
    store.bulk_extend(quads)
    return store, len(quads)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Median wall and CPU time in ms over ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        result = None  # freeing the last result is not the cost of the next call
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus), result


def line(name: str, wall: float, cpu: float, note: str = "") -> None:
    print(f"{name:<34} {wall:9.1f} ms wall {cpu:9.1f} ms cpu  {note}".rstrip())


def report(scale: str, G: Any, build: tuple[float, float], repeat: int) -> None:
    wall, cpu, _ = timed(lambda: propagation_index(G))
    reach = reach_index(G)
    systems = [n for n, k in G.nodes(data="kind") if k == "system"]
    by_direct = max(systems, key=lambda n: reach.direct[n].bit_count())
    by_reach = max(systems, key=lambda n: reach.transitive[n].bit_count())
    n_services = sum(1 for _, k in G.nodes(data="kind") if k == "service")
    print(f"\n== {scale}: {n_services:,} services, {G.number_of_nodes():,} nodes, "
          f"{G.number_of_edges():,} edges")  # fmt: skip
    line("projection build", *build)
    line("propagation index (once)", wall, cpu)
    for name, hub in (("top direct hub", by_direct), ("top transitive hub", by_reach)):
        wall, cpu, result = timed(lambda hub=hub: impact(G, [hub]), repeat)
        t = result.totals
        line(f"impact {name}", wall, cpu, f"({t['services']:,} services, {t['direct']:,} direct, "
             f"{t['recipients_per_year']:,} people/yr)  {hub.rsplit('/', 1)[-1]}")  # fmt: skip
    wall, cpu, _ = timed(lambda: impact(G, [by_direct], depth=1), repeat)
    line("impact top hub, depth 1", wall, cpu)
    wall, cpu, _ = timed(lambda: impact(G, [by_direct]).services, max(1, repeat // 4))
    line("impact top hub + service list", wall, cpu)
    wall, cpu, _ = timed(lambda: to_json(impact(G, [by_direct])), max(1, repeat // 4))
    line("impact top hub as JSON (API body)", wall, cpu)
    wall, cpu, _ = timed(lambda: hubs(G, 20))
    line("hubs (reach, betweenness, cut points)", wall, cpu)
    wall, cpu, _ = timed(lambda: dependency_matrix(G))
    line("agency matrix", wall, cpu)


def examples(repeat: int) -> None:
    from graph.store.embedded import EmbeddedStore
    from graph.testing import ingest_examples

    with tempfile.TemporaryDirectory() as tmp:
        ingest_examples(Path(tmp))
        store = EmbeddedStore(Path(tmp), read_only=True)
        wall, cpu, G = timed(lambda: dependency_graph(store), 3)
        report("example cards", G, (wall, cpu), repeat)
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, nargs="+", default=[5000, 10_000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-examples", action="store_true")
    args = parser.parse_args()
    if not args.skip_examples:
        examples(args.repeat)
    for n in args.services:
        start = time.perf_counter()
        store, quads = synthetic_store(n)
        load_ms = (time.perf_counter() - start) * 1000
        wall, cpu, G = timed(
            lambda store=store: dependency_graph_from_rows(oxigraph_select(store)), 3
        )
        print(f"\n(synthetic store: {quads:,} quads generated and loaded in {load_ms:,.0f} ms)")
        report(f"synthetic {n:,}", G, (wall, cpu), args.repeat)


if __name__ == "__main__":
    main()
