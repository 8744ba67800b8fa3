"""Diff of two versions: added, removed and changed dependencies and what each reaches."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.diff import diff_graphs, load_graph
from graph.errors import NotFoundError, ServicegraphError
from tests.graph.analysis.analysis_network import NETWORK, node

S1, S2, S4 = node("service", "s1"), node("service", "s2"), node("service", "s4")
GSB, SHAHKAR = node("system", "gsb"), node("system", "shahkar")

# s2 moves from GSB to Shahkar; s1's Shahkar inquiry goes from online to batch;
# Shahkar stops riding on GSB.
NEW = (
    NETWORK.replace("s2-1 sg:counterpartSystem sys:gsb", "s2-1 sg:counterpartSystem sys:shahkar")
    .replace("sg:exchangesField fld:mobile-number ; sg:inquiryType inq:online",
             "sg:exchangesField fld:mobile-number ; sg:inquiryType inq:batch")
    .replace("sg:operatedBy ag:cra ; sg:routedVia sys:gsb ;", "sg:operatedBy ag:cra ;")
)  # fmt: skip


def test_the_variant_really_differs():
    assert NEW.count("sys:shahkar") == NETWORK.count("sys:shahkar") + 1
    assert NEW.count("inq:online") == NETWORK.count("inq:online") - 1


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    old, new = folder / "old.trig", folder / "new.trig"
    old.write_text(NETWORK, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_diff_of_exported_files(files: tuple[Path, Path]):
    d = diff_graphs(load_graph(files[0]), load_graph(files[1]))
    added = {(a["from"], a["to"], a["kind"]) for a in d["added"]}
    removed = {(r["from"], r["to"], r["kind"]) for r in d["removed"]}
    assert added == {(S2, SHAHKAR, "depends_on")}
    assert removed == {(S2, GSB, "depends_on"), (SHAHKAR, GSB, "routed_via")}
    changed = d["changed"]
    assert [(c["from"], c["to"], c["inquiry"]) for c in changed] == [
        (S1, SHAHKAR, ["online", "batch"])
    ]
    assert changed[0]["severity"] == ["high", "medium"]
    routing = next(r for r in d["removed"] if r["kind"] == "routed_via")
    # in the old graph Shahkar carried s1, s4 and (through s4) s5
    # s1 1000 + s4 200; s5 (500) is reached through its sub-service s4, counted there
    assert routing["services_reached"] == 3 and routing["recipients_per_year"] == 1200
    radius = {r["iri"]: r for r in d["radius"]}
    assert (radius[GSB]["transitive_before"], radius[GSB]["transitive_after"]) == (4, 1)
    assert (radius[SHAHKAR]["direct_before"], radius[SHAHKAR]["direct_after"]) == (2, 3)
    assert d["services_added"] == d["services_removed"] == []


def test_identical_versions_have_no_changes(files: tuple[Path, Path], network_data_dir: Path):
    d = diff_graphs(load_graph(network_data_dir), load_graph(files[0]))
    assert d["added"] == d["removed"] == d["changed"] == d["radius"] == []


def test_removed_service_is_reported(network: nx.MultiDiGraph):
    new = network.copy()
    new.remove_node(S4)
    d = diff_graphs(network, new)
    assert d["services_removed"] == [{"iri": S4, "title": "زیرخدمت چهار"}]
    assert {r["from"] for r in d["removed"]} == {S4}


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("missing.ttl", NotFoundError, "no such data directory or file"),
        ("data.csv", ServicegraphError, "unknown RDF format"),
        ("broken.ttl", ServicegraphError, "cannot read as turtle"),
    ],
    ids=["missing", "unknown-suffix", "bad-turtle"],
)
def test_bad_inputs(tmp_path: Path, name: str, error, message: str):
    if name != "missing.ttl":
        (tmp_path / name).write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(error, match=message):
        load_graph(tmp_path / name)
