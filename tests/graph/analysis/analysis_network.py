"""A hand-made network for the analysis tests, small enough to check every result by hand.

The network (``NETWORK``) is written to exercise every rule of the impact walk
on a graph small enough to check by hand:

* GSB carries Shahkar and the NOCR identity service (``routedVia``), so a change to GSB
  reaches their services only indirectly;
* s1 (1,000 recipients a year) inquires Shahkar online and NOCR in batch, and the agency
  ``y`` with no system named;
* s2 (recipients unknown) talks to GSB itself, inquiry mode unstated;
* s3 depends on the CRA agency itself (paper inquiry) and on the ``local`` system;
* s4 is a sub-service of s5 and inquires Shahkar in batch;
* s6 runs on the ``local`` system (``deliveredThrough``);
* s7 (NOCR's own service) has no exchanges, so NOCR and s7 hang on the NOCR identity
  system alone: it is a single point of failure for them;
* agencies ``x`` and ``y`` are each other's parent (a cycle a register typo can create).
"""

from __future__ import annotations

from rdflib.namespace import DCTERMS, RDFS, SKOS

from graph.store.base import REFERENCE_GRAPH
from ontology.namespace import ID, ORG, REF, SG, VOCAB

PREFIXES = f"""
@prefix sg: <{SG._NS}> .
@prefix org: <{ORG}> .
@prefix rdfs: <{RDFS}> .
@prefix skos: <{SKOS}> .
@prefix dct: <{DCTERMS}> .
@prefix sys: <{REF}system/> .
@prefix ag: <{REF}agency/> .
@prefix fld: <{REF}field/> .
@prefix svc: <{ID}service/> .
@prefix x: <{ID}exchange/> .
@prefix card: <{ID}card/> .
@prefix inq: <{VOCAB}inquiry/> .
@prefix scope: <{VOCAB}scope/> .
"""

NETWORK = (
    PREFIXES
    + f"""
<{REFERENCE_GRAPH}> {{
  ag:ict a sg:Agency ; rdfs:label "وزارت ارتباطات و فناوری اطلاعات"@fa .
  ag:ito a sg:Agency ; rdfs:label "سازمان فناوری اطلاعات ایران"@fa,
      "Information Technology Organization"@en ;
      skos:altLabel "ITO" ; org:subOrganizationOf ag:ict .
  ag:cra a sg:Agency ; rdfs:label "سازمان تنظیم مقررات و ارتباطات رادیویی"@fa ;
      org:subOrganizationOf ag:ict .
  ag:nocr a sg:Agency ; rdfs:label "سازمان ثبت احوال کشور"@fa .
  ag:a1 a sg:Agency ; rdfs:label "دستگاه الف"@fa ; org:subOrganizationOf ag:ict .
  ag:x a sg:Agency ; rdfs:label "دستگاه ایکس"@fa ; org:subOrganizationOf ag:y .
  ag:y a sg:Agency ; rdfs:label "دستگاه ایگرگ"@fa ; org:subOrganizationOf ag:x .
  ag:all a sg:Agency ; rdfs:label "همه دستگاه‌ها"@fa ; sg:collective true .
  sys:gsb a sg:System ; rdfs:label "گذرگاه خدمات دولت"@fa, "GSB"@en ; sg:operatedBy ag:ito .
  sys:shahkar a sg:System ; rdfs:label "شاهکار"@fa, "Shahkar"@en ;
      skos:altLabel "سرویس شاهکار" ; sg:operatedBy ag:cra ; sg:routedVia sys:gsb ;
      sg:carries fld:mobile-number .
  sys:nocr-identity a sg:System ; rdfs:label "احراز هویت ثبت احوال"@fa ;
      sg:operatedBy ag:nocr ; sg:routedVia sys:gsb ; sg:carries fld:national-id .
  sys:local a sg:System ; rdfs:label "سامانه محلی"@fa ; sg:operatedBy ag:a1 .
  fld:mobile-number a sg:ExchangedField ; rdfs:label "شماره تلفن همراه"@fa .
  fld:national-id a sg:ExchangedField ; rdfs:label "کد ملی"@fa .
}}
card:1 {{
  card:1 a sg:CardRecord ; sg:describes svc:s1 ; sg:sourceFile "s1.txt" .
  svc:s1 a sg:Service ; dct:identifier "1001" ; dct:title "خدمت یک"@fa ;
      sg:providedBy ag:a1 ; sg:recipientsPerYear 1000 ;
      sg:inPersonVisits "نیاز به مراجعه حضوری نیست"@fa ;
      sg:hasStage <{ID}stage/s1/a>, <{ID}stage/s1/b>, <{ID}stage/s1/c>, <{ID}stage/s1/d> ;
      sg:hasExchange x:s1-1, x:s1-2, x:s1-3 .
  <{ID}stage/s1/a> sg:electronic true . <{ID}stage/s1/b> sg:electronic true .
  <{ID}stage/s1/c> sg:electronic true . <{ID}stage/s1/d> sg:electronic false .
  x:s1-1 sg:counterpartSystem sys:shahkar ; sg:counterpartAgency ag:cra ;
      sg:exchangesField fld:mobile-number ; sg:inquiryType inq:online ; sg:scope scope:external .
  x:s1-2 sg:counterpartSystem sys:nocr-identity ; sg:exchangesField fld:national-id ;
      sg:inquiryType inq:batch ; sg:scope scope:external .
  x:s1-3 sg:counterpartAgency ag:y ; sg:inquiryType inq:batch ; sg:scope scope:external .
}}
card:2 {{
  svc:s2 a sg:Service ; dct:identifier "1002" ; dct:title "خدمت دو"@fa ; sg:providedBy ag:ito ;
      sg:hasExchange x:s2-1 .
  x:s2-1 sg:counterpartSystem sys:gsb ; sg:inquiryType inq:unknown ; sg:scope scope:internal .
}}
card:3 {{
  svc:s3 a sg:Service ; dct:identifier "1003" ; dct:title "خدمت سه"@fa ; sg:providedBy ag:x ;
      sg:recipientsPerYear 50 ; sg:inPersonVisits "2 بار"@fa ;
      sg:hasStage <{ID}stage/s3/a>, <{ID}stage/s3/b> ;
      sg:hasExchange x:s3-1, x:s3-2 .
  <{ID}stage/s3/a> sg:electronic false .
  x:s3-1 sg:counterpartAgency ag:cra ; sg:inquiryType inq:non_electronic_agency ;
      sg:scope scope:external .
  x:s3-2 sg:counterpartSystem sys:local ; sg:inquiryType inq:online ; sg:scope scope:external .
}}
card:4 {{
  svc:s4 a sg:Service ; dct:identifier "1005-01" ; dct:title "زیرخدمت چهار"@fa ;
      sg:providedBy ag:a1 ; sg:recipientsPerYear 200 ; sg:subServiceOf svc:s5 ;
      sg:hasExchange x:s4-1 .
  svc:s5 a sg:Service ; dct:identifier "1005" ; dct:title "خدمت پنج"@fa ; sg:providedBy ag:a1 ;
      sg:recipientsPerYear 500 .
  x:s4-1 sg:counterpartSystem sys:shahkar ; sg:exchangesField fld:mobile-number ;
      sg:inquiryType inq:batch ; sg:scope scope:external .
}}
card:7 {{
  svc:s7 a sg:Service ; dct:identifier "1007" ; dct:title "خدمت هفت"@fa ; sg:providedBy ag:nocr ;
      sg:recipientsPerYear 30 ; sg:inPersonVisits "هر بار که لازم باشد"@fa .
}}
card:6 {{
  svc:s6 a sg:Service ; dct:identifier "1006" ; dct:title "خدمت شش"@fa ; sg:providedBy ag:y ;
      sg:deliveredThrough sys:local .
}}
"""
)


def node(kind: str, slug: str) -> str:
    """The IRI string of a node of the hand-made network (``node("system", "gsb")``)."""
    if kind == "service":
        return str(ID[f"service/{slug}"])
    return str(REF[f"{kind}/{slug}"])


def short(iri: str) -> str:
    """The last IRI segment, for readable assertions."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
