"""Word cards built in the test with python-docx + lxml, so no opaque binaries are committed.

Each fixture puts one kind of Word checkbox or structure into a document and the test
asserts the exact text and order the reader produces.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from graph.errors import CardError
from graph.parser import parse_text
from graph.readers import CHECKED, UNCHECKED, read_card, read_card_bytes
from graph.readers.encoding import BINARY
from graph.testing import EXAMPLES

NS = nsdecls("w", "w14")
GOLD = Path(__file__).resolve().parents[2] / "data" / "gold"


def _run(text: str, font: str | None = None, extra: str = "") -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>' if font else ""
    return f'<w:r><w:rPr>{fonts}{extra}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _content_checkbox(checked: str) -> str:
    glyph = "☒" if checked in ("1", "true") else "☐"
    return (
        f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{checked}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        f"<w:sdtContent>{_run(glyph, 'MS Gothic')}</w:sdtContent></w:sdt>"
    )


def _form_checkbox(state: str) -> str:
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/>'
        f'<w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{state}'
        "</w:checkBox></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _sym(font: str, char: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>'


def _paragraph(*inline: str) -> str:
    return f"<w:p {NS}>{''.join(inline)}</w:p>"


def _docx(build) -> bytes:
    document = docx.Document()
    body = document.element.body
    for element in build(document):
        body.insert(len(body) - 1, parse_xml(element) if isinstance(element, str) else element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("inline", "expected"),
    [
        pytest.param(_content_checkbox("1"), CHECKED, id="content-control-1"),
        pytest.param(_content_checkbox("true"), CHECKED, id="content-control-true"),
        pytest.param(_content_checkbox("0"), UNCHECKED, id="content-control-0"),
        pytest.param(
            _form_checkbox('<w:default w:val="0"/><w:checked/>'), CHECKED, id="ff-checked"
        ),
        pytest.param(_form_checkbox('<w:checked w:val="0"/>'), UNCHECKED, id="ff-checked-0"),
        pytest.param(_form_checkbox('<w:default w:val="1"/>'), CHECKED, id="ff-default-1"),
        pytest.param(_form_checkbox('<w:default w:val="0"/>'), UNCHECKED, id="ff-default-0"),
        pytest.param(_run("þ", "Wingdings"), CHECKED, id="wingdings-thorn"),
        pytest.param(_run("\uf0fe", "Wingdings"), CHECKED, id="wingdings-pua-fe"),
        pytest.param(_run("ý", "Wingdings"), CHECKED, id="wingdings-x-box"),
        pytest.param(_run("x", "Wingdings"), CHECKED, id="wingdings-x"),
        pytest.param(_run("o", "Wingdings"), UNCHECKED, id="wingdings-o"),
        pytest.param(_run("¨", "Wingdings"), UNCHECKED, id="wingdings-a8"),
        pytest.param(_run("\uf06f", "Wingdings"), UNCHECKED, id="wingdings-pua-6f"),
        pytest.param(_run("R", "Wingdings 2"), CHECKED, id="wingdings2-R"),
        pytest.param(_run("S", "Wingdings 2"), CHECKED, id="wingdings2-S"),
        pytest.param(_run("T", "Wingdings 2"), CHECKED, id="wingdings2-T"),
        pytest.param(_run("Q", "Wingdings 2"), CHECKED, id="wingdings2-Q"),
        pytest.param(_run("£", "Wingdings 2"), UNCHECKED, id="wingdings2-pound"),
        pytest.param(_run("\uf0a3", "Wingdings 2"), UNCHECKED, id="wingdings2-pua-a3"),
        pytest.param(_sym("Wingdings", "F0FE"), CHECKED, id="sym-F0FE"),
        pytest.param(_sym("Wingdings", "F0A8"), UNCHECKED, id="sym-F0A8"),
        pytest.param(_sym("Wingdings 2", "F052"), CHECKED, id="sym2-F052"),
        pytest.param(_sym("Wingdings 2", "F053"), CHECKED, id="sym2-F053"),
        pytest.param(_sym("Wingdings 2", "F0A3"), UNCHECKED, id="sym2-F0A3"),
        pytest.param(_run("☒", "Segoe UI Symbol"), "☒", id="unicode-ballot-x-kept"),
        pytest.param(_run("☐"), "☐", id="unicode-ballot-kept"),
        pytest.param(_run("þ", "Times New Roman"), "þ", id="thorn-in-text-font-kept"),
        pytest.param(_run("l", "Wingdings"), "", id="wingdings-bullet-dropped"),
        pytest.param(_sym("Symbol", "F0B7"), "", id="symbol-bullet-dropped"),
    ],
)
def test_docx_checkbox_kinds(inline: str, expected: str) -> None:
    data = _docx(lambda _: [_paragraph(_run("الف "), inline, _run(" G2C"))])
    assert read_card_bytes(data, "card.docx") == " ".join(filter(None, ["الف", expected, "G2C"]))


def test_docx_order_tables_merges_and_content_controls(tmp_path) -> None:
    def build(document):
        document.add_paragraph("فرم شناسنامه خدمت")
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).text = "۱- عنوان خدمت"
        table.cell(0, 1).merge(table.cell(0, 2)).text = "صدور مجوز"  # gridSpan
        table.cell(1, 0).merge(table.cell(2, 0)).text = "۳- ارائه دهنده"  # vMerge
        table.cell(1, 1).text = "نام دستگاه اجرایی:"
        table.cell(1, 2).add_paragraph("وزارت کار")  # second paragraph in the cell
        table.cell(2, 1).text = "نوع خدمت"
        cell = table.cell(2, 2)._tc
        cell.remove(cell.find(qn("w:p")))
        cell.append(
            parse_xml(
                _paragraph(
                    _content_checkbox("1"),
                    _run(" G2C "),
                    _form_checkbox("<w:checked/>"),
                    _run(" G2B"),
                )
            )
        )
        nested = table.cell(1, 1).add_table(rows=2, cols=2)
        for (r, c), text in {(0, 0): "الف", (0, 1): "ب", (1, 0): "پ", (1, 1): "ت"}.items():
            nested.cell(r, c).text = text
        document.add_paragraph("پایان")
        yield (
            f'<w:sdt {NS}><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>'
            + _paragraph(_run("متن کنترل محتوا ")).replace(f" {NS}", "")
            + "</w:sdtContent></w:sdt>"
        )
        yield (
            f"<w:sdt {NS}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
            + _paragraph(_run("Click here to enter text.")).replace(f" {NS}", "")
            + "</w:sdtContent></w:sdt>"
        )
        yield _paragraph(
            _run("نمایش "),
            '<w:del w:id="1" w:author="a"><w:r><w:delText>حذف</w:delText></w:r></w:del>',
            _run("پنهان", extra="<w:vanish/>"),
            f"<w:sdt><w:sdtPr/><w:sdtContent>{_run('درون خطی')}</w:sdtContent></w:sdt>",
        )

    path = tmp_path / "card.docx"
    path.write_bytes(_docx(build))
    assert read_card(path).split("\n") == [
        "فرم شناسنامه خدمت",
        "۱- عنوان خدمت\tصدور مجوز",
        "۳- ارائه دهنده\tنام دستگاه اجرایی:",
        "الف\tب",
        "پ\tت",
        "\tوزارت کار",
        f"\tنوع خدمت\t{CHECKED} G2C {CHECKED} G2B",
        "پایان",
        "متن کنترل محتوا",
        "نمایش درون خطی",
    ]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(
            _docx(lambda _: [_paragraph(_run("الف"))])[:300],
            "corrupt .docx: not a readable zip archive",
            id="truncated",
        ),
        pytest.param(
            _zip({"content.xml": b"<office/>"}),
            f"{BINARY} (a zip archive without word/document.xml)",
            id="odt-like-zip",
        ),
        pytest.param(
            _zip({"word/document.xml": b"<w:document", "[Content_Types].xml": b"<Types/>"}),
            None,
            id="broken-xml",
        ),
        pytest.param(
            _docx(lambda _: [_paragraph(_run("  "))]),
            "no card text: the document shows no text",
            id="blank",
        ),
    ],
)
def test_docx_corrupt_gives_card_error(data: bytes, reason: str | None) -> None:
    with pytest.raises(CardError) as caught:
        read_card_bytes(data, "card.docx")
    if reason is None:
        assert caught.value.reason.startswith("corrupt .docx: ")
    else:
        assert caught.value.reason == reason


WPS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _text_box(lines: list[str], *, vml_only: bool = False) -> str:
    """A run holding a floating text box as Word writes it: a DrawingML shape in
    ``mc:Choice`` and the same box as VML in ``mc:Fallback`` (or VML alone)."""
    content = "<w:txbxContent>" + "".join(
        "<w:p>" + "<w:r><w:tab/></w:r>".join(_run(escape(c)) for c in line.split("\t")) + "</w:p>"
        for line in lines
    ) + "</w:txbxContent>"  # fmt: skip
    vml = f"<w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
    if vml_only:
        return f"<w:r>{vml}</w:r>"
    drawing = (
        '<w:drawing><wp:anchor><wp:extent cx="1" cy="1"/><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    return (
        f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_docx_text_boxes_are_read_once_where_anchored() -> None:
    """A card whose header block sits in text boxes (a common Word form layout) keeps it:
    each box once, though Word writes it twice (DrawingML and its VML fallback)."""
    text = (EXAMPLES / "002_0d3b341d9a24ee21.txt").read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(text) if line.startswith("۱- عنوان خدمت"))
    header, rest = text[at : at + 3], [line for line in text[at + 3 :] if line.strip()]

    def build(_document):
        yield f"<w:p {NS} {WPS}>{_run('فرم شناسنامه خدمت')}{_text_box(header[:1])}</w:p>"
        yield f"<w:p {NS} {WPS}>{_text_box(header[1:], vml_only=True)}</w:p>"
        for line in rest:
            cells = "<w:r><w:tab/></w:r>".join(_run(escape(cell)) for cell in line.split("\t"))
            yield f"<w:p {NS}>{cells}</w:p>"

    read = read_card_bytes(_docx(build), "card.docx")
    lines = read.split("\n")
    cells = ["\t".join(cell.strip() for cell in line.split("\t")) for line in header]
    assert lines[:4] == ["فرم شناسنامه خدمت", *cells]
    assert read.count("شناسه خدمت") == 1
    card = parse_text(read, "card.docx").to_dict()
    gold = json.loads((GOLD / "002_0d3b341d9a24ee21.json").read_text("utf-8"))
    assert card["title"] == gold["title"]
    assert card["service_id"] == gold["service_id"]
    assert card["agency"] == gold["agency"]
