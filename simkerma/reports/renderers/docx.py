"""DOCX, built with python-docx: a landscape A4 section, the title and what it covers, the notices
(the unverified-format label among them), the summary as a two-column table, then each table as a
Word table whose heading rows repeat on every page, with group headings as merged cells.

A table is cut at `SIMKERMA_REPORT_PDF_MAX_ROWS` rows as in the PDF, with a line saying how many rows
the XLSX holds besides. Body rows are written as plain table rows (no per-cell lookups), so a table
of thousands of rows is written in seconds.
"""

from __future__ import annotations

from typing import IO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable

from simkerma.core.xlsx import cell_value
from simkerma.reports.framework import Report, Table
from simkerma.reports.renderers.layout import (
    NUMERIC_KINDS,
    BoundedRows,
    columns_of,
    cut_message,
    footer_rows,
    header_rows,
    summary_text,
)
from simkerma.reports.renderers.pdf import max_rows

PAGE_WIDTH_CM = 29.7
MARGIN_CM = 1.5


def _clean(text: str) -> str:
    """Text Word's XML can hold: the control characters a pasted cell may carry are dropped."""
    return str(cell_value(str(text)))


def _landscape(document: WordDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(8)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _bold_cell(cell: object, text: str) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.text = ""
    run = paragraph.add_run(_clean(text))
    run.bold = True


def _body_row(values: list[str], numeric: list[bool], bold: bool = False) -> BaseOxmlElement:
    """A `w:tr` element: one paragraph a cell, numbers aligned right."""
    row = OxmlElement("w:tr")
    for value, right in zip(values, numeric, strict=False):
        cell = OxmlElement("w:tc")
        paragraph = OxmlElement("w:p")
        if right:
            properties = OxmlElement("w:pPr")
            justify = OxmlElement("w:jc")
            justify.set(qn("w:val"), "right")
            properties.append(justify)
            paragraph.append(properties)
        if value:
            run = OxmlElement("w:r")
            if bold:
                run_properties = OxmlElement("w:rPr")
                run_properties.append(OxmlElement("w:b"))
                run.append(run_properties)
            text = OxmlElement("w:t")
            text.set(qn("xml:space"), "preserve")
            text.text = _clean(value)
            run.append(text)
            paragraph.append(run)
        cell.append(paragraph)
        row.append(cell)
    return row


def _write_heading(word: WordTable, table: Table) -> None:
    for row_index, heads in enumerate(header_rows(table)):
        row = word.rows[row_index]
        _repeat_header(row)
        column = 0
        for head in heads:
            while row_index and _covered(word, row_index, column):
                column += 1
            cell = row.cells[column]
            if head.colspan > 1 or head.rowspan > 1:
                corner = word.cell(row_index + head.rowspan - 1, column + head.colspan - 1)
                cell = cell.merge(corner)
            _bold_cell(cell, head.text)
            column += head.colspan


def _covered(word: WordTable, row_index: int, column: int) -> bool:
    """Whether a heading cell of the second row is the lower half of a heading spanning both rows."""
    cell = word.rows[row_index].cells[column]
    return cell._tc is word.rows[row_index - 1].cells[column]._tc  # type: ignore[no-any-return]


def _write_table(document: WordDocument, table: Table, limit: int) -> None:
    document.add_heading(_clean(f"{table.key}. {table.title}"), level=2)
    columns = columns_of(table)
    heads = header_rows(table)
    word = document.add_table(rows=len(heads), cols=len(columns))
    word.style = "Table Grid"
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = PAGE_WIDTH_CM - 2 * MARGIN_CM
    total = sum(column.width for column in columns) or 1
    for index, column in enumerate(columns):
        word.columns[index].width = Cm(usable * column.width / total)
    _write_heading(word, table)
    numeric = [column.kind in NUMERIC_KINDS for column in columns]
    body = word._tbl
    rows = BoundedRows(table, limit)
    for values in rows:
        body.append(_body_row(values, numeric))
    for values in footer_rows(table):
        body.append(_body_row(values, numeric, bold=True))
    if rows.rest:
        document.add_paragraph().add_run(cut_message(rows.rest)).italic = True
    for note in table.notes:
        document.add_paragraph(_clean(str(note)), style="List Bullet")


def write_docx(report: Report, output: IO[bytes]) -> None:
    document = Document()
    _landscape(document)
    document.add_heading(_clean(report.title), level=1)
    if report.subtitle:
        document.add_paragraph(_clean(report.subtitle))
    for notice in report.all_notices:
        run = document.add_paragraph().add_run(_clean(notice))
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x4B, 0x00)
    if report.summary:
        summary = document.add_table(rows=0, cols=2)
        summary.style = "Table Grid"
        for label, value in report.summary:
            cells = summary.add_row().cells
            _bold_cell(cells[0], str(label))
            cells[1].text = _clean(summary_text(value))
            cells[1].paragraphs[0].alignment = 2  # right
    limit = max_rows()
    for table in report.tables:
        _write_table(document, table, limit)
    document.save(output)
