"""Name resolution on the names the example cards actually use."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from graph.resolve import FUZZY_MIN_CORE, FUZZY_THRESHOLD, Resolver
from graph.text import match_key
from ontology import load_reference
from ontology.namespace import ID, REF, SG

CARDS = Path(__file__).resolve().parents[2] / "examples" / "cards"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.default()


def _resolve(resolver: Resolver, kind: str, name: str, context: str | None = None):
    if kind == "system":
        return resolver.system(name, agency=context)
    if kind == "agency":
        return resolver.agency(name, context=context)
    return resolver.field(name)


# (card, kind, name as the card writes it, context, expected register slug or None=unresolved)
GOLD = [
    (
        "000",
        "system",
        "پایگاههای داده سایر سازمانها و مؤسسات دولتی و نهادهای عمومی",
        None,
        "system/other-agency-databases",
    ),
    ("000", "agency", "معاونت زیرساخت", None, None),
    ("000", "agency", "مدیریت فناوری اطلاعات و ارتباطات", None, None),
    ("000", "field", "اطلاعات هویتی", None, "field/identity-record"),
    ("001", "agency", "سازمان فناوری اطلاعات ایران", None, "agency/ito"),
    ("001", "agency", "وزارت ارتباطات و فناوری اطلاعات ایران", None, "agency/mict"),
    ("001", "system", "www.Mob.gov.ir", None, "system/mobile-gov"),
    ("001", "system", "GSB", None, "system/gsb"),
    ("001", "system", "پیام ایران", None, "system/payam-iran"),
    ("001", "system", "PGSB", None, "system/pgsb"),
    (
        "001",
        "agency",
        "دستگاههای اجرایی و نهادهای عمومی کشور",
        None,
        "agency/all-executive-agencies",
    ),
    (
        "001",
        "system",
        "وب سرویس دستگاهها",
        "دستگاههای اجرایی و نهادهای عمومی کشور",
        "system/agency-web-services",
    ),
    ("001", "agency", "سازمان ثبت احوال کشور", None, "agency/nocr"),
    ("001", "system", "احراز هویت ثبت احوال", "سازمان ثبت احوال کشور", "system/nocr-identity"),
    ("001", "field", "مشخصات هویتی کاربران", None, "field/identity-record"),
    ("001", "agency", "سازمان تنظیم مقررات و ارتباطات رادیویی", None, "agency/cra"),
    ("001", "system", "سرویس شاهکار", "سازمان تنظیم مقررات و ارتباطات رادیویی", "system/shahkar"),
    ("001", "field", "شماره تلفن همراه کاربران", None, "field/mobile-number"),
    (
        "001",
        "agency",
        "تمامی دستگاههای ارائه کننده خدمت G2C",
        None,
        "agency/all-executive-agencies",
    ),
    ("002", "agency", "مرکز توسعه تجارت الکترونیکی", None, "agency/ecdc"),
    (
        "003",
        "agency",
        "سازمان مدیریت و برنامه ریزی استان اصفهان",
        "سازمان اداری و استخدامی کشور",
        "agency/province-mpo",
    ),
    ("003", "agency", "سازمان اداری و استخدامی کشور", None, "agency/areo"),
    ("003", "system", "سامانه کارمند ایران", None, "system/karmand-iran"),
    ("003", "agency", "استانداری", None, "agency/governorate"),
    ("003", "system", "سامد", "استانداری", "system/samad"),
    ("003", "agency", "اقتصاد و دارایی", None, "agency/mefa"),
    ("003", "system", "ستاد ایران", "اقتصاد و دارایی", "system/setad"),
    ("003", "system", "سادا", "اقتصاد و دارایی", "system/sada"),
    ("003", "field", "فضای اداری", None, "field/office-space"),
    ("003", "system", "سناما", "اقتصاد و دارایی", "system/sanama"),
    ("003", "system", "دادور یاور", "اقتصاد و دارایی", "system/dadvar"),
    ("003", "agency", "ستاد اقامه نماز", None, "agency/prayer-hq"),
    ("003", "system", "سجاده", "ستاد اقامه نماز", "system/sajjadeh"),
    ("004", "agency", "وزارت کشور", None, "agency/moi"),
    ("004", "agency", "شهرداری", None, "agency/municipality"),
]


@pytest.mark.parametrize(
    ("card", "kind", "name", "context", "expected"),
    GOLD,
    ids=[f"{c}-{k}-{e or 'unresolved'}" for c, k, _, _, e in GOLD],
)
def test_card_counterparts_resolve_to_the_node_they_mean(
    resolver, card, kind, name, context, expected
) -> None:
    text = next(CARDS.glob(f"{card}_*.txt")).read_text(encoding="utf-8")
    assert match_key(name) in match_key(text), "the table must quote the card"
    result = _resolve(resolver, kind, name, context)
    assert result is not None and result.kind == kind
    if expected is None:
        assert result.status == "unresolved"
        assert str(result.iri).startswith(str(ID[f"{kind}/"]))
    else:
        assert (result.iri, result.status, result.score) == (REF[expected], "reference", 1.0)


VARIANTS = [
    (
        "system",
        "system/karmand-iran",
        [
            "سامانه کارمند ایران",
            "سامانه كارمند ايران",
            "سامانه‌کارمند ایران",
            "کارمند ایران",
            "سامانه کارمندایران",
        ],
    ),
    (
        "system",
        "system/shahkar",
        [
            "شاهکار",
            "سامانه شاهكار",
            "سرویس شاهکار",
            "سامانه‌ی شاهکار",
            "استعلام شاهکار",
            "Shahkar",
            "سامانه شاهکار ایران",
        ],
    ),
    ("system", "system/samad", ["سامانه ۱۱۱", "سامانه 111", "سامانه ١١١", "سامد"]),
    (
        "system",
        "system/nocr-identity",
        ["احراز هویت ثبت‌احوال", "سرویس احراز هويت ثبت احوال", "وب سرویس احراز هویت ثبت احوال"],
    ),
    (
        "agency",
        "agency/nocr",
        ["سازمان ثبت احوال کشور", "ثبت‌احوال", "سازمان ثبت احوال", "اداره کل ثبت احوال استان تهران"],
    ),
    (
        "agency",
        "agency/governorate",
        ["استانداری", "استانداري", "استانداری اصفهان", "استانداری استان خراسان رضوی"],
    ),
    (
        "agency",
        "agency/mict",
        [
            "وزارت ارتباطات و فناوري اطلاعات",
            "وزارت ارتباطات و فن آوری اطلاعات",
            "وزارت ارتباطات و فناوری اطلاعات جمهوری اسلامی ایران",
        ],
    ),
    (
        "agency",
        "agency/all-executive-agencies",
        ["دستگاه‌های اجرایی", "سایر دستگاه‌های دولتی", "دستگاههای اجرایی استان اصفهان"],
    ),
    ("agency", "agency/medical-university", ["دانشگاه علوم پزشکی اصفهان", "دانشگاه علوم پزشكي"]),
    ("field", "field/national-id", ["کد ملی", "کدملی", "شماره ملی", "کد ملی متقاضی"]),
    ("field", "field/postal-code", ["کد پستی", "کدپستی", "استعلام کد پستی"]),
]


@pytest.mark.parametrize(("kind", "expected", "spellings"), VARIANTS, ids=[v[1] for v in VARIANTS])
def test_spelling_variants_resolve_identically(resolver, kind, expected, spellings) -> None:
    for spelling in spellings:
        result = _resolve(resolver, kind, spelling)
        assert result is not None and result.iri == REF[expected], spelling
        assert result.status == "reference"


@pytest.mark.parametrize("name", [None, "", "  ", "-", "...", "…", "ندارد", "ندارند", "—"])
@pytest.mark.parametrize("kind", ["agency", "system", "field"])
def test_empty_names_and_placeholders_give_none(resolver, kind, name) -> None:
    assert _resolve(resolver, kind, name) is None


def test_same_unknown_name_is_one_node(resolver) -> None:
    first = resolver.system("سامانه پایش شاخص‌های عملکردی")
    second = resolver.system("سامانه  پايش شاخصهای عملکردی")
    assert first is not None and second is not None
    assert first.iri == second.iri and first.status == "unresolved" and first.score == 0.0
    assert first.label == "سامانه پایش شاخص‌های عملکردی"
    other = resolver.system("سامانه پایش شاخص‌های مالی")
    assert other is not None and other.iri != first.iri
    as_agency = resolver.agency("سامانه پایش شاخص‌های عملکردی")
    assert as_agency is not None and as_agency.iri != first.iri


def test_unknown_iris_are_stable_across_resolvers() -> None:
    fresh = Resolver(load_reference())
    assert fresh.agency("معاونت زیرساخت") == Resolver.default().agency("معاونت زیرساخت")


NEAR_MISSES = [
    ("system", "سامانه کارمند ایرن", "system/karmand-iran"),
    ("agency", "سازمان تنظیم مقررات و ارتباطات رادیوئی", "agency/cra"),
    ("agency", "سازمان اداری استخدامی کشور", "agency/areo"),
    ("agency", "سازمن ثبت احوال کشور", "agency/nocr"),
    ("agency", "مرکز توسعه تجارت الکترونیکیی", "agency/ecdc"),
    ("system", "گذرگاه خدمات دولتی", "system/gsb"),
]


@pytest.mark.parametrize(("kind", "name", "expected"), NEAR_MISSES, ids=[n[2] for n in NEAR_MISSES])
def test_near_miss_spellings_resolve_fuzzily(resolver, kind, name, expected) -> None:
    result = _resolve(resolver, kind, name)
    assert result is not None and result.iri == REF[expected]
    assert result.status == "fuzzy" and FUZZY_THRESHOLD <= result.score < 1.0


COLLISIONS = [
    # (kind, name, context, must resolve to, must never be)
    ("system", "سامد", None, "system/samad", "system/sada"),
    ("system", "سادا", None, "system/sada", "system/samad"),
    ("system", "سناما", None, "system/sanama", "system/sana-audit"),
    ("system", "سنا", None, "system/sana-audit", "system/sana-judiciary"),
    ("system", "ثنا", None, "system/sana-judiciary", "system/sana-audit"),
    ("system", "سجاده", None, "system/sajjadeh", "system/sajjad"),
    ("system", "سامانه سجاد", None, "system/sajjad", "system/sajjadeh"),
    ("system", "سپاد", None, "system/sepad", "system/sepas"),
    ("system", "ستاد اقامه نماز", None, None, "system/setad"),
    ("agency", "ستاد ایران", None, None, "agency/prayer-hq"),
    ("agency", "وزارت راه", None, "agency/mrud", "agency/mcls"),
    ("agency", "وزارت رفاه", None, "agency/mcls", "agency/mrud"),
    ("agency", "وزارت اطلاعات", None, "agency/mois", "agency/ito"),
    ("agency", "سازمان فناوری اطلاعات", None, "agency/ito", "agency/mois"),
    ("agency", "وزارت نیرو", None, "agency/moen", "agency/faraja"),
    ("agency", "نیروی انتظامی", None, "agency/faraja", "agency/moen"),
    ("agency", "سازمان تامین اجتماعی", None, "agency/sso", "agency/afsso"),
    ("agency", "تامین اجتماعی نیروهای مسلح", None, "agency/afsso", "agency/sso"),
    ("agency", "سازمان امور مالیاتی کشور", None, "agency/inta", "agency/land-affairs"),
    ("agency", "سازمان استاندارد", None, "agency/isiri", "agency/governorate"),
    ("agency", "سازمان مدیریت و برنامه ریزی کشور", None, "agency/mpo", "agency/province-mpo"),
    ("agency", "بانک مرکزی", None, "agency/cbi", None),
    ("agency", "معاونت نظارت", None, None, "agency/treasury"),
    ("field", "شاخصهای عملکردی و آماری دستگاهها", None, None, None),
    ("field", "اطلاعات ثبتی", None, "field/legal-entity-record", "field/identity-record"),
]


@pytest.mark.parametrize(
    ("kind", "name", "context", "expected", "forbidden"),
    COLLISIONS,
    ids=[f"{c[0]}-{c[1]}" for c in COLLISIONS],
)
def test_distinct_names_never_collide(resolver, kind, name, context, expected, forbidden) -> None:
    result = _resolve(resolver, kind, name, context)
    assert result is not None
    if forbidden:
        assert result.iri != REF[forbidden]
    if expected:
        assert result.iri == REF[expected]
    else:
        assert result.status == "unresolved"


def test_short_names_never_fuzzy_match(resolver) -> None:
    """One letter dropped from or added to a short acronym never lands on another entry."""
    graph = load_reference()
    for iri in graph.subjects(RDF.type, SG.System):
        label = next(str(o) for o in graph.objects(iri, SKOS.prefLabel) if o.language == "fa")
        key = match_key(label)
        if len(key) >= FUZZY_MIN_CORE or " " in label:
            continue
        for variant in (key[:-1], key + "ا", key + "ی", key[0] + key[2:]):
            result = resolver.system(variant)
            assert result is None or result.status != "fuzzy", (label, variant, result)


def test_every_register_label_resolves_to_its_own_entry(resolver) -> None:
    graph = load_reference()
    for kind, cls in (("agency", SG.Agency), ("system", SG.System), ("field", SG.ExchangedField)):
        for iri in graph.subjects(RDF.type, cls):
            for label in graph.objects(iri, SKOS.altLabel):
                result = _resolve(resolver, kind, str(label))
                assert result is not None and result.iri == iri, (kind, str(label), result)


CONTEXT_TTL = """
@prefix sg: <https://w3id.org/servicegraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix ref: <https://w3id.org/servicegraph/ref/> .
ref:agency\\/a a sg:Agency ; skos:prefLabel "وزارت الف"@fa .
ref:agency\\/b a sg:Agency ; skos:prefLabel "وزارت ب"@fa .
ref:agency\\/a-office a sg:Agency ; skos:prefLabel "اداره کل آموزش"@fa ;
    org:subOrganizationOf ref:agency\\/a .
ref:agency\\/b-office a sg:Agency ; skos:altLabel "اداره کل آموزش"@fa ;
    skos:prefLabel "دفتر آموزش ب"@fa ; org:subOrganizationOf ref:agency\\/b .
ref:system\\/a-db a sg:System ; skos:prefLabel "سامانه جامع اطلاعات پایه"@fa ;
    sg:operatedBy ref:agency\\/a .
ref:system\\/b-db a sg:System ; skos:altLabel "سامانه جامع اطلاعات پایه"@fa ;
    skos:prefLabel "پایگاه اطلاعات ب"@fa ; sg:operatedBy ref:agency\\/b-office .
"""


@pytest.fixture(scope="module")
def ambiguous() -> Resolver:
    return Resolver(Graph().parse(data=CONTEXT_TTL, format="turtle"))


def test_ambiguous_name_without_context_is_not_guessed(ambiguous: Resolver) -> None:
    assert ambiguous.system("سامانه جامع اطلاعات پایه").status == "unresolved"
    assert ambiguous.agency("اداره کل آموزش").status == "unresolved"


@pytest.mark.parametrize(
    ("context", "expected"), [("وزارت الف", "system/a-db"), ("وزارت ب", "system/b-db")]
)
def test_system_context_prefers_the_operating_agency(ambiguous, context, expected) -> None:
    assert ambiguous.system("سامانه جامع اطلاعات پایه", agency=context).iri == REF[expected]


@pytest.mark.parametrize(
    ("context", "expected"), [("وزارت الف", "agency/a-office"), ("وزارت ب", "agency/b-office")]
)
def test_agency_context_prefers_children_of_the_parent(ambiguous, context, expected) -> None:
    assert ambiguous.agency("اداره کل آموزش", context=context).iri == REF[expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shahkar", ["system/shahkar"]),
        ("system/shahkar", ["system/shahkar"]),
        (str(REF["system/shahkar"]), ["system/shahkar"]),
        ("Shahkar", ["system/shahkar"]),
        ("سرویس شاهکار", ["system/shahkar"]),
        ("postal-code", ["system/postal-code", "field/postal-code"]),
        ("ثبت احوال", ["system/nocr-identity", "agency/nocr"]),
        ("GSB", ["system/gsb"]),
        ("سامانه ناموجود فرضی", []),
        ("", []),
    ],
)
def test_lookup_finds_entries_of_any_kind(resolver, text, expected) -> None:
    found = resolver.lookup(text)
    assert [str(r.iri).removeprefix(str(REF)) for r in found] == expected
    assert all(r.status in {"reference", "fuzzy"} for r in found)


def test_reference_results_carry_both_labels(resolver) -> None:
    result = resolver.system("سرویس شاهکار")
    assert result.label == "شاهکار" and result.label_en and "Shahkar" in result.label_en


def test_collective_entries_are_reported(resolver) -> None:
    everyone = resolver.agency("تمامی دستگاههای ارائه کننده خدمت G2C")
    assert resolver.is_collective(everyone.iri)
    assert not resolver.is_collective(resolver.agency("استانداری").iri)
    assert isinstance(everyone.iri, URIRef)


def test_lookup_of_a_plain_name_logs_no_invalid_uri_warning(caplog) -> None:
    """Regression: lookup() built URIRefs from names with spaces, and rdflib warned."""
    import logging

    from graph.resolve import Resolver

    with caplog.at_level(logging.WARNING, logger="rdflib"):
        hits = Resolver.default().lookup("سرویس شاهکار")
    assert [h.iri.rsplit("/", 1)[-1] for h in hits][:1] == ["shahkar"]
    assert not [r for r in caplog.records if "valid URI" in r.getMessage()]
