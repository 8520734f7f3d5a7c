"""XLSX: one sheet per table, named by the table's key, streamed through a write-only workbook.

Each table sheet holds, in order: the title (row 1), what it covers (row 2), the notices such as
"format belum terverifikasi" (row 3, empty when none), the group headings (row 4, e.g. "Tingkat"
above its three columns), the column headings (row 5), then one row per record and the footer.
A report with a summary has a first sheet "Ringkasan" with its label and value pairs.
Text goes through `core.xlsx.stream_row`, so it is never a formula.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from simkerma.core.xlsx import stream_row
from simkerma.reports.framework import Column, Kind, Report, Table
from simkerma.reports.renderers.text import TICK, footer_kind

HEADER_ROW = 5  # the column headings; records start on the next row
SUMMARY_SHEET = "Ringkasan"


def sheet_title(key: str, taken: set[str]) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    title = "".join("-" if char in "[]:*?/\\" else char for char in key)[:31] or "Tabel"
    base, number = title, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _value(value: Any, column: Column | None, *, footer: bool = False) -> Any:
    if column is not None and column.kind == Kind.TICK and footer_kind(value, column.kind) == Kind.TICK:
        return TICK if value else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return value


def _bold(sheet: Any, values: list[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def _write_table(workbook: Workbook, table: Table, report: Report, taken: set[str]) -> None:
    sheet = workbook.create_sheet(sheet_title(table.key, taken))
    columns: list[Column | None] = [None, *table.columns] if table.numbered else list(table.columns)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width if column else 5
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    stream_row(sheet, [f"{table.key}. {table.title}"])
    stream_row(sheet, [report.subtitle])
    stream_row(sheet, ["; ".join([*report.all_notices, *[str(note) for note in table.notes]])])
    groups: list[Any] = []
    previous = ""
    for column in columns:
        group = str(column.group) if column and column.group else ""
        groups.append(group if group and group != previous else None)
        previous = group
    sheet.append(_bold(sheet, groups))
    sheet.append(_bold(sheet, table.header))
    for row in table.iter_rows():
        stream_row(sheet, [_value(value, column) for value, column in zip(row, columns, strict=False)])
    for extra in table.footer:
        values: list[Any] = ["", *extra] if table.numbered else list(extra)
        stream_row(sheet, [_value(value, column, footer=True) for value, column in zip(values, columns, strict=False)])


def write_xlsx(report: Report, output: IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    if report.summary:
        sheet = workbook.create_sheet(sheet_title(SUMMARY_SHEET, taken))
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 24
        stream_row(sheet, [report.title])
        stream_row(sheet, [report.subtitle])
        stream_row(sheet, ["; ".join(report.all_notices)])
        for label, value in report.summary:
            stream_row(sheet, [str(label), _value(value, None)])
    for table in report.tables:
        _write_table(workbook, table, report, taken)
    if not report.tables and not report.summary:
        stream_row(workbook.create_sheet(sheet_title(SUMMARY_SHEET, taken)), [report.title])
    workbook.save(output)
