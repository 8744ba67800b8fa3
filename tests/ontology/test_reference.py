"""The reference register: labelled, linked, unambiguous, and documented."""

from __future__ import annotations

import re
from collections import defaultdict
from importlib.resources import files

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from graph.text import match_key
from ontology import load_reference
from ontology.namespace import REF, SG

KIND_CLASS = {"agency": SG.Agency, "system": SG.System, "field": SG.ExchangedField}
MINIMUM = {"agency": 60, "system": 50, "field": 25}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def ref() -> Graph:
    return load_reference()


def _entries(graph: Graph, kind: str) -> list[URIRef]:
    return sorted(graph.subjects(RDF.type, KIND_CLASS[kind]))


def _langs(graph: Graph, node, predicate) -> set[str]:
    return {o.language for o in graph.objects(node, predicate) if isinstance(o, Literal)}


@pytest.mark.parametrize("kind", sorted(KIND_CLASS))
def test_register_is_large_enough_and_well_formed(ref: Graph, kind: str) -> None:
    entries = _entries(ref, kind)
    assert len(entries) >= MINIMUM[kind]
    for iri in entries:
        slug = str(iri).removeprefix(str(REF[f"{kind}/"]))
        assert SLUG.match(slug), iri
        assert (iri, RDF.type, SKOS.Concept) in ref
        assert (iri, SKOS.inScheme, REF[kind]) in ref
        assert (iri, SKOS.notation, Literal(slug)) in ref
        assert {"fa", "en"} <= _langs(ref, iri, SKOS.prefLabel), iri


@pytest.mark.parametrize("kind", sorted(KIND_CLASS))
def test_no_two_entries_of_a_kind_share_a_name(ref: Graph, kind: str) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for iri in _entries(ref, kind):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in ref.objects(iri, predicate):
                owners[match_key(str(label))].add(iri)
    shared = {key: iris for key, iris in owners.items() if len(iris) > 1}
    assert not shared


@pytest.mark.parametrize(
    ("predicate", "source", "target"),
    [
        (ORG.subOrganizationOf, SG.Agency, SG.Agency),
        (SG.operatedBy, SG.System, SG.Agency),
        (SG.routedVia, SG.System, SG.System),
        (SG.carries, SG.System, SG.ExchangedField),
    ],
    ids=["parent", "operator", "route", "carries"],
)
def test_links_point_inside_the_register(ref: Graph, predicate, source, target) -> None:
    pairs = list(ref.subject_objects(predicate))
    assert pairs
    for subject, obj in pairs:
        assert (subject, RDF.type, source) in ref
        assert (obj, RDF.type, target) in ref, (subject, predicate, obj)


def test_agency_hierarchy_has_no_cycles(ref: Graph) -> None:
    for agency in _entries(ref, "agency"):
        seen, node = set(), agency
        while (node := ref.value(node, ORG.subOrganizationOf)) is not None:
            assert node not in seen and node != agency, agency
            seen.add(node)


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"),
    [
        ("system/shahkar", SG.operatedBy, "agency/cra"),
        ("system/shahkar", SG.routedVia, "system/gsb"),
        ("system/shahkar", SG.carries, "field/mobile-number"),
        ("system/nocr-identity", SG.operatedBy, "agency/nocr"),
        ("system/nocr-identity", SG.routedVia, "system/gsb"),
        ("system/nocr-identity", SG.carries, "field/national-id"),
        ("system/nocr-identity", SG.carries, "field/identity-record"),
        ("system/postal-code", SG.carries, "field/postal-code"),
        ("system/postal-code", SG.carries, "field/address"),
        ("system/postal-code", SG.routedVia, "system/gsb"),
        ("system/legal-entity-id", SG.routedVia, "system/gsb"),
        ("system/legal-entity-id", SG.carries, "field/legal-entity-id"),
        ("system/gsb", SG.operatedBy, "agency/ito"),
        ("system/karmand-iran", SG.operatedBy, "agency/areo"),
        ("system/sanama", SG.operatedBy, "agency/treasury"),
        ("system/sajjadeh", SG.operatedBy, "agency/prayer-hq"),
        ("agency/ito", ORG.subOrganizationOf, "agency/mict"),
        ("agency/cra", ORG.subOrganizationOf, "agency/mict"),
        ("agency/nocr", ORG.subOrganizationOf, "agency/moi"),
        ("agency/governorate", ORG.subOrganizationOf, "agency/moi"),
        ("agency/province-mpo", ORG.subOrganizationOf, "agency/pbo"),
        ("agency/ecdc", ORG.subOrganizationOf, "agency/mimt"),
        ("agency/treasury", ORG.subOrganizationOf, "agency/mefa"),
        ("agency/medical-university", ORG.subOrganizationOf, "agency/mohme"),
        ("agency/mpo", DCTERMS.isReplacedBy, "agency/pbo"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_known_facts(ref: Graph, subject: str, predicate, obj: str) -> None:
    assert (REF[subject], predicate, REF[obj]) in ref


@pytest.mark.parametrize(
    "slug",
    [
        "agency/all-executive-agencies",
        "system/agency-web-services",
        "system/other-agency-databases",
    ],
)
def test_collective_entries_are_flagged(ref: Graph, slug: str) -> None:
    assert ref.value(REF[slug], SG.collective).toPython() is True


def test_readme_lists_every_uncertain_entry(ref: Graph) -> None:
    readme = files("ontology").joinpath("reference", "README.md").read_text(encoding="utf-8")
    uncertain = {
        str(s).removeprefix(str(REF))
        for s, value in ref.subject_objects(SG.uncertain)
        if value.toPython() is True
    }
    assert uncertain
    listed = set(
        re.findall(r"`((?:agency|system|field)/[a-z0-9-]+)`", readme.split("## Generic")[0])
    )
    assert uncertain <= listed, f"README misses {sorted(uncertain - listed)}"
