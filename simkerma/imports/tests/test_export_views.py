"""The export page, the workbook download and the blank template download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from simkerma.imports import format as fmt
from simkerma.imports.template import INSTRUCTIONS_SHEET
from simkerma.imports.tests.test_export import rich_dataset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_the_page_offers_everything_or_one_year_and_the_template(client_for, staff):
    response = client_for(staff).get(reverse("imports:export"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="export-form"' in page and 'name="year"' in page
    assert reverse("imports:template_download") in page
    # The team imports as well: the import page is one click away, and it links here.
    assert f'id="export-import" href="{reverse("imports:import")}"' in page
    import_page = client_for(staff).get(reverse("imports:import")).content.decode()
    assert f'href="{reverse("imports:export")}"' in import_page


@pytest.mark.django_db
def test_readers_see_no_import_link(client_for, auditor):
    page = client_for(auditor).get(reverse("imports:export")).content.decode()
    assert 'id="export-form"' in page and 'id="export-import"' not in page


@pytest.mark.django_db
def test_everything_downloads_as_an_attachment_not_cached(client_for, auditor):
    rich_dataset()
    response = client_for(auditor).get(reverse("imports:export_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="simkerma-data-semua-{today}.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == [sheet.name for sheet in fmt.SHEETS]
    assert workbook["Kegiatan"].max_row == 5


@pytest.mark.django_db
def test_one_year(client_for, pimpinan):
    rich_dataset()
    response = client_for(pimpinan).get(reverse("imports:export_download"), {"year": "2025"})
    assert response.status_code == 200
    assert "simkerma-data-2025-" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(body(response)))
    codes = [row[0] for row in workbook["Kegiatan"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["K2025-00001", "K2025-00002", "K2025-00003"]


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1989", "2101", "dua ribu"])
def test_a_bad_year_shows_the_form_again(client_for, staff, year):
    response = client_for(staff).get(reverse("imports:export_download"), {"year": year})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["imports:export", "imports:export_download"])
def test_unit_roles_and_accounts_without_a_role_are_refused(client_for, coordinator, p3m_user, outsider, name):
    for user in (coordinator, p3m_user, outsider):
        assert client_for(user).get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("imports:export_download"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_blank_template_downloads(client_for, coordinator):
    response = client_for(coordinator).get(reverse("imports:template_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="simkerma-templat-impor.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames[0] == INSTRUCTIONS_SHEET


@pytest.mark.django_db
def test_the_template_needs_a_role(client_for, outsider):
    assert client_for(outsider).get(reverse("imports:template_download")).status_code == 403


@pytest.mark.django_db
def test_the_navigation_names_import_for_the_team_and_export_for_readers(client_for, kapokja, auditor, coordinator):
    export_link = f'href="{reverse("imports:export")}">Ekspor<'
    import_link = f'href="{reverse("imports:import")}">Impor & ekspor<'
    team = client_for(kapokja).get(reverse("home")).content.decode()
    assert import_link in team and export_link not in team
    assert export_link in client_for(auditor).get(reverse("home")).content.decode()
    unit = client_for(coordinator).get(reverse("home")).content.decode()
    assert export_link not in unit and import_link not in unit


@pytest.mark.django_db
def test_the_page_speaks_indonesian(client_for, staff):
    page = client_for(staff).get(reverse("imports:export"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Ekspor buku kerja data" in page
    assert "Satu buku kerja Excel dengan lembar Unit" in page
    assert "Untuk satu tahun: semua unit dan program studi" in page
    assert "Lembar yang sama, hanya dengan baris judul kolomnya" in page
    assert "Kosongkan untuk mengekspor semua data." in page
    assert ">Impor & ekspor<" in page
