"""Catalogue-query latency on an existing data dir: p50/p95 per query on the embedded store.

Runs every catalogue query (``graph/sparql/queries/*.rq``) as ``GET /queries/NAME`` does: without
parameters (the "everything" case) its first page of ``page_size`` rows and its last page
(a page deep in a listing costs the skipped keys), the parameterised ones again with a hub
value (Shahkar, the mobile number), and the name lookup a parameter given as a name needs
(:func:`graph.sparql.catalogue.candidates_query`). The whole unpaged answer (what ``format=csv``
downloads) is measured too, as an export: tens of thousands of rows, no latency target.
Each case runs ``--repeat`` times on the store opened read-only, after one warm-up run.
Build the data dir once and reuse it, e.g.::

    .venv/bin/servicegraph synth --services 5000 --seed 7 -o /tmp/cards5k
    SERVICEGRAPH_DATA_DIR=/tmp/data5k .venv/bin/servicegraph ingest examples/cards /tmp/cards5k
    .venv/bin/python bench/catalogue_bench.py --data-dir /tmp/data5k

(``synth`` also writes ``*.expected.json`` beside the cards; ingest only the ``.txt``.)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import percentile  # noqa: E402

from graph.settings import Settings  # noqa: E402
from graph.sparql.catalogue import PARAM_KINDS, Page, candidates_query, catalogue  # noqa: E402
from graph.store.base import RESULT_FORMATS  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from ontology.namespace import REF  # noqa: E402

TARGET_MS = 300.0
# Hub values: the parameterised queries at their most expensive (most services match).
HUB_VALUES = {
    "services-by-system": {"system": [REF["system/shahkar"]]},
    "field-recipients": {"field": [REF["field/mobile-number"]]},
}


def cases(store: EmbeddedStore) -> list[tuple[str, str, bool]]:
    """(label, SPARQL, held to the target) of every case measured."""
    size = Settings().page_size
    out = []
    for name, query in sorted(catalogue().items()):
        rows = len(store.query(query.render()).rows)
        out.append((f"{name} page 1", query.render(page=Page(size)), True))
        if rows > size:
            last = Page(size, (rows - 1) // size * size)
            out.append((f"{name} page {last.offset // size + 1}", query.render(page=last), True))
            out.append((f"{name} export", query.render(), False))
        if name in HUB_VALUES:
            value = next(iter(HUB_VALUES[name].values()))[0]
            label = f"{name} ({value.rsplit('/', 1)[-1]}) page 1"
            out.append((label, query.render(HUB_VALUES[name], Page(size)), True))
    for kind in PARAM_KINDS:
        if kind != "literal":
            out.append((f"name lookup ({kind})", candidates_query(kind), True))
    return out


def measure(store: EmbeddedStore, sparql: str, repeat: int) -> tuple[list[float], list[float], int]:
    """Milliseconds per run as rows of Python terms (what ``GET /queries/NAME`` does) and as
    pyoxigraph's own JSON (``?format=json``: the engine without the term conversion)."""
    rows = len(store.query(sparql).rows)  # warm-up, and the row count
    runs, native = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        store.query(sparql)
        runs.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.query_serialized(sparql, RESULT_FORMATS["json"])
        native.append((time.perf_counter() - start) * 1000)
    return runs, native, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", help="run only the cases whose label contains this text")
    args = parser.parse_args()
    if not (args.data_dir / "store").is_dir():
        parser.error(f"--data-dir {args.data_dir}: no store folder (ingest cards there first)")
    store = EmbeddedStore(args.data_dir, read_only=True)
    try:
        triples = store.triple_count()
        services = store.query(
            "PREFIX sg: <https://w3id.org/servicegraph/ontology#> "
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a sg:Service }"
        ).rows[0][0]
        print(f"{args.data_dir}: {services} services, {triples} quads; {args.repeat} runs each")
        print(
            f"{'query':<44} {'p50 ms':>8} {'p95 ms':>8} {'json p50':>9} {'json p95':>9} {'rows':>6}"
        )
        missed = []
        for label, sparql, held in cases(store):
            if args.only and args.only not in label:
                continue
            runs, native, rows = measure(store, sparql, args.repeat if held else 2)
            p95 = percentile(runs, 0.95)
            flag = "" if p95 <= TARGET_MS or not held else "  > target"
            print(
                f"{label:<44} {percentile(runs, 0.5):>8.1f} {p95:>8.1f} "
                f"{percentile(native, 0.5):>9.1f} {percentile(native, 0.95):>9.1f} {rows:>6}{flag}"
            )
            if flag:
                missed.append(label)
        verdict = "met" if not missed else "missed by " + ", ".join(missed)
        print(f"target p95 <= {TARGET_MS:.0f} ms (rows as Python terms, pages): {verdict}")
    finally:
        store.close()


if __name__ == "__main__":
    main()
