"""The views and the page without a browser: counts, filters, languages, escaping."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from graph.analysis.impact import impact
from graph.errors import NotFoundError, QueryError
from tests.viz.conftest import HOSTILE, HOSTILE_SERVICE_ID
from viz.page import render
from viz.synthetic import synthetic_projection
from viz.views import AGGREGATE_ABOVE, find_node, focus, impact_view, landscape

FIELD_LINKS = {"carries", "uses_field"}  # the landscape draws every other kind of link


def _ids(net) -> set[str]:
    return {n["id"] for n in net.nodes}


def test_landscape_draws_every_service_with_its_agencies_and_counterparts(G):
    net = landscape(G)
    ids = _ids(net)
    services = {n for n, k in G.nodes(data="kind") if k == "service"}
    assert services <= ids
    for s in services:
        for u, v, kind in [*G.in_edges(s, keys=True), *G.out_edges(s, keys=True)]:
            if kind in ("provides", "depends_on", "delivered_through"):
                assert u in ids and v in ids
    assert {G.nodes[n]["kind"] for n in ids} == {"service", "agency", "system"}
    # Register entries no card mentions are left out.
    assert len(ids) < sum(1 for _, k in G.nodes(data="kind") if k != "field")
    expected = sum(
        1 for u, v, k in G.edges(keys=True) if u in ids and v in ids and k not in FIELD_LINKS
    )
    assert len(net.edges) == expected
    assert len(ids) == len(net.nodes)  # no duplicates


def test_edge_style_follows_inquiry_mode(G):
    net = landscape(G)
    by_mode = {}
    for e in net.edges:
        if e["sgKind"] == "depends_on":
            by_mode.setdefault(e["sgInquiry"], e)
    assert {"online", "unknown"} <= set(by_mode), by_mode.keys()
    assert by_mode["online"]["dashes"] is False and by_mode["online"]["width"] > 2
    assert by_mode["unknown"]["width"] < 1 and by_mode["unknown"]["color"]["color"] == "#a8a8a8"
    for mode in ("batch", "non_electronic"):
        if mode in by_mode:
            assert isinstance(by_mode[mode]["dashes"], list)


def test_aggregated_view_counts_services_on_agency_edges(G):
    net = landscape(G, aggregate=True)
    assert {G.nodes[n]["kind"] for n in _ids(net)} == {"agency", "system"}
    expected: dict[tuple[str, str], set[str]] = {}
    for a, s, kind in G.edges(keys=True):
        if kind != "provides":
            continue
        for _, v, k in G.out_edges(s, keys=True):
            if k in ("depends_on", "delivered_through") and v != a:
                expected.setdefault((a, v), set()).add(s)
    drawn = {(e["from"], e["to"]): e["sgServices"] for e in net.edges if "sgServices" in e}
    assert drawn == {pair: len(svcs) for pair, svcs in expected.items()}
    assert all(e["label"] == str(e["sgServices"]) for e in net.edges if "sgServices" in e)


def test_large_landscape_is_aggregated_automatically():
    big = synthetic_projection(600, seed=3)
    net = landscape(big)
    assert net.info.view == "aggregated"
    kinds = {big.nodes[n]["kind"] for n in _ids(net)}
    assert kinds == {"agency", "system"}
    assert len(landscape(big, aggregate=False).nodes) > AGGREGATE_ABOVE


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"agencies": ["سازمان فناوري اطلاعات ايران"]}, "agency"),  # Arabic yeh spelling
        ({"systems": ["shahkar"]}, "system"),
        ({"service_types": ["g2g"]}, "type"),
    ],
    ids=["agency-by-variant-spelling", "system-by-key", "service-type"],
)
def test_filters_keep_only_matching_services(G, filters, check):
    net = landscape(G, **filters)
    services = {n for n in _ids(net) if G.nodes[n]["kind"] == "service"}
    assert services
    for s in services:
        if check == "agency":
            providers = {u for u, _, k in G.in_edges(s, keys=True) if k == "provides"}
            assert any("ito" in p or "information-technology" in p for p in providers), providers
        elif check == "system":
            assert any(v.endswith("/shahkar") for _, v in G.out_edges(s))
        else:
            assert "G2G" in G.nodes[s]["service_types"]
    assert len(services) < sum(1 for _, k in G.nodes(data="kind") if k == "service")


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"agencies": ["no such agency"]}, NotFoundError),
        ({"systems": ["nothing-here"]}, NotFoundError),
        ({"service_types": ["G2X"]}, QueryError),
    ],
    ids=["unknown-agency", "unknown-system", "bad-type"],
)
def test_bad_filters_are_one_line_errors(G, filters, error):
    with pytest.raises(error) as info:
        landscape(G, **filters)
    assert "\n" not in str(info.value)


def test_focus_collects_the_neighbourhood_to_depth(G):
    shahkar = find_node(G, "system", "shahkar")
    one = _ids(focus(G, shahkar, depth=1))
    assert one == {shahkar} | set(nx.all_neighbors(G, shahkar))
    two = _ids(focus(G, shahkar, depth=2))
    assert one < two
    with pytest.raises(QueryError):
        focus(G, shahkar, depth=9)


def test_impact_view_emphasizes_what_impact_reports(G):
    gsb = find_node(G, "system", "gsb")
    result = impact(G, [gsb])
    net = impact_view(G, [gsb], lang="en")
    affected = {s.iri for s in result.services}
    assert affected
    bordered = {n["id"] for n in net.nodes if n.get("borderWidth") == 4 and n["id"] != gsb}
    assert bordered == affected
    on_paths = {frozenset((e["from"], e["to"])) for e in net.edges if e.get("sgPath")}
    for svc in result.services:
        for a, b in zip(svc.path, svc.path[1:], strict=False):
            assert frozenset((a, b)) in on_paths
    stats = dict(net.info.stats)
    assert stats["services affected"] == f"{result.totals['affected']:,}"
    for outcome in result.outcomes:  # breaks, degrades, unknown and the unaffected apart
        assert stats[outcome["label_en"]] == f"{outcome['services']:,}"
    assert stats["services with unknown recipients"] == str(result.totals["unknown_recipients"])
    assert stats["agencies affected"] == str(len(result.agencies))


def test_labels_follow_the_language(G):
    gsb = find_node(G, "system", "gsb")
    fa = landscape(G, lang="fa").node_map[gsb]
    en = landscape(G, lang="en").node_map[gsb]
    assert fa["label"] == G.nodes[gsb]["label_fa"]
    assert en["label"].startswith(G.nodes[gsb]["label_en"][:20])
    no_english = next(n for n, d in G.nodes(data=True) if d["kind"] == "service")
    assert (
        landscape(G, lang="en").node_map[no_english]["sgLabel"] == G.nodes[no_english]["label_fa"]
    )
    assert '<html lang="fa" dir="rtl">' in render(landscape(G, lang="fa"))
    assert '<html lang="en" dir="ltr">' in render(landscape(G, lang="en"))


def test_hostile_card_text_never_reaches_html_unescaped(G):
    hostile = find_nodes_labelled(G, HOSTILE)
    assert hostile, "the hostile card's system is in the projection"
    html = render(landscape(G))
    assert HOSTILE not in html
    assert "onerror=alert(1)" in html  # present, as escaped data
    data = json.loads(
        re.search(r'id="sg-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    labels = {n["sgLabel"] for n in data["nodes"]}
    assert HOSTILE in labels
    assert any(n["sgServiceId"] == HOSTILE_SERVICE_ID for n in data["nodes"])


def find_nodes_labelled(G, label):
    return [n for n, d in G.nodes(data=True) if d.get("label_fa") == label]


def test_page_loads_nothing_from_outside(G):
    html = render(impact_view(G, [find_node(G, "system", "shahkar")]))
    tags = re.findall(r"<(?:script|link|img|iframe|source|embed)\b[^>]*>", html, re.I)
    assert all(not re.search(r"\b(?:src|href)\s*=", tag, re.I) for tag in tags), tags
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)
    assert not re.search(r"@import", html)
    assert "default-src 'none'" in html
