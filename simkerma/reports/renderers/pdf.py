"""PDF, rendered by WeasyPrint from `reports/pdf/report.html`: A4 landscape, the title and what it
covers, the notices (the unverified-format label among them), the summary, then each table with its
group headings, headings, rows, footer and notes.

Nothing is fetched while rendering: the template links no file, and the fetcher accepts only
data: URIs. A table longer than `SIMKERMA_REPORT_PDF_MAX_ROWS` is cut there, with a line saying
how many rows the XLSX holds besides, since a PDF of hundreds of thousands of rows helps nobody.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string

from simkerma.reports.framework import Report
from simkerma.reports.renderers.layout import (
    NUMERIC_KINDS,
    BoundedRows,
    columns_of,
    cut_message,
    footer_rows,
    header_rows,
    summary_text,
)


def max_rows() -> int:
    return int(settings.SIMKERMA_REPORT_PDF_MAX_ROWS)


class _PdfTable:
    def __init__(self, table: Any, limit: int) -> None:
        self.key = table.key
        self.title = table.title
        self.notes = [str(note) for note in table.notes]
        self.heads = header_rows(table)
        columns = columns_of(table)
        total = sum(column.width for column in columns) or 1
        self.widths = [round(100 * column.width / total, 2) for column in columns]
        self.numeric = [column.kind in NUMERIC_KINDS for column in columns]
        self.rows = BoundedRows(table, limit)
        self.footer = [list(zip(row, self.numeric, strict=False)) for row in footer_rows(table)]

    def cells(self) -> Iterator[list[tuple[str, bool]]]:
        for row in self.rows:
            yield list(zip(row, self.numeric, strict=False))

    @property
    def cut(self) -> str:
        return cut_message(self.rows.rest) if self.rows.rest else ""


def report_html(report: Report) -> str:
    limit = max_rows()
    return render_to_string(
        "reports/pdf/report.html",
        {
            "report": report,
            "notices": report.all_notices,
            "summary": [(str(label), summary_text(value)) for label, value in report.summary],
            "tables": [_PdfTable(table, limit) for table in report.tables],
            "institution_name": settings.SIMKERMA_INSTITUTION_NAME,
        },
    )


def write_pdf(report: Report, output: IO[bytes]) -> None:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = report_html(report)
    fetcher = URLFetcher(allowed_protocols=["data"])
    HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(output)
