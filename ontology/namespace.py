"""The servicegraph namespaces, defined once.

``SG`` is a :class:`rdflib.namespace.DefinedNamespace` with ``_fail = True``: a term that
is not listed here raises ``AttributeError`` instead of minting a typo IRI (rdflib's DCAT
habit). ``ontology/servicegraph.ttl`` defines every term listed here, with Persian and
English labels and a definition (a test keeps the two in step). Every other module
imports terms from here; IRIs are never written as raw strings elsewhere.

IRI layout (all under ``https://w3id.org/servicegraph/``):

* ``ontology#Term``: classes and properties (``SG``)
* ``vocab/<scheme>/<code>``: SKOS concepts of the enumerations (``VOCAB``)
* ``ref/agency/<slug>``, ``ref/system/<slug>``, ``ref/field/<slug>``: curated reference
  register (``REF``)
* ``id/...``: things minted from cards (``ID``): services, card graphs, exchanges,
  and agencies/systems/fields that did not resolve to the register
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD, DefinedNamespace

from ontology.codes import (
    Channel,
    InquiryMode,
    Level,
    LifeEvent,
    Nature,
    Period,
    Resolution,
    Scope,
    ServiceType,
    StageName,
    StartTrigger,
    codes,
)

BASE = "https://w3id.org/servicegraph/"

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ORG = Namespace("http://www.w3.org/ns/org#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VOCAB = Namespace(BASE + "vocab/")
REF = Namespace(BASE + "ref/")
ID = Namespace(BASE + "id/")


class SG(DefinedNamespace):
    """servicegraph ontology terms (``ontology/servicegraph.ttl``)."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # Classes
    Service: URIRef  # a public service described by a card (cpsv:PublicService)
    Agency: URIRef  # an executive agency (cv:PublicOrganisation, org:Organization)
    System: URIRef  # an information system, database, platform or web service
    ExchangedField: URIRef  # a data item that flows in an exchange
    DataExchange: URIRef  # one exchange row of a card
    InquiryType: URIRef  # skos:Concept subclass: online, batch, non-electronic
    ProcessStep: URIRef  # one ordered step of section 9
    Stage: URIRef  # one delivery stage of section 6 (informing/request/production/delivery)
    Channel: URIRef  # skos:Concept subclass: a delivery channel
    License: URIRef  # a license row (forms 1 and 2)
    CardRecord: URIRef  # the card as a source document (prov:Entity)
    FormFiller: URIRef  # the person who filled in the card

    # Service
    providedBy: URIRef  # Service -> Agency (sub-property of cv:hasCompetentAuthority)
    subServiceOf: URIRef  # Service -> Service
    serviceType: URIRef  # -> concept in vocab/service-type
    nature: URIRef  # -> concept in vocab/nature
    level: URIRef  # -> concept in vocab/level
    lifeEvent: URIRef  # -> concept in vocab/life-event
    startTrigger: URIRef  # -> concept in vocab/start-trigger
    audience: URIRef
    requiredDocuments: URIRef
    legalBasis: URIRef
    recipientsCount: URIRef  # as stated on the card
    recipientsPeriod: URIRef  # -> concept in vocab/period
    recipientsPerYear: URIRef  # normalized to a year (xsd:integer)
    duration: URIRef
    frequency: URIRef
    inPersonVisits: URIRef
    fee: URIRef  # as written; on services and on exchanges
    homepage: URIRef  # the service's URL on the agency's site
    systemName: URIRef  # the service's own system as written
    deliveredThrough: URIRef  # Service -> System (its own system)
    hasStage: URIRef  # Service -> Stage
    hasExchange: URIRef  # Service -> DataExchange
    hasProcessStep: URIRef  # Service -> ProcessStep
    hasLicense: URIRef  # Service -> License
    formFiller: URIRef  # CardRecord -> FormFiller

    # Stage
    stageKind: URIRef  # -> concept in vocab/stage
    electronic: URIRef  # xsd:boolean
    channel: URIRef  # -> concept in vocab/channel

    # DataExchange
    counterpartSystem: URIRef  # -> System
    counterpartAgency: URIRef  # -> Agency
    exchangesField: URIRef  # -> ExchangedField
    inquiryType: URIRef  # -> InquiryType concept (vocab/inquiry/unknown when not stated)
    scope: URIRef  # -> concept vocab/scope/internal | vocab/scope/external
    fromLicenseForm: URIRef  # xsd:boolean: the row came from license form 2

    # ProcessStep, License
    order: URIRef  # xsd:integer, 1-based
    licenseForm: URIRef  # xsd:integer 1 or 2
    licenseValue: URIRef  # a "key: value" literal of a license column without its own term

    # System / Agency / Field
    operatedBy: URIRef  # System -> Agency
    routedVia: URIRef  # System -> System it is reached through (e.g. Shahkar via GSB)
    carries: URIRef  # System -> ExchangedField it is the source of
    sourceLabel: URIRef  # the name exactly as a card wrote it
    resolution: URIRef  # -> vocab/resolution/{reference,fuzzy,unresolved}
    uncertain: URIRef  # xsd:boolean on reference entries not yet confirmed
    collective: URIRef  # xsd:boolean: a generic entry standing for many agencies or systems

    # Card provenance and validation (on the CardRecord, in the card's graph)
    describes: URIRef  # CardRecord -> Service
    sourceFile: URIRef  # file name as given
    sha256: URIRef
    parserVersion: URIRef
    parserWarning: URIRef
    canonicalCard: URIRef  # the canonical JSON (rdf:JSON literal)
    cardValue: URIRef  # a "key: value" literal of a card key with no ontology term yet
    violationCount: URIRef
    warningCount: URIRef
    validationMessage: URIRef

    # Form filler
    phone: URIRef
    email: URIRef
    unit: URIRef


# Enumeration concept schemes: scheme name -> the codes it holds (ontology/codes.py).
SCHEMES: dict[str, tuple[str, ...]] = {
    name: codes(enumeration)
    for name, enumeration in (
        ("service-type", ServiceType),
        ("nature", Nature),
        ("level", Level),
        ("life-event", LifeEvent),
        ("start-trigger", StartTrigger),
        ("channel", Channel),
        ("inquiry", InquiryMode),
        ("stage", StageName),
        ("period", Period),
        ("scope", Scope),
        ("resolution", Resolution),
    )
}


def concept(scheme: str, code: str) -> URIRef:
    """The IRI of an enumeration value; unknown schemes or codes are an error.

    >>> concept("inquiry", "online")
    rdflib.term.URIRef('https://w3id.org/servicegraph/vocab/inquiry/online')
    """
    if code not in SCHEMES[scheme]:
        raise KeyError(f"{code!r} is not in the {scheme} scheme")
    return VOCAB[f"{scheme}/{code}"]


def scheme_iri(scheme: str) -> URIRef:
    """The IRI of a concept scheme, e.g. ``vocab/inquiry``."""
    if scheme not in SCHEMES:
        raise KeyError(scheme)
    return VOCAB[scheme]


PREFIXES: dict[str, str] = {
    "sg": str(SG._NS),
    "id": str(ID),
    "ref": str(REF),
    "vocab": str(VOCAB),
    "dct": str(DCTERMS),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "org": str(ORG),
    "prov": str(PROV),
    "cpsv": str(CPSV),
    "cv": str(CV),
    "xsd": str(XSD),
}
"""The prefixes of servicegraph's SPARQL and serializations, defined once."""


def sparql_prefixes(*names: str) -> str:
    """``PREFIX`` lines for ``names`` (every prefix of :data:`PREFIXES` when none given).

    >>> print(sparql_prefixes("sg", "rdfs"), end="")
    PREFIX sg: <https://w3id.org/servicegraph/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    """
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names or PREFIXES)
