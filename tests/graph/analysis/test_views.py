"""Agency matrix, field data flow and digital maturity on the hand-made network."""

from __future__ import annotations

import networkx as nx

from graph.analysis.dataflow import dataflow
from graph.analysis.matrix import dependency_matrix
from graph.analysis.maturity import maturity
from tests.graph.analysis.analysis_network import node

A1, CRA, NOCR, ITO, X, Y = (node("agency", a) for a in ("a1", "cra", "nocr", "ito", "x", "y"))


def cells(G: nx.MultiDiGraph) -> dict[tuple[str, str], dict]:
    return {(c["from"], c["to"]): c for c in dependency_matrix(G)["cells"]}


def test_matrix_counts_services_fields_and_modes(network: nx.MultiDiGraph):
    m = cells(network)
    # a1's s1 and s4 both inquire CRA's Shahkar for the mobile number
    assert m[A1, CRA]["services"] == 2
    assert m[A1, CRA]["field_labels"] == ["شماره تلفن همراه"]
    assert m[A1, CRA]["inquiry"] == {"online": 1, "batch": 1, "unknown": 0, "non_electronic": 0}
    assert m[A1, CRA]["systems"] == [node("system", "shahkar")]
    assert m[A1, NOCR]["services"] == 1
    assert m[A1, Y]["services"] == 1 and m[A1, Y]["systems"] == []  # agency, no system
    # x's s3 inquires CRA on paper and a1's local system online
    assert m[X, CRA]["inquiry"]["non_electronic"] == 1
    assert m[X, A1]["inquiry"]["online"] == 1
    # ITO's own service on ITO's GSB: an internal exchange on the diagonal
    assert m[ITO, ITO]["internal"] == 1
    assert set(m) == {(A1, CRA), (A1, NOCR), (A1, Y), (X, CRA), (X, A1), (ITO, ITO)}


def test_matrix_keeps_systems_without_operator(network: nx.MultiDiGraph):
    G = network.copy()
    G.add_node("orphan", kind="system", label_fa="بی‌صاحب")
    G.add_edge(node("service", "s7"), "orphan", key="depends_on", inquiry="batch", fields=[])
    m = cells(G)
    assert m[NOCR, "orphan"]["to_kind"] == "system"


def test_dataflow_of_the_mobile_number(network: nx.MultiDiGraph):
    flow = dataflow(network, node("field", "mobile-number"))
    assert [o["iri"] for o in flow["origins"]] == [node("system", "shahkar")]
    origin = flow["origins"][0]
    assert origin["register"] is True and origin["services"] == 2
    assert origin["operators"] == ["سازمان تنظیم مقررات و ارتباطات رادیویی"]
    receivers = {r["iri"]: r for r in flow["receivers"]}
    assert set(receivers) == {node("service", "s1"), node("service", "s4")}
    assert receivers[node("service", "s1")]["inquiry"] == "online"
    assert receivers[node("service", "s4")]["from"] == ["شاهکار"]
    assert flow["agencies"] == ["دستگاه الف"]


def test_maturity_per_agency(network: nx.MultiDiGraph):
    rows = {r["iri"]: r for r in maturity(network)}
    a1 = rows[A1]
    assert (a1["services"], a1["stages_known"], a1["stages_electronic"]) == (3, 4, 3)
    assert a1["electronic_share"] == 0.75
    assert a1["in_person_services"] == 0 and a1["visits_unknown"] == 2  # s4, s5 say nothing
    x = rows[X]
    assert x["electronic_share"] == 0.0 and x["stages_unknown"] == 3
    assert x["in_person_services"] == 1  # "2 بار"
    assert x["non_electronic_exchanges"] == 1 and x["exchanges"] == 2
    assert rows[NOCR]["electronic_share"] is None and rows[NOCR]["visits_unknown"] == 1
    order = [r["iri"] for r in maturity(network)]
    assert order.index(X) < order.index(A1) < order.index(NOCR)  # least electronic first
