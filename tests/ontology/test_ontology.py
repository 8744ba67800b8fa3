"""The OWL ontology declares every SG term, in Persian and English, and nothing else."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from ontology import load_ontology, load_reference, load_vocabularies
from ontology.namespace import CPSV, CV, ORG, SG

SG_TERMS = sorted(SG[name] for name in SG.__annotations__)
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def _languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {
        o.language
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language and str(o).strip()
    }


@pytest.mark.parametrize("term", SG_TERMS, ids=lambda t: t.fragment)
def test_every_sg_term_is_declared_with_both_languages(ontology: Graph, term: URIRef) -> None:
    assert set(ontology.objects(term, RDF.type)) & DECLARATIONS, f"{term} is not declared"
    assert {"fa", "en"} <= _languages(ontology, term, RDFS.label)
    assert {"fa", "en"} <= _languages(ontology, term, SKOS.definition)


@pytest.mark.parametrize("loader", [load_ontology, load_vocabularies, load_reference])
def test_every_sg_term_used_in_the_turtle_is_in_the_namespace(loader) -> None:
    graph = loader()
    known = set(SG_TERMS) | {URIRef(str(SG._NS))}
    used = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(SG._NS))
    }
    assert used <= known, f"undeclared terms: {sorted(used - known)}"


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"),
    [
        pytest.param(SG.Service, RDFS.subClassOf, CPSV.PublicService, id="service-cpsv"),
        pytest.param(SG.Agency, RDFS.subClassOf, CV.PublicOrganisation, id="agency-cv"),
        pytest.param(SG.Agency, RDFS.subClassOf, ORG.Organization, id="agency-org"),
        pytest.param(SG.CardRecord, RDFS.subClassOf, PROV.Entity, id="card-prov"),
        pytest.param(SG.InquiryType, RDFS.subClassOf, SKOS.Concept, id="inquiry-skos"),
        pytest.param(SG.Channel, RDFS.subClassOf, SKOS.Concept, id="channel-skos"),
        pytest.param(SG.providedBy, RDFS.subPropertyOf, CV.hasCompetentAuthority, id="provided-by"),
        pytest.param(SG.subServiceOf, RDFS.subPropertyOf, DCTERMS.isPartOf, id="sub-service"),
        pytest.param(SG.homepage, RDFS.subPropertyOf, FOAF.page, id="homepage"),
        pytest.param(SG.operatedBy, RDFS.range, SG.Agency, id="operated-by-range"),
        pytest.param(SG.carries, RDFS.range, SG.ExchangedField, id="carries-range"),
        pytest.param(SG.routedVia, RDFS.range, SG.System, id="routed-via-range"),
        pytest.param(SG.electronic, RDFS.range, rdfns.XSD.boolean, id="electronic-boolean"),
    ],
)
def test_standard_terms_are_reused(ontology: Graph, subject, predicate, obj) -> None:
    assert (subject, predicate, obj) in ontology


def test_domains_and_ranges_name_declared_or_standard_classes(ontology: Graph) -> None:
    standard = (str(SKOS), str(RDF), str(rdfns.XSD), str(CPSV), str(CV))
    for predicate in (RDFS.domain, RDFS.range):
        for term, cls in ontology.subject_objects(predicate):
            assert cls in SG_TERMS or str(cls).startswith(standard), (term, predicate, cls)


def test_header_has_titles_in_both_languages_and_a_license(ontology: Graph) -> None:
    header = next(ontology.subjects(RDF.type, OWL.Ontology))
    assert {"fa", "en"} <= _languages(ontology, header, DCTERMS.title)
    assert ontology.value(header, DCTERMS.license) is not None
    assert ontology.value(header, OWL.versionInfo) is not None


def test_loaders_return_independent_copies() -> None:
    first = load_reference()
    size = len(first)
    first.add((SG.Service, RDFS.comment, Literal("scratch")))
    assert len(load_reference()) == size
