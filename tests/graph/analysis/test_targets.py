"""Resolving what people type into projection nodes, with expected errors beside results."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.targets import AmbiguousTargetError, resolve_target, resolve_targets
from graph.errors import NotFoundError
from tests.graph.analysis.analysis_network import node


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (node("system", "shahkar"), None, node("system", "shahkar")),
        ("shahkar", None, node("system", "shahkar")),
        ("system/shahkar", None, node("system", "shahkar")),
        ("Shahkar", "system", node("system", "shahkar")),
        ("سرويس شاهكار", None, node("system", "shahkar")),  # Arabic yeh/kaf, alias
        ("  ITO ", "agency", node("agency", "ito")),
        ("سازمان فناوري اطلاعات ايران", None, node("agency", "ito")),
        ("کد ملی", "field", node("field", "national-id")),
        ("1001", "service", node("service", "s1")),
        ("ثبت احوال", "agency", node("agency", "nocr")),  # unique substring of a label
    ],
    ids=lambda v: v.rsplit("/", 1)[-1] if isinstance(v, str) and "/" in v else str(v),
)
def test_resolves(network: nx.MultiDiGraph, text, kind, expected):
    assert resolve_target(network, text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind", "error", "message"),
    [
        ("shahkar", "agency", NotFoundError, "no agency matches 'shahkar'"),
        ("سامانه ناموجود", None, NotFoundError, "matches 'سامانه ناموجود'"),
        ("", None, NotFoundError, "empty target"),
        ("shahkar", "planet", NotFoundError, "unknown target kind"),
        ("دستگاه", "agency", AmbiguousTargetError, "is ambiguous"),
    ],
    ids=["wrong-kind", "unknown", "empty", "bad-kind", "ambiguous"],
)
def test_errors(network: nx.MultiDiGraph, text, kind, error, message):
    with pytest.raises(error, match=message):
        resolve_target(network, text, kind)


def test_ambiguous_lists_candidates(network: nx.MultiDiGraph):
    with pytest.raises(AmbiguousTargetError) as info:
        resolve_target(network, "دستگاه", "agency")
    iris = {iri for iri, _, _ in info.value.candidates}
    assert {node("agency", s) for s in ("a1", "x", "y")} <= iris
    assert info.value.status_code == 409


def test_close_names_are_suggested(network: nx.MultiDiGraph):
    with pytest.raises(NotFoundError, match="did you mean شاهکار"):
        resolve_target(network, "شاهکر", "system")


def test_several_targets_keep_order_and_drop_repeats(network: nx.MultiDiGraph):
    assert resolve_targets(network, ["gsb", "shahkar", "GSB"]) == [
        node("system", "gsb"),
        node("system", "shahkar"),
    ]
