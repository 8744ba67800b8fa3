"""Fixture cards for each layout and checkbox encoding (tests/data/cards, README there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import CardError
from graph.parser import parse_text

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "cards"
CARDS = Path(__file__).resolve().parents[3] / "examples" / "cards"


def _parse(name: str):
    return parse_text((FIXTURES / name).read_text(encoding="utf-8"), name)


def test_compact_web_fields_and_exchange_rows():
    card = _parse("compact_web.txt")
    assert card.title == "صدور کارت شناسایی ملی هوشمند"
    assert card.service_id == "12010014000"
    assert card.agency == "سازمان ثبت احوال کشور"
    assert card.service_types == ["G2C"]
    assert card.nature == ["sovereign"]
    assert card.url == "https://www.sabteahval.ir/smartcard"
    assert [(x.system, x.fields, x.inquiry) for x in card.internal_exchanges] == [
        ("سامانه ثبت وقایع حیاتی", ["کد ملی", "تاریخ تولد"], "online")
    ]
    ext = [(x.agency, x.system, x.fields, x.inquiry) for x in card.external_exchanges]
    assert ext == [
        ("سازمان تنظیم مقررات و ارتباطات رادیویی", "سرویس شاهکار", ["شماره تلفن همراه"], "online"),
        ("پلیس مهاجرت و گذرنامه", None, ["وضعیت تابعیت"], "non_electronic"),
    ]
    assert card.processes == [
        "ثبت درخواست در سامانه",
        "پرداخت هزینه",
        "انگشت نگاری در دفاتر پیشخوان",
    ]


def test_word_plain_text_unknown_boxes_are_null_with_warning():
    card = _parse("word_plain.txt")
    assert card.title == "صدور مجوز حفاری معابر"
    assert card.service_id == "22015500000"
    assert card.service_types is None and card.nature is None
    assert "service_types: checkbox state not recoverable" in card.warnings
    assert [(x.system, x.fields) for x in card.internal_exchanges] == [
        ("سامانه شهرسازی", ["پرونده ملک"])
    ]
    assert card.processes == ["ثبت درخواست", "بازدید کارشناس"]


BASE = (
    "عنوان خدمت: آزمون\tشناسه خدمت: ۱۰۰\nنوع خدمت\t{a} خدمت به شهروندان (G2C)"
    " {b} خدمت به کسب و کار (G2B) {b} خدمت به دیگر دستگاه های دولتی (G2G)\n"
)


@pytest.mark.parametrize(
    ("checked", "unchecked"),
    [
        ('<input checked="" type="checkbox"/>', '<input type="checkbox"/>'),
        ("☒", "☐"),
        ("☑", "□"),
        ("■", "£"),
        ("[x]", "[ ]"),
        ("(x)", "[ ]"),
        ("(*)", "☐"),
        ("R", "£"),
        ("S", "£"),
    ],
    ids=[
        "input",
        "ballot-x",
        "ballot-check",
        "square",
        "brackets",
        "paren-x",
        "star",
        "wingdings-R",
        "wingdings-S",
    ],
)
def test_checkbox_encodings(checked, unchecked):
    card = parse_text(BASE.format(a=checked, b=unchecked), "boxes.txt")
    assert card.service_types == ["G2C"]


def test_all_boxes_present_and_unchecked_is_empty_list():
    text = BASE.format(a="☐", b="☐")
    assert parse_text(text, "x.txt").service_types == []


def test_bare_r_in_english_text_is_not_a_box():
    text = "عنوان خدمت: سامانه Batch R (G2C)\nشرح خدمت: خدمت Rest S\n"
    card = parse_text(text, "x.txt")
    assert card.title == "سامانه Batch R (G2C)"


def _reverse_cells(text: str) -> str:
    return "\n".join("\t".join(reversed(line.split("\t"))) for line in text.split("\n"))


def test_reversed_tables_give_the_same_rows():
    normal = (CARDS / "003_470926eedf9b2a55.txt").read_text(encoding="utf-8")
    _, rest = normal.split("نام سامانه های دیگر", 1)
    table = "نام سامانه های دیگر" + rest.split("۷- ارتباط", 1)[0]
    text = "عنوان خدمت: آزمون\nشناسه خدمت: ۱\n"
    a = parse_text(text + table, "a.txt")
    b = parse_text(text + _reverse_cells(table), "b.txt")
    assert a.internal_exchanges and a.external_exchanges
    assert a.internal_exchanges == b.internal_exchanges
    assert a.external_exchanges == b.external_exchanges


def test_not_a_card_is_refused():
    with pytest.raises(CardError, match="not a service card"):
        parse_text("این یک متن فارسی معمولی است و هیچ برچسبی ندارد.", "x.txt")


def test_html_through_the_reader_is_parsed_like_layout_1():
    from graph.parser import parse_file

    card = parse_file(Path(__file__).resolve().parents[2] / "data" / "readers" / "card.html")
    assert card.title == "صدور مجوز & تمدید"
    assert card.agency == "وزارت امور اقتصادی و دارایی"
    assert card.parent_agency is None
    assert card.service_types == ["G2B", "G2G"]
    assert card.nature == ["sovereign"]
