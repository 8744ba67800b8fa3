"""Impact on the hand-made network (conftest.NETWORK), each expectation checked by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.impact import impact, reach
from tests.graph.analysis.analysis_network import node, short

GSB, SHAHKAR, NOCR_ID, LOCAL = (
    node("system", s) for s in ("gsb", "shahkar", "nocr-identity", "local")
)
S1, S2, S3, S4, S5, S6 = (node("service", f"s{i}") for i in range(1, 7))


def by_iri(result):
    return {s.iri: s for s in result.services}


def test_gsb_reaches_routed_systems_services_only_indirectly(network: nx.MultiDiGraph):
    result = impact(network, [GSB])
    found = by_iri(result)
    assert set(found) == {S1, S2, S4, S5}
    assert [s for s in found if found[s].direct] == [S2]
    assert found[S1].path[0] == S1 and found[S1].path[-1] == GSB
    assert found[S1].path[1] in (SHAHKAR, NOCR_ID)
    assert found[S4].path == [S4, SHAHKAR, GSB]
    assert result.totals["direct"] == 1 and result.totals["indirect"] == 3
    assert {n["iri"] for n in result.nodes} == {SHAHKAR, NOCR_ID}


def test_shahkar_direct_services_and_parent_of_sub_service(network: nx.MultiDiGraph):
    found = by_iri(impact(network, [SHAHKAR]))
    assert set(found) == {S1, S4, S5}
    assert (found[S1].direct, found[S1].severity, found[S1].inquiry) == (True, "high", "online")
    assert (found[S4].direct, found[S4].severity) == (True, "medium")
    # the main service loses its sub-service: indirect, with the sub-service's severity
    assert (found[S5].direct, found[S5].severity, found[S5].path) == (
        False,
        "medium",
        [S5, S4, SHAHKAR],
    )
    assert found[S1].fields == [node("field", "mobile-number")]
    assert found[S1].agencies == [node("agency", "a1")]


def test_severity_takes_most_severe_affected_dependency(network: nx.MultiDiGraph):
    # s1 reaches GSB through Shahkar (online) and NOCR (batch): it breaks at once
    assert by_iri(impact(network, [GSB]))[S1].severity == "high"
    assert by_iri(impact(network, [NOCR_ID]))[S1].severity == "medium"


def test_recipients_total_and_unknown_count(network: nx.MultiDiGraph):
    totals = impact(network, [GSB]).totals
    # s5 (500) is affected through its sub-service s4 (200): its people are counted at s4
    assert totals["recipients_per_year"] == 1000 + 200
    assert totals["recipients_not_added"] == 1
    assert totals["unknown_recipients"] == 1  # s2 states no recipients
    assert totals["direct_recipients_per_year"] == 0


@pytest.mark.parametrize(
    ("depth", "expected"),
    [(1, {S2}), (2, {S1, S2, S4}), (3, {S1, S2, S4, S5}), (None, {S1, S2, S4, S5})],
    ids=["direct-only", "two-hops", "three-hops", "unbounded"],
)
def test_depth_bounds_transitivity(network: nx.MultiDiGraph, depth, expected):
    assert set(by_iri(impact(network, [GSB], depth=depth))) == expected


def test_depth_below_one_is_refused(network: nx.MultiDiGraph):
    with pytest.raises(ValueError, match="depth"):
        impact(network, [GSB], depth=0)


def test_agency_target_covers_its_systems_and_direct_dependents(network: nx.MultiDiGraph):
    found = by_iri(impact(network, [node("agency", "cra")]))
    assert set(found) == {S1, S3, S4, S5}
    assert found[S1].direct and found[S1].path == [S1, SHAHKAR, node("agency", "cra")]
    # s3 inquires the CRA itself on paper: affected, but it does not break
    assert found[S3].direct and found[S3].severity == "none"
    assert not found[S5].direct


def test_parent_agency_reaches_sub_agencies_indirectly(network: nx.MultiDiGraph):
    found = by_iri(impact(network, [node("agency", "ict")], include_org=True))
    assert {S1, S3, S4, S6} <= set(found)
    assert not any(s.direct for s in found.values())
    assert found[S6].path == [S6, LOCAL, node("agency", "a1"), node("agency", "ict")]


def test_cycle_in_agency_hierarchy_terminates(network: nx.MultiDiGraph):
    x, y = node("agency", "x"), node("agency", "y")
    dist, _ = reach(network, x, include_org=True)
    assert dist[y] == 1 and dist[x] == 0
    found = by_iri(impact(network, [x], include_org=True))
    assert set(found) == {S1}  # s1 inquires y, a sub-organisation of x
    assert found[S1].path == [S1, y, x] and not found[S1].direct
    assert by_iri(impact(network, [y]))[S1].direct


def test_field_target_lists_services_exchanging_it(network: nx.MultiDiGraph):
    found = by_iri(impact(network, [node("field", "mobile-number")]))
    assert set(found) == {S1, S4, S5}
    assert found[S1].direct and found[S1].severity == "high"
    assert found[S4].direct and found[S4].severity == "medium"
    assert not found[S5].direct


def test_delivered_through_system_breaks_service_at_once(network: nx.MultiDiGraph):
    found = by_iri(impact(network, [LOCAL]))
    assert found[S6].direct and found[S6].severity == "high"
    assert found[S3].direct and found[S3].severity == "high"


def test_several_targets_list_each_service_once_with_all_reasons(network: nx.MultiDiGraph):
    result = impact(network, [SHAHKAR, NOCR_ID, SHAHKAR])
    assert [t["iri"] for t in result.targets] == [SHAHKAR, NOCR_ID]
    iris = [s.iri for s in result.services]
    assert len(iris) == len(set(iris)) == 3
    s1 = by_iri(result)[S1]
    assert {r.target for r in s1.reasons} == {SHAHKAR, NOCR_ID}
    assert all(r.direct for r in s1.reasons)
    assert s1.severity == "high"
    assert set(s1.fields) == {node("field", "mobile-number"), node("field", "national-id")}


def test_summaries_by_agency_field_and_inquiry(network: nx.MultiDiGraph):
    result = impact(network, [GSB])
    agencies = {a["iri"]: a for a in result.agencies}
    assert agencies[node("agency", "a1")]["services"] == 3
    assert agencies[node("agency", "a1")]["recipients_per_year"] == 1000 + 200  # s5 via s4
    assert agencies[node("agency", "ito")]["unknown_recipients"] == 1
    modes = [(m["inquiry"], m["services"]) for m in result.inquiry]
    assert modes == [("online", 1), ("batch", 2), ("unknown", 1), ("non_electronic", 0)]
    assert {f["iri"] for f in result.fields} == {
        node("field", "mobile-number"),
        node("field", "national-id"),
    }


def test_result_orders_direct_first_then_severity(network: nx.MultiDiGraph):
    services = impact(network, [node("agency", "cra")]).services
    assert [short(s.iri) for s in services] == ["s1", "s4", "s3", "s5"]


def test_to_dict_has_the_contract_keys(network: nx.MultiDiGraph):
    data = impact(network, [SHAHKAR]).to_dict()
    first = data["services"][0]
    assert {"service_id", "title", "agency", "path", "severity", "direct"} <= set(first)
    assert first["service_id"] == "1001" and first["agency"] == "دستگاه الف"
    assert data["labels"][SHAHKAR] == "شاهکار"


def test_query_does_not_change_the_graph(network: nx.MultiDiGraph):
    before = (network.number_of_nodes(), network.number_of_edges())
    impact(network, [GSB, LOCAL])
    assert (network.number_of_nodes(), network.number_of_edges()) == before


def test_people_of_a_main_service_are_counted_once_at_its_sub_service(network: nx.MultiDiGraph):
    result = impact(network, [SHAHKAR])
    found = by_iri(result)
    assert found[S5].recipients_counted is False and found[S4].recipients_counted is True
    assert result.totals["recipients_per_year"] == 1000 + 200
    assert result.totals["direct_recipients_per_year"] == 1000 + 200
    # the main service alone (its sub-service untouched) counts its own people
    G = network.copy()
    G.add_edge(S5, LOCAL, key="depends_on", inquiry="online", fields=[])
    alone = impact(G, [LOCAL])
    assert by_iri(alone)[S5].recipients_counted is True
    assert alone.totals["recipients_per_year"] == 500 + 50  # s5 and s3; s6 unknown
    assert alone.totals["unknown_recipients"] == 1 and alone.totals["recipients_not_added"] == 0


def test_services_list_is_built_on_first_use_and_kept(network: nx.MultiDiGraph):
    result = impact(network, [GSB])
    assert result.services is result.services
    data = result.to_dict()
    assert [s["iri"] for s in data["services"]] == [s.iri for s in result.services]
    assert data["services"][0]["reasons"][0]["target"] == GSB


def test_parent_agency_is_no_data_dependency_by_default(network: nx.MultiDiGraph):
    ministry = node("agency", "ict")
    with_org = {s.iri for s in impact(network, [ministry], include_org=True).services}
    data_only = {s.iri for s in impact(network, [ministry]).services}
    assert data_only < with_org


def test_affected_leaves_out_the_unaffected(network: nx.MultiDiGraph):
    result = impact(network, [node("system", "shahkar")])
    by_outcome = {o["outcome"]: o["services"] for o in result.outcomes}
    severities = [s.severity for s in result.services]
    assert by_outcome["breaks"] == severities.count("high")
    assert by_outcome["unaffected"] == severities.count("none")
    assert result.totals["affected"] == len(severities) - severities.count("none")
