"""Born-digital PDF cards (``graph.readers.pdf``): the real corpus scored against gold, and
small PDFs drawn with reportlab for each thing a producer can do differently (glyph order,
ligatures, presentation forms, checkbox kinds, encryption, damage)."""

from __future__ import annotations

import io
import json
import random
import re
import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from graph.card import Card
from graph.errors import CardError
from graph.parser import parse_text
from graph.readers import CHECKED, UNCHECKED, read_card, read_card_bytes
from graph.readers.pdf import MAX_PAGES, pdf_text
from tests.graph.parser.card_scoring import score_card

DATA = Path(__file__).resolve().parents[2] / "data"
CORPUS = DATA / "corpus"
PDFS = sorted(CORPUS.glob("*.pdf"))
ALL_KEYS = tuple(k for k in Card.model_fields if k not in ("source", "warnings"))
VAZIR = Path(__file__).resolve().parents[3] / "viz" / "static" / "Vazirmatn-Regular.woff2"
# Cards typed as Word plain text (one cell per line, rows apart by blank lines): any
# formatted rendering loses the blank lines (the reader layout drops empty lines, the
# .docx reader too), and with them the boundaries of their exchange rows.
PLAIN_TEXT_LAYOUT = {"001_7db24de71e7db159", "health_word_plain"}


def _known(name: str) -> str | None:
    if name.split(".")[0] in PLAIN_TEXT_LAYOUT:
        return "Word plain-text layout: blank lines part its rows, and no formatted file has them"
    return None


def _gold(stem: str) -> dict:
    for path in (DATA / "gold" / f"{stem}.json", DATA / "cards" / f"{stem}.expected.json"):
        if path.exists():
            return json.loads(path.read_text("utf-8"))
    raise AssertionError(f"no gold for {stem}")


def _source(stem: str) -> Path:
    bundled = Path(__file__).resolve().parents[3] / "examples" / "cards" / f"{stem}.txt"
    if bundled.exists():
        return bundled
    (path,) = (p for p in (DATA / "cards").glob(f"{stem}.*") if not p.name.endswith(".json"))
    return path


def _score(text: str, stem: str) -> float:
    scores = score_card(parse_text(text, stem).to_dict(), _gold(stem), keys=ALL_KEYS)
    return sum(scores.values()) / len(scores)


@pytest.fixture(scope="module")
def corpus_scores() -> dict[str, tuple[float, float]]:
    """File name -> (score of the PDF, score of the card's text version)."""
    out = {}
    for pdf in PDFS:
        stem = pdf.name.split(".")[0]
        out[pdf.name] = (_score(read_card(pdf), stem), _score(read_card(_source(stem)), stem))
    return out


def test_corpus_has_both_producers_and_fonts():
    kinds = {p.name.split(".")[1] for p in PDFS}
    assert kinds >= {"chromium-noto", "chromium-vazirmatn", "libreoffice-noto"}
    assert {"libreoffice-vazirmatn"} <= kinds and len(PDFS) >= 30


def test_generated_pdfs_score_high_on_average(corpus_scores):
    assert statistics.mean(pdf for pdf, _ in corpus_scores.values()) >= 0.95


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            p.name,
            marks=pytest.mark.xfail(bool(_known(p.name)), reason=_known(p.name) or "", strict=True),
        )
        for p in PDFS
    ],
)
def test_each_pdf_reads_as_well_as_its_text_version(corpus_scores, name):
    pdf, text = corpus_scores[name]
    assert pdf >= text - 0.02, (pdf, text)


@pytest.mark.parametrize("producer", ["chromium-noto", "libreoffice-noto", "libreoffice-vazirmatn"])
def test_lam_alef_and_hyphenated_numbers_read_as_written(producer):
    """What `pdftotext -layout` got wrong on a LibreOffice PDF (PDF_NOTES.md): «لا» as
    «ال», a number after a hyphen flipped."""
    text = read_card(CORPUS / f"002_0d3b341d9a24ee21.{producer}.pdf")
    assert "سلامت" in text and "مدارک لازم" in text
    assert "سالمت" not in text and "الزم" not in text
    assert "۱- عنوان خدمت:" in text and "۲- شناسه خدمت: ۱۸۰۵۱۵۶۹۰۰۰" in text


def test_pdf_checkboxes_of_a_bundled_card_are_read():
    card = parse_text(read_card(CORPUS / "002_0d3b341d9a24ee21.chromium-noto.pdf"), "002")
    gold = _gold("002_0d3b341d9a24ee21")
    assert card.service_types == gold["service_types"] == ["G2B", "G2G"]
    assert card.nature == gold["nature"]


# ---- small PDFs, drawn glyph by glyph ---------------------------------------------------


def _vazirmatn(family: str | None = None) -> io.BytesIO:
    """The repository's Vazirmatn as TrueType for reportlab, renamed to ``family`` if given
    (no system font needed)."""
    from fontTools.ttLib import TTFont as FontFile

    font = FontFile(str(VAZIR))
    font.flavor = None
    for record in font["name"].names if family else ():
        if record.nameID in (1, 4, 6, 16):
            record.string = family.replace(" ", "") if record.nameID == 6 else family
    data = io.BytesIO()
    font.save(data)
    data.seek(0)
    return data


def _register() -> None:
    if "Persian" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Persian", _vazirmatn()))


def _pdf(draw: Callable[[canvas.Canvas], None], **options) -> bytes:
    _register()
    buf = io.BytesIO()
    page = canvas.Canvas(buf, **{"pagesize": A4, **options})
    page.setFont("Persian", 12)
    draw(page)
    page.showPage()
    page.save()
    return buf.getvalue()


def _logical_order(page: canvas.Canvas, text: str, right: float, y: float) -> None:
    """Write ``text`` one glyph at a time in reading order, moving right to left (Word)."""
    x = right
    for ch in text:
        x -= pdfmetrics.stringWidth(ch, "Persian", 12)
        page.drawString(x, y, ch)


def _visual_order(page: canvas.Canvas, glyphs: str, left: float, y: float) -> None:
    """Write glyphs left to right as they are seen (LibreOffice, Chromium)."""
    page.drawString(left, y, glyphs)


# سلامت in presentation forms, with the lam-alef ligature as one glyph (U+FEFC)
SALAMAT = "\ufeb3\ufefc\ufee3\ufe96"
FILLER = "شناسنامه خدمت دستگاه اجرایی"


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda p: _logical_order(p, SALAMAT, 400, 700), id="logical"),
        pytest.param(lambda p: _visual_order(p, SALAMAT[::-1], 200, 700), id="visual"),
    ],
)
def test_glyph_order_lam_alef_and_presentation_forms(draw):
    def page(p: canvas.Canvas) -> None:
        draw(p)
        _logical_order(p, FILLER, 500, 600)

    lines = pdf_text(_pdf(page), "order.pdf").split("\n")
    assert lines[0] == "سلامت"  # lam-alef as «لا», never «ال»; forms folded to letters


def test_digits_and_latin_stay_in_place():
    def page(p: canvas.Canvas) -> None:
        # «کد ISO 9001 شماره ۱۲-۳۴» drawn the way an RTL line shows it, left to right
        _visual_order(p, "۱۲-۳۴ هرامش ISO 9001 دک", 150, 700)
        _logical_order(p, FILLER, 500, 600)

    assert pdf_text(_pdf(page), "mixed.pdf").split("\n")[0] == "کد ISO 9001 شماره ۱۲-۳۴"


def _boxes(p: canvas.Canvas) -> None:
    _logical_order(p, FILLER, 500, 750)
    y = 700
    _logical_order(p, "الف", 500, y)
    p.rect(470, y - 1, 9, 9)  # an empty square
    _logical_order(p, "ب", 450, y)
    p.rect(420, y - 1, 9, 9)  # a square with a cross (Word, LibreOffice)
    p.line(421, y, 428, y + 7)
    p.line(421, y + 7, 428, y)
    _logical_order(p, "ج", 400, y)
    p.setFillColorRGB(0, 0.46, 1)  # a filled square with a white tick (Chromium)
    p.rect(370, y - 1, 9, 9, fill=1, stroke=0)
    p.setStrokeColorRGB(1, 1, 1)
    p.line(372, y + 3, 374, y + 1)
    p.line(374, y + 1, 378, y + 7)


def test_vector_checkboxes_empty_crossed_and_filled():
    text = pdf_text(_pdf(_boxes), "boxes.pdf")
    assert text.split("\n")[1] == f"الف {UNCHECKED} ب {CHECKED} ج {CHECKED}"
    assert not text.warnings


def test_undecidable_box_is_a_warning_and_no_mark():
    def page(p: canvas.Canvas) -> None:
        _logical_order(p, FILLER, 500, 750)
        _logical_order(p, "الف", 500, 700)
        p.setFillColorRGB(0.75, 0.75, 0.75)  # half-toned: neither ink nor paper
        p.rect(470, 699, 9, 9, fill=1, stroke=1)

    text = pdf_text(_pdf(page), "grey.pdf")
    assert text.split("\n")[1] == "الف"
    assert len(text.warnings) == 1 and "could not be read" in text.warnings[0]


def _symbol_font() -> str:
    """A font named Wingdings 2 (Vazirmatn's glyphs renamed), as Word embeds its boxes."""
    if "Wingdings2" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Wingdings2", _vazirmatn("Wingdings 2")))
    return "Wingdings2"


def test_wingdings_glyphs_are_boxes():
    def page(p: canvas.Canvas) -> None:
        _logical_order(p, FILLER, 500, 750)
        _logical_order(p, "الف", 500, 700)
        p.setFont(_symbol_font(), 12)
        p.drawString(470, 700, "R")  # Wingdings 2 «R»: a ticked box
        p.drawString(440, 700, "£")  # Wingdings 2 «£»: an empty box
        p.setFont("Persian", 12)
        _logical_order(p, "ب", 460, 700)

    assert pdf_text(_pdf(page), "wd.pdf").split("\n")[1] == f"الف {CHECKED} ب {UNCHECKED}"


def test_a_scanned_page_among_text_pages_is_a_warning(tmp_path):
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("L", (60, 80), 200).save(scan)
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4)
    _register()
    page.setFont("Persian", 12)
    _logical_order(page, FILLER, 500, 700)
    page.showPage()
    page.drawImage(str(scan), 100, 100, 300, 400)
    page.showPage()
    page.save()
    text = pdf_text(buf.getvalue(), "mixed.pdf")
    assert text == FILLER
    assert text.warnings == ("page 2 is an image with no text layer; not read",)


def test_acroform_checkboxes_give_their_state():
    def page(p: canvas.Canvas) -> None:
        _logical_order(p, FILLER, 500, 750)
        _logical_order(p, "الف", 500, 700)
        p.acroForm.checkbox(name="a", x=470, y=698, size=10, checked=True, buttonStyle="check")
        _logical_order(p, "ب", 450, 700)
        p.acroForm.checkbox(name="b", x=420, y=698, size=10, checked=False, buttonStyle="check")

    text = pdf_text(_pdf(page), "form.pdf")
    assert text.split("\n")[1] == f"الف {CHECKED} ب {UNCHECKED}"


def test_ruled_table_cells_right_to_left_and_wrapped_cell_kept_whole():
    def page(p: canvas.Canvas) -> None:
        for y in (700, 660):
            p.line(100, y, 500, y)
        for x in (100, 300, 500):
            p.line(x, 660, x, 700)
        _logical_order(p, "عنوان خدمت", 490, 685)
        _logical_order(p, "صدور مجوز", 290, 685)
        _logical_order(p, "کسب و کار", 290, 668)  # the value wraps to a second line

        p.line(230, 682, 290, 682)  # an underline inside the cell is not a row border

    assert pdf_text(_pdf(page), "table.pdf") == "عنوان خدمت\tصدور مجوز کسب و کار"


def test_cell_spanning_two_rows_gives_its_text_to_the_first():
    """A label beside two rows, centred across their border (a ``rowspan`` in HTML)."""

    def page(p: canvas.Canvas) -> None:
        for y in (700, 660):
            p.line(100, y, 500, y)
        p.line(100, 680, 300, 680)  # the rows' border stops at the label cell
        for x in (100, 300, 500):
            p.line(x, 660, x, 700)
        _logical_order(p, "ارائه دهنده", 490, 676)
        _logical_order(p, "نام دستگاه: الف", 290, 686)
        _logical_order(p, "نام دستگاه مادر: ب", 290, 666)

    assert pdf_text(_pdf(page), "rowspan.pdf").split("\n") == [
        "ارائه دهنده\tنام دستگاه: الف",
        "\tنام دستگاه مادر: ب",
    ]


def test_borderless_columns_are_cells_from_text_positions():
    def page(p: canvas.Canvas) -> None:
        _logical_order(p, "عنوان خدمت:", 500, 700)
        _logical_order(p, "صدور مجوز", 300, 700)  # far left of the label: another column
        _logical_order(p, "شرح خدمت: ثبت نام", 500, 670)  # one column, ordinary spaces

    assert pdf_text(_pdf(page), "borderless.pdf").split("\n") == [
        "عنوان خدمت:\tصدور مجوز",
        "شرح خدمت: ثبت نام",
    ]


def test_borderless_table_cells_wrapping_stay_whole():
    def page(p: canvas.Canvas) -> None:
        _logical_order(p, "عنوان خدمت: صدور", 500, 700)
        _logical_order(p, "شناسه خدمت:", 250, 700)
        _logical_order(p, "پروانه کسب", 500, 686)  # the title wraps under itself
        _visual_order(p, "۱۲۳۴", 215, 686)  # the id wraps under its label
        _logical_order(p, "نوع خدمت:", 500, 660)  # a new row: further down
        _visual_order(p, "G2C", 215, 660)

    assert pdf_text(_pdf(page), "borderless.pdf").split("\n") == [
        "عنوان خدمت: صدور پروانه کسب\tشناسه خدمت: ۱۲۳۴",
        "نوع خدمت:\tG2C",
    ]


def test_row_cut_by_a_page_break_is_one_row():
    """Browsers leave the cut open: no ruling under the first part nor over the rest."""
    _register()
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4)
    page.setFont("Persian", 12)
    _logical_order(page, FILLER, 500, 800)
    page.line(100, 700, 500, 700)
    for x in (100, 300, 500):
        page.line(x, 700, x, 20)  # down to the page's end, no closing ruling
    _logical_order(page, "شرح خدمت", 490, 680)
    _logical_order(page, "ثبت درخواست", 290, 40)
    page.showPage()
    page.setFont("Persian", 12)
    for x in (100, 300, 500):
        page.line(x, 820, x, 760)  # from the page's top, no opening ruling
    page.line(100, 760, 500, 760)
    _logical_order(page, "و صدور پروانه", 290, 800)
    page.showPage()
    page.save()
    assert pdf_text(buf.getvalue(), "cut.pdf").split("\n")[1:] == [
        "شرح خدمت\tثبت درخواست و صدور پروانه"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(
            lambda: _pdf(lambda p: _logical_order(p, FILLER, 500, 700), encrypt="secret"),
            "encrypted PDF (password protected); cannot read",
            id="encrypted",
        ),
        pytest.param(
            lambda: b"%PDF-1.7\n" + bytes(range(256)) * 4,
            "corrupt PDF (data format error)",
            id="garbage",
        ),
        pytest.param(
            lambda: _pdf(lambda p: p.rect(100, 100, 300, 300, fill=1)),
            "no text found by OCR on any page",  # no text layer: handed to OCR, which finds none
            id="no-text-layer",
        ),
        pytest.param(
            lambda: _pdf(lambda p: _logical_order(p, FILLER, 500, 700), pagesize=(6000, 600)),
            "page 1 is 6000x600 pt, over the limit",
            id="huge-page",
        ),
        pytest.param(
            lambda: _many_pages(MAX_PAGES + 1),
            f"PDF has {MAX_PAGES + 1} pages, over the {MAX_PAGES}-page limit",
            id="too-many-pages",
        ),
    ],
)
def test_bad_pdfs_give_one_line(data, reason):
    with pytest.raises(CardError) as caught:
        read_card_bytes(data(), "bad.pdf")
    assert caught.value.reason == reason and str(caught.value).startswith("bad.pdf: ")


def _many_pages(count: int) -> bytes:
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4)
    for _ in range(count):
        page.drawString(100, 100, "x")
        page.showPage()
    page.save()
    return buf.getvalue()


# ---- end to end: the CLI reads PDF cards like any other --------------------------------


def test_cli_parse_reads_a_pdf_card():
    from typer.testing import CliRunner

    from servicegraph.cli import app

    pdf = CORPUS / "002_0d3b341d9a24ee21.libreoffice-noto.pdf"
    result = CliRunner().invoke(app, ["parse", "--json", str(pdf)])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["source"] == pdf.name and card["service_id"] == "18051569000"
    assert card["service_types"] == ["G2B", "G2G"]


def test_cli_parse_folder_expands_to_pdfs(tmp_path):
    from typer.testing import CliRunner

    from servicegraph.cli import app

    for name in (
        "003_470926eedf9b2a55.chromium-noto.pdf",
        "registry_reversed.libreoffice-noto.pdf",
    ):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    (tmp_path / "notes.md").write_text("not a card", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", "--json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == [
        "003_470926eedf9b2a55.chromium-noto.pdf",
        "registry_reversed.libreoffice-noto.pdf",
    ]


def test_cli_ingest_folder_of_pdfs_and_a_bad_one(tmp_path):
    from typer.testing import CliRunner

    from servicegraph.cli import app

    cards = tmp_path / "cards"
    cards.mkdir()
    for pdf in sorted(CORPUS.glob("00[234]_*.chromium-noto.pdf")):
        (cards / pdf.name).write_bytes(pdf.read_bytes())
    (cards / "locked.pdf").write_bytes(
        _pdf(lambda p: _logical_order(p, FILLER, 500, 700), encrypt="secret")
    )
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "ingest", str(cards)])
    assert result.exit_code == 2, result.output
    assert "locked.pdf: encrypted PDF (password protected); cannot read" in result.output
    assert re.search(r"cards loaded\W+3\b", result.output)
    assert re.search(r"cards failed\W+1\b", result.output)


@pytest.mark.parametrize("seed", range(30))
def test_damaged_pdf_gives_text_or_one_card_error(seed):
    """Truncated or byte-flipped files: PDFium repairs what it can, the rest is a CardError."""
    rnd = random.Random(seed)
    data = bytearray((CORPUS / "tax_pdf_inputs.libreoffice-noto.pdf").read_bytes())
    if seed % 3 == 0:
        data = data[: rnd.randrange(20, len(data))]
    else:
        for _ in range(rnd.randrange(1, 50)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
    try:
        text = read_card_bytes(bytes(data), "damaged.pdf")
    except CardError as exc:
        assert exc.source == "damaged.pdf" and "\n" not in exc.reason
    else:
        assert isinstance(text, str) and text.strip()


def _fill(data: bytes, values: dict[str, str]) -> bytes:
    """``data`` with its form fields' values set (reportlab writes Latin-1 values only)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    doc.init_forms()
    form = doc.formenv
    page = doc[0]
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        size = raw.FPDFAnnot_GetFormFieldName(form.raw, annot, None, 0)
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAnnot_GetFormFieldName(
            form.raw, annot, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size
        )
        name = buffer.raw[: size - 2].decode("utf-16-le")
        text = (values[name] + "\x00").encode("utf-16-le")
        value = ctypes.create_string_buffer(text, len(text))
        raw.FPDFAnnot_SetStringValue(annot, b"V", ctypes.cast(value, raw.FPDF_WIDESTRING))
        raw.FPDFPage_CloseAnnot(annot)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_fillable_form_values_are_read_where_their_fields_sit():
    """A card typed into a fillable PDF keeps its values in AcroForm fields, not in the
    page's text: each value is read in its cell, lines of a multi-line field as lines."""

    def page(p: canvas.Canvas) -> None:
        for y in (700, 660, 600):
            p.line(100, y, 500, y)
        for x in (100, 300, 500):
            p.line(x, 600, x, 700)
        _logical_order(p, "عنوان خدمت", 490, 685)
        _logical_order(p, "شناسه خدمت", 490, 640)
        form = p.acroForm
        form.textfield(name="title", value="x", x=110, y=670, width=180, height=20)
        form.textfield(
            name="id", value="x", x=110, y=605, width=180, height=50, fieldFlags="multiline"
        )
        form.textfield(name="empty", value="x", x=110, y=710, width=180, height=20)

    values = {"title": "صدور مجوز", "id": "۱۳۰۹۱۷۱۰۰۰۰\nسطح ملی", "empty": ""}
    assert pdf_text(_fill(_pdf(page), values), "form.pdf").split("\n") == [
        "عنوان خدمت\tصدور مجوز",
        "شناسه خدمت\t۱۳۰۹۱۷۱۰۰۰۰ سطح ملی",
    ]


def _first_page_without_unicode_maps(path: Path) -> bytes:
    """Page 1 of ``path`` with its fonts' ToUnicode maps made unreadable: what a producer
    that embeds fonts without them (or a legacy Persian font) gives an extractor."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(path.read_bytes())
    first = pdfium.PdfDocument.new()
    first.import_pages(source, [0])
    out = io.BytesIO()
    first.save(out)
    return out.getvalue().replace(b"/ToUnicode", b"/ToUnicodX")


@pytest.mark.parametrize("producer", ["libreoffice-noto", "chromium-vazirmatn"])
def test_undecodable_text_layer_is_read_by_ocr(producer):
    """Without Unicode maps the text layer is control characters (LibreOffice) or Persian
    mixed with Latin and Cyrillic letters (Chromium): no label is found in it, so the page is
    read by OCR, with a warning that says why."""
    stem = "002_0d3b341d9a24ee21"
    data = _first_page_without_unicode_maps(CORPUS / f"{stem}.{producer}.pdf")
    text = read_card_bytes(data, "card.pdf")
    assert "cannot be decoded" in text.warnings[0] and "OCR" in text.warnings[0]
    card = parse_text(text, "card.pdf")
    assert card.title == _gold(stem)["title"]
    assert card.agency == _gold(stem)["agency"]


def test_readable_text_layers_have_no_undecodable_characters():
    import pypdfium2 as pdfium

    from graph.readers.pdf import UNDECODABLE, undecodable_share
    from graph.readers.pdf.page import read_page

    for path in PDFS:
        doc = pdfium.PdfDocument(path.read_bytes())
        doc.init_forms()
        pages = [read_page(doc, doc[i]) for i in range(len(doc))]
        assert undecodable_share(pages) < UNDECODABLE / 10, path.name


def test_left_to_right_table_is_turned_back_by_the_parser():
    """A form table laid out left to right (labels in the left column, as a left-to-right
    Word table prints) is written by the reader, as every table, right to left: value first.
    The parser sees the labels closing the rows and turns them back, with a warning."""
    rows = [
        ("عنوان خدمت", "صدور پروانه ساختمان"),
        ("شناسه خدمت", "17041002000"),
        ("نام دستگاه اجرایی", "شهرداری مشهد"),
        ("نام دستگاه مادر", "وزارت کشور"),
        ("شرح خدمت", "صدور پروانه برای ساختمان مسکونی"),
    ]

    def page(p: canvas.Canvas) -> None:
        top = 760
        for n in range(len(rows) + 1):
            p.line(100, top - 30 * n, 500, top - 30 * n)
        for x in (100, 250, 500):
            p.line(x, top - 30 * len(rows), x, top)
        for n, (label, value) in enumerate(rows):
            y = top - 30 * n - 20
            _logical_order(p, label, 240, y)  # the label in the left column
            if value.isdigit():
                p.drawString(400, y, value)  # digits run left to right in any producer
            else:
                _logical_order(p, value, 490, y)

    text = pdf_text(_pdf(page), "ltr.pdf")
    assert text.split("\n")[0] == "صدور پروانه ساختمان\tعنوان خدمت"  # as read: value first
    card = parse_text(text, "ltr.pdf")
    assert (card.title, card.service_id) == ("صدور پروانه ساختمان", "17041002000")
    assert (card.agency, card.parent_agency) == ("شهرداری مشهد", "وزارت کشور")
    assert any("left to right" in w for w in card.warnings)
