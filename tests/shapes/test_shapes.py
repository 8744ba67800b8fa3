"""Every shape, with a valid and an invalid inline graph (pySHACL's one-Turtle-per-case habit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

import shapes
from graph.build import build_card
from graph.parser import parse_file
from graph.resolve import Resolver
from ontology.namespace import SCHEMES, SG, VOCAB
from shapes import load_shapes, validate
from shapes.engine import CoreShapes, Unsupported

PREFIXES = """
@prefix sg: <https://w3id.org/servicegraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/servicegraph/id/> .
@prefix v: <https://w3id.org/servicegraph/vocab/> .
"""

AGENCY = 'id:a a sg:Agency ; rdfs:label "استانداری"@fa .'
SYSTEM = 'id:s a sg:System ; rdfs:label "سامد"@fa ; sg:operatedBy id:a .'
SERVICE = f"""
id:svc a sg:Service ; dct:title "آموزش"@fa ; sg:providedBy id:a ; dct:identifier "1001176000" ;
    sg:serviceType <https://w3id.org/servicegraph/vocab/service-type/G2G> .
{AGENCY}
"""
EXCHANGE = f"""
id:x a sg:DataExchange ; sg:scope <https://w3id.org/servicegraph/vocab/scope/external> ;
    sg:inquiryType <https://w3id.org/servicegraph/vocab/inquiry/unknown> ;
    sg:counterpartSystem id:s ; sg:exchangesField id:f .
{AGENCY} {SYSTEM}
"""
RECORD = f"""
id:card a sg:CardRecord ; sg:describes id:svc ; sg:sourceFile "x.txt" ;
    sg:sha256 "{"ab" * 32}" ; sg:canonicalCard "{{}}" .
{SERVICE}
"""
STAGE = """
id:st a sg:Stage ; sg:stageKind <https://w3id.org/servicegraph/vocab/stage/request> ;
    sg:electronic true ; sg:channel <https://w3id.org/servicegraph/vocab/channel/web> .
"""
STEP = 'id:p a sg:ProcessStep ; sg:order 1 ; rdfs:label "ثبت درخواست"@fa .'

CASES = [
    # (id, turtle, expected [(shape, severity)]), valid cases first
    ("service-valid", SERVICE, []),
    ("exchange-valid", EXCHANGE, []),
    ("record-valid", RECORD, []),
    ("stage-valid", STAGE, []),
    ("step-valid", STEP, []),
    (
        "agency-chain-valid",
        AGENCY + " id:a org:subOrganizationOf id:b . id:b a sg:Agency ;"
        ' rdfs:label "وزارت کشور"@fa .',
        [],
    ),
    (
        "service-no-title",
        SERVICE.replace('dct:title "آموزش"@fa ;', ""),
        [("ServiceShape", "violation")],
    ),
    (
        "service-two-titles",
        SERVICE.replace('"آموزش"@fa', '"آموزش"@fa, "دیگر"@fa'),
        [("ServiceShape", "violation")],
    ),
    (
        "service-no-agency",
        SERVICE.replace("sg:providedBy id:a ;", ""),
        [("ServiceShape", "violation")],
    ),
    (
        "service-bad-identifier",
        SERVICE.replace('"1001176000"', '"12-34"'),
        [("ServiceShape", "warning")],
    ),
    (
        "service-type-out-of-scheme",
        SERVICE.replace("service-type/G2G", "service-type/B2B"),
        [("ServiceShape", "violation")],
    ),
    (
        "service-level-from-other-scheme",
        SERVICE + " id:svc sg:level v:nature\\/sovereign .",
        [("ServiceShape", "violation")],
    ),
    (
        "exchange-no-counterpart",
        EXCHANGE.replace("sg:counterpartSystem id:s ;", ""),
        [("DataExchangeShape", "violation")],
    ),
    (
        "exchange-agency-only",
        EXCHANGE.replace("sg:counterpartSystem id:s", "sg:counterpartAgency id:a"),
        [],
    ),
    (
        "exchange-no-inquiry",
        EXCHANGE.replace(
            "sg:inquiryType <https://w3id.org/servicegraph/vocab/inquiry/unknown> ;", ""
        ),
        [("DataExchangeShape", "violation")],
    ),
    (
        "exchange-two-inquiries",
        EXCHANGE.replace(
            "inquiry/unknown>",
            "inquiry/unknown>, <https://w3id.org/servicegraph/vocab/inquiry/online>",
        ),
        [("DataExchangeShape", "violation")],
    ),
    (
        "exchange-no-field",
        EXCHANGE.replace("; sg:exchangesField id:f", ""),
        [("DataExchangeShape", "warning")],
    ),
    (
        "system-no-operator",
        EXCHANGE.replace("; sg:operatedBy id:a", ""),
        [("SystemShape", "warning")],
    ),
    (
        "agency-self-parent",
        AGENCY + " id:a org:subOrganizationOf id:a .",
        [("AgencyShape", "violation")],
    ),
    (
        "agency-cycle",
        AGENCY + " id:a org:subOrganizationOf id:b . id:b a sg:Agency ;"
        ' rdfs:label "ب"@fa ; org:subOrganizationOf id:a .',
        [("AgencyShape", "violation"), ("AgencyShape", "violation")],
    ),
    ("agency-no-label", "id:a a sg:Agency .", [("AgencyShape", "violation")]),
    (
        "record-two-services",
        RECORD.replace("sg:describes id:svc", "sg:describes id:svc, id:svc2")
        + ' id:svc2 a sg:Service ; dct:title "دوم"@fa ; sg:providedBy id:a .',
        [("CardRecordShape", "violation")],
    ),
    ("record-bad-sha", RECORD.replace("ab" * 32, "xyz"), [("CardRecordShape", "violation")]),
    (
        "stage-bad-channel",
        STAGE.replace("channel/web", "channel/fax"),
        [("StageShape", "violation")],
    ),
    (
        "stage-no-kind",
        STAGE.replace("sg:stageKind <https://w3id.org/servicegraph/vocab/stage/request> ;", ""),
        [("StageShape", "violation")],
    ),
    (
        "step-order-zero",
        STEP.replace("sg:order 1", "sg:order 0"),
        [("ProcessStepShape", "violation")],
    ),
]


def _graph(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


@pytest.mark.parametrize(("turtle", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("whole", [False, True], ids=["card", "whole"])
def test_shape(turtle: str, expected: list[tuple[str, str]], whole: bool) -> None:
    report = validate(_graph(turtle), whole=whole)
    found = sorted((r.shape, r.severity) for r in report.results)
    assert found == sorted(expected), [r.line() for r in report.results]
    assert report.conforms == all(severity != "violation" for _, severity in expected)


def test_every_result_has_both_languages() -> None:
    turtle = "\n".join(c[1] for c in CASES if c[2])
    report = validate(_graph(turtle))
    assert report.results
    for result in report.results:
        assert result.message_en and result.message_fa, result
        assert any("\u0600" <= ch <= "\u06ff" for ch in result.message_fa)


def test_results_name_card_file_service_and_field() -> None:
    data = _graph(
        (RECORD + EXCHANGE.replace("; sg:exchangesField id:f", "")).replace(
            "id:x a", "<https://w3id.org/servicegraph/id/exchange/k/1> a"
        )
        + " id:svc sg:hasExchange <https://w3id.org/servicegraph/id/exchange/k/1> ."
    )
    (result,) = validate(data).results
    assert result.card_file == "x.txt"
    assert result.service == "آموزش"
    assert result.field == "external_exchanges[1].fields"
    assert result.shape == "DataExchangeShape"


@pytest.mark.parametrize(
    ("prop", "scheme"),
    [
        ("serviceType", "service-type"),
        ("nature", "nature"),
        ("level", "level"),
        ("lifeEvent", "life-event"),
        ("startTrigger", "start-trigger"),
        ("recipientsPeriod", "period"),
        ("inquiryType", "inquiry"),
        ("scope", "scope"),
        ("stageKind", "stage"),
        ("channel", "channel"),
    ],
)
def test_sh_in_lists_match_schemes(prop: str, scheme: str) -> None:
    """The sh:in lists written in the Turtle are exactly the codes of ontology SCHEMES."""
    shapes = load_shapes()
    lists = [
        list(shapes.items(shapes.value(node, SH["in"])))
        for node in shapes.subjects(SH.path, SG[prop])
        if shapes.value(node, SH["in"]) is not None
    ]
    assert lists == [[VOCAB[f"{scheme}/{code}"] for code in SCHEMES[scheme]]]


# -- shapes.engine: the compiled per-card evaluator gives exactly pySHACL's results ---------

CARDS = sorted((Path(__file__).parents[2] / "examples" / "cards").glob("*.txt"))


def _both(data: Graph, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    fast = validate(data)
    with monkeypatch.context() as m:
        m.setattr(shapes, "_core", lambda: None)
        slow = validate(data)
    return [r.to_dict() for r in fast.results], [r.to_dict() for r in slow.results]


def test_engine_compiles_our_shapes() -> None:
    assert shapes._core() is not None  # else every card would fall back to pySHACL


@pytest.mark.parametrize("turtle", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_same_results_as_pyshacl(turtle: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(_graph(turtle), monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("path", CARDS, ids=[p.stem for p in CARDS])
def test_same_results_on_broken_example_cards(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real card graphs with findings of many kinds: no agency, bad channel, a title lost."""
    card = parse_file(path)
    broken = card.model_copy(update={"agency": None, "service_id": "12-x"})
    g = build_card(broken, Resolver.default()).graph
    fast, slow = _both(g, monkeypatch)
    assert fast == slow and fast  # the broken card does have findings


def test_triples_and_graph_validate_alike() -> None:
    built = build_card(parse_file(CARDS[0]), Resolver.default())
    from_graph = [r.to_dict() for r in validate(built.graph).results]
    assert [r.to_dict() for r in validate(built.triples).results] == from_graph


def test_report_graph_is_shacl() -> None:
    report = validate(_graph(next(c[1] for c in CASES if c[0] == "service-no-title")))
    g = report.graph
    assert g is not None
    (node,) = g.subjects(None, SH.ValidationResult)
    assert g.value(node, SH.resultSeverity) == SH.Violation
    assert g.value(node, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent


@pytest.mark.parametrize(
    "extra",
    [
        "sgsh:X a sh:NodeShape ; sh:targetNode sg:a ; sh:property [ sh:path sg:p ; "
        'sh:minCount 1 ; sh:message "m" ] .',
        "sgsh:X a sh:NodeShape ; sh:targetClass sg:A ; sh:property [ sh:path sg:p ; "
        'sh:nodeKind sh:IRI ; sh:message "m" ] .',
        "sgsh:X a sh:NodeShape ; sh:targetClass sg:A ; sh:property [ sh:path ( sg:p sg:q ) ; "
        'sh:minCount 1 ; sh:message "m" ] .',
        "sgsh:X a sh:NodeShape ; sh:targetClass sg:A ; sh:property [ sh:path sg:p ; "
        "sh:minCount 1 ] .",
    ],
    ids=["target-node", "node-kind", "sequence-path", "no-message"],
)
def test_unsupported_shapes_are_refused(extra: str) -> None:
    """Anything the engine does not implement sends validation back to pySHACL."""
    prefixes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix sg: <https://w3id.org/servicegraph/ontology#> .\n"
        "@prefix sgsh: <https://w3id.org/servicegraph/shapes#> .\n"
    )
    graph = Graph()
    for triple in load_shapes():
        graph.add(triple)
    graph.parse(data=prefixes + extra, format="turtle")
    with pytest.raises(Unsupported):
        CoreShapes.compile(graph)
