"""The blank data workbook: an instructions sheet in Indonesian, then the format's sheets, empty.

Everything comes from format.py, so the template cannot drift from what the importer reads. Each
data sheet holds only its header row, whose cells are exactly the column names (so the template
imports, creating nothing); a required column's header is bold on a yellow fill with a comment
"Wajib diisi". Choice columns offer their values in a drop-down, and so do the columns that take a
code from a list Simkerma keeps (the partner categories, the forms of cooperation), read when the
template is written. The first sheet, "Petunjuk",
lists every sheet and column: whether it is required, its allowed values, its help and an example,
and an example row per sheet. The importer skips that sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from simkerma.core.dates import MAX_DATE, MIN_DATE
from simkerma.core.xlsx import append_row
from simkerma.imports import format as fmt
from simkerma.imports.lookups import MODELS, Lookup

INSTRUCTIONS_SHEET = "Petunjuk"
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
REQUIRED_COMMENT = "Wajib diisi."
# Drop-downs and formats reach this far down each sheet.
LAST_ROW = 10001

YEARS = f"{MIN_DATE.year}–{MAX_DATE.year}"
# What each kind of cell holds, in the instructions' words.
KIND_WORDS = {
    fmt.Kind.TEXT: "teks",
    fmt.Kind.CODE: "kode (dicocokkan persis)",
    fmt.Kind.CODES: "daftar kode, dipisah ;",
    fmt.Kind.DATE: f"tanggal Excel atau YYYY-MM-DD ({YEARS})",
    fmt.Kind.DATETIME: f"tanggal dan jam Excel atau YYYY-MM-DD HH:MM, WIB ({YEARS})",
    fmt.Kind.YEAR: f"tahun ({YEARS})",
}
NUMBER_FORMATS = {fmt.Kind.DATE: "yyyy-mm-dd", fmt.Kind.DATETIME: "yyyy-mm-dd hh:mm"}
INSTRUCTION_HEADERS = ["Kolom", "Wajib", "Nilai yang diizinkan", "Keterangan", "Contoh"]
INTRO = (
    "Buku kerja data Simkerma. Setiap lembar boleh tidak ada atau kosong. Baris pertama setiap lembar "
    "adalah judul kolom (huruf besar-kecil tidak dibedakan); kolom wajib, yang judulnya berwarna kuning "
    'dengan komentar "Wajib diisi", harus diisi. Kode adalah kunci: baris yang kodenya sudah ada '
    "memperbarui data itu, sehingga mengimpor buku kerja yang sama dua kali tidak mengubah apa pun. Bila "
    "ada baris yang salah, tidak ada yang disimpan dan setiap masalah disebut lembar, baris dan kolomnya. "
    "Lembar Petunjuk ini dilewati saat impor."
)


def lookup_codes() -> dict[str, tuple[str, ...]]:
    """The codes in use of each list Simkerma keeps, for the lookup columns (format.Column.lookup)."""
    return {name: tuple(Lookup(name).offered) for name in MODELS}


def choices_of(column: fmt.Column, codes: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return codes.get(column.lookup, ()) if column.lookup else column.choices


def allowed_values(column: fmt.Column, codes: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The values a column takes, in the instructions' words."""
    if column.lookup:
        offered = (codes or {}).get(column.lookup, ())
        return "kode dari daftar di Simkerma: " + (", ".join(offered) or "(daftar masih kosong)")
    if column.kind == fmt.Kind.CHOICE:
        return ", ".join(column.choices)
    if column.kind == fmt.Kind.CHOICES:
        return f"satu atau lebih dari: {', '.join(column.choices)}; dipisah ;"
    if column.kind == fmt.Kind.YES_NO:
        return f"{fmt.YES} atau {fmt.NO}"
    if column.kind == fmt.Kind.SCALE:
        return f"{column.choices[0]} sampai {column.choices[-1]}"
    return KIND_WORDS[column.kind]


def _validation(column: fmt.Column, codes: Mapping[str, tuple[str, ...]]) -> DataValidation | None:
    choices = choices_of(column, codes)
    # Excel takes a list of at most 255 characters written in the rule itself.
    if not choices or len(",".join(choices)) > 255:
        return None
    # A list column takes several values separated by ";": it offers them without refusing a list.
    strict = not column.is_list
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showDropDown=False,  # False shows the in-cell arrow (the attribute's meaning is inverted)
        showErrorMessage=strict,
        errorTitle=column.name,
        error=f"Nilai yang diizinkan: {allowed_values(column, codes)}."[:255],
        showInputMessage=True,
        promptTitle=column.name,
        prompt=(column.help or allowed_values(column, codes))[:255],
    )


def _instructions(worksheet: Worksheet, codes: Mapping[str, tuple[str, ...]]) -> None:
    worksheet.title = INSTRUCTIONS_SHEET
    append_row(worksheet, ["Petunjuk pengisian buku kerja data Simkerma"])
    worksheet["A1"].font = Font(bold=True, size=14)
    append_row(worksheet, [INTRO])
    worksheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(INSTRUCTION_HEADERS))
    worksheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    worksheet.row_dimensions[2].height = 75
    append_row(worksheet, ["Urutan lembar: " + ", ".join(sheet.name for sheet in fmt.SHEETS)])
    for sheet in fmt.SHEETS:
        append_row(worksheet, [])
        append_row(worksheet, [f"Lembar {sheet.name}", sheet.help])
        worksheet.cell(worksheet.max_row, 1).font = Font(bold=True, size=12)
        append_row(worksheet, INSTRUCTION_HEADERS)
        for cell in worksheet[worksheet.max_row]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            append_row(
                worksheet,
                [
                    column.name,
                    "wajib" if column.required else "tidak",
                    allowed_values(column, codes),
                    column.help,
                    column.example,
                ],
            )
            if column.required:
                worksheet.cell(worksheet.max_row, 1).fill = REQUIRED_FILL
        append_row(worksheet, ["Contoh baris:"])
        worksheet.cell(worksheet.max_row, 1).font = Font(italic=True)
        append_row(worksheet, sheet.headers)
        append_row(worksheet, [column.example or None for column in sheet.columns])
    for letter, width in zip("ABCDE", (22, 10, 45, 70, 30), strict=True):
        worksheet.column_dimensions[letter].width = width
    for row in worksheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _data_sheet(worksheet: Worksheet, sheet: fmt.Sheet, codes: Mapping[str, tuple[str, ...]]) -> None:
    append_row(worksheet, sheet.headers)
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = worksheet.cell(1, index)
        header.font = Font(bold=True)
        if column.required:
            header.fill = REQUIRED_FILL
            header.comment = Comment(REQUIRED_COMMENT, "Simkerma")
        worksheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        validation = _validation(column, codes)
        if validation is not None:
            worksheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
        if column.kind in NUMBER_FORMATS:
            worksheet.column_dimensions[letter].number_format = NUMBER_FORMATS[column.kind]


def template_workbook(output: IO[bytes]) -> None:
    """Write the blank workbook to `output`."""
    workbook = Workbook()
    active = workbook.active
    assert active is not None
    codes = lookup_codes()
    _instructions(active, codes)
    for sheet in fmt.SHEETS:
        _data_sheet(workbook.create_sheet(sheet.name), sheet, codes)
    workbook.save(output)
