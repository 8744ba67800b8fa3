"""Visualization figures: HTML generation time and size, browser time-to-stabilized.

Usage::

    .venv/bin/python bench/viz_bench.py [--services 5000] [--seed 42] [--no-browser]

Prints one row per view for the example cards (ingested into a temporary embedded store)
and for a synthetic national-scale projection (:func:`viz.synthetic.synthetic_projection`).
Time-to-stabilized is ``window.__sgStabilizedMs`` in headless Chromium (/usr/bin/chromium):
milliseconds from navigation start until the network is drawn with physics settled.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.testing import CHROMIUM, CHROMIUM_ARGS, ingest_examples  # noqa: E402
from viz.network import ServiceNetwork  # noqa: E402
from viz.page import render  # noqa: E402
from viz.synthetic import synthetic_projection  # noqa: E402
from viz.views import find_node, focus, impact_view, landscape  # noqa: E402


def example_graph(folder: Path) -> tuple[str, nx.MultiDiGraph]:
    """The projection of examples/cards ingested into a fresh embedded store in ``folder``."""
    from graph.analysis.sources import dependency_graph
    from graph.store.embedded import EmbeddedStore

    ingest_examples(folder)
    store = EmbeddedStore(folder, read_only=True)
    try:
        return "example cards", dependency_graph(store)
    finally:
        store.close()


def views_of(G: nx.MultiDiGraph, large: bool) -> list[tuple[str, Callable[[], ServiceNetwork]]]:
    gsb = find_node(G, "system", "gsb")
    service = next(n for n, k in G.nodes(data="kind") if k == "service")
    if large:
        return [
            ("aggregated landscape", lambda: landscape(G)),
            ("focus service depth 2", lambda: focus(G, service, depth=2)),
            ("focus GSB depth 1", lambda: focus(G, gsb, depth=1)),
            ("impact Shahkar", lambda: impact_view(G, [find_node(G, "system", "shahkar")])),
        ]
    return [
        ("landscape", lambda: landscape(G)),
        ("aggregated landscape", lambda: landscape(G, aggregate=True)),
        ("focus GSB depth 2", lambda: focus(G, gsb, depth=2)),
        ("impact GSB", lambda: impact_view(G, [gsb])),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-browser", action="store_true")
    opts = parser.parse_args()
    browser = None
    if not opts.no_browser and CHROMIUM.exists():
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    data_dir = tempfile.TemporaryDirectory()
    name, small = example_graph(Path(data_dir.name))
    t = time.perf_counter()
    big = synthetic_projection(opts.services, seed=opts.seed)
    built = time.perf_counter() - t
    print(
        f"synthetic projection: {big.number_of_nodes()} nodes, {big.number_of_edges()} edges, "
        f"{opts.services} services, built in {built:.2f} s (seed {opts.seed})"
    )
    header = f"{'graph':<40} {'view':<24} {'nodes':>6} {'edges':>6} {'gen ms':>8} {'KiB':>7} "
    print(header + f"{'stable ms':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for graph_name, G, large in (
            (name, small, False),
            (f"synthetic {opts.services} services", big, True),
        ):
            for view, build in views_of(G, large):
                t = time.perf_counter()
                net = build()
                html = render(net)
                gen_ms = (time.perf_counter() - t) * 1000
                stable = "-"
                if browser is not None:
                    path = Path(tmp) / "view.html"
                    path.write_text(html, encoding="utf-8")
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(path.as_uri())
                    page.wait_for_selector(
                        "html[data-sg-stable]", state="attached", timeout=120_000
                    )
                    stable = str(page.evaluate("window.__sgStabilizedMs"))
                    page.close()
                size = len(html.encode("utf-8")) / 1024
                print(
                    f"{graph_name:<40} {view:<24} {len(net.nodes):>6} {len(net.edges):>6} "
                    f"{gen_ms:>8.0f} {size:>7.0f} {stable:>10}"
                )
    if browser is not None:
        browser.close()
        pw.stop()
    data_dir.cleanup()


if __name__ == "__main__":
    main()
