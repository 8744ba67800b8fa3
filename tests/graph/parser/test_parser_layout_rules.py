"""One table per reading rule of the layouts real cards were misread in (issue 14), with the
expected answers, including what must stay null and what must stay in the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.parser import parse_text
from graph.parser.checkboxes import CHECKED, UNCHECKED, to_marks
from graph.parser.drawn_tables import to_cells
from graph.parser.licenses import _aligned
from graph.parser.sections import count_of, digits_of
from graph.parser.values import split_fields

HEAD = "فرم شناسنامه خدمت\n"
FIXTURES = Path(__file__).resolve().parents[2] / "data" / "cards"


def _card(text: str) -> dict:
    return parse_text(HEAD + text, "rule.txt").to_dict()


_COMPACT = ["نام سامانه : شاهکار | نوع استعلام : برخط"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["| عنوان خدمت | صدور مجوز |"], ["عنوان خدمت\tصدور مجوز"]),
        (["|---|:---:|", "| :--- | --- |"], ["", ""]),  # rules are never values
        (["+----+----+", "| a  | b  |", "+====+====+"], ["", "a\tb", ""]),
        (["+----+----+", "| a  | b  |", "| c  |    |", "+----+----+"], ["", "a c\tb", "", ""]),
        # a head cell spanning two columns lands in its first column
        (
            ["+---+---+---+", "| x     | y |", "|   +---+   |", "| z | w |   |"],
            ["", "x z\tw\ty", "", ""],
        ),
        (  # ZWNJ take no width in a converter's column count: bars stand off the edges
            ["+--------+-----+", "| الف‌ها  | ب   |", "+========+=====+", "| می‌شود  | ج‌ها |"],
            ["", "الف‌ها\tب", "", "می‌شود\tج‌ها"],
        ),
        (_COMPACT, _COMPACT),  # compact web records (no leading pipe) are not tables
    ],
)
def test_drawn_tables_become_cells(lines, expected):
    assert to_cells(lines) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۳۰-۹۱۷-۱۰۰۰۰", "13091710000"),
        ("١٣٠-٩١٧-١٠١٠٠", "13091710100"),
        ("۱۳۰۹ ۱۷۱۰ ۱۰۰", "13091710100"),
        ("11021345000", "11021345000"),
        ("فرآیند دریافت خدمت", None),
        ("-", None),
    ],
)
def test_service_id_reads_digits_through_separators(text, expected):
    assert _card(f"عنوان خدمت:\tالف\nشناسه خدمت:\t{text}\n")["service_id"] == expected
    assert expected is None or digits_of(text.translate(_DIGITS)) == expected


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2٬450٬000", 2450000), ("3،200", 3200), ("45,000", 45000), ("3، 4", 3), ("120", 120)],
)
def test_counts_read_through_thousands_separators(text, expected):
    assert count_of(text) == expected
    if " " in text:  # a list, not a count: only the helper is asked
        return
    card = _card(f"عنوان خدمت:\tالف\nآمار تعداد خدمت گیرندگان\t{text} خدمت گیرندگان در: ☒ سال\n")
    assert card["recipients"] == {"count": expected, "period": "year"}


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        # an empty field followed by the next label, the next heading, or an unknown label
        ("شناسه خدمت:\nنام دستگاه اجرایی: سازمان ثبت", "service_id", None),
        ("نام دستگاه مادر:\n۴- مشخصات خدمت\nشرح خدمت: الف", "parent_agency", None),
        ("نام دستگاه مادر:\nمحل ارائه خدمت:\nادارات کل استان ها", "parent_agency", None),
        ("نوع مخاطبین:\nساعات ارائه خدمت:\nشنبه تا چهارشنبه", "audience", None),
        ("نوع مخاطبین:\nعموم مردم", "audience", "عموم مردم"),  # a value line is a value
        # a value that opens with its own lead-in ends in a colon too
        ("مدارک لازم:\nبه شرح زیر:\nکارت ملی", "required_documents", "به شرح زیر: کارت ملی"),
        ("شناسه خدمت:\t\nنام دستگاه اجرایی:\tسازمان ثبت", "service_id", None),
        # a page number between a label and its value is not part of the value
        ("قوانین و مقررات:\nصفحه ۲ از ۵\nقانون معادن", "legal_basis", "قانون معادن"),
        ("قوانین و مقررات:\n- 2 -\nقانون معادن", "legal_basis", "قانون معادن"),
        ("قوانین و مقررات:\nPage 2 of 5\nقانون معادن", "legal_basis", "قانون معادن"),
    ],
)
def test_an_empty_field_stays_null(text, key, expected):
    assert _card("عنوان خدمت:\nصدور مجوز\n" + text)[key] == expected


@pytest.mark.parametrize(
    ("label", "key", "value"),
    [
        ("عنوان خدمات", "title", "صدور کارت"),
        ("شناسه خدمات", "service_id", "17110003000"),
        ("اداره کل پاسخگو", "agency", "اداره کل ورزش و جوانان استان فارس"),
        ("دستگاه ارائه دهنده خدمت", "agency", "شرکت ملی پست"),
        ("شرح خدمات", "description", "صدور کارت ورزشی"),
        ("مخاطبین خدمات", "audience", "ورزشکاران"),
        ("مدت زمان ارائه خدمات", "duration", "10 روز"),
        ("هزینه خدمات", "fee", "200000 ریال"),
    ],
)
def test_plural_and_office_label_variants(label, key, value):
    card = _card(f"نام سامانه مربوط به خدمت : سجا\n{label} : {value}\n")
    assert card[key] == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("حاکمیتی : True", CHECKED + " حاکمیتی"),
        ("تصدی گری : false", UNCHECKED + " تصدی گری"),
        ("ملی: TRUE، استانی: False", CHECKED + " ملی،" + UNCHECKED + " استانی"),
        ("نیاز به مراجعه حضوری: خیر", "نیاز به مراجعه حضوری: خیر"),  # not a checkbox
        ("ملی\tTrue\tاستانی\tFalse", CHECKED + " ملی\t" + UNCHECKED + " استانی"),  # cells
    ],
)
def test_true_false_renderings_are_boxes(text, expected):
    assert to_marks(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<input checked="" type="checkbox"/> a <input type="checkbox"/> b', "CaUb"),
        ("<INPUT type=checkbox CHECKED> x", "Cx"),
        ('<input aria-checked="true">', "C"),
        ('<input type="checkbox" data-unchecked="1">', "U"),
    ],
)
def test_input_boxes_become_marks(text, expected):
    got = to_marks(text).replace(CHECKED, "C").replace(UNCHECKED, "U").replace(" ", "")
    assert got == expected


def test_true_false_groups_read_as_checked_options():
    card = _card(
        "عنوان خدمت : الف\nنوع خدمت :\nخدمت به شهروندان (G2C) : True\n"
        "خدمت به کسب و کار (G2B) : False\nماهیت خدمت :\nحاکمیتی : False\nتصدی گری : True\n"
    )
    assert card["service_types"] == ["G2C"] and card["nature"] == ["enterprise"]


@pytest.mark.parametrize(
    "audience",
    [
        "زوجین در آستانه ازدواج و متقاضیان وام ازدواج",
        "دانش آموزان و دانشجویان متقاضی آموزش و بیمه تکمیلی",
    ],
)
def test_option_words_in_free_text_stay_in_it(audience):
    # The audience without its label below the boxes (a PDF layout, as examples/cards/002).
    card = _card(
        "عنوان خدمت:\tالف\n۴- مشخصات خدمت\tنوع خدمت\t\n"
        "\t☒ خدمت به شهروندان (G2C) ☐ خدمت به کسب و کار (G2B)"
        " ☐ خدمت به دیگر دستگاه های دولتی (G2G)\n"
        f"{audience}\t\t{audience}\n"
        "ماهیت خدمت\t☒ حاکمیتی ☐ تصدی گری\n"
        "رویداد مرتبط با:\t☒ ازدواج ☐ آموزش ☐ بیمه\n"
    )
    assert card["audience"] == audience
    assert card["service_types"] == ["G2C"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # labels stacked above their values, two per row
        ("عنوان خدمت\tشناسه خدمت\nصدور کد پستی\t14011006000", ("صدور کد پستی", "14011006000")),
        # two label/value pairs side by side in one cell
        ("عنوان خدمت: صدور کد پستی   شناسه خدمت: 14011006000", ("صدور کد پستی", "14011006000")),
        # side by side in cells
        ("عنوان خدمت:\tصدور کد پستی\tشناسه خدمت:\t14011006000", ("صدور کد پستی", "14011006000")),
    ],
)
def test_stacked_and_side_by_side_labels(text, expected):
    card = _card(text + "\nنام دستگاه اجرایی: شرکت ملی پست\n")
    assert (card["title"], card["service_id"]) == expected


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (  # a footer's phone and e-mail below empty filler fields are not the filler's
            "نام و نام خانوادگی تکمیل کننده فرم:\tحسین مرادی\n"
            "پست الکترونیکی:\t\tواحد مربوط:\tاداره کدپستی\n"
            "نشانی: تهران، خیابان شریعتی\nتلفن: 021-88550000 پست الکترونیکی: info@post.ir",
            {"name": "حسین مرادی", "phone": None, "email": None, "unit": "اداره کدپستی"},
        ),
        (  # Word plain text: each value on the line under its label
            "نام و نام خانوادگی تکمیل کننده فرم:\nزهرا نوروزی\nتلفن:\n02166701234\n"
            "پست الکترونیکی:\nواحد مربوط:",
            {"name": "زهرا نوروزی", "phone": "02166701234", "email": None, "unit": None},
        ),
        (  # a row of label cells over a row of values
            "نام و نام خانوادگی تکمیل کننده فرم\tتلفن\tپست الکترونیکی\tواحد مربوط\n"
            "علی رضایی\t021\t\tدفتر فناوری",
            {"name": "علی رضایی", "phone": "021", "email": None, "unit": "دفتر فناوری"},
        ),
        ("نام و نام خانوادگی تکمیل کننده فرم:\nتلفن:\nپست الکترونیکی:\nواحد مربوط:", None),
        # a page footer after a blank line is not the value of the last empty label
        ("نام و نام خانوادگی تکمیل کننده فرم:\tتلفن:\n\nصفحه ۳ از ۳", None),
    ],
)
def test_form_filler_block(block, expected):
    assert _card("عنوان خدمت:\tالف\nشناسه خدمت:\t1\n" + block)["form_filler"] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "۱- ثبت درخواست\n۲- بررسی محدوده و استعلام از\nدستگاه های ذی ربط\n۳- صدور پروانه",
            ["ثبت درخواست", "بررسی محدوده و استعلام از دستگاه های ذی ربط", "صدور پروانه"],
        ),
        (  # a blank line ends an item; a label after the last item is not part of it
            "1- ثبت درخواست\n\nتوضیح جدا\n2- صدور\nنام و نام خانوادگی تکمیل کننده فرم: الف",
            ["ثبت درخواست", "صدور"],
        ),
    ],
)
def test_a_wrapped_process_step_is_one_step(lines, expected):
    card = _card("عنوان خدمت:\tالف\nشناسه خدمت:\t1\n۹- عناوین فرایندهای خدمت\n" + lines)
    assert card["processes"] == expected


@pytest.mark.parametrize(
    ("cells", "columns", "expected"),
    [
        (["", "1", "پروانه", "صدور"], {0: "row", 1: "title", 2: "type"}, ["1", "پروانه", "صدور"]),
        (["1", "پروانه", "صدور"], {0: "row", 1: "title", 2: "type"}, ["1", "پروانه", "صدور"]),
        (["پروانه", "صدور", "1"], {0: "title", 1: "type", 3: "row"}, ["", "پروانه", "صدور", "1"]),
        (["x", "1", "پروانه"], {0: "row", 1: "title"}, ["x", "1", "پروانه"]),  # text kept
    ],
)
def test_licence_rows_realign_under_their_heads(cells, columns, expected):
    assert _aligned(cells, columns) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("مسیر ارزیابی (سبز، زرد، قرمز)", ["مسیر ارزیابی (سبز، زرد، قرمز)"]),
        ("کد ملی، تاریخ تولد", ["کد ملی", "تاریخ تولد"]),
        ("کد کالا (HS)، ارزش", ["کد کالا (HS)", "ارزش"]),
    ],
)
def test_fields_split_outside_brackets_only(cell, expected):
    assert split_fields(cell) == expected


_WORD_TABLE = """۷- ارتباط خدمت با سایر سامانه ها (بانکهای اطلاعاتی) در دستگاه
ردیف
نام سامانه های دیگر
فیلدهای مورد تبادل
برخط online
دسته ای (Batch)
استعلام غیرالکترونیکی
۱
سامانه الف
کد ملی
☐
☒
☐
۲
سامانه ب

☒
☐
☐
۹- عناوین فرایندهای خدمت
"""


# LibreOffice's "Text (encoded)" export of a Word table whose head cells are merged over
# two rows and two columns (made with python-docx, converted with soffice 7): every cell
# on its own line, empty cells and merged parts as empty lines.
_SOFFICE_TABLE = (
    "۷- ارتباط خدمت با سایر سامانه ها (بانکهای اطلاعاتی) در دستگاه\nردیف\n\n"
    "نام سامانه های دیگر\n\nفیلدهای مورد تبادل\n\nاستعلام الکترونیکی\n"
    "استعلام غیر الکترونیکی\n\n\n\n\nبرخط online\nدسته ای (Batch)\n\n۱\nسامانه الف\n"
    "کد ملی، نوع معلولیت\n☒\n☐\n☐\n۲\nسامانه ب\n\n☐\n☒\n☐\n۹- عناوین فرایندهای خدمت\n"
)


def test_libreoffice_text_export_of_a_word_table():
    rows = _card("عنوان خدمت:\nالف\nشناسه خدمت:\n1\n" + _SOFFICE_TABLE)["internal_exchanges"]
    assert rows == [
        {"system": "سامانه الف", "fields": ["کد ملی", "نوع معلولیت"], "inquiry": "online"},
        {"system": "سامانه ب", "fields": [], "inquiry": "batch"},
    ]


def test_word_table_with_a_remark_after_its_boxes():
    # Under a «ردیف» head rows start at their numbers: a remark typed after the boxes
    # stays in its row instead of opening a row of its own.
    text = _WORD_TABLE.replace("☐\n۲\n", "☐\nبه صورت روزانه\n۲\n")
    rows = _card("عنوان خدمت:\tالف\nشناسه خدمت:\t1\n" + text)["internal_exchanges"]
    assert [r["system"] for r in rows] == ["سامانه الف", "سامانه ب"]


@pytest.mark.parametrize("numbered", [True, False])
def test_word_table_with_one_cell_per_line(numbered):
    text = _WORD_TABLE if numbered else _WORD_TABLE.replace("ردیف\n", "").replace("۱\n", "")
    if not numbered:
        text = text.replace("۲\n", "")
    rows = _card("عنوان خدمت:\tالف\nشناسه خدمت:\t1\n" + text)["internal_exchanges"]
    assert rows == [
        {"system": "سامانه الف", "fields": ["کد ملی"], "inquiry": "batch"},
        {"system": "سامانه ب", "fields": [], "inquiry": "online"},
    ]


def test_a_pipe_table_written_right_to_left_reads_the_same():
    fixture = FIXTURES / "customs_pipe_tables.txt"
    lines, in_exchanges = [], False
    for line in fixture.read_text(encoding="utf-8").split("\n"):
        in_exchanges = ("۷- ارتباط" in line or in_exchanges) and "۹- عناوین" not in line
        if in_exchanges and line.startswith("|"):
            line = "|" + "|".join(reversed(line.strip().strip("|").split("|"))) + "|"
        lines.append(line)
    got = parse_text("\n".join(lines), fixture.name).to_dict()
    want = json.loads((FIXTURES / "customs_pipe_tables.expected.json").read_text("utf-8"))
    for key in ("internal_exchanges", "external_exchanges"):
        assert got[key] == want[key]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(Path("examples/cards/000_be74d1a58610ce08.txt"), id="000"),
        pytest.param(Path("examples/cards/002_0d3b341d9a24ee21.txt"), id="002"),
        pytest.param(FIXTURES / "municipality_wingdings.txt", id="municipality"),
        pytest.param(FIXTURES / "registry_reversed.txt", id="registry"),
    ],
)
def test_rows_read_left_to_right_are_turned_back(path: Path) -> None:
    """The same card with every row's cells reversed (a left-to-right table as any reader
    writes it) parses to the same card, plus one warning; the card as written is never
    turned."""
    root = Path(__file__).resolve().parents[3]
    text = (root / path).read_text("utf-8")
    mirrored = "\n".join("\t".join(line.split("\t")[::-1]) for line in text.split("\n"))
    as_written = parse_text(text, "card.txt").to_dict()
    turned = parse_text(mirrored, "card.txt").to_dict()
    assert not any("left to right" in w for w in as_written["warnings"])
    assert [w for w in turned.pop("warnings") if "left to right" in w]
    as_written.pop("warnings")
    assert turned == as_written
