"""Parsers in columns: the vectorised ID check agrees with idnumber.parse(), dates, enums."""

from __future__ import annotations

import datetime

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.core import idnumber
from fupin.ingest import cells

TODAY = datetime.date(2026, 11, 28)


def valid_fast(values: list[str]) -> list[bool]:
    frame = pl.DataFrame({"n": values}, schema={"n": pl.String})
    return frame.select(cells.id_number_valid(pl.col("n"), TODAY)).to_series().to_list()


near_valid = st.builds(
    lambda prefix, birth, seq, sex: idnumber.make(prefix, birth, seq, sex),
    st.sampled_from(["520102", "110101", "820000", "650102"]),
    st.dates(datetime.date(1900, 1, 1), TODAY), st.integers(0, 499), st.sampled_from("MF"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    near_valid,
    near_valid.flatmap(lambda n: st.integers(0, 17).map(
        lambda i: n[:i] + ("X" if n[i] != "X" else "0") + n[i + 1:])),  # one character changed
    near_valid.map(lambda n: n[:-1] + "X"),
    st.text("0123456789X", min_size=16, max_size=19),
    st.text(min_size=0, max_size=20),
), min_size=1, max_size=30))
def test_vectorised_id_check_agrees_with_parse(numbers):
    assert valid_fast(numbers) == [idnumber.is_valid(n, TODAY) for n in numbers]


def test_future_and_early_birth_dates():
    future = "52010220300101001" + idnumber.check_digit("52010220300101001")
    early = "52010218990101001" + idnumber.check_digit("52010218990101001")
    assert valid_fast([future, early]) == [False, False]


def test_dates_officials_write():
    values = ["2020-01-31", "2020/1/31", "2020.1.31", "20200131", "2020年1月31日",
              "43861", "2020-01-31 00:00:00", "31/01/2020", "1", "abc", None]
    frame = pl.DataFrame({"d": values}, schema={"d": pl.String})
    parsed = frame.select(cells.parse_date(cells.trimmed(pl.col("d")))).to_series().to_list()
    day = datetime.date(2020, 1, 31)
    assert parsed == [day, day, day, day, day, day, day, None, datetime.date(1900, 1, 1), None,
                      None]


def test_trimmed_drops_formula_apostrophe_and_blanks():
    frame = pl.DataFrame({"t": ["  a ", "\u3000", "'=1+1", "'abc", "", None]})
    assert frame.select(cells.trimmed(pl.col("t"))).to_series().to_list() == [
        "a", None, "=1+1", "'abc", None, None]


def test_trimmed_undoes_what_the_writer_neutralises():
    from fupin.core.xlsx import neutralise

    texts = ["=cmd", "+1", "-x", "@a", "\tq", "\rq", "-35.50", "ok", "'abc"]
    written = [neutralise(t) for t in texts]
    assert written[:6] == ["'=cmd", "'+1", "'-x", "'@a", "'\tq", "'\rq"]
    frame = pl.DataFrame({"t": written})
    assert frame.select(cells.trimmed(pl.col("t"))).to_series().to_list() == texts
