"""The REST resources (services, agencies, systems) and the card writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from ontology.namespace import ID, REF

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cards"
GOLD = ROOT / "tests" / "data" / "gold"
TOKEN = "test-token-1b8f0c"  # the token of the `writable` fixture (conftest.py)

SUB = "13091710000-13091710100"


def test_services_list_and_filters(client):
    everything = client.get("/services").json()
    assert everything["total"] == 6  # five cards, card 001 also names its parent service
    by_agency = client.get("/services", params={"agency": "استانداري"}).json()  # Arabic yeh
    assert [s["title"] for s in by_agency["items"]] == [
        "آموزش شهرداران و شوراهای با هدف آشنایی با آیین نامه ها و دستورالعمل ها"
    ]
    by_system = client.get("/services", params={"system": "سرویس شاهكار"}).json()
    assert [s["key"] for s in by_system["items"]] == [SUB]
    g2b = client.get("/services", params={"service_type": "g2b"}).json()
    assert {s["service_id"] for s in g2b["items"]} == {None, "18051569000"}  # cards 000, 002
    text = client.get("/services", params={"q": "ارزيابي عملكرد"}).json()
    assert [s["service_id"] for s in text["items"]] == ["1001176000"]
    page = client.get("/services", params={"limit": 2, "offset": 5}).json()
    assert page["total"] == 6 and len(page["items"]) == 1
    assert client.get("/services", params={"limit": 0}).status_code == 422


def test_service_detail_is_the_canonical_card(client):
    response = client.get("/services/1001176000")
    assert response.status_code == 200
    assert "ارزیابی".encode() in response.content and b"\\u06" not in response.content
    detail = response.json()
    gold = json.loads((GOLD / "003_470926eedf9b2a55.json").read_text(encoding="utf-8"))
    assert detail["card"]["service_id"] == gold["service_id"]
    assert len(detail["card"]["external_exchanges"]) == len(gold["external_exchanges"])
    assert detail["graph"] == str(ID["card/1001176000"])
    assert detail["source_file"] == "003_470926eedf9b2a55.txt"
    by_key = client.get(f"/services/{SUB}").json()
    by_sub_id = client.get("/services/13091710100").json()
    assert by_key["iri"] == by_sub_id["iri"] == str(ID[f"service/{SUB}"])
    assert client.get("/services/404404").status_code == 404


def test_service_rdf_by_accept(client, example_store):
    response = client.get("/services/1001176000", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert isomorphic(graph, example_store.get_graph(ID["card/1001176000"]))
    nt = client.get("/services/1001176000", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=nt.text, format="nt")) == len(graph)


def test_agencies(client):
    agencies = {a["iri"]: a for a in client.get("/agencies").json()}
    mpo = agencies[str(REF["agency/province-mpo"])]
    assert mpo["services"] == 1
    detail = client.get("/agencies/province-mpo").json()
    assert [s["iri"] for s in detail["service_list"]] == [str(ID["service/1001176000"])]
    assert {r["iri"].rsplit("/", 1)[-1] for r in detail["depends_on"]} == {
        "mefa",
        "governorate",
        "prayer-hq",
        "areo",
    }
    mefa = client.get("/agencies/ref/agency/mefa").json()
    assert [r["iri"] for r in mefa["depended_on_by"]] == [str(REF["agency/province-mpo"])]
    assert "سادا" in {s["label"] for s in mefa["systems"]}
    by_name = client.get("/agencies/استانداری").json()
    assert by_name["iri"] == str(REF["agency/governorate"])
    assert [r["iri"] for r in by_name["depends_on"]] == [str(REF["agency/municipality"])]
    assert client.get("/agencies/no-such-agency").status_code == 404


def test_systems(client):
    systems = {s["iri"]: s for s in client.get("/systems").json()}
    shahkar = systems[str(REF["system/shahkar"])]
    assert shahkar["services"] == 1
    assert [o["iri"] for o in shahkar["operators"]] == [str(REF["agency/cra"])]
    detail = client.get("/systems/shahkar").json()
    assert [s["iri"] for s in detail["consuming_services"]] == [str(ID[f"service/{SUB}"])]
    assert [f["label"] for f in detail["fields"]] == ["شماره تلفن همراه"]
    assert client.get("/systems", params={"q": "شاهكار"}).json()[0]["iri"] == shahkar["iri"]


# --- writes ---------------------------------------------------------------------------


def upload(client, path, **headers):
    with path.open("rb") as handle:
        return client.post("/cards", files={"file": (path.name, handle)}, headers=headers)


CARD = EXAMPLES / "002_0d3b341d9a24ee21.txt"


def test_writes_disabled_without_a_token(client):
    response = upload(client, CARD, Authorization="Bearer anything")
    assert response.status_code == 403
    assert "writes are disabled" in response.json()["detail"]
    assert client.delete("/cards/18051569000").status_code == 403


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic " + TOKEN, TOKEN])
def test_wrong_or_missing_token_is_401(writable, header):
    headers = {"Authorization": header} if header else {}
    assert upload(writable, CARD, **headers).status_code == 401
    assert writable.delete("/cards/18051569000", headers=headers).status_code == 401


def test_upload_then_query_then_delete(writable, tmp_path):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    card = tmp_path / "renamed.txt"
    text = CARD.read_text(encoding="utf-8").replace("۱۸۰۵۱۵۶۹۰۰۰", "۱۸۰۵۱۵۶۹۹۹۹")
    card.write_text(text, encoding="utf-8")
    response = upload(writable, card, **auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["stored"] and body["key"] == "18051569999"
    assert body["card"]["title"] == "مشاوره و آموزش در حوزه تجارت الکترونیک"
    assert isinstance(body["validation"], list) and body["violations"] == 0
    # workers see the new card at once (revision bumped after the write)
    assert writable.get("/services/18051569999").status_code == 200
    deleted = writable.delete("/cards/18051569999", headers=auth)
    assert deleted.json() == {
        "key": "18051569999",
        "graph": str(ID["card/18051569999"]),
        "deleted": True,
    }
    assert writable.get("/services/18051569999").status_code == 404
    assert writable.delete("/cards/18051569999", headers=auth).status_code == 404


def test_upload_refusals(writable, tmp_path):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    notes = tmp_path / "card.md"
    notes.write_bytes(b"# card")
    assert upload(writable, notes, **auth).status_code == 415
    pdf = tmp_path / "card.pdf"  # an accepted suffix: the readers decide, in one line
    pdf.write_bytes(b"%PDF-1.4")
    response = upload(writable, pdf, **auth)
    assert response.status_code == 400 and "card.pdf: corrupt PDF" in response.json()["detail"]
    not_a_card = tmp_path / "notes.txt"
    not_a_card.write_text("hello", encoding="utf-8")
    response = upload(writable, not_a_card, **auth)
    assert response.status_code == 400 and "notes.txt" in response.json()["detail"]
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 210_000)  # over the fixture's 200 kB upload limit
    assert upload(writable, big, **auth).status_code == 413


def test_validate_does_not_store(writable, client):
    with (EXAMPLES / "001_7db24de71e7db159.txt").open("rb") as handle:
        response = client.post("/validate", files={"file": ("001.txt", handle)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] is False and body["key"] == SUB
    statuses = {r["name"]: r["status"] for r in body["resolutions"]}
    assert statuses["سرویس شاهکار"] == "reference"
    assert "ارسال نامه به کارپوشه" in body["unresolved"]


def test_refused_writes_leave_the_graph_unchanged(client, example_store):
    client.delete("/cards/18051569000", headers={"Authorization": "Bearer x"})
    assert URIRef(ID["card/18051569000"]) in example_store.graph_names()
    assert client.get("/services/18051569000").status_code == 200


def test_read_only_server_follows_an_ingest_published_elsewhere(
    example_data_dir: Path, tmp_path: Path
) -> None:
    """A server without a token opens the store read-only; a CLI ingest into the same data
    directory publishes a snapshot, and the next request sees the new card."""
    import shutil

    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.card import Card
    from graph.ingest import ingest_card
    from graph.settings import Settings
    from graph.store.embedded import EmbeddedStore

    data_dir = tmp_path / "data"
    shutil.copytree(example_data_dir, data_dir)
    settings = Settings(data_dir=data_dir, query_workers=1)
    with TestClient(create_app(settings)) as client:
        before = {s["service_id"] for s in client.get("/services").json()["items"]}
        assert "9990000077" not in before
        card = Card.model_validate(
            json.loads((GOLD / "002_0d3b341d9a24ee21.json").read_text(encoding="utf-8"))
        ).model_copy(update={"service_id": "9990000077", "source": "later.txt"})
        writer = EmbeddedStore(data_dir)
        ingest_card(card, card.to_json().encode(), writer, data_dir=data_dir)
        writer.close()  # publishes the snapshot readers open
        after = {s["service_id"] for s in client.get("/services").json()["items"]}
        assert after == before | {"9990000077"}


def test_validate_reads_a_pdf_card(client):
    pdf = Path(__file__).resolve().parents[1] / "data" / "corpus"
    pdf = pdf / "002_0d3b341d9a24ee21.chromium-noto.pdf"
    with pdf.open("rb") as handle:
        response = client.post("/validate", files={"file": (pdf.name, handle)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] is False and body["key"] == "18051569000"
    assert body["card"]["service_types"] == ["G2B", "G2G"]
