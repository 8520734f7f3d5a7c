"""The blank template: the instructions sheet, then the format's sheets with their headers only."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from simkerma.imports import format as fmt
from simkerma.imports.template import (
    INSTRUCTIONS_SHEET,
    REQUIRED_COMMENT,
    allowed_values,
    choices_of,
    lookup_codes,
    template_workbook,
)
from simkerma.partners.models import PartnerCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(db):
    return lookup_codes()


@pytest.fixture
def workbook(db):
    output = io.BytesIO()
    template_workbook(output)
    return load_workbook(io.BytesIO(output.getvalue()))


def test_instructions_first_then_every_sheet_of_the_format_in_order(workbook):
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, *(sheet.name for sheet in fmt.SHEETS)]


@pytest.mark.parametrize("sheet", fmt.SHEETS, ids=lambda sheet: sheet.name)
def test_each_data_sheet_holds_its_header_row_only_and_marks_the_required(workbook, sheet):
    worksheet = workbook[sheet.name]
    assert [[cell.value for cell in row] for row in worksheet.iter_rows()] == [sheet.headers]
    for cell, column in zip(worksheet[1], sheet.columns, strict=True):
        assert cell.value == column.name  # exactly the name, so the template imports
        assert cell.data_type == "s" and cell.font.bold
        if column.required:
            assert cell.comment is not None and cell.comment.text == REQUIRED_COMMENT
            assert cell.fill.fgColor.rgb.endswith("FFF2CC")
        else:
            assert cell.comment is None and cell.fill.fill_type is None


@pytest.mark.parametrize("sheet", fmt.SHEETS, ids=lambda sheet: sheet.name)
def test_choice_columns_offer_their_values(workbook, codes, sheet):
    worksheet = workbook[sheet.name]
    found = {}
    for validation in worksheet.data_validations.dataValidation:
        (cells,) = validation.sqref.ranges
        found[sheet.headers[cells.min_col - 1]] = validation
        assert (cells.min_row, cells.max_row, cells.min_col) == (2, 10001, cells.max_col)
    expected = [column for column in sheet.columns if choices_of(column, codes)]
    assert sorted(found) == sorted(column.name for column in expected)
    for column in expected:
        validation = found[column.name]
        assert validation.type == "list"
        assert validation.formula1 == '"' + ",".join(choices_of(column, codes)) + '"'
        # One value from the list, refused otherwise; a list column takes several, so it is not refused.
        assert validation.showErrorMessage is (not column.is_list)


def test_the_choices_are_the_formats(workbook):
    sheet = workbook["Dokumen"]
    (kind,) = [v for v in sheet.data_validations.dataValidation if str(v.sqref) == "B2:B10001"]
    assert kind.formula1 == '"MoU,MoA,IA"'
    (yes_no,) = [v for v in workbook["Evaluasi"].data_validations.dataValidation if str(v.sqref) == "C2:C10001"]
    assert yes_no.formula1 == '"ya,tidak"'


def _instruction_rows(workbook):
    """The sheet's rows, each as wide as its instructions table (five columns) or as its last value."""
    rows = []
    for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True):
        width = max([5, *(index + 1 for index, value in enumerate(row) if value is not None)])
        rows.append(tuple(row[:width]))
    return rows


def _padded(row, width):
    return (*row[:width], *(None,) * (width - len(row)))


def test_the_instructions_list_every_sheet_and_column(workbook, codes):
    rows = _instruction_rows(workbook)
    assert rows[0][0] == "Petunjuk pengisian buku kerja data Simkerma"
    assert "Lembar Petunjuk ini dilewati saat impor." in rows[1][0]
    assert rows[2][0] == "Urutan lembar: Unit, Prodi, Mitra, Dokumen, Kegiatan, Layanan, Evaluasi"
    for sheet in fmt.SHEETS:
        start = rows.index((f"Lembar {sheet.name}", sheet.help, None, None, None))
        assert rows[start + 1] == ("Kolom", "Wajib", "Nilai yang diizinkan", "Keterangan", "Contoh")
        table = rows[start + 2 : start + 2 + len(sheet.columns)]
        assert table == [
            (
                column.name,
                "wajib" if column.required else "tidak",
                allowed_values(column, codes),
                column.help,
                column.example or None,
            )
            for column in sheet.columns
        ]
        after = start + 2 + len(sheet.columns)
        assert rows[after][0] == "Contoh baris:"
        width = len(sheet.columns)
        assert _padded(rows[after + 1], width) == tuple(sheet.headers)
        assert _padded(rows[after + 2], width) == tuple(column.example or None for column in sheet.columns)


def test_allowed_values_in_the_instructions_words(workbook):
    rows = {row[0]: row for row in _instruction_rows(workbook) if row[0]}
    assert allowed_values(fmt.DOKUMEN.column("jenis")) == "MoU, MoA, IA"
    assert (
        allowed_values(fmt.DOKUMEN.column("bidang")) == "satu atau lebih dari: pendidikan, penelitian, pkm; dipisah ;"
    )
    assert allowed_values(fmt.LAYANAN.column("dari_mitra")) == "ya atau tidak"
    assert allowed_values(fmt.EVALUASI.column("kepuasan")) == "1 sampai 4"
    assert allowed_values(fmt.DOKUMEN.column("tanggal_mulai")) == "tanggal Excel atau YYYY-MM-DD (1990–2100)"
    assert rows["tanggal_selesai"][2] == "tanggal Excel atau YYYY-MM-DD (1990–2100)"


def test_examples_that_look_like_formulas_stay_text(workbook):
    worksheet = workbook[INSTRUCTIONS_SHEET]
    phones = [row[4] for row in worksheet.iter_rows() if row[0].value == "telepon"]
    assert phones[0].value == "+62 778 123456" and phones[0].data_type == "s" and phones[0].quotePrefix


def test_date_columns_are_formatted_as_dates(workbook):
    assert workbook["Dokumen"].column_dimensions["J"].number_format == "yyyy-mm-dd"
    assert workbook["Layanan"].column_dimensions["F"].number_format == "yyyy-mm-dd hh:mm"


def test_the_lookup_columns_offer_the_codes_in_use():
    PartnerCategory.objects.filter(code="umkm").update(is_active=False)
    output = io.BytesIO()
    template_workbook(output)
    workbook = load_workbook(io.BytesIO(output.getvalue()))

    mitra = workbook["Mitra"]
    letter = chr(ord("A") + fmt.MITRA.headers.index("kategori_mitra"))
    (category,) = [v for v in mitra.data_validations.dataValidation if str(v.sqref) == f"{letter}2:{letter}10001"]
    offered = category.formula1.strip('"').split(",")
    assert offered[0] == "multinasional" and "rumah_sakit" in offered and "umkm" not in offered
    assert len(offered) == 12
    assert category.showErrorMessage
    kegiatan = workbook["Kegiatan"]
    letter = chr(ord("A") + fmt.KEGIATAN.headers.index("bentuk_kerjasama"))
    (form,) = [v for v in kegiatan.data_validations.dataValidation if str(v.sqref) == f"{letter}2:{letter}10001"]
    assert "magang_1_semester" in form.formula1
    rows = list(workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    (kategori,) = [row for row in rows if row[0] == "kategori_mitra"]
    assert kategori[1] == "tidak"
    assert kategori[2].startswith("kode dari daftar di Simkerma: multinasional, nasional_berstandar")
    (sdg,) = [row for row in rows if row[0] == "sdg"]
    assert sdg[2] == "satu atau lebih dari: " + ", ".join(f"sdg{n}" for n in range(1, 18)) + "; dipisah ;"
    (instrument,) = [row for row in rows if row[0] == "instrumen"]
    assert instrument[2] == "iaps4, laminfokom, lamteknik"
