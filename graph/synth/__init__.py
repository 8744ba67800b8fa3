"""A seeded, deterministic corpus of realistic synthetic service identity cards.

``write_corpus(n, seed, out)`` writes ``n`` card TEXT files in the layouts the parser reads
(:mod:`graph.synth.render`) and beside each one ``<stem>.expected.json``, the canonical
object (:meth:`graph.card.Card.to_json`) that a correct parser reads from it. The same
``n`` and ``seed`` always give byte-identical files: every draw comes from one
:class:`random.Random` and nothing depends on the clock, the hash seed or the file system.
It is the input of the national-scale benchmarks (``bench/run.py``) and of the parser's
accuracy test on layouts beyond the five bundled cards.

>>> cards = list(generate(3, seed=1))
>>> [c.layout for c in cards], len({c.card.service_id for c in cards})
(['pdf', 'pdf', 'pdf'], 3)
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.card import Card
from graph.errors import ServicegraphError
from graph.synth.agencies import build_landscape
from graph.synth.cards import Composer
from graph.synth.render import LAYOUTS, render

__all__ = ["LAYOUT_SHARES", "MAX_SERVICES", "SynthCard", "generate", "write_corpus"]

# Most cards reach the register as PDF conversions; some converters reverse the tables;
# a share are agency web pages.
LAYOUT_SHARES = {"pdf": 0.7, "pdf-reversed": 0.1, "web": 0.2}
MAX_SERVICES = 1_000_000


@dataclass(frozen=True)
class SynthCard:
    """One generated card: its file stem, layout, text and intended canonical object."""

    stem: str
    layout: str
    text: str
    card: Card


def generate(n: int, *, seed: int = 0) -> Iterator[SynthCard]:
    """``n`` cards drawn with ``seed``; card ``i`` is named ``synth_<i>`` (zero-padded)."""
    if not 0 <= n <= MAX_SERVICES:
        raise ServicegraphError(f"synth: --services must be between 0 and {MAX_SERVICES}")
    rng = random.Random(seed)
    composer = Composer(build_landscape(rng), rng)
    layouts, weights = list(LAYOUT_SHARES), list(LAYOUT_SHARES.values())
    width = max(6, len(str(n)))
    for i in range(n):
        stem = f"synth_{i:0{width}d}"
        layout = rng.choices(layouts, weights)[0]
        text, expected = render(composer.card(f"{stem}.txt"), layout)
        yield SynthCard(stem, layout, text, expected)


def write_corpus(n: int, out: Path | str, *, seed: int = 0) -> dict[str, int]:
    """Write ``n`` cards and their expected JSON into ``out``; returns cards per layout."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServicegraphError(f"{out}: cannot create the output directory: {exc}") from exc
    counts = dict.fromkeys(LAYOUTS, 0)
    try:
        for sc in generate(n, seed=seed):
            (out / f"{sc.stem}.txt").write_text(sc.text, encoding="utf-8")
            (out / f"{sc.stem}.expected.json").write_text(
                sc.card.to_json(indent=1) + "\n", encoding="utf-8"
            )
            counts[sc.layout] += 1
    except OSError as exc:
        raise ServicegraphError(f"{out}: cannot write the corpus: {exc}") from exc
    return counts
