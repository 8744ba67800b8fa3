"""Persian normalization on strings taken from the example cards."""

import pytest

from graph.text import match_key, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("۱- عنوان خدمت", "1- عنوان خدمت", id="persian-digits"),
        pytest.param("سازمان فناوري اطلاعات ايران", "سازمان فناوری اطلاعات ایران", id="arabic-yeh"),
        pytest.param("سامانه كارمند ايران", "سامانه کارمند ایران", id="arabic-kaf"),
        pytest.param("مراجعه\u200cکننده", "مراجعه\u200cکننده", id="zwnj-kept-inside-word"),
        pytest.param("دستگاه\u200c ها", "دستگاه ها", id="zwnj-before-space-dropped"),
        pytest.param("\u200fاستانداری\u200e", "استانداری", id="bidi-marks"),
        pytest.param("تـــامین اجتماعی", "تامین اجتماعی", id="tatweel"),
        pytest.param("اطلاعات&nbsp;هویتی", "اطلاعات هویتی", id="html-entity"),
        pytest.param("شماره\u00a0\u00a0 همراه\t", "شماره همراه", id="nbsp-and-tabs"),
        pytest.param("مؤسسه", "مؤسسه", id="hamza-kept-for-display"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_lines_when_asked() -> None:
    assert normalize(" الف \n\n ب ", keep_newlines=True) == "الف\n\nب"
    assert normalize(" الف \n\n ب ") == "الف ب"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("سامانه کارمند ایران", "سامانه كارمند ايران"),
        ("پایگاه‌های داده", "پایگاههای داده"),
        ("دستگاه های اجرایی", "دستگاههای اجرایی"),
        ("GSB", "gsb"),
        ("احراز هویت ثبت‌احوال", "احراز هويت ثبت احوال"),
        ("۱۳۰۹۱۷۱۰۰۰۰", "13091710000"),
    ],
)
def test_match_key_equates_spellings(a: str, b: str) -> None:
    assert match_key(a) == match_key(b)


def test_match_key_keeps_different_names_apart() -> None:
    assert match_key("سامد") != match_key("سادا")
    assert match_key("") == ""


def test_zwnj_at_a_line_break_keeps_the_break() -> None:
    """Regression: a ZWNJ touching a newline used to merge the two lines."""
    assert normalize("الف \u200c\nب", keep_newlines=True) == "الف\nب"
    assert normalize("الف\u200c\nب", keep_newlines=True) == "الف\nب"
