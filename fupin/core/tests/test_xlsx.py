"""The one sheet writer (fupin/core/xlsx.py): what a workbook it writes holds when opened, and
formula injection closed in XLSX and CSV, down to the list exports of the pages."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fupin.core import xlsx
from fupin.core.testing import client_for, make_user
from fupin.poverty.testing import make_household

ATTACKS = ['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "-2+3", "\tTAB", "\r=1"]
FORMULA_CHARS = tuple(xlsx.FORMULA_START)


@pytest.mark.parametrize(("value", "written"), [
    ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
    ("+1+1", "'+1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-x", "'-x"),
    ("-35.50", "-35.50"), ("-7", "-7"),  # the written form of a negative number stays
    ("张三", "张三"), ("a=b", "a=b"), ("", ""), (None, None),
    (-35.5, -35.5), (Decimal("-2"), Decimal("-2")), (0, 0),
])
def test_neutralise(value, written):
    assert xlsx.neutralise(value) == written


def test_workbook_layout(tmp_path):
    book = xlsx.Workbook({"title": xlsx.Style(bold=True, size=14, align="center"),
                          "money": xlsx.Style(border=True, number_format="#,##0.00")},
                         font="SimSun")
    sheet = book.sheet("FP-2 乡级", widths=[14, 30, None, 12], formats={1: "@"}, freeze="C5",
                       print_title_rows="4:4", landscape=True, fit_width=True,
                       margins=(0.4, 0.5))
    sheet.title("年度统计报表", 4, style="title", height=24)
    sheet.title("主要指标", 4)
    sheet.row(["表号 FP-2", None, None, "单位"])
    sheet.row(["区划代码", "名称", "人数", "收入"])
    sheet.row(["520102001", "新华路街道", 12, sheet.cell(Decimal("1234.5"), "money")])
    hidden = book.sheet("允许值", hidden=True)
    hidden.row(["性别"])
    hidden.row(["男"])
    sheet2 = book.sheet("FP-2 乡级")  # a title taken: made unique, not an error
    sheet2.row(["x"])
    path = tmp_path / "out" / "book.xlsx"
    book.save(path)

    loaded = load_workbook(path)
    assert loaded.sheetnames == ["FP-2 乡级", "允许值", "FP-2 乡级 2"]
    ws = loaded["FP-2 乡级"]
    assert ws.freeze_panes == "C5"
    assert ws.column_dimensions["A"].width == 14 and ws.column_dimensions["B"].width == 30
    assert ws.column_dimensions["A"].number_format == "@"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:D1", "A2:D2"}
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_margins.left, ws.page_margins.top) == (0.4, 0.5)
    assert ws.row_dimensions[1].height == 24
    title = ws["A1"]
    assert title.value == "年度统计报表" and title.font.b and title.font.sz == 14
    assert title.alignment.horizontal == "center" and title.font.name == "SimSun"
    assert title.style == "Fupin title"  # not to be taken for Excel's built-in Title
    money = ws["D5"]
    assert money.value == 1234.5 and money.number_format == "#,##0.00"
    assert money.border.left.style == "thin"
    assert ws["C5"].value == 12 and ws["C5"].data_type == "n"
    assert loaded["允许值"].sheet_state == "hidden"
    assert loaded["FP-2 乡级"].sheet_state == "visible"


def test_response_and_bytes_are_the_same_workbook():
    def make():
        book = xlsx.Workbook()
        book.sheet("s").row(["a", 1])
        return book

    response = make().response("list.xlsx")
    assert response["Content-Type"] == xlsx.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="list.xlsx"'
    for content in (response.content, make().to_bytes()):
        ws = load_workbook(io.BytesIO(content)).active
        assert [c.value for c in ws[1]] == ["a", 1]


def _check_xlsx_cells(ws, texts):
    """No formula anywhere; each attack reads back as text with its apostrophe."""
    values = []
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            values.append(cell.value)
    for text in texts:
        assert "'" + text in values
        assert text not in values


def _check_csv_cells(rows):
    for row in rows:
        for value in row:
            if value.startswith(FORMULA_CHARS):
                float(value)  # only a plain negative number may start so


def test_writer_never_writes_a_formula(tmp_path):
    book = xlsx.Workbook({"s": xlsx.Style(bold=True)})
    sheet = book.sheet("x")
    sheet.row(ATTACKS)  # plain values
    sheet.row(ATTACKS, style="s")  # styled
    sheet.row([sheet.cell(a, "s") for a in ATTACKS])  # cells
    sheet.row(["#N/A", -35.5, Decimal("-2"), "-35.50"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    ws = load_workbook(path).active
    _check_xlsx_cells(ws, ATTACKS[:-1])  # XML reads a carriage return back as a line feed
    assert ws["F1"].value == "'\n=1"
    assert ws["A4"].value == "#N/A" and ws["A4"].data_type == "s"  # text, not an error value
    assert ws["B4"].value == -35.5 and ws["B4"].data_type == "n"
    assert ws["C4"].value == -2 and ws["C4"].data_type == "n"

    path = tmp_path / "x.csv"
    rows = [ATTACKS, [-35.5, Decimal("-2"), "-35.50", None]]
    assert xlsx.write_csv(path, rows) == 2
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    with open(path, encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle))
    _check_csv_cells(read)
    assert read[0] == ["'" + a for a in ATTACKS]
    assert read[1] == ["-35.5", "-2", "-35.50", ""]
    assert "".join(xlsx.csv_lines(rows)) == raw.decode("utf-8")  # streamed the same


@pytest.mark.django_db
def test_list_exports_close_formula_injection(regions):
    from fupin.poverty.models import Household

    attacks = ATTACKS[:4]
    for text in attacks:
        household = make_household(members=1)
        Household._base_manager.filter(pk=household.pk).update(
            head_name=text, income_per_capita=Decimal("-35.50"))
    client = client_for(make_user())

    response = client.get("/poverty/households/", {"export": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    _check_xlsx_cells(ws, attacks)
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    income = header.index("人均纯收入（元）") + 1
    for row in range(2, len(attacks) + 2):  # the negative income stays a number
        cell = ws.cell(row, income)
        assert cell.value == -35.5 and cell.data_type == "n"

    response = client.get("/poverty/households/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    _check_csv_cells(rows)
    flat = [v for row in rows for v in row]
    for attack in attacks:
        assert "'" + attack in flat and attack not in flat
    assert flat.count("-35.50") == len(attacks)
