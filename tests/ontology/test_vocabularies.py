"""Every code of the canonical card has a SKOS concept, labelled as on the card form."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from ontology import load_vocabularies
from ontology.namespace import SCHEMES, SG, VOCAB, concept, scheme_iri

CODES = [(scheme, code) for scheme, codes in SCHEMES.items() for code in codes]


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return load_vocabularies()


def _label(graph: Graph, node, lang: str) -> str | None:
    return next((str(o) for o in graph.objects(node, SKOS.prefLabel) if o.language == lang), None)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_each_scheme_is_a_concept_scheme_with_labels(vocab: Graph, scheme: str) -> None:
    iri = scheme_iri(scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in vocab
    assert _label(vocab, iri, "fa") and _label(vocab, iri, "en")


@pytest.mark.parametrize(("scheme", "code"), CODES, ids=[f"{s}/{c}" for s, c in CODES])
def test_every_code_has_a_labelled_top_concept(vocab: Graph, scheme: str, code: str) -> None:
    iri = concept(scheme, code)
    assert (iri, RDF.type, SKOS.Concept) in vocab
    assert (iri, SKOS.notation, Literal(code)) in vocab
    assert (iri, SKOS.inScheme, scheme_iri(scheme)) in vocab
    assert (iri, SKOS.topConceptOf, scheme_iri(scheme)) in vocab
    assert (scheme_iri(scheme), SKOS.hasTopConcept, iri) in vocab
    assert _label(vocab, iri, "fa") and _label(vocab, iri, "en")


def test_no_concept_outside_the_schemes(vocab: Graph) -> None:
    expected = {concept(s, c) for s, c in CODES}
    assert set(vocab.subjects(RDF.type, SKOS.Concept)) == expected
    assert all(str(s).startswith(str(VOCAB)) for s in vocab.subjects())


@pytest.mark.parametrize(
    ("scheme", "code", "wording"),
    [
        ("service-type", "G2C", "خدمت به شهروندان"),
        ("nature", "sovereign", "حاکمیتی"),
        ("nature", "enterprise", "تصدی گری"),
        ("inquiry", "online", "برخط"),
        ("inquiry", "batch", "دسته‌ای"),
        ("inquiry", "non_electronic", "غیرالکترونیکی"),
        ("inquiry", "non_electronic_agency", "غیرالکترونیکی توسط دستگاه"),
        ("inquiry", "non_electronic_applicant", "غیرالکترونیکی توسط مراجعه‌کننده"),
        ("inquiry", "unknown", "نامشخص"),
        ("channel", "counter_office", "دفاتر پیشخوان"),
    ],
)
def test_persian_labels_are_the_card_wording(vocab, scheme, code, wording) -> None:
    assert _label(vocab, concept(scheme, code), "fa") == wording


@pytest.mark.parametrize(("scheme", "cls"), [("inquiry", SG.InquiryType), ("channel", SG.Channel)])
def test_inquiry_and_channel_concepts_are_typed(vocab: Graph, scheme: str, cls) -> None:
    for code in SCHEMES[scheme]:
        assert (concept(scheme, code), RDF.type, cls) in vocab
