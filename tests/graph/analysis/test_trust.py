"""Issue 19: data dependencies apart from the org chart, totals that mean what they say.

On the five example cards the executive branch («قوه مجریه») provides no service and
operates no system: it is only the parent of the agencies that do. Counting parent edges,
it "reached" three services and had the highest betweenness (0.563); as a data dependency
it reaches none.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from graph.analysis.criticality import hubs
from graph.analysis.impact import impact
from graph.analysis.tables import print_view
from graph.analysis.targets import resolve_target
from servicegraph.cli import app

EXECUTIVE = "قوه مجریه"


def test_org_ancestor_ranks_below_every_data_hub_on_the_example_cards(
    example_graph: nx.MultiDiGraph,
):
    executive = resolve_target(example_graph, EXECUTIVE, "agency")
    rows = hubs(example_graph)["hubs"]
    row = next(h for h in rows if h.iri == executive)
    assert (row.direct_services, row.transitive_services, row.betweenness) == (0, 0, 0.0)
    assert row.organisational_services == 3  # its bodies' three services, shown apart
    after = rows[rows.index(row) :]  # collective placeholders come last whatever they reach
    assert all(h.transitive_services == 0 for h in after if not h.collective)
    assert rows[0].label == "سازمان فناوری اطلاعات ایران"  # operates GSB; services inquire it
    with_org = hubs(example_graph, include_org=True)["hubs"]
    assert with_org[0].iri == executive and with_org[0].transitive_services == 3


def _outcomes_graph() -> nx.MultiDiGraph:
    """Four services of two agencies inquiring one system, one per inquiry mode."""
    G = nx.MultiDiGraph()
    G.add_node("sys", kind="system", label_fa="سامانه")
    for agency in ("a1", "a2"):
        G.add_node(agency, kind="agency", label_fa=agency)
    for name, agency, inquiry, people in (
        ("online", "a1", "online", 1000),
        ("batch", "a1", "batch", 200),
        ("paper", "a2", "non_electronic", 50),
        ("unstated", "a2", "unknown", None),
    ):
        G.add_node(name, kind="service", label_fa=name, recipients_per_year=people)
        G.add_edge(agency, name, key="provides")
        G.add_edge(name, "sys", key="depends_on", inquiry=inquiry, fields=[])
    return G


def test_impact_totals_separate_breaks_from_the_unaffected():
    result = impact(_outcomes_graph(), ["sys"])
    got = {o["outcome"]: (o["services"], o["agencies"], o["recipients_per_year"])
           for o in result.outcomes}  # fmt: skip
    assert got == {
        "breaks": (1, 1, 1000),
        "degrades": (1, 1, 200),
        "unknown": (1, 1, 0),
        "unaffected": (1, 1, 50),
    }
    assert (result.totals["affected"], result.totals["unaffected"]) == (3, 1)
    assert result.totals["services"] == 4  # reached by the walk, the paper one included
    out = io.StringIO()
    print_view("impact", result, Console(file=out))
    text = out.getvalue()
    assert "3 (breaks + degrades + unknown)" in text
    assert "Unaffected services (non-electronic inquiry)" in text
    assert "unaffected / بی‌اثر" in text and "breaks / از کار می‌افتد" in text


def test_impact_csv_lists_the_unaffected_after_the_affected():
    from graph.analysis.formats import to_csv

    lines = to_csv("impact", impact(_outcomes_graph(), ["sys"])).splitlines()
    outcomes = [line.split(",")[4] for line in lines[1:]]
    assert outcomes[-1] == "unaffected / بی‌اثر"
    assert "unaffected / بی‌اثر" not in outcomes[:-1] and len(outcomes) == 4


def test_bridges_are_between_systems_and_agencies_and_cut_at_top(
    example_graph: nx.MultiDiGraph,
):
    kinds = dict(example_graph.nodes(data="kind"))
    every = hubs(example_graph)["bridges"]
    assert len(every) > 2
    assert all(kinds[b["u"]] != "service" and kinds[b["v"]] != "service" for b in every)
    assert hubs(example_graph, top=2)["bridges"] == every[:2]


def test_diff_of_identical_stores_says_no_changes(example_data_dir: Path):
    result = CliRunner().invoke(app, ["diff", str(example_data_dir), str(example_data_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "no changes: the two versions have the same services and dependencies"
    )


@pytest.mark.parametrize("view", ["hubs", "impact"])
def test_tables_to_a_pipe_are_not_wrapped_mid_word(example_data_dir: Path, view: str):
    args = ["hubs", "--top", "3"] if view == "hubs" else ["impact", "شاهکار"]
    result = CliRunner().invoke(app, ["--data-dir", str(example_data_dir), *args])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    if view == "hubs":  # names and figures whole, one row per line
        row = next(line for line in lines if "سازمان فناوری اطلاعات ایران" in line)
        assert "0.017972" in row and "agency" in row
    else:
        assert any("کند یا مختل می‌شود" in line and "degrades" in line for line in lines)
    assert max(len(line) for line in lines) > 80  # not cut at a default width
