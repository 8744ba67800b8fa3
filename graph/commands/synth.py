"""``servicegraph synth``: write a seeded synthetic corpus of cards (see :mod:`graph.synth`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from graph.synth import MAX_SERVICES


def synth(
    services: Annotated[
        int, typer.Option("--services", "-n", min=0, max=MAX_SERVICES, help="How many cards.")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Same seed, same files.")] = 0,
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Output folder (created when missing).")
    ] = Path("synth-cards"),
) -> None:
    """Write N realistic synthetic cards (.txt) and their expected canonical JSON."""
    from graph.synth import write_corpus

    started = time.perf_counter()
    counts = write_corpus(services, out, seed=seed)
    took = time.perf_counter() - started
    layouts = ", ".join(f"{n} {layout}" for layout, n in counts.items())
    typer.echo(f"wrote {services} cards to {out} in {took:.1f} s ({layouts}); seed {seed}")
