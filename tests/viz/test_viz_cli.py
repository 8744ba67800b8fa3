"""``servicegraph viz`` writes an offline page; bad targets are one-line errors."""

from __future__ import annotations

from typer.testing import CliRunner

from servicegraph.cli import app

runner = CliRunner()


def test_cli_writes_impact_page_in_english(data_dir, tmp_path, G):
    out = tmp_path / "impact.html"
    result = runner.invoke(
        app,
        [
            "--data-dir",
            str(data_dir),
            "viz",
            "--impact",
            "system:shahkar",
            "--lang",
            "en",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert '<html lang="en" dir="ltr">' in html and "Impact of a change to" in html
    assert "sg-lang-toggle" not in html  # one language per file


def test_cli_aggregated_landscape_with_filter(data_dir, tmp_path):
    out = tmp_path / "agg.html"
    result = runner.invoke(
        app,
        [
            "--data-dir",
            str(data_dir),
            "viz",
            "--aggregate",
            "--service-type",
            "G2G",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '<html lang="fa" dir="rtl">' in out.read_text("utf-8")


def test_cli_unknown_target_is_one_line(data_dir, tmp_path):
    result = runner.invoke(
        app,
        [
            "--data-dir",
            str(data_dir),
            "viz",
            "--focus",
            "system:nope",
            "-o",
            str(tmp_path / "x.html"),
        ],
    )
    assert result.exit_code != 0
    assert "nope" in str(result.exception or result.output)
    assert not (tmp_path / "x.html").exists()
