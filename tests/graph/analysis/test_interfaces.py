"""The CLI commands and the API routes over a real store (the example cards and the network)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from servicegraph.cli import app
from tests.graph.analysis.analysis_network import node

runner = CliRunner()


def run(data_dir: Path, *args: str):
    result = runner.invoke(app, ["--data-dir", str(data_dir), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_cli_impact_json_and_csv(network_data_dir: Path):
    data = json.loads(run(network_data_dir, "impact", "shahkar", "--format", "json"))
    assert {s["service_id"] for s in data["services"]} == {"1001", "1005-01", "1005"}
    rows = list(csv.DictReader(io.StringIO(run(network_data_dir, "impact", "GSB", "-f", "csv"))))
    assert next((r["service_id"], r["dependency"]) for r in rows) == ("1002", "direct")
    assert {r["service_id"] for r in rows} == {"1001", "1002", "1005-01", "1005"}


def test_cli_impact_several_targets_and_depth(network_data_dir: Path):
    data = json.loads(
        run(network_data_dir, "impact", "GSB", "سامانه محلی", "--depth", "1", "-f", "json")
    )
    assert {s["service_id"] for s in data["services"]} == {"1002", "1003", "1006"}
    assert data["depth"] == 1


def test_cli_impact_table_names_the_target(network_data_dir: Path):
    out = run(network_data_dir, "impact", "system/shahkar")
    assert "شاهکار" in out and "direct" in out


def test_cli_views(network_data_dir: Path):
    hubs = list(
        csv.DictReader(io.StringIO(run(network_data_dir, "hubs", "--top", "2", "-f", "csv")))
    )
    assert len(hubs) == 2 and int(hubs[0]["transitive_services"]) >= int(
        hubs[1]["transitive_services"]
    )
    matrix = json.loads(run(network_data_dir, "matrix", "-f", "json"))
    assert len(matrix["cells"]) == 6
    flow = json.loads(run(network_data_dir, "dataflow", "کد ملی", "-f", "json"))
    assert [r["service_id"] for r in flow["receivers"]] == ["1001"]
    rows = list(csv.DictReader(io.StringIO(run(network_data_dir, "maturity", "-f", "csv"))))
    assert {r["agency"] for r in rows} >= {"دستگاه الف", "دستگاه ایکس"}


def test_cli_export_graph_round_trips(network_data_dir: Path, network: nx.MultiDiGraph, tmp_path):
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        runner.invoke(
            app, ["--data-dir", str(network_data_dir), "export-graph", "-f", fmt, "-o", str(out)]
        )
        H = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert H.number_of_nodes() == network.number_of_nodes()
        assert H.number_of_edges() == network.number_of_edges()
        s1 = H.nodes[node("service", "s1")]
        assert s1["recipients_per_year"] == 1000 and json.loads(s1["aliases"]) == []
    data = json.loads(run(network_data_dir, "export-graph", "-f", "json", "-o", "-"))
    assert len(data["edges"]) == network.number_of_edges()


def test_cli_diff(network_data_dir: Path, tmp_path: Path):
    data = json.loads(
        run(network_data_dir, "diff", str(network_data_dir), str(network_data_dir), "-f", "json")
    )
    assert data["added"] == data["removed"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["impact", "سامانه ناموجود"], "matches 'سامانه ناموجود'"),
        (["impact", "دستگاه", "--kind", "agency"], "is ambiguous"),
        (["dataflow", "shahkar"], "no field matches 'shahkar'"),
    ],
    ids=["unknown", "ambiguous", "wrong-kind"],
)
def test_cli_errors_are_one_line_with_exit_2(network_data_dir: Path, args, message):
    proc = subprocess.run(
        [sys.executable, "-c", "from servicegraph.cli import main; main()", "--data-dir",
         str(network_data_dir), *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def client(example_data_dir: Path) -> Iterator[TestClient]:
    from api.app import create_app
    from graph.settings import Settings

    with TestClient(create_app(Settings(data_dir=example_data_dir, query_workers=1))) as c:
        yield c


def test_api_impact_of_shahkar(client: TestClient):
    response = client.get("/impact/system/shahkar")
    assert response.status_code == 200
    found = {s["service_id"]: s for s in response.json()["services"]}
    assert found["13091710100"]["direct"] is True
    assert found["13091710100"]["severity"] == "unknown"
    assert found["13091710000"]["direct"] is False
    by_name = client.get("/impact/system/سرویس شاهکار", params={"depth": 1}).json()
    assert [s["service_id"] for s in by_name["services"]] == ["13091710100"]


def test_api_impact_csv_and_what_if(client: TestClient):
    response = client.get("/impact/agency/cra", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["service_id"] for r in rows} == {"13091710100", "13091710000"}
    both = client.get("/impact", params={"target": ["shahkar", "GSB"]}).json()
    assert len(both["targets"]) == 2
    sub = next(s for s in both["services"] if s["service_id"] == "13091710100")
    assert len(sub["reasons"]) == 2


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/impact/system/nothing-like-this", 404),
        ("/impact/planet/shahkar", 422),
        ("/impact/system/shahkar?depth=0", 422),
        ("/dataflow/shahkar", 404),
    ],
    ids=["unknown", "bad-kind", "bad-depth", "not-a-field"],
)
def test_api_errors_are_problem_details(client: TestClient, path: str, status: int):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_api_views(client: TestClient):
    hubs = client.get("/hubs", params={"top": 3}).json()
    assert len(hubs["hubs"]) == 3 and hubs["betweenness_method"] == "exact"
    assert client.get("/matrix").json()["cells"]
    flow = client.get("/dataflow/mobile-number").json()
    assert [r["service_id"] for r in flow["receivers"]] == ["13091710100"]
    assert client.get("/maturity", params={"format": "csv"}).text.startswith("agency,")
    graphml = client.get("/export-graph", params={"format": "graphml"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    assert b"<graphml" in graphml.content


def test_api_hubs_and_impact_follow_org_only_when_asked(client: TestClient):
    data_only = client.get("/hubs", params={"top": 1}).json()
    with_org = client.get("/hubs", params={"top": 1, "include_org": "true"}).json()
    assert data_only["hubs"][0]["label"] == "سازمان فناوری اطلاعات ایران"
    assert with_org["hubs"][0]["label"] == "قوه مجریه" and with_org["include_org"] is True
    shahkar = client.get("/impact/system/shahkar").json()
    assert shahkar["totals"]["affected"] == 2 and shahkar["totals"]["unaffected"] == 0
    assert [(o["outcome"], o["services"]) for o in shahkar["outcomes"]] == [
        ("breaks", 0), ("degrades", 0), ("unknown", 2), ("unaffected", 0)
    ]  # fmt: skip
