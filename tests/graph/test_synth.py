"""The synthetic corpus: deterministic, realistic in its shares, and read back by the parser."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.card import Card
from graph.parser import parse_text
from graph.resolve import Resolver
from graph.synth import generate, write_corpus
from graph.synth.words import register, vocabulary
from servicegraph.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _scoring():
    """The parser engineer's port of CARD_SCHEMA.md's scoring (reused, not copied)."""
    from tests.graph.parser import card_scoring

    return card_scoring


@pytest.fixture(scope="module")
def corpus():
    return list(generate(400, seed=11))


def test_same_seed_gives_byte_identical_files(tmp_path):
    write_corpus(30, tmp_path / "a", seed=3)
    write_corpus(30, tmp_path / "b", seed=3)
    write_corpus(30, tmp_path / "c", seed=4)
    a = {p.name: p.read_bytes() for p in sorted((tmp_path / "a").iterdir())}
    b = {p.name: p.read_bytes() for p in sorted((tmp_path / "b").iterdir())}
    c = {p.name: p.read_bytes() for p in sorted((tmp_path / "c").iterdir())}
    assert len(a) == 60 and a == b
    assert a.keys() == c.keys() and a != c


def test_expected_json_is_the_canonical_card_of_each_text(tmp_path):
    write_corpus(12, tmp_path, seed=2)
    for sc in generate(12, seed=2):
        text = (tmp_path / f"{sc.stem}.txt").read_text(encoding="utf-8")
        data = json.loads((tmp_path / f"{sc.stem}.expected.json").read_text(encoding="utf-8"))
        assert text == sc.text
        assert Card.model_validate(data) == sc.card
        assert data["source"] == f"{sc.stem}.txt"


def test_service_ids_are_unique_10_or_11_digits(corpus):
    ids = [sc.card.service_id for sc in corpus]
    assert len(set(ids)) == len(ids)
    assert all(i.isascii() and i.isdigit() and len(i) in (10, 11) for i in ids)


def test_agencies_span_the_provinces_under_their_national_parents(corpus):
    provinces = [p for p, _capital in vocabulary()["provinces"]]
    names = {sc.card.agency for sc in corpus}
    seen = {p for p in provinces if any(n.endswith(" " + p) for n in names)}
    assert len(provinces) == 31 and len(seen) >= 25
    nocr = register().agencies["nocr"].label
    offices = [sc.card for sc in corpus if sc.card.agency.startswith("اداره کل ثبت احوال استان")]
    assert all(c.parent_agency == nocr for c in offices)


def test_hubs_are_register_systems_used_heavy_tailed(corpus):
    resolver = Resolver.default()
    uses: Counter[str] = Counter()
    for sc in corpus:
        for x in sc.card.external_exchanges:
            res = resolver.system(x.system, agency=x.agency) if x.system else None
            if res is not None:
                uses[str(res.iri).rsplit("/", 1)[-1]] += 1
    top = [name for name, _n in uses.most_common(3)]
    assert top[0] == "gsb"
    assert {"nocr-identity", "shahkar"} & set(top)
    counts = sorted(uses.values(), reverse=True)
    assert counts[0] > 10 * statistics.median(counts)  # a few hubs, a long tail


def test_inquiry_modes_and_recipients_follow_real_shares(corpus):
    rows = [x for sc in corpus for x in sc.card.external_exchanges + sc.card.internal_exchanges]
    modes = Counter(x.inquiry for x in rows)
    assert modes["online"] > 0.5 * len(rows)
    assert modes["batch"] and modes["non_electronic"] and modes[None]
    assert modes["non_electronic"] < modes["online"] / 3
    counts = [sc.card.recipients.count for sc in corpus if sc.card.recipients]
    assert max(counts) > 100 * statistics.median(counts)
    assert {sc.card.recipients.period for sc in corpus if sc.card.recipients} == {
        "month",
        "season",
        "year",
    }
    assert any(sc.card.subservice_id for sc in corpus)
    assert any(sc.card.licenses for sc in corpus)
    assert {sc.layout for sc in corpus} == {"pdf", "pdf-reversed", "web"}


def test_parser_reads_the_synthetic_layouts():
    scoring = _scoring()
    scores = []
    for sc in generate(40, seed=2024):
        got = parse_text(sc.text, f"{sc.stem}.txt").to_dict()
        scores.append(statistics.mean(scoring.score_card(got, sc.card.to_dict()).values()))
    assert statistics.mean(scores) >= 0.95


def test_cli_writes_the_corpus_and_refuses_a_bad_count(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--services", "5", "--seed", "9", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.txt"))) == 5
    assert len(list(tmp_path.glob("*.expected.json"))) == 5
    bad = runner.invoke(app, ["synth", "--services", "-1", "-o", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--services" in bad.output
