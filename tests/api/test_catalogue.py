"""Every catalogue query on the example cards, with its rows checked by hand from the cards
(``examples/cards``, canonical versions in ``shared/gold``) and the reference register."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from graph.sparql import catalogue
from ontology.namespace import ID, REF

SUB = "13091710000-13091710100"  # card 001 describes a sub-service of 13091710000
EVAL = "1001176000"  # card 003


def run(client, name, **params):
    response = client.get(f"/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_every_query_is_tested_and_has_headers():
    tested = {
        "services-by-system",
        "agency-dependencies",
        "non-electronic-inquiries",
        "field-recipients",
        "systems-without-operator",
        "cards-with-violations",
        "services-per-agency",
        "unresolved-names",
    }
    assert set(catalogue.catalogue()) == tested
    for query in catalogue.catalogue().values():
        assert query.title and query.description and query.title_fa


def test_list_endpoint(client):
    listed = client.get("/queries").json()
    assert [q["name"] for q in listed] == sorted(catalogue.catalogue())
    by_name = {q["name"]: q for q in listed}
    assert by_name["services-by-system"]["params"][0]["name"] == "system"


@pytest.mark.parametrize("name", ["شاهکار", "سرویس شاهكار", "SHAHKAR", str(REF["system/shahkar"])])
def test_services_by_system_shahkar(client, name):
    """Card 001 lists «سرویس شاهکار» of the CRA for users' mobile numbers, inquiry unstated."""
    rows = run(client, "services-by-system", system=name)
    assert len(rows) == 1
    row = rows[0]
    assert row["system"] == str(REF["system/shahkar"])
    assert row["service"] == str(ID[f"service/{SUB}"])
    assert row["agency"] == "سازمان فناوری اطلاعات ایران"
    assert row["inquiry"] == "unknown"
    assert row["fields"] == "شماره تلفن همراه"


def test_services_by_system_without_parameter_lists_every_dependency(client):
    rows = run(client, "services-by-system")
    got = {(slug(r["system"]), slug(r["service"]), r["inquiry"]) for r in rows}
    card001 = {"gsb", "payam-iran", "pgsb", "agency-web-services", "nocr-identity", "shahkar"}
    online003 = {"sada", "sanama", "dadvar", "sajjadeh"}
    expected = {(s, SUB, "unknown") for s in card001}
    expected |= {(s, EVAL, "online") for s in online003}
    expected |= {(s, EVAL, "unknown") for s in ("karmand-iran", "samad", "setad")}
    expected |= {("other-agency-databases", "hc179fecf8b7d", "unknown")}  # card 000
    assert got == expected


def test_services_by_system_keeps_fields_when_an_exchange_has_none(client):
    """Card 000 has two exchanges with «سایر دستگاه‌ها», one without fields: its fields are
    still listed (a GROUP_CONCAT over a group with an unbound label was unbound)."""
    rows = run(client, "services-by-system", system=str(REF["system/other-agency-databases"]))
    assert len(rows) == 1
    assert set(rows[0]["fields"].split(" | ")) == {
        "اطلاعات هویتی",
        "شاخصهای عملکردی و آماری دستگاهها",
    }


def test_unknown_system_is_404(client):
    response = client.get("/queries/services-by-system", params={"system": "سامانه ناموجود"})
    assert response.status_code == 404
    assert "no system named" in response.json()["detail"]


def test_agency_dependencies(client):
    rows = run(client, "agency-dependencies")
    got = {(slug(r["from"]), slug(r["to"]), r["services"], r["exchanges"]) for r in rows}
    unresolved_000 = slug(str(ID["agency/3235a2b5c4b5d045"]))  # «معاونت زیرساخت», card 000
    assert got == {
        ("province-mpo", "mefa", 1, 4),  # card 003: ستاد، سادا، سناما، دادور of اقتصاد و دارایی
        ("province-mpo", "governorate", 1, 1),  # سامد of استانداری
        ("province-mpo", "prayer-hq", 1, 1),  # سجاده of ستاد اقامه نماز
        ("province-mpo", "areo", 1, 1),  # سامانه کارمند ایران (operated by AREO)
        ("ito", "nocr", 1, 1),  # card 001
        ("ito", "cra", 1, 1),
        ("ito", "all-executive-agencies", 1, 2),
        ("governorate", "municipality", 1, 1),  # card 004
        (unresolved_000, "all-executive-agencies", 1, 2),  # card 000, both rows
    }
    assert rows[0]["from"] == str(REF["agency/province-mpo"])  # most exchanges first


def test_field_recipients_mobile_number(client):
    rows = run(client, "field-recipients", field="شماره تلفن همراه")
    assert [(slug(r["service"]), r["fromSystem"], r["fromAgency"]) for r in rows] == [
        (SUB, "شاهکار", "سازمان تنظیم مقررات و ارتباطات رادیویی")
    ]
    identity = run(client, "field-recipients", field=str(REF["field/identity-record"]))
    assert sorted(slug(r["service"]) for r in identity) == sorted([SUB, "hc179fecf8b7d"])


def test_services_per_agency(client):
    rows = run(client, "services-per-agency")
    got = {slug(r["agency"]): (r["services"], r["recipientsPerYear"]) for r in rows}
    assert got == {
        "ito": (1, None),  # card 001's sub-service; its parent service is not counted again
        "ecdc": (1, None),
        "province-mpo": (1, 1),  # 1 per year
        "governorate": (1, None),  # 750, period not stated
        "3235a2b5c4b5d045": (1, 4000),
    }
    parents = {slug(r["agency"]): r["parentAgency"] for r in rows}
    assert parents["governorate"] == "وزارت کشور"


def test_systems_without_operator(client):
    rows = run(client, "systems-without-operator")
    # every system a card names gets an operator (register or card); these register
    # entries have none and no card uses them yet
    assert {(slug(r["system"]), r["services"]) for r in rows} == {
        ("agency-window", 0),
        ("sepad", 0),
        ("simad", 0),
    }


def test_unresolved_names(client):
    rows = run(client, "unresolved-names")
    agencies = {r["writtenAs"] for r in rows if r["kind"] == "Agency"}
    assert agencies == {"معاونت زیرساخت", "مدیریت فناوری اطلاعات و ارتباطات"}
    fields = [r for r in rows if r["kind"] == "ExchangedField"]
    assert len(fields) == 11
    assert "ارسال نامه به کارپوشه" in {r["writtenAs"] for r in fields}
    assert all(r["resolution"] == "unresolved" and r["cards"] == 1 for r in rows)
    fuzzy = run(client, "unresolved-names", resolution="fuzzy")
    assert all(r["resolution"] == "fuzzy" for r in fuzzy)


def test_non_electronic_inquiries(client, writable):
    assert run(client, "non-electronic-inquiries") == []  # no example card has one
    rows = run(writable, "non-electronic-inquiries")
    assert [(r["serviceId"], r["inquiry"], r["counterpartAgency"]) for r in rows] == [
        ("9990000001", "non_electronic", "سازمان ثبت احوال کشور")
    ]


def test_cards_with_violations(client, writable):
    assert run(client, "cards-with-violations") == []  # the examples validate
    rows = run(writable, "cards-with-violations")
    assert [(r["sourceFile"], r["violations"]) for r in rows] == [("negative.txt", 1)]
    assert "Recipients per year" in rows[0]["messages"]


# Each card graph repeats the labels of the agencies, systems and fields it names, and the
# default graph is the union of the graphs: a label joined naively repeats a row once per
# card, and a label joined on a key a row lacks (no counterpart system, no parent agency)
# repeats it once per label in the store. One row per key, whatever the cards hold.
@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("agency-dependencies", ("from", "to")),
        ("services-by-system", ("system", "service", "inquiry")),
        ("services-per-agency", ("agency",)),
        ("systems-without-operator", ("system",)),
        ("unresolved-names", ("entity",)),
        ("field-recipients", ("field", "service", "fromSystem", "fromAgency", "inquiry")),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_label_joins_do_not_repeat_rows(client, name, key):
    rows = run(client, name)
    keys = [tuple(r[k] for k in key) for r in rows]
    assert rows and len(keys) == len(set(keys))


def test_no_query_picks_an_arbitrary_value():
    """SAMPLE() answered differently on the embedded store and on Oxigraph server: the
    catalogue picks one value with MIN() and orders every result."""
    for query in catalogue.catalogue().values():
        code = "\n".join(
            line for line in query.text.upper().splitlines() if not line.lstrip().startswith("#")
        )
        assert "SAMPLE(" not in code, query.name
        assert "ORDER BY" in code, query.name


def test_csv_format_and_bad_parameter(client):
    response = client.get("/queries/services-per-agency", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0].startswith("agency,agencyLabel")
    bad = client.get("/queries/services-per-agency", params={"system": "x"})
    assert bad.status_code == 400
    missing = client.get("/queries/nope")
    assert missing.status_code == 404 and "services-by-system" in missing.json()["detail"]


@pytest.mark.parametrize(
    "value",
    ["urn:x> } ; DROP ALL #", 'x" } UNION { ?s ?p ?o } #'],
    ids=["iri-breakout", "literal-breakout"],
)
def test_parameter_values_cannot_inject(value):
    from rdflib import Literal, URIRef

    from graph.errors import QueryError
    from graph.sparql.guard import check_query

    query = catalogue.load("unresolved-names")
    rendered = query.render({"resolution": [Literal(value)]})
    assert check_query(rendered).form == "select"  # still one well-formed query
    assert f"VALUES ?resolution {{ {Literal(value).n3()} }}" in rendered  # one escaped literal
    with pytest.raises(QueryError):
        catalogue.load("services-by-system").render({"system": [URIRef(value)]})


def _row_key(row: dict) -> str:
    """A row as text, its concatenated fields as a set (GROUP_CONCAT has no set order)."""
    fields = row.get("fields")
    if fields is not None:
        row = {**row, "fields": sorted(fields.split(" | "))}
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def _all_pages(client, name: str, limit: int) -> list[list[dict]]:
    """Every page of ``name`` at ``limit`` rows, following the ``next`` links."""
    pages, url = [], f"/queries/{name}?limit={limit}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["limit"] == limit and len(body["rows"]) <= limit
        pages.append(body["rows"])
        url = body["next"]
        assert len(pages) < 50, "the next links never end"
    return pages


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_pages_hold_every_row_once(writable, name):
    """Pages of two rows, followed by their links, give the whole answer: no row twice, none
    lost. The listings cut their row keys, not the answer, so this checks that a page
    gets complete rows (all the fields of a service's exchanges with one system)."""
    whole = writable.get(f"/queries/{name}", params={"limit": 10_000}).json()
    assert whole["next"] is None
    pages = _all_pages(writable, name, 2)
    assert pages[-1] == [] or len(pages[-1]) <= 2
    paged = Counter(_row_key(row) for page in pages for row in page)
    assert paged == Counter(_row_key(row) for row in whole["rows"])
    if len(whole["rows"]) > 2:
        assert (
            len(pages) >= 2
            and pages[0] == writable.get(f"/queries/{name}", params={"limit": 2}).json()["rows"]
        )  # the same revision cuts the same pages


def test_json_answer_is_paged_by_default_and_downloads_are_whole(client, settings):
    rows = client.get("/queries/field-recipients", params={"limit": 5})
    body = rows.json()
    assert len(body["rows"]) == 5 and body["offset"] == 0
    assert "limit=5" in body["next"] and "offset=5" in body["next"]
    assert client.get(body["next"]).json()["offset"] == 5
    default = client.get("/queries/field-recipients").json()
    assert default["limit"] == settings.page_size
    csv_text = client.get("/queries/field-recipients", params={"format": "csv"}).text
    assert len(csv_text.strip().splitlines()) - 1 == len(default["rows"])  # 16 < page size


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit must be between 1"),
        ({"limit": "ten"}, "limit must be given once, as a whole number"),
        ({"offset": "-1"}, "offset must be given once"),
        ({"limit": "999999999"}, "limit must be between 1"),
        ({"page": "2"}, "has no parameter page"),
    ],
)
def test_bad_page_parameters_are_400(client, params, message):
    response = client.get("/queries/services-by-system", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_every_query_has_one_page_placeholder():
    from graph.errors import QueryError

    text = catalogue.load("services-per-agency").text
    with pytest.raises(QueryError, match=r"exactly one \$page"):
        catalogue._parse("x", text.replace("$page", ""))
    with pytest.raises(QueryError, match="reserved"):
        catalogue._parse("x", "# title: t\n# description: d\n# param: limit literal n\n$page")


def test_every_listed_example_runs_on_the_sparql_endpoint(client, settings):
    """The query page loads ``example`` into its editor: it must run as it is."""
    for info in client.get("/queries").json():
        assert "$" not in info["example"].replace("$page", "")  # no placeholder left
        response = client.post(
            "/sparql",
            data={"query": info["example"]},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200, (info["name"], response.text)
        assert f"LIMIT {settings.page_size}" in info["example"]
