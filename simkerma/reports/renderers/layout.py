"""What the page formats (PDF, DOCX, the on-screen preview) share: the two heading rows of a table
with its group headings spanning their columns, and a table's rows as text, cut at a bound.

A group heading ("Tingkat") spans the adjacent columns of its group and stands above their own
headings; a column with no group takes both heading rows. A table without groups has one
heading row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from simkerma.reports.framework import Column, Kind, Table
from simkerma.reports.renderers.text import display_value, footer_kind

NUMERIC_KINDS = frozenset({Kind.INT, Kind.DECIMAL, Kind.PERCENT})
NUMBER_COLUMN = Column("no", "No", Kind.INT, width=5)


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


def columns_of(table: Table) -> list[Column]:
    """The columns as written, with the leading "No" of a numbered table."""
    return [NUMBER_COLUMN, *table.columns] if table.numbered else list(table.columns)


def header_rows(table: Table) -> list[list[HeadCell]]:
    columns = columns_of(table)
    labels = table.header
    if not any(column.group for column in columns):
        return [[HeadCell(label) for label in labels]]
    top: list[HeadCell] = []
    bottom: list[HeadCell] = []
    index = 0
    while index < len(columns):
        group = str(columns[index].group)
        if not group:
            top.append(HeadCell(labels[index], rowspan=2))
            index += 1
            continue
        start = index
        while index < len(columns) and str(columns[index].group) == group:
            bottom.append(HeadCell(labels[index]))
            index += 1
        top.append(HeadCell(group, colspan=index - start))
    return [top, bottom]


def text_row(values: list[object] | tuple[object, ...], columns: list[Column]) -> list[str]:
    return [display_value(value, column.kind) for value, column in zip(values, columns, strict=False)]


def footer_rows(table: Table) -> list[list[str]]:
    """The footer as text: a count under a tick column is shown as a number."""
    columns = columns_of(table)
    rows = []
    for row in table.footer:
        values = ["", *row] if table.numbered else list(row)
        rows.append(
            [
                display_value(value, footer_kind(value, column.kind))
                for value, column in zip(values, columns, strict=False)
            ]
        )
    return rows


def summary_text(value: object) -> str:
    """A summary value as text: a fraction with two places, anything else as it is."""
    return display_value(value, Kind.DECIMAL if isinstance(value, (Decimal, float)) else Kind.INT)


class BoundedRows:
    """A table's rows as text, at most `limit` of them; once iterated, `rest` is how many were left
    out. The rows past the bound are counted, never formatted or kept."""

    def __init__(self, table: Table, limit: int) -> None:
        self.table = table
        self.limit = max(limit, 0)
        self.rest = 0
        self._used = False

    def __iter__(self) -> Iterator[list[str]]:
        if self._used:
            raise RuntimeError("A table's rows are read once.")
        self._used = True
        columns = columns_of(self.table)
        rows = self.table.iter_rows()
        for row in islice(rows, self.limit):
            yield text_row(row, columns)
        self.rest = sum(1 for _ in rows)


def cut_message(rest: int) -> str:
    """The line under a table cut at the bound, in the words of the official forms' users."""
    return f"… {rest} baris lagi: unduh XLSX untuk tabel lengkap"
