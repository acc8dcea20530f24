"""One reader for every uploaded table (the calendar's posts, the newsletter's subscribers).

What people upload, it reads: CSV in UTF-8 (with or without a BOM) or Windows-1252 (Excel's
"CSV" on a Norwegian Windows), with ``;``, ``,`` or tab between columns (the first line with
text decides), with CR, LF or CRLF line endings; and Excel workbooks (.xlsx, the first sheet).

What it refuses, it refuses with a message that names the row and the column, before any
caller looks at a row: a file over ``max_bytes``, more than ``max_rows`` rows under the header
(counted while reading, so a workbook of 130,000 rows is refused after ``max_rows`` of them,
not after all), a cell over ``MAX_CELL_CHARS``. Never an exception the user cannot act on.

The reader knows nothing of posts or subscribers: it returns every cell as text, with the row
numbers a spreadsheet shows, and the caller decides what the columns mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CELL_CHARS = 64 * 1024
SEPARATORS = (";", ",", "\t")

# csv refuses a field over 128 KB with an error that names no column. A file is capped by its
# size before it is parsed, so no field can be larger than that: let csv read it, and let the
# cell check below name the row and column. Only ever raised, never lowered.
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))


class TableError(ValidationError):
    """The file as a whole cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it: the first line of the file is 1
    cells: list[str]

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


def read_rows(*, name: str, data: bytes, max_rows: int, max_bytes: int) -> list[Row]:
    """The rows of an uploaded file, from its first row with text (the header) on; blank rows
    under it are left out. At most ``max_rows`` rows under the header."""
    if len(data) > max_bytes:
        raise TableError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": _megabytes(max_bytes)}
        )
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        rows = _xlsx_rows(data, max_rows)
    elif lowered.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise TableError(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
    return _capped(rows, max_rows)


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _capped(rows: Iterator[Row], max_rows: int) -> list[Row]:
    found: list[Row] = []
    for row in rows:
        if row.blank:
            continue
        _check_cells(row)
        found.append(row)
        if len(found) > max_rows + 1:  # the header and max_rows rows under it
            raise _too_many_rows(max_rows)
    return found


def _too_many_rows(max_rows: int) -> TableError:
    return TableError(
        _("The file has more than %(max)s rows; at most %(max)s can be imported at once.")
        % {"max": max_rows}
    )


def _check_cells(row: Row) -> None:
    for index, cell in enumerate(row.cells):
        if len(cell) > MAX_CELL_CHARS:
            raise TableError(
                _(
                    "Row %(row)s, column %(column)s holds %(count)s characters; a cell may "
                    "hold at most %(max)s. Shorten it and upload the file again."
                )
                % {
                    "row": row.number,
                    "column": column_letter(index),
                    "count": len(cell),
                    "max": MAX_CELL_CHARS,
                }
            )


# --- CSV ---------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, which can decode any byte but five."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_separator(text: str) -> str:
    """The separator the first line with text uses most: Norwegian Excel writes ";"."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(SEPARATORS, key=first.count)


def _csv_rows(data: bytes) -> Iterator[Row]:
    text = decode(data)
    # newline="": csv sees CR, LF and CRLF as line ends, and keeps a line end inside quotes.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    # Numbered by record, as a spreadsheet numbers its rows, not by line: a cell may hold a
    # line break.
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield Row(number, list(cells))
    except csv.Error as error:
        raise TableError(
            _(
                "Row %(row)s could not be read as CSV. Check its quotation marks, or save "
                "the file again as CSV from the spreadsheet."
            )
            % {"row": number + 1}
        ) from error


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_rows(data: bytes, max_rows: int) -> Iterator[Row]:
    from openpyxl import load_workbook  # slow to import; used only here

    try:
        _refuse_long_sheet(data, max_rows)
        # read_only streams the sheet: rows are parsed as they are asked for.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except TableError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _not_a_workbook() from error
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield Row(number, [cell_text(value) for value in values])
    except Exception as error:  # a sheet broken after its first rows
        raise _not_a_workbook() from error
    finally:
        workbook.close()


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _refuse_long_sheet(data: bytes, max_rows: int) -> None:
    """Count the first sheet's rows with text, stopping after ``max_rows`` and the header.

    openpyxl, even in read_only mode, reads a whole sheet when it opens it if the file does
    not state the sheet's size (many generators leave it out): 13 s for a 1.8 MB workbook of
    130,000 rows (31 MB of XML) before the first row is seen. This pass stops early."""
    from openpyxl.reader.excel import ExcelReader  # slow to import; used only here
    from openpyxl.xml.functions import iterparse  # defusedxml's where installed, as openpyxl

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        first = next(iter(reader.parser.find_sheets()), None)
        if first is not None:
            _sheet, relation = first
            with reader.archive.open(relation.target) as source:
                _count_rows(iterparse(source), max_rows)
    finally:
        reader.archive.close()


def _count_rows(events: Iterator[tuple[str, Any]], max_rows: int) -> None:
    row_tag, value_tags = f"{_SHEET_NS}row", (f"{_SHEET_NS}v", f"{_SHEET_NS}is")
    rows = 0
    for _event, element in events:
        if element.tag != row_tag:
            continue
        if any(cell.find(tag) is not None for cell in element for tag in value_tags):
            rows += 1
            if rows > max_rows + 1:  # the header and max_rows rows under it
                raise _too_many_rows(max_rows)
        element.clear()


def _not_a_workbook() -> TableError:
    return TableError(
        _(
            "This file could not be read as an Excel workbook (.xlsx). "
            "Save it again as .xlsx or CSV."
        )
    )


def cell_text(value: Any) -> str:  # noqa: PLR0911 - one answer per cell type
    """A workbook cell as the person sees it: dates as 2026-03-20, times as 09:15."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


# --- writing -----------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Where a spreadsheet that guessed another separator (";" in Norway, "," elsewhere, tab) or lost
# track of the quotes may start a cell inside ours: after a separator or a line end, and any
# spaces. A formula start there gets an apostrophe too.
_INNER_FORMULA = re.compile(r"(?<=[;,\t\r\n])( *)(?=[=+\-@])")


def safe_cell(value: object) -> str:
    """A cell that no spreadsheet runs as a formula, whichever separator it assumes: a formula
    start at the beginning (after any spaces, which some spreadsheets skip), or right after a
    ";", ",", tab or line end inside the cell, gets an apostrophe; the text stays readable."""
    text = "" if value is None else str(value)
    text = _INNER_FORMULA.sub(r"\1'", text)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Iterable[object]]) -> str:
    """CSV with "," between cells, every cell quoted and made safe by ``safe_cell``: quoting
    keeps a "," reader right; the apostrophes keep a reader that splits on ";" (Excel in
    Norway) or tab from running a formula where it starts a cell inside one of ours."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
