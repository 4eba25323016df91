"""Reading sheets: CSV blocks cut outside quotes, encodings, title rows above the header."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from fupin.ingest import sources


def is_header(cells):
    return "name" in [str(c).strip() for c in cells]


def read_all(path):
    source = sources.open_source(path, is_header)
    frames = list(source.chunks())
    return source, pl.concat(frames) if frames else None


def test_csv_blocks_cut_outside_quotes(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "CSV_BLOCK_BYTES", 64)
    rows = [["name", "note"]] + [[f"n{i}", f"line one\nline \"two\", {i}"] for i in range(50)]
    path = tmp_path / "q.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    source, frame = read_all(path)
    assert frame.height == 50
    assert frame.row(7) == (9, "n7", 'line one\nline "two", 7')  # row numbers as in a sheet
    assert [n for n, _cells in source.raw_rows()][:3] == [1, 2, 3]


def test_gb18030_title_rows_and_bom(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("某村贫困户花名册,\n\nname,民族\n张三,汉族\n".encode("gb18030"))
    source, frame = read_all(path)
    assert source.encoding == "gb18030" and source.header_row == 3
    assert frame.rows() == [(4, "张三", "汉族")]
    bom = tmp_path / "b.csv"
    bom.write_bytes("\ufeffname,x\n李四,1\n".encode())
    source, frame = read_all(bom)
    assert source.header == ["name", "x"] and frame.rows() == [(2, "李四", "1")]


def test_short_and_blank_rows_keep_numbering(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,a,b\nx\n\ny,1,2\n", encoding="utf-8")
    _source, frame = read_all(path)
    assert frame.rows() == [(2, "x", None, None), (3, None, None, None), (4, "y", "1", "2")]


def test_xlsx_numbers_and_dates(tmp_path):
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["标题"])
    sheet.append(["name", "year", "born", "amount"])
    sheet.append(["a", 2014, datetime.date(2020, 1, 31), 12.5])
    book.save(tmp_path / "x.xlsx")
    source, frame = read_all(tmp_path / "x.xlsx")
    assert source.header_row == 2
    assert frame.rows() == [(3, "a", "2014", "2020-01-31", "12.5")]


def test_unknown_format_and_missing(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    with pytest.raises(sources.FileRejected, match="unknown format"):
        sources.open_source(tmp_path / "a.json", is_header)
    with pytest.raises(sources.FileRejected, match="no such file"):
        sources.open_source(tmp_path / "a.csv", is_header)


def test_streamed_xlsx_matches_calamine(tmp_path, monkeypatch):
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["某村花名册"])
    sheet.append(["name", "year", "born", "note"])
    sheet.append(["a & <b>", 2014, datetime.date(2020, 1, 31), "x"])
    sheet.append([])
    sheet.append(["张三", 2015.5, None, '=1+1 "q"'])
    sheet["D5"].data_type = "s"
    book.save(tmp_path / "x.xlsx")
    calamine_source, calamine = read_all(tmp_path / "x.xlsx")
    monkeypatch.setattr(sources, "STREAM_XLSX_BYTES", 0)
    streamed_source, streamed = read_all(tmp_path / "x.xlsx")
    assert isinstance(streamed_source, sources.StreamingXlsxSource)
    assert streamed_source.header == calamine_source.header == ["name", "year", "born", "note"]
    assert streamed_source.header_row == 2
    rows = streamed.rows()
    assert rows[0][:3] == (3, "a & <b>", "2014") and rows[0][3] == "43861"  # a date's serial
    assert rows[-1] == (5, "张三", "2015.5", None, '=1+1 "q"')
    assert [r[1] for r in calamine.rows() if r[1]] == [r[1] for r in streamed.rows() if r[1]]
    assert [n for n, _cells in streamed_source.raw_rows()][:2] == [1, 2]
