"""Writing workbooks that hold what users typed.

openpyxl stores any string that starts with "=" as a formula, so a request subject such as
`=HYPERLINK("http://…?x="&A2,"…")` would run on the auditor's machine. Every XLSX the project
writes goes through `append_row`, or `stream_row` for a write-only (streamed) workbook: text is
stored as a text cell, never as a formula, and text that a spreadsheet would read as the start of
a formula when the cell is edited (=, +, -, @, tab, CR) carries Excel's quote prefix, so it stays
text then too. The text itself is kept
exactly as typed, which matters for evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """A value openpyxl can store: text without the control characters XML cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def append_row(worksheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row, writing every string as text, never as a formula."""
    worksheet.append([cell_value(value) for value in values])
    for cell in worksheet[worksheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Excel's error values: a text cell holding one is still text.
ERROR_TEXTS = frozenset(ERROR_CODES)


def stream_row(worksheet: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Append a row to a write-only worksheet, with the guarantees of `append_row`.

    A write-only worksheet has no rows to revisit, so each cell is made ready before it is written:
    text that would read as a formula or an error value is a text cell (with the quote prefix where
    a spreadsheet would take it for a formula), dates are Excel dates (yyyy-mm-dd) and datetimes
    Excel datetimes (yyyy-mm-dd hh:mm, written as the naive wall-clock time they are given in).
    Plain values are passed through, so a row of ordinary text and numbers costs no cell objects.
    """
    row: list[Any] = []
    for raw in values:
        value = cell_value(raw)
        if isinstance(value, str):
            value = str(value)  # a str enum is written as its value
            if value.startswith(FORMULA_STARTS) or value in ERROR_TEXTS:
                cell = WriteOnlyCell(worksheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = value.startswith(FORMULA_STARTS)
                row.append(cell)
                continue
        elif isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                raise ValueError("Excel datetimes have no time zone: convert to the wall-clock time first.")
            cell = WriteOnlyCell(worksheet, value=value)
            cell.number_format = DATETIME_FORMAT
            row.append(cell)
            continue
        elif isinstance(value, dt.date):
            cell = WriteOnlyCell(worksheet, value=value)
            cell.number_format = DATE_FORMAT
            row.append(cell)
            continue
        row.append(value)
    worksheet.append(row)
