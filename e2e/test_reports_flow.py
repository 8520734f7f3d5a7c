"""The official reports in a real browser: the coordinator of a prodi opens Laporan resmi, picks the
IAPS 4.0 tables for the prodi and TS, sees the activity's partner in the preview and downloads the
workbook, which holds the same row. Elements are found by id, never by visible text."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field, Level
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.tests.factories import PartnerFactory

PASSWORD = "correct-horse-battery-42"
TS = 2025


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_previews_and_downloads_the_iaps4_tables(page: Page):
    jurusan = UnitFactory(code="IF", name="Teknik Informatika")
    prodi = ProdiFactory(code="IF01", name="Teknologi Rekayasa Perangkat Lunak", level="D4", unit=jurusan)
    ProdiFactory(code="IF02", name="Teknik Informatika", level="D3", unit=jurusan)
    UserFactory(username="koord.if", role=Role.KOORDINATOR, unit=jurusan, prodi=prodi)
    agreement = AgreementFactory(
        level=Level.INTERNASIONAL,
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2028, 12, 31),
        partners=[PartnerFactory(name="Batam Shipyard Ltd")],
        prodi=[prodi],
    )
    ActivityFactory(
        agreement=agreement,
        status="terlaksana",
        field=Field.PENDIDIKAN,
        code="K-E2E",
        title="Magang industri kapal",
        start_date=dt.date(2025, 2, 10),
        end_date=dt.date(2025, 2, 14),
        evidence="https://bukti.example.id/magang",
    )

    log_in(page, "koord.if")
    page.locator("#nav-official-reports").click()
    expect(page).to_have_url(re.compile(r"/laporan/$"))
    page.locator("#report-lkps_iaps4 a").click()
    page.select_option("#id_prodi", str(prodi.pk))
    page.fill("#id_year", str(TS))
    page.locator("#report-show").click()

    table = page.locator("table[data-table='Tabel 1-1']")
    expect(table).to_be_visible()
    first = table.locator("tbody tr").first
    expect(first).to_contain_text("Batam Shipyard Ltd")
    expect(first).to_contain_text("Magang industri kapal")
    expect(table.locator("thead")).to_contain_text("Tingkat")

    with page.expect_download() as waiting:
        page.locator("#download-xlsx").click()
    download = waiting.value
    assert download.suggested_filename == f"lkps_iaps4-IF01-{TS}.xlsx"
    with open(download.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert workbook.sheetnames == ["Tabel 1-1", "Tabel 1-2", "Tabel 1-3"]
    sheet = workbook["Tabel 1-1"]
    assert sheet["B5"].value == "Lembaga Mitra" and sheet["C4"].value == "Tingkat"
    assert [sheet.cell(6, column).value for column in range(1, 6)] == [1, "Batam Shipyard Ltd", "V", None, None]
    assert sheet["F6"].value == "Magang industri kapal"
    assert sheet.max_row == 6
    assert workbook["Tabel 1-2"].max_row == 5  # headings only: no research activity
