"""``servicegraph query`` on the example store."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from servicegraph.cli import app

runner = CliRunner()


def invoke(data_dir, *args):
    return runner.invoke(app, ["--data-dir", str(data_dir), "query", *args])


def test_list(example_data_dir):
    result = invoke(example_data_dir, "--list")
    assert result.exit_code == 0
    assert "services-by-system\tServices that depend on a system" in result.output


def test_catalogue_query_with_a_persian_parameter(example_data_dir):
    result = invoke(
        example_data_dir,
        "field-recipients",
        "--param",
        "field=شماره تلفن همراه",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["serviceId"], r["fromSystem"]) for r in rows] == [("13091710100", "شاهکار")]


def test_inline_sparql_as_csv_and_file(example_data_dir, tmp_path):
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/servicegraph/ontology#Service> }"
    )
    result = invoke(example_data_dir, "--sparql", query, "--format", "csv")
    assert list(csv.reader(io.StringIO(result.output))) == [["n"], ["6"]]
    file = tmp_path / "q.rq"
    file.write_text(query, encoding="utf-8")
    table = invoke(example_data_dir, "--file", str(file))
    assert table.exit_code == 0 and "1 rows" in table.output


def test_refusals_are_one_line_errors(example_data_dir):
    result = invoke(example_data_dir, "--sparql", "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }")
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)
    assert "file:///etc/passwd" in str(result.exception)
    both = invoke(example_data_dir, "services-per-agency", "--sparql", "ASK {}")
    assert both.exit_code == 2 and "exactly one" in both.output


def test_limit_and_offset_page_a_catalogue_query(example_data_dir):
    whole = json.loads(invoke(example_data_dir, "unresolved-names", "--format", "json").output)
    assert len(whole) == 13  # every row without --limit
    first = invoke(example_data_dir, "unresolved-names", "--limit", "5", "--format", "json")
    rest = invoke(
        example_data_dir, "unresolved-names", "--limit", "10", "--offset", "5", "--format", "json"
    )
    assert json.loads(first.output) + json.loads(rest.output) == whole  # sorted, then cut
    stray = invoke(example_data_dir, "--sparql", "ASK {}", "--limit", "2")
    assert stray.exit_code == 2 and "LIMIT in your SPARQL" in stray.output
