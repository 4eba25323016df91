"""Templates and error workbooks are written by the one sheet writer: laid out for officials,
and never carrying a live formula, whatever the uploaded file held."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from fupin.core.context import acting_as
from fupin.ingest import exporting, pipeline
from fupin.ingest.testing import household_rows, write_rows

pytestmark = pytest.mark.django_db


def no_formulas(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_template_layout(regions, tmp_path):
    book = load_workbook(exporting.write_template("households", tmp_path / "t.xlsx"))
    no_formulas(book)
    sheet, values = book.worksheets
    assert sheet.freeze_panes == "A2"
    assert values.title == "允许值" and values.sheet_state == "hidden"
    header = [c.value for c in sheet[1]]
    id_column = sheet.cell(1, header.index("身份证号") + 1).column_letter
    assert sheet.column_dimensions[id_column].number_format == "@"  # 18 digits stay text
    assert sheet.cell(1, header.index("姓名") + 1).font.b
    sources = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert sources and all(s.startswith("'允许值'!$") for s in sources)
    allowed = [c.value for c in next(values.iter_cols(min_row=1))]
    assert allowed[0] == values.cell(1, 1).value and None not in allowed[:2]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_error_workbook_neutralises_the_uploaded_cells(regions, tmp_path, suffix):
    rows = household_rows(1, 3)
    rows[0]["姓名"] = '=HYPERLINK("http://evil","x")'
    rows[1]["姓名"] = "@SUM(A1)"
    rows[1]["与户主关系"] = "邻居"  # the bad row
    rows[2]["姓名"] = "-2+3"
    errors = tmp_path / "errors.xlsx"
    with acting_as(None, label="test:import"), pytest.raises(pipeline.RowsRejected):
        pipeline.import_file("households", write_rows(tmp_path / f"bad{suffix}", rows),
                             errors_path=errors)
    book = load_workbook(errors)
    no_formulas(book)
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Errors"
    names = [r[header.index("姓名")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    expected = ['\'=HYPERLINK("http://evil","x")', "'@SUM(A1)", "'-2+3"]
    if suffix == ".xlsx":  # a live formula in the upload: what was read is its value (none)
        expected[0] = None
    assert names == expected
    reasons = [r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "邻居" in reasons[1] and reasons[2] is None
    assert sheet.cell(3, len(header)).fill.fgColor.rgb.endswith("FFF2CC")
