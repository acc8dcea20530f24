"""The one table reader every import uses (``varde.lib.tables``), and formula-safe CSV out.

The attacks of the hardening round are kept here: CR-only line ends and cells over csv's
128 KB field limit gave HTTP 500; a 1.8 MB workbook of 130,000 rows took 13 s to refuse; a
";" inside a cell let a formula through the export's escaping."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.utils import translation
from openpyxl import Workbook

from varde.lib.tables import (
    MAX_CELL_CHARS,
    TableError,
    column_letter,
    read_rows,
    safe_cell,
    write_csv,
)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _read(data: bytes, name: str = "t.csv", max_rows: int = 100) -> list[list[str]]:
    rows = read_rows(name=name, data=data, max_rows=max_rows, max_bytes=2 * 1024 * 1024)
    return [row.cells for row in rows]


EXPECTED = [["email", "name"], ["per@example.test", "Per Ås"], ["kari@example.test", "Kari"]]


@pytest.mark.parametrize("separator", [";", ",", "\t"])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_every_encoding_separator_and_line_end(separator, line_end, encoding):
    text = line_end.join(separator.join(row) for row in EXPECTED) + line_end
    assert _read(text.encode(encoding)) == EXPECTED


def test_a_line_break_inside_quotes_stays_in_the_cell_and_rows_are_numbered_as_records():
    rows = read_rows(name="t.csv", data=b'a;b\r"one\rtwo";x\rlast;y\r', max_rows=10, max_bytes=1000)
    assert [(row.number, row.cells) for row in rows] == [
        (1, ["a", "b"]),
        (2, ["one\rtwo", "x"]),
        (3, ["last", "y"]),
    ]


def test_blank_rows_are_left_out_with_the_numbers_kept():
    rows = read_rows(name="t.csv", data=b"\n\na,b\n\n1,2\n", max_rows=10, max_bytes=1000)
    assert [(row.number, row.cells) for row in rows] == [(3, ["a", "b"]), (5, ["1", "2"])]


@pytest.mark.parametrize("size", [MAX_CELL_CHARS + 1, 128 * 1024 + 10])
def test_a_huge_cell_names_its_row_and_column(size):
    data = b"email,name\nper@example.test," + b"x" * size + b"\n"
    with pytest.raises(TableError, match="Row 2, column B holds"):
        _read(data)


def test_a_cell_at_the_cap_is_read():
    data = b"email,name\nper@example.test," + b"x" * MAX_CELL_CHARS + b"\n"
    assert len(_read(data)[1][1]) == MAX_CELL_CHARS


def test_too_many_rows_are_refused_while_reading():
    data = ("h\n" + "r\n" * 11).encode()
    assert len(_read(data, max_rows=11)) == 12
    with pytest.raises(TableError, match="more than 10 rows"):
        _read(data, max_rows=10)


def test_a_file_over_the_size_cap_and_an_unknown_kind_are_refused():
    with pytest.raises(TableError, match="larger than 2 MB"):
        _read(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(TableError, match="Upload a CSV file"):
        _read(b"a,b", name="t.pdf")


def _workbook(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_rows_as_text():
    data = _workbook([["email", "name"], ["per@example.test", "Per Ås"], [None, None], [1.0, 2]])
    assert _read(data, name="t.xlsx") == [
        ["email", "name"],
        ["per@example.test", "Per Ås"],
        ["1", "2"],
    ]


def test_a_long_workbook_is_refused_without_reading_it_all():
    # 130,000 rows in 1.8 MB, without the <dimension> that would state its size up front:
    # openpyxl alone read all 31 MB of XML before the first row (13 s).
    data = _workbook([["text", "channels", "date", "time"]] + [["Hei", "X", "1", "2"]] * 130_000)
    started = time.perf_counter()
    with pytest.raises(TableError, match="more than 2000 rows"):
        read_rows(name="p.xlsx", data=data, max_rows=2000, max_bytes=2 * 1024 * 1024)
    assert time.perf_counter() - started < 3


def test_a_broken_workbook_is_refused_with_words():
    with pytest.raises(TableError, match="could not be read as an Excel workbook"):
        _read(b"PK\x03\x04 not really", name="t.xlsx")


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("\nx", "'\nx"),
        ('Hei;=HYPERLINK("http://evil")', 'Hei;\'=HYPERLINK("http://evil")'),
        ("a, +47 55", "a, '+47 55"),
        ("a\t@SUM(1)", "a\t'@SUM(1)"),
        ("linje\n-1", "linje\n'-1"),
        ("10-15; 20", "10-15; 20"),
        ("Hei", "Hei"),
    ],
)
def test_formula_starts_are_defused_whatever_the_separator(value, written):
    assert safe_cell(value) == written


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_cell_of_the_export_starts_a_formula_whatever_separator_reads_it(separator):
    # The bypass: a ";" inside a cell, and a spreadsheet that splits on ";" (Excel in Norway).
    cells = ['Hei;=HYPERLINK("http://evil")', "x,+1", "y\t@A1", "z\n-2", '";=1+1', "ok"]
    written = write_csv([cells, ["a", "b"]])
    for row in csv.reader(io.StringIO(written, newline=""), delimiter=separator):
        for cell in row:
            assert not cell.lstrip(' "').startswith(("=", "+", "-", "@")), (separator, cell)
    # Read with the separator it was written with, every cell comes back as written.
    assert next(csv.reader(io.StringIO(written, newline=""))) == [safe_cell(c) for c in cells]
