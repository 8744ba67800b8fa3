"""The RDF builder on the five real cards (hand-read canonical JSON in tests/data/gold/)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph.build import build_card
from graph.card import Card
from graph.iris import card_key
from graph.resolve import Resolver
from ontology.namespace import REF, SG, concept
from shapes import validate

DATA = Path(__file__).parents[1] / "data"
GOLD = sorted((DATA / "gold").glob("*.json"))
VOLATILE = (PROV.generatedAtTime, SG.parserVersion)
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.default()


def _card(name: str) -> Card:
    return Card.model_validate(json.loads((DATA / "gold" / f"{name}.json").read_text()))


def _stable(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        if triple[1] not in VOLATILE:
            out.add(triple)
    return out


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_golden_graph(path: Path, resolver: Resolver) -> None:
    """Each card's graph equals the hand-reviewed Turtle in tests/data/expected/."""
    card = Card.model_validate(json.loads(path.read_text()))
    built = _stable(build_card(card, resolver, generated_at=WHEN).graph)
    expected = Graph().parse(DATA / "expected" / f"{path.stem}.ttl")
    if not isomorphic(built, expected):
        _, extra, missing = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        pytest.fail(f"extra: {sorted(extra)[:5]}\nmissing: {sorted(missing)[:5]}")


# Warnings each example card justifies from its own text; none has a violation.
EXPECTED_FINDINGS = {
    # the external row names only a database group, no data items
    "000_be74d1a58610ce08": ["warning: external_exchanges[1].fields"],
    # row 4 names "all agencies providing G2C services" with no system and no data items
    "001_7db24de71e7db159": ["warning: external_exchanges[4].fields"],
    "002_0d3b341d9a24ee21": [],
    "003_470926eedf9b2a55": [],
    # the only external row names municipalities, with no system and no data items
    "004_2c19728045f68b20": ["warning: external_exchanges[1].fields"],
}


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_example_cards_validate(path: Path, resolver: Resolver) -> None:
    built = build_card(_card(path.stem), resolver)
    report = validate(built.graph)
    assert [f"{r.severity}: {r.field}" for r in report.results] == EXPECTED_FINDINGS[path.stem]
    assert all(r.card_file == f"{path.stem}.txt" for r in report.results)


def test_same_system_one_node_across_cards(resolver: Resolver) -> None:
    """'سرویس شاهکار' (card 001) and another spelling in another card are one Shahkar node."""
    base = _card("001_7db24de71e7db159")
    row = {"agency": "سازمان تنظيم مقررات", "system": "سامانه شاهكار", "fields": ["تلفن"]}
    variant = Card.model_validate(
        base.to_dict()
        | {"source": "variant.txt", "service_id": "1234567890", "subservice_id": None}
        | {"subservice_title": None, "external_exchanges": [row]}
    )
    shahkar = REF["system/shahkar"]
    for card in (base, variant):
        graph = build_card(card, resolver).graph
        assert shahkar in set(graph.objects(None, SG.counterpartSystem))
        assert graph.value(shahkar, RDFS.label) is not None  # self-describing card graph


def test_subservice_links_to_parent(resolver: Resolver) -> None:
    card = _card("001_7db24de71e7db159")
    built = build_card(card, resolver)
    g = built.graph
    parent = g.value(built.service, SG.subServiceOf)
    assert g.value(built.service, DCTERMS.identifier) == Literal("13091710100")
    assert g.value(parent, DCTERMS.identifier) == Literal("13091710000")
    assert g.value(parent, DCTERMS.title) == Literal(card.title, lang="fa")
    assert g.value(parent, SG.providedBy) == g.value(built.service, SG.providedBy)
    assert built.key == "13091710000-13091710100"


def test_key_stable_across_file_versions(resolver: Resolver) -> None:
    """A card without service_id keeps its key when the file is renamed or re-typed."""
    card = _card("004_2c19728045f68b20")
    again = card.model_copy(update={"source": "renamed.txt", "agency": "استانداري "})
    assert card_key(card) == card_key(again)
    assert build_card(card, resolver).record == build_card(again, resolver).record


def test_license_form_rows_marked(resolver: Resolver) -> None:
    """A form-2 row merged into external_exchanges (system null) is marked; others not."""
    card = _card("003_470926eedf9b2a55")
    merged = {
        "agency": "استانداری",
        "system": None,
        "fields": ["صیانت از حقوق شهروندان در نظام اداری"],
    }
    card = Card.model_validate(card.to_dict() | {"external_exchanges": [merged]})
    g = build_card(card, resolver).graph
    marked = list(g.subjects(SG.fromLicenseForm, Literal(True)))
    assert len(marked) == 1
    assert (marked[0], SG.scope, concept("scope", "external")) in g
    assert len(list(g.subjects(RDF.type, SG.DataExchange))) == 2  # internal + merged row


def test_own_system_only_when_named(resolver: Resolver) -> None:
    card = _card("001_7db24de71e7db159")  # system_name is a URL
    g = build_card(card, resolver).graph
    assert not list(g.objects(None, SG.deliveredThrough))
    assert list(g.objects(None, SG.systemName)) == [Literal("www.Mob.gov.ir")]
    named = Card.model_validate(card.to_dict() | {"system_name": "سامانه پنجره واحد خدمات"})
    built = build_card(named, resolver)
    own = built.graph.value(built.service, SG.deliveredThrough)
    assert own is not None
    assert built.graph.value(own, SG.operatedBy) is not None


def test_nothing_dropped(resolver: Resolver) -> None:
    """The canonical JSON rides along, and unknown inquiry becomes vocab/inquiry/unknown."""
    card = _card("003_470926eedf9b2a55")
    built = build_card(card, resolver)
    stored = built.graph.value(built.record, SG.canonicalCard)
    assert Card.model_validate_json(str(stored)) == card
    unknown = concept("inquiry", "unknown")
    assert len(list(built.graph.subjects(SG.inquiryType, unknown))) == 3


def test_recipients_per_year(resolver: Resolver) -> None:
    card = Card.model_validate(
        _card("004_2c19728045f68b20").to_dict() | {"recipients": {"count": 750, "period": "month"}}
    )
    built = build_card(card, resolver)
    assert built.graph.value(built.service, SG.recipientsPerYear) == Literal(9000)


def test_provincial_office_folded_into_its_parent_is_not_its_own_parent(
    resolver: Resolver,
) -> None:
    """Regression (synthetic corpus): the register folds «اداره کل بیمه سلامت استان ...» into
    the national organisation, so agency and parent were one node with a self-parent cycle."""
    from rdflib.namespace import ORG

    card = _card("003_470926eedf9b2a55").model_copy(
        update={
            "agency": "اداره کل بیمه سلامت استان مازندران",
            "parent_agency": "سازمان بیمه سلامت ایران",
        }
    )
    built = build_card(card, resolver)
    provider = built.graph.value(built.service, SG.providedBy)
    assert provider == REF["agency/ihio"]
    assert (provider, ORG.subOrganizationOf, provider) not in built.graph
    assert not [r for r in validate(built.graph).results if "cycle" in r.message_en]
