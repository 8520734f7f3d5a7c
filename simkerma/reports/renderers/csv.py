"""CSV, UTF-8 with a byte-order mark so that Excel reads it as UTF-8.

A report of one table is that table: its heading row, then its rows and footer. With several
tables, each starts with a row holding its key and title, and a blank row separates them. Text
that a spreadsheet would read as a formula starts with an apostrophe; numbers, negative ones
too, are written as they are.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import IO, Any

from simkerma.core.xlsx import FORMULA_STARTS
from simkerma.reports.framework import Column, Report
from simkerma.reports.renderers.text import display_value, footer_kind


def _cell(value: Any, column: Column | None, *, footer: bool = False) -> str:
    kind = column.kind if column else "int"
    text = display_value(value, footer_kind(value, kind) if footer else kind)
    # Only text is guarded: a negative number stays a number.
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def write_csv(report: Report, output: IO[bytes]) -> None:
    output.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        several = len(report.tables) > 1
        for label, value in report.summary:
            writer.writerow([_cell(str(label), None), _cell(value, None)])
        if report.summary and report.tables:
            writer.writerow([])
        for number, table in enumerate(report.tables):
            columns: list[Column | None] = [None, *table.columns] if table.numbered else list(table.columns)
            if several:
                if number:
                    writer.writerow([])
                writer.writerow([_cell(f"{table.key}. {table.title}", None)])
            writer.writerow([_cell(label, None) for label in table.header])
            for row in table.iter_rows():
                writer.writerow([_cell(value, column) for value, column in zip(row, columns, strict=False)])
            for extra in table.footer:
                values: list[Any] = ["", *extra] if table.numbered else list(extra)
                writer.writerow(
                    [_cell(value, column, footer=True) for value, column in zip(values, columns, strict=False)]
                )
    finally:
        text.detach()
