"""Files of the wrong kind and hostile workbooks get one clear refusal; reading always ends."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from simkerma.imports.results import ImportResult
from simkerma.imports.services import workbook_import
from simkerma.imports.tests import files
from simkerma.org.models import Unit
from simkerma.partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(data: bytes, user) -> ImportResult:
    return workbook_import(file=io.BytesIO(data), user=user)


def only_problem(result: ImportResult) -> str:
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("", None, None)
    assert problem.place == "The file"
    return problem.message


def test_a_csv_renamed_xlsx_is_refused(staff):
    assert only_problem(run(files.csv_as_xlsx(), staff)) == (
        "This file is not an Excel workbook (.xlsx). Save it from Excel as an .xlsx workbook."
    )


def test_an_image_is_refused(staff):
    assert "not an Excel workbook" in only_problem(run(files.png_image(), staff))


def test_an_empty_file_is_refused(staff):
    assert "not an Excel workbook" in only_problem(run(b"", staff))


def test_a_password_protected_workbook_is_refused_with_what_to_do(staff):
    message = only_problem(run(files.password_protected(), staff))

    assert "protected with a password" in message and "save it as .xlsx without a password" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(staff):
    assert "zip bomb" in only_problem(run(files.zip_bomb(inflated_mb=100), staff))


def test_a_zip_that_is_no_workbook_is_refused(staff):
    stream = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(stream, "w") as package:
        package.writestr("hello.txt", "hello")
    assert "cannot be read as an Excel workbook" in only_problem(run(stream.getvalue(), staff))


def test_a_sheet_with_a_million_empty_rows_stops_after_the_bound(staff):
    result = run(files.million_empty_rows(), staff)

    assert result.saved and Unit.objects.get().code == "IF"
    [warning] = result.warnings
    assert (warning.sheet, warning.row) == ("Unit", 3)
    assert "after many empty rows" in warning.message


def test_rows_beyond_the_limit_are_refused(staff, settings):
    settings.SIMKERMA_IMPORT_MAX_ROWS = 3
    rows = [files.partner_row(kode=f"M{n}", nama=f"Mitra {n}") for n in range(5)]
    result = run(files.workbook_bytes({"Mitra": files.rows_as_dicts("Mitra", rows)}), staff)

    assert [(p.sheet, p.row) for p in result.problems] == [("Mitra", 5)]
    assert "more rows than can be imported at once (3)" in result.problems[0].message
    assert not Partner.objects.exists()


def test_a_cell_with_100000_characters_is_refused_by_its_length(staff):
    result = run(files.long_cell(100_000), staff)

    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("Mitra", 2, "alamat")
    assert problem.message == "This cell holds 100000 characters; at most 10000 are accepted."


def test_a_name_longer_than_its_field_gets_the_fields_message(staff):
    data = files.workbook_bytes({"Mitra": files.rows_as_dicts("Mitra", [files.partner_row(nama="N" * 300)])})

    [problem] = run(data, staff).problems

    assert (problem.column, problem.message) == ("nama", "Ensure this value has at most 255 characters (it has 300).")


def test_too_many_columns_are_refused(staff):
    [problem] = run(files.many_columns(200), staff).problems

    assert (problem.sheet, problem.row, problem.message) == ("Unit", 1, "This sheet has more than 60 columns.")


def test_too_many_sheets_are_refused(staff):
    book = Workbook()
    for n in range(40):
        book.create_sheet(f"S{n}")
    stream = io.BytesIO()
    book.save(stream)

    assert only_problem(run(stream.getvalue(), staff)) == "This workbook has 41 sheets; at most 30 are read."


def test_a_workbook_without_known_sheets_imports_nothing_and_says_so(staff):
    result = run(files.workbook_bytes({"Lain": [["x"]]}), staff)

    assert result.ok and result.counts == []
    assert [w.message for w in result.warnings] == ["Sheet Lain is not in the format; it is ignored."]


def test_a_path_is_read_like_an_upload(staff, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(files.full_workbook())

    assert workbook_import(file=path, user=staff).saved
    assert workbook_import(file=str(path), user=staff).counts[0].unchanged == 2
