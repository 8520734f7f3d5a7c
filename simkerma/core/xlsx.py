"""Writing workbooks that hold what users typed.

openpyxl stores any string that starts with "=" as a formula, so a request subject such as
`=HYPERLINK("http://…?x="&A2,"…")` would run on the auditor's machine. Every XLSX the project
writes goes through `append_row`: text is stored as a text cell, never as a formula, and text
that a spreadsheet would read as the start of a formula when the cell is edited (=, +, -, @,
tab, CR) carries Excel's quote prefix, so it stays text then too. The text itself is kept
exactly as typed, which matters for evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
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
