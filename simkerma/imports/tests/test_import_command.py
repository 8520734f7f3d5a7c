"""`manage.py import_workbook`: counts per sheet, every problem at its place, exit status 0 or 1."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import Activity
from simkerma.imports.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_workbook", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_import_prints_the_counts_per_sheet(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(files.full_workbook(activities=2))

    out, err = command(str(path))

    assert "Unit: 2 created, 0 updated, 0 unchanged" in out
    assert "Kegiatan: 2 created, 0 updated, 0 unchanged" in out
    assert "The workbook was imported." in out
    assert err == ""
    assert Activity.objects.count() == 2
    assert Activity.history.first().history_user is None

    out, _err = command(str(path))
    assert "Kegiatan: 0 created, 0 updated, 2 unchanged" in out


def test_a_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(files.full_workbook())

    out, _err = command(str(path), "--dry-run")

    assert "Kegiatan: 1 created" in out and "nothing was saved" in out
    assert not Activity.objects.exists()


def test_a_refused_workbook_prints_every_problem_and_exits_with_1(tmp_path):
    path = tmp_path / "bad.xlsx"
    rows = [files.activity_row(status="selesai"), files.activity_row(kode="K2", dokumen_nomor="NOPE")]
    path.write_bytes(files.workbook_bytes({**files.full_sheets(), "Kegiatan": files.rows_as_dicts("Kegiatan", rows)}))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_workbook", str(path), "--no-progress", stdout=out, stderr=err)

    assert refused.value.returncode == 1
    assert "2 problems" in str(refused.value)
    assert "Kegiatan, row 2, column status: “selesai” is not one of the allowed values" in err.getvalue()
    assert "Kegiatan, row 3, column dokumen_nomor: dokumen_nomor NOPE is not in sheet Dokumen" in err.getvalue()
    assert not Activity.objects.exists()


def test_a_file_of_the_wrong_kind_exits_with_1(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(files.csv_as_xlsx())
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_workbook", str(path), "--no-progress", stdout=io.StringIO(), stderr=err)

    assert refused.value.returncode == 1
    assert "The file: This file is not an Excel workbook (.xlsx)." in err.getvalue()


def test_a_missing_file_exits_with_1(tmp_path):
    with pytest.raises(CommandError) as refused:
        command(str(tmp_path / "none.xlsx"))
    assert refused.value.returncode == 1


def test_user_must_be_of_the_team(tmp_path, jurusan_if):
    path = tmp_path / "data.xlsx"
    path.write_bytes(files.full_workbook())
    UserFactory(username="koor", role=Role.KOORDINATOR, unit=jurusan_if)
    staff = UserFactory(username="staf2", role=Role.STAF)

    with pytest.raises(CommandError, match="may not import") as refused:
        command(str(path), "--user", "koor")
    assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="no account"):
        command(str(path), "--user", "nobody")

    command(str(path), "--user", "staf2")
    assert Activity.history.get().history_user == staff


def test_the_progress_bar_is_written_to_stderr(tmp_path, monkeypatch):
    path = tmp_path / "data.xlsx"
    path.write_bytes(files.full_workbook())
    err = io.StringIO()
    monkeypatch.setattr(err, "isatty", lambda: True, raising=False)

    from simkerma.imports.management.commands import import_workbook

    bar = import_workbook.StageBar(err, disable=False)
    from simkerma.imports.services import workbook_import

    workbook_import(file=path, user=None, progress=bar)
    bar.close()

    assert "read" in err.getvalue() and "write" in err.getvalue()
