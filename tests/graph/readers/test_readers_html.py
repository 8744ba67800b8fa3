"""HTML cards: tables, checkboxes, entities and hidden content, on a saved-form fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.parser import parse_text
from graph.readers import CHECKED, UNCHECKED, read_card, read_card_bytes
from graph.text import normalize

FIXTURE = Path(__file__).parents[2] / "data" / "readers" / "card.html"


def test_html_fixture_layout() -> None:
    lines = read_card(FIXTURE).split("\n")
    assert lines == [
        "فرم شناسنامه خدمت دستگاه اجرایی",
        "۱- عنوان خدمت:\tصدور مجوز & تمدید",
        "۳- ارائه دهنده خدمت\tنام دستگاه اجرایی:\tوزارت امور اقتصادی و دارایی",
        "\tنام دستگاه مادر:\t",
        f"نوع خدمت\t{UNCHECKED} خدمت به شهروندان (G2C) {CHECKED} خدمت به کسب و کار (G2B) "
        f"{CHECKED} خدمت به دیگر دستگاه\u200cهای دولتی (G2G)",
        f"ماهیت خدمت\t{CHECKED} حاکمیتی {UNCHECKED} تصدی\u200cگری\tاستانی",
        "مدارک: کارت ملی",
        "شناسنامه",
    ]


def test_html_hidden_content_never_appears() -> None:
    text = read_card(FIXTURE)
    for hidden in ("اسکریپت", "عنوان صفحه", "یادداشت پنهان", "border", "نه", "ملی\t"):
        assert hidden not in text


def test_html_output_normalizes_like_the_text_cards() -> None:
    text = read_card(FIXTURE)
    assert "\xa0" not in text and "&" + "nbsp;" not in text
    assert normalize(text.split("\n")[1]) == "1- عنوان خدمت: صدور مجوز & تمدید"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        pytest.param('<input type="checkbox" checked>', CHECKED, id="checked-bare"),
        pytest.param('<INPUT TYPE="CHECKBOX" CHECKED="">', CHECKED, id="upper-case"),
        pytest.param('<input type="checkbox" aria-checked="true">', CHECKED, id="aria"),
        pytest.param('<input type="checkbox" aria-checked="false">', UNCHECKED, id="aria-false"),
        pytest.param('<input type="checkbox"/>', UNCHECKED, id="unchecked"),
        pytest.param('<input type="radio" checked/>', CHECKED, id="radio"),
        pytest.param('<span role="checkbox" aria-checked="true"></span>', CHECKED, id="role"),
        pytest.param('<input type="text" value="رایگان">', "رایگان", id="text-input-value"),
        pytest.param('<input type="hidden" value="token">', "", id="hidden-input"),
    ],
)
def test_html_inputs(markup: str, expected: str) -> None:
    page = f"<html><body><p>الف {markup} ب</p></body></html>"
    assert read_card_bytes(page.encode(), "a.html") == " ".join(
        filter(None, ["الف", expected, "ب"])
    )


def test_html_nested_table_rows_are_lines() -> None:
    page = (
        "<table><tr><td>۵- جزئیات</td><td><table><tr><td>نوع</td><td>G2C</td></tr>"
        "<tr><td>سطح</td><td>ملی</td></tr></table></td><td>پایان</td></tr></table>"
    )
    assert read_card_bytes(page.encode(), "a.htm").split("\n") == [
        "۵- جزئیات\tنوع\tG2C",
        "سطح\tملی",
        "\tپایان",
    ]


def test_txt_named_html_document_goes_through_html() -> None:
    page = "<!DOCTYPE html><html><body><table><tr><td>الف</td><td>ب</td></tr></table>"
    assert read_card_bytes(page.encode(), "card.txt") == "الف\tب"


def test_txt_card_with_inline_inputs_stays_text() -> None:
    text = f"نوع خدمت\t{UNCHECKED} G2C {CHECKED} G2B\t<ul style='x'> • الف\n"
    assert read_card_bytes(text.encode(), "card.txt") == text


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("<a" * 5000, id="unterminated-tags"),
        pytest.param("<![" * 5000, id="marked-sections"),
        pytest.param("<!--" * 5000 + "x", id="unclosed-comment"),
        pytest.param("<td rowspan=99999999999 colspan=-3>x" * 200, id="absurd-spans"),
        pytest.param("<script>" + "a<" * 5000, id="unclosed-script"),
    ],
)
def test_html_malformed_input_gives_text_or_card_error(page: str) -> None:
    from graph.errors import CardError

    try:
        result = read_card_bytes(("<html>" + page).encode(), "bad.html")
    except CardError as exc:
        assert exc.reason.startswith("no card text")
    else:
        assert isinstance(result, str) and result.strip()


def _word_web_page(text: str) -> str:
    """A card as Word's "Save as Web Page" writes it: a table row per line, and each
    checkbox a glyph of the Wingdings font (þ checked, ¨ empty) in a span that sets it."""
    import html
    import re

    def box(match: re.Match[str]) -> str:
        glyph = "þ" if match.group(1) == "R" else "¨"
        return f"<span style='font-family:Wingdings;mso-char-type:symbol'>{glyph}</span> "

    rows = []
    for line in text.splitlines():
        cells = [re.sub(r"(?:(?<=\s)|^)([R£]) ", box, html.escape(c)) for c in line.split("\t")]
        rows.append("<tr>" + "".join(f"<td><p dir=rtl>{c}</p></td>" for c in cells) + "</tr>")
    return f"<html><body><table>{''.join(rows)}</table></body></html>"


def test_word_web_page_wingdings_glyphs_are_checkboxes() -> None:
    """Word's web pages keep a checkbox as a Wingdings glyph in a styled span: read as a
    box only where the span's font says so (a «þ» in a text font stays a letter)."""
    import json

    cards = Path(__file__).parents[2] / "data" / "cards"
    page = _word_web_page((cards / "municipality_wingdings.txt").read_text("utf-8"))
    assert page.count("font-family:Wingdings") >= 13
    text = read_card_bytes(page.encode("utf-8"), "card.html")
    assert "þ" not in text and "¨" not in text
    card = parse_text(text, "card.html").to_dict()
    expected = json.loads((cards / "municipality_wingdings.expected.json").read_text("utf-8"))
    for key in ("service_types", "nature", "levels", "life_events", "start_triggers"):
        assert card[key] == expected[key], key
    plain = read_card_bytes("<p>þ <span style='color:red'>¨</span></p>".encode(), "x.html")
    assert plain == "þ ¨"
