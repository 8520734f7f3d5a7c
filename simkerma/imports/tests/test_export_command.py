"""`manage.py export_workbook PATH [--year Y] [--force] [--user NAME]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from simkerma.imports import format as fmt
from simkerma.imports.tests.test_export import rich_dataset


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_workbook", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def codes(path, sheet):
    worksheet = load_workbook(path)[sheet]
    return [row[0] for row in worksheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.django_db
def test_it_writes_the_workbook_and_prints_the_counts(tmp_path):
    rich_dataset()
    path = tmp_path / "data.xlsx"
    out, err = run(str(path))
    assert load_workbook(path).sheetnames == [sheet.name for sheet in fmt.SHEETS]
    assert out.splitlines() == [
        "Unit      3",
        "Prodi     3",
        "Mitra     4",
        "Dokumen   4",
        "Kegiatan  4",
        "Layanan   2",
        "Evaluasi  2",
        f"22 rows written to {path}.",
    ]
    # A progress bar per sheet, on stderr.
    assert "Kegiatan" in err and "4/4" in err
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.django_db
def test_one_year(tmp_path):
    rich_dataset()
    path = tmp_path / "2025.xlsx"
    out, _err = run(str(path), "--year", "2025", "--no-progress")
    assert codes(path, "Kegiatan") == ["K2025-00001", "K2025-00002", "K2025-00003"]
    assert out.splitlines()[-1] == f"17 rows written to {path}."


@pytest.mark.django_db
def test_an_existing_file_is_kept_unless_forced(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already; add --force"):
        run(str(path))
    assert path.read_bytes() == b"keep me"
    run(str(path), "--force", "--no-progress")
    assert load_workbook(path).sheetnames[0] == "Unit"


@pytest.mark.django_db
def test_bad_paths_and_years_are_refused(tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        run(str(tmp_path))
    with pytest.raises(CommandError, match="does not exist"):
        run(str(tmp_path / "missing" / "data.xlsx"))
    with pytest.raises(CommandError, match="outside 1990 to 2100"):
        run(str(tmp_path / "data.xlsx"), "--year", "1989")


@pytest.mark.django_db
def test_as_an_account(tmp_path, auditor, coordinator):
    path = tmp_path / "data.xlsx"
    run(str(path), "--user", auditor.username, "--no-progress")
    assert path.exists()
    refused = tmp_path / "refused.xlsx"
    with pytest.raises(CommandError, match="may not export"):
        run(str(refused), "--user", coordinator.username, "--no-progress")
    with pytest.raises(CommandError, match="no account named 'nobody'"):
        run(str(refused), "--user", "nobody")
    assert not refused.exists() and not list(tmp_path.glob(".*partial"))
