"""``servicegraph parse`` on good and bad input: one line per failure, exit 2, no traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graph.card import Card
from graph.errors import CardError
from graph.parser import parse_file, parse_text
from graph.text import digits_to_ascii
from servicegraph.cli import app

CARDS = Path(__file__).resolve().parents[3] / "examples" / "cards"
GOOD = CARDS / "002_0d3b341d9a24ee21.txt"


def run(*args: str):
    return CliRunner().invoke(app, ["parse", *args], env={"COLUMNS": "240"})


def test_json_prints_exactly_one_object_for_one_file():
    result = run("--json", str(GOOD))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["service_id"] == "18051569000"


def test_folder_expands_to_cards_sorted():
    result = run("--json", str(CARDS))
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == sorted(p.name for p in CARDS.glob("*.txt"))


def test_summary_table_names_the_file():
    result = run(str(GOOD))
    assert result.exit_code == 0 and "002_0d3b341d9a24ee21" in result.stdout


def _bad_files(tmp: Path) -> dict[str, Path]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp / "prose.txt").write_text("امروز هوا آفتابی است و ما به پارک رفتیم.", encoding="utf-8")
    (tmp / "huge.txt").write_bytes(b"a" * (5 * 1024 * 1024 + 10))
    return {
        "empty": tmp / "empty.txt",
        "binary": tmp / "binary.txt",
        "not a card": tmp / "prose.txt",
        "too big": tmp / "huge.txt",
        "missing": tmp / "nope.txt",
    }


@pytest.mark.parametrize("case", ["empty", "binary", "not a card", "too big", "missing"])
def test_bad_input_is_one_line_naming_the_file(tmp_path, case):
    path = _bad_files(tmp_path)[case]
    result = run("--json", str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("servicegraph: ") and path.name in lines[0]
    assert "Traceback" not in result.output


def test_not_a_card_reason():
    result = run(
        "--json", str(_bad_files(Path(pytest.importorskip("tempfile").mkdtemp()))["not a card"])
    )
    assert "not a service card" in result.stderr


def test_batch_keeps_going_after_a_bad_file(tmp_path):
    bad = _bad_files(tmp_path)["empty"]
    shutil.copy(GOOD, tmp_path / "good.txt")
    result = run("--json", str(bad), str(tmp_path / "good.txt"))
    assert result.exit_code == 2
    assert json.loads(result.stdout)["source"] == "good.txt"


def test_windows_1256_card_is_decoded_and_parsed(tmp_path):
    # Windows-1256 has Arabic yeh/kaf and no Persian digits: write the card as such a file would.
    text = digits_to_ascii(GOOD.read_text(encoding="utf-8")).translate(str.maketrans("یک", "يك"))
    path = tmp_path / "cp1256.txt"
    path.write_bytes(text.encode("cp1256", errors="ignore"))
    card = parse_file(path)
    assert card.agency == "مرکز توسعه تجارت الکترونیکی"
    assert card.service_types == ["G2B", "G2G"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_gives_a_card_or_card_error(text):
    try:
        assert isinstance(parse_text(text, "h.txt"), Card)
    except CardError:
        pass


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_any_bytes_in_a_file_give_a_card_or_card_error(tmp_path, data):
    path = tmp_path / "h.txt"
    path.write_bytes(data)
    try:
        assert isinstance(parse_file(path), Card)
    except CardError:
        pass


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "عنوان خدمت:",
                "نوع خدمت",
                "\t",
                "\n",
                "☒",
                "☐",
                "R",
                "خدمت به شهروندان (G2C)",
                "ملی",
                "نام سامانه های دیگر",
                "فیلدهای مورد تبادل",
                "۱-",
                "عناوین فرایندهای خدمت",
                "ندارد",
                "-",
                "نام دستگاه دیگر",
                "عنوان مجوز",
                "ردیف",
                "<input checked>",
                ":",
                "سامانه",
            ]
        ),
        max_size=60,
    )
)
def test_form_like_noise_never_crashes(parts):
    try:
        parse_text(" ".join(parts), "n.txt")
    except CardError:
        pass


def test_folder_mixing_good_and_bad_files(tmp_path):
    fixtures = Path(__file__).resolve().parents[2] / "data" / "cards"
    shutil.copy(GOOD, tmp_path / "a_good.txt")
    shutil.copy(fixtures / "social_security_page.html", tmp_path / "b_good.html")
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "e_prose.txt").write_text("امروز هوا آفتابی است.", encoding="utf-8")
    (tmp_path / "f_broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "g_page.html").write_text("<p>صفحه ای بدون فرم</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a card suffix", encoding="utf-8")
    result = run("--json", str(tmp_path))
    assert result.exit_code == 2
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == ["a_good.txt", "b_good.html"]
    skipped, *errors = result.stderr.strip().splitlines()
    assert skipped == f"servicegraph: skipped {tmp_path / 'notes.md'}: not a card file type (.md)"
    assert [e.split(": ")[1].rsplit("/", 1)[-1] for e in errors] == [
        "c_empty.txt",
        "d_binary.txt",
        "e_prose.txt",
        "f_broken.docx",
        "g_page.html",
    ]
    assert all(e.startswith("servicegraph: ") for e in errors)
    assert "Traceback" not in result.output


def test_duplicate_service_in_batch_reported_by_parse(tmp_path):
    shutil.copy(GOOD, tmp_path / "a.txt")
    shutil.copy(GOOD, tmp_path / "b.txt")
    result = run("--json", str(tmp_path))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2  # parse stores nothing: both are printed
    assert result.stderr.strip() == (
        f"servicegraph: {tmp_path / 'b.txt'}: same service (card key 18051569000) as "
        f"{tmp_path / 'a.txt'}; ingest of this batch would load only the first"
    )
