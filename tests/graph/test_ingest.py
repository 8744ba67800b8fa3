"""Ingest of the example cards into an on-disk store, end to end, and the CLI commands."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import PROV
from typer.testing import CliRunner

import graph.ingest as ingest_module
from graph.ingest import ingest, ingest_card, resolution_report, validate_store
from graph.parser import parse_file
from graph.store.base import REFERENCE_GRAPH
from graph.store.embedded import EmbeddedStore
from ontology.namespace import REF, SG
from servicegraph.cli import app

CARDS = Path(__file__).parents[2] / "examples" / "cards"


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path)
    yield s
    s.close()


def _quads(store: EmbeddedStore) -> set[tuple[str, ...]]:
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return {tuple(map(str, row)) for row in rows}


def test_ingest_examples(store: EmbeddedStore, tmp_path: Path) -> None:
    report = ingest([CARDS], store, data_dir=tmp_path)
    assert len(report.loaded) == 5 and not report.failed
    assert report.violations == 0
    assert len(store.graph_names()) == 6  # five cards + the register
    assert REFERENCE_GRAPH in store.graph_names()
    raw = sorted(p.name for p in (tmp_path / "raw").iterdir())
    assert len(raw) == 5 and all(name.endswith(".txt") for name in raw)
    for outcome in report.loaded:
        record = store.query(
            f"SELECT ?v WHERE {{ ?r <{SG.sourceFile}> {Literal(outcome.source).n3()} ;"
            f" <{SG.violationCount}> ?v }}"
        )
        assert record.rows == [(Literal(0),)]


def test_ingest_twice_same_triples(store: EmbeddedStore, tmp_path: Path) -> None:
    ingest([CARDS], store, data_dir=tmp_path)
    first = _quads(store)
    ingest([CARDS], store, data_dir=tmp_path)
    assert _quads(store) == first  # generatedAtTime kept while the bytes are the same


def test_new_version_replaces_only_its_graph(store: EmbeddedStore, tmp_path: Path) -> None:
    ingest([CARDS], store, data_dir=tmp_path)
    before = _quads(store)
    changed = tmp_path / "in" / "002_0d3b341d9a24ee21.txt"
    changed.parent.mkdir()
    text = (CARDS / changed.name).read_text(encoding="utf-8")
    changed.write_text(text.replace("دعوت به جلسه", "دعوت به نشست"), encoding="utf-8")
    report = ingest([changed], store, data_dir=tmp_path)
    after = _quads(store)
    key = report.loaded[0].key
    record = f"https://w3id.org/servicegraph/id/card/{key}"
    assert {q for q in before if q[0] != record} == {q for q in after if q[0] != record}
    assert any("دعوت به نشست" in q[3] for q in after if q[0] == record)
    assert len(store.graph_names()) == 6  # replaced, not added


def test_bad_card_reported_rest_loaded(store: EmbeddedStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CARDS, folder)
    (folder / "broken.txt").write_text("این یک شناسنامه نیست", encoding="utf-8")
    report = ingest([folder, tmp_path / "missing.txt"], store, data_dir=tmp_path)
    assert len(report.loaded) == 5
    assert {c.source for c in report.failed} == {"broken.txt", "missing.txt"}
    for failed in report.failed:
        assert failed.source in failed.error and "\n" not in failed.error


def test_interrupt_mid_card_keeps_previous_state(
    store: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest([CARDS], store, data_dir=tmp_path)
    before = _quads(store)
    calls = {"n": 0}
    real = ingest_module.validate

    def interrupted(graph, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(graph, **kw)

    monkeypatch.setattr(ingest_module, "validate", interrupted)
    edited = tmp_path / "in"
    edited.mkdir()
    for path in sorted(CARDS.iterdir()):  # new versions of every card
        (edited / path.name).write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(KeyboardInterrupt):
        ingest([edited], store, data_dir=tmp_path)
    after = _quads(store)
    changed = {q[0] for q in before ^ after}
    assert len(changed) == 2  # the two cards finished before Ctrl-C; the third is untouched


def test_strict_refuses_cards_with_violations(store: EmbeddedStore, tmp_path: Path) -> None:
    card = parse_file(CARDS / "004_2c19728045f68b20.txt")
    broken = card.model_copy(update={"agency": None})  # no providing agency: a violation
    outcome = ingest_card(broken, b"raw", store, data_dir=tmp_path, strict=True)
    assert not outcome.loaded and outcome.violations == 1 and "--strict" in outcome.error
    assert store.graph_names() == [REFERENCE_GRAPH]
    loose = ingest_card(broken, b"raw", store, data_dir=tmp_path)
    assert loose.loaded and loose.violations == 1
    messages = store.query(f"SELECT ?m WHERE {{ ?r <{SG.validationMessage}> ?m }}").rows
    assert {m[0].language for m in messages} == {"fa", "en"}


def test_generated_time_changes_with_new_bytes(store: EmbeddedStore, tmp_path: Path) -> None:
    card = parse_file(CARDS / "002_0d3b341d9a24ee21.txt")
    ingest_card(card, b"v1", store)
    query = f"SELECT ?t WHERE {{ ?r <{PROV.generatedAtTime}> ?t }}"
    first = store.query(query).rows
    ingest_card(card, b"v1", store)
    assert store.query(query).rows == first
    ingest_card(card, b"v2", store)
    assert len(store.query(query).rows) == 1  # replaced, never duplicated


def test_shahkar_one_node_in_store(store: EmbeddedStore, tmp_path: Path) -> None:
    ingest([CARDS], store, data_dir=tmp_path)
    rows = store.query(
        f"SELECT DISTINCT ?x WHERE {{ ?e <{SG.counterpartSystem}> ?x . ?x <{SG.sourceLabel}> ?l"
        ' FILTER(CONTAINS(?l, "شاهکار")) }'
    ).rows
    assert rows == [(REF["system/shahkar"],)]


def test_resolution_report_and_whole_validation(store: EmbeddedStore, tmp_path: Path) -> None:
    ingest([CARDS], store, data_dir=tmp_path)
    entries = resolution_report(store)
    assert entries and all(e["status"] in ("unresolved", "fuzzy") for e in entries)
    names = {e["name"]: e for e in entries}
    assert names["معاونت زیرساخت"]["cards"] == ["000_be74d1a58610ce08.txt"]
    assert "سرویس شاهکار" not in names  # resolved to the register
    report = validate_store(store)
    assert report.conforms
    by_card = {r.card_file for r in report.results if r.shape == "DataExchangeShape"}
    assert by_card == {
        "000_be74d1a58610ce08.txt",
        "001_7db24de71e7db159.txt",
        "004_2c19728045f68b20.txt",
    }


def test_cli_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path)]
    result = runner.invoke(app, [*base, "ingest", str(CARDS)])
    assert result.exit_code == 0, result.output
    assert "cards loaded" in result.output
    result = runner.invoke(app, [*base, "validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["violations"] == 0
    result = runner.invoke(app, [*base, "resolve-report", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)
    out = tmp_path / "view.ttl"
    result = runner.invoke(app, [*base, "export", "--profile", "cpsv-ap", "-o", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 0
    result = runner.invoke(app, [*base, "ingest", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2


def test_parallel_ingest_same_as_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes change nothing: same report, same order, same quads (but the time)."""
    monkeypatch.setattr(ingest_module, "MIN_PARALLEL", 1)  # five cards would stay in-process
    folder = tmp_path / "in"
    shutil.copytree(CARDS, folder)
    (folder / "003_broken.txt").write_text("این یک شناسنامه نیست", encoding="utf-8")
    runs = {}
    for jobs in (1, 2):
        data = tmp_path / f"jobs{jobs}"
        store = EmbeddedStore(data)
        seen: list[str] = []
        report = ingest(
            [folder],
            store,
            data_dir=data,
            jobs=jobs,
            progress=lambda p, _o, s=seen: s.append(p.name),
        )
        quads = {q for q in _quads(store) if q[2] != str(PROV.generatedAtTime)}
        runs[jobs] = ([c.to_dict() for c in report.cards], seen, quads)
        store.close()
    assert runs[1] == runs[2]
    cards, seen, _ = runs[2]
    assert seen == sorted(p.name for p in folder.iterdir())  # input order, broken one included
    assert [c["loaded"] for c in cards].count(False) == 1


def test_duplicate_service_in_batch_reported(store: EmbeddedStore, tmp_path: Path) -> None:
    """Two files of one service: the first (sorted) is loaded, the later refused naming both."""
    folder = tmp_path / "in"
    folder.mkdir()
    card = next(CARDS.glob("002_*.txt"))
    shutil.copy(card, folder / "a.txt")
    edited = card.read_text("utf-8").replace("مشاوره و آموزش", "مشاوره، آموزش")
    (folder / "b.txt").write_text(edited, encoding="utf-8")
    report = ingest([folder], store, data_dir=tmp_path / "data")
    assert [c.source for c in report.loaded] == ["a.txt"]
    (refused,) = report.failed
    key = report.loaded[0].key
    assert refused.error == (
        f"{folder / 'b.txt'}: same service (card key {key}) as {folder / 'a.txt'}, loaded "
        "earlier in this batch; not loaded (ingest it on its own to replace that card)"
    )
    titles = store.query(f"SELECT ?f WHERE {{ ?r <{SG.sourceFile}> ?f }}").rows
    assert [str(row[0]) for row in titles] == ["a.txt"]
    again = ingest([folder / "b.txt"], store, data_dir=tmp_path / "data")  # on its own: replaces
    assert [c.source for c in again.loaded] == ["b.txt"]


def test_ingest_fifo_does_not_hang_and_batch_goes_on(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(CARDS.glob("002_*.txt")), folder / "a.txt")
    os.mkfifo(folder / "b.txt")
    (folder / "c.txt").symlink_to("/dev/zero")
    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path / "data"), "ingest", str(folder), str(folder / "b.txt")]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert f"servicegraph: skipped {folder / 'b.txt'}: not a regular file (a named pipe)" in lines
    assert (
        f"servicegraph: skipped {folder / 'c.txt'}: not a regular file (a character device)"
        in lines
    )
    assert f"servicegraph: {folder / 'b.txt'}: not a regular file (a named pipe)" in lines
    assert "Traceback" not in result.output
    store = EmbeddedStore(tmp_path / "data", read_only=True)
    assert len(store.graph_names()) == 2  # the good card and the register
    store.close()


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
from servicegraph.cli import main
sys.argv = ["servicegraph", "--data-dir", sys.argv[1], "ingest", sys.argv[2]]
main()
"""


def test_full_disk_during_ingest_is_one_line_and_keeps_the_published_store(
    example_data_dir: Path, tmp_path: Path
) -> None:
    """A full disk printed a traceback. Now: one line, exit 2, and the store as published
    before (the five example cards) is still what a reader opens."""
    data_dir = tmp_path / "data"
    shutil.copytree(example_data_dir, data_dir)
    before = _services(data_dir)
    cards = tmp_path / "cards"
    synth = CliRunner().invoke(app, ["synth", "--services", "40", "--seed", "7", "-o", str(cards)])
    assert synth.exit_code == 0, synth.output
    done = _python(FULL_DISK, data_dir, cards)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "is the disk full?" in done.stderr
    assert len(before) >= 5  # the example cards' services
    assert before <= _services(data_dir)  # cards loaded before the failure may be there too


def _python(script: str, *args: Path) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter (a process that can be limited or killed)."""
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _services(data_dir: Path) -> set[str]:
    store = EmbeddedStore(data_dir, read_only=True)
    try:
        rows = store.query(f"SELECT DISTINCT ?s WHERE {{ ?s a <{SG.Service}> }}").rows
    finally:
        store.close()
    return {str(row[0]) for row in rows}


INTERRUPTED = """
import os, sys
from pathlib import Path
from graph.card import Card
from graph.ingest import ingest_card
from graph.store.embedded import EmbeddedStore
raw = Path(sys.argv[2]).read_bytes()
store = EmbeddedStore(sys.argv[1])
outcome = ingest_card(Card.model_validate_json(raw), raw, store, data_dir=Path(sys.argv[1]))
assert outcome.loaded, outcome
os._exit(0)  # killed before close(): written, never published
"""


def test_validate_after_interrupted_ingest_checks_what_was_written(
    example_data_dir: Path, tmp_path: Path
) -> None:
    """``validate`` read the last published snapshot, so a card an interrupted ingest had
    written went unchecked; it now reads what was written."""
    data_dir = tmp_path / "data"
    shutil.copytree(example_data_dir, data_dir)
    gold = json.loads(
        (Path(__file__).parents[1] / "data/gold/002_0d3b341d9a24ee21.json").read_text()
    )
    gold.update(service_id="9990000077", recipients={"count": -5, "period": "year"})
    card = tmp_path / "negative.json"
    card.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    done = _python(INTERRUPTED, data_dir, card)
    assert done.returncode == 0, done.stderr
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), "validate"])
    assert result.exit_code == 1, result.output
    assert "violation: 002_0d3b341d9a24ee21.txt recipients:" in result.output
    assert "1 violation(s)" in result.output
