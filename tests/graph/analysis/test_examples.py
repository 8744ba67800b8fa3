"""The analyses on the five example cards, checked against what the cards say.

Card 001 (ITO's mobile-government platform) describes sub-service 13091710100 of service
13091710000 and lists, among its external exchanges, the CRA's "سرویس شاهکار" for the
mobile number of users ("شماره تلفن همراه کاربران") with no inquiry mode ticked; its
internal exchanges name GSB, "پیام ایران" and PGSB. Card 003 (Isfahan MPO) inquires the
Ministry of Economy's systems, three of them online.
"""

from __future__ import annotations

import networkx as nx

from graph.analysis.impact import impact
from graph.analysis.matrix import dependency_matrix
from graph.analysis.maturity import maturity
from graph.analysis.targets import resolve_target
from tests.graph.analysis.analysis_network import short


def services(G: nx.MultiDiGraph, **where) -> list[str]:
    return sorted(
        n
        for n, d in G.nodes(data=True)
        if d["kind"] == "service" and all(d.get(k) == v for k, v in where.items())
    )


def test_projection_of_card_001(example_graph: nx.MultiDiGraph):
    [sub] = services(example_graph, service_id="13091710100")
    [main] = services(example_graph, service_id="13091710000")
    assert example_graph.has_edge(sub, main, key="sub_service")
    assert example_graph.nodes[sub]["source"] == "001_7db24de71e7db159.txt"
    shahkar = resolve_target(example_graph, "سرویس شاهکار", "system")
    edge = example_graph.edges[sub, shahkar, "depends_on"]
    assert edge["inquiry"] == "unknown" and edge["scope"] == "external"
    assert [short(f) for f in edge["fields"]] == ["mobile-number"]


def test_impact_of_shahkar_on_the_example_cards(example_graph: nx.MultiDiGraph):
    shahkar = resolve_target(example_graph, "Shahkar")
    assert resolve_target(example_graph, "شاهکار") == shahkar
    result = impact(example_graph, [shahkar])
    found = {s.service_id: s for s in result.services}
    assert set(found) == {"13091710100", "13091710000"}
    sub, main = found["13091710100"], found["13091710000"]
    assert sub.direct and sub.inquiry == "unknown" and sub.severity == "unknown"
    assert sub.agency == "سازمان فناوری اطلاعات ایران"
    assert [short(f) for f in sub.fields] == ["mobile-number"]
    assert sub.path == [sub.iri, shahkar]
    assert not main.direct and main.path == [main.iri, sub.iri, shahkar]
    # card 001 states no recipient count; the main service is reached only through its
    # sub-service, so its people are the sub-service's: one unknown figure, not two
    assert result.totals["unknown_recipients"] == 1
    assert result.totals["recipients_not_added"] == 1 and not main.recipients_counted


def test_gsb_on_the_example_cards_keeps_direct_and_indirect_apart(example_graph):
    gsb = resolve_target(example_graph, "GSB", "system")
    result = impact(example_graph, [gsb])
    direct = {s.service_id for s in result.services if s.direct}
    assert direct == {"13091710100"}  # card 001's internal GSB row
    assert {s.service_id for s in result.services if not s.direct} == {"13091710000"}
    assert impact(example_graph, [gsb], depth=1).totals["services"] == 1


def test_online_inquiries_of_card_003_break_at_once(example_graph: nx.MultiDiGraph):
    mefa = resolve_target(example_graph, "اقتصاد و دارایی", "agency")
    result = impact(example_graph, [mefa])
    [svc] = [s for s in result.services if s.service_id == "1001176000"]
    assert svc.direct and svc.severity == "high"
    assert svc.recipients_per_year == 1


def test_matrix_of_the_example_cards(example_graph: nx.MultiDiGraph):
    cells = dependency_matrix(example_graph)["cells"]
    mpo_to_mefa = [
        c
        for c in cells
        if c["from_label"].startswith("سازمان مدیریت و برنامه")
        and c["to_label"] == "وزارت امور اقتصادی و دارایی"
    ]
    assert len(mpo_to_mefa) == 1
    assert mpo_to_mefa[0]["services"] == 1 and mpo_to_mefa[0]["inquiry"]["online"] >= 1


def test_maturity_of_the_example_cards(example_graph: nx.MultiDiGraph):
    rows = {r["label"]: r for r in maturity(example_graph)}
    # card 002: all four stages electronic (web and other channels)
    assert rows["مرکز توسعه تجارت الکترونیکی"]["electronic_share"] == 1.0
    # card 001 has no stages section, so its share is unknown, not zero
    assert rows["سازمان فناوری اطلاعات ایران"]["electronic_share"] is None
