"""The import flow in a real browser: Staf Kerjasama uploads a workbook with a bad row and sees the
problem at its sheet, row and column; uploads the corrected workbook, sees what it would create,
confirms with Simpan, and follows the import as the worker runs it, through a reload, to the summary.

The files are real .xlsx workbooks written by openpyxl. Every file goes to the worker here (the
inline size is 0); the test runs the worker's runner itself between page actions, in this process,
which shares the live server's database. Elements are found by id, never by visible text.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.imports import jobs
from simkerma.imports.models import ImportJob
from simkerma.org.models import Prodi, Unit

PASSWORD = "correct-horse-battery-42"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(prodi_level: str) -> bytes:
    book = Workbook()
    units = book.active
    units.title = "Unit"
    units.append(["kode", "nama", "jenis"])
    units.append(["IF", "Jurusan Teknik Informatika", "jurusan"])
    units.append(["MB", "Jurusan Manajemen Bisnis", "jurusan"])
    prodi = book.create_sheet("Prodi")
    prodi.append(["kode", "nama", "jenjang", "unit_kode"])
    prodi.append(["IF01", "Teknologi Rekayasa Perangkat Lunak", "D4", "IF"])
    prodi.append(["MB01", "Akuntansi Manajerial", prodi_level, "MB"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def upload(page: Page, name: str, data: bytes) -> ImportJob:
    page.goto("/impor/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    page.click("#import-check")
    expect(page).to_have_url(re.compile(r"/impor/\d+/$"))
    return ImportJob.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def cell(page: Page, sheet: str, kind: str):
    return page.locator(f'#import-counts tr[data-sheet="{sheet}"] td.{kind}')


@pytest.mark.e2e
def test_a_workbook_is_checked_confirmed_and_imported_with_its_progress(page: Page, transactional_db, settings):
    settings.SIMKERMA_IMPORT_INLINE_MAX_BYTES = 0
    UserFactory(username="staf", role=Role.STAF)
    log_in(page, "staf")

    # A bad row: the check lists it at its sheet, row and column, and offers no Simpan.
    bad = upload(page, "kerjasama-salah.xlsx", workbook(prodi_level="D9"))
    expect(page.locator("#import-job")).to_have_attribute("data-status", "uploaded")
    assert jobs.run_next_import_job("e2e-worker")
    expect(page.locator("#import-job")).to_have_attribute("data-status", "rejected")  # the poll saw it
    problem = page.locator('table.import-problems[data-sheet="Prodi"] tbody tr')
    expect(problem).to_have_count(1)
    expect(problem.locator("td.row")).to_have_text("3")
    expect(problem.locator("td.column")).to_have_text("jenjang")
    expect(page.locator("#import-confirm")).to_have_count(0)
    assert ImportJob.objects.get(pk=bad.pk).status == ImportJob.Status.REJECTED

    # The corrected workbook: what it would create, then Simpan.
    good = upload(page, "kerjasama.xlsx", workbook(prodi_level="D3"))
    assert jobs.run_next_import_job("e2e-worker")
    expect(page.locator("#import-job")).to_have_attribute("data-status", "checked")
    expect(cell(page, "Unit", "created")).to_have_text("2")
    expect(cell(page, "Prodi", "created")).to_have_text("2")
    assert not Unit.objects.exists()
    page.click("#import-confirm")
    expect(page.locator("#import-job")).to_have_attribute("data-status", "queued")

    # The worker has it: the page shows its progress, after a reload too.
    claimed = jobs.job_claim(good.pk, worker="e2e-worker")
    jobs.ProgressWriter(good.pk)("check", 2, 4)
    page.reload()
    expect(page.locator("#import-job")).to_have_attribute("data-status", "importing")
    expect(page.locator("#import-done")).to_have_text("2")
    expect(page.locator("#import-total")).to_have_text("4")
    expect(page.locator("#import-progress progress")).to_have_attribute("value", "50")

    jobs.job_run(claimed)
    expect(page.locator("#import-job")).to_have_attribute("data-status", "done")  # the poll brings the summary
    expect(page.locator("#import-progress")).to_have_count(0)
    expect(cell(page, "Prodi", "created")).to_have_text("2")
    page.reload()
    expect(page.locator("#import-job")).to_have_attribute("data-status", "done")
    assert set(Unit.objects.values_list("code", flat=True)) == {"IF", "MB"}
    assert Prodi.objects.get(code="MB01").level == "D3"

    # The record lists both uploads, newest first.
    page.goto("/impor/")
    expect(page.locator("#import-jobs tbody tr")).to_have_count(2)
    expect(page.locator(f"#import-job-{good.pk} td").nth(2)).to_have_text("kerjasama.xlsx")
    expect(page.locator(f"#import-job-{good.pk} td").nth(4)).to_have_text("4")
