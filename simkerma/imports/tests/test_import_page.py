"""The web import page: who may use it, the upload, the preview, "Simpan", the job page and its file."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.imports import jobs
from simkerma.imports.models import ImportJob
from simkerma.imports.results import Warning
from simkerma.imports.tests.test_jobs import BAD_PRODI, GOOD_PRODI, workbook, xlsx
from simkerma.org.models import Prodi, Unit
from simkerma.partners.tests.factories import PartnerFactory

# Each test has its own MEDIA_ROOT, so it sees only the files (staged or stored) it made itself.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

S = ImportJob.Status
PAGE = "/impor/"


@pytest.fixture
def staff():
    return UserFactory(username="staf", role=Role.STAF)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def upload(client, data: bytes, name: str = "data.xlsx"):
    return client.post(PAGE, {"file": xlsx(data, name)})


def test_reverse_names():
    assert reverse("imports:import") == PAGE
    assert reverse("imports:job", args=[7]) == "/impor/7/"


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.P3M, Role.PIMPINAN, Role.AUDITOR])
def test_everyone_outside_the_team_is_refused(client, role, staff):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))
    client.force_login(UserFactory(role=role))
    for url in (PAGE, f"/impor/{job.pk}/", f"/impor/{job.pk}/status/", f"/impor/{job.pk}/berkas/"):
        assert client.get(url).status_code == 403
    assert upload(client, workbook()).status_code == 403
    assert client.post(f"/impor/{job.pk}/simpan/").status_code == 403
    assert ImportJob.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize("role", [Role.STAF, Role.KAPOKJA, Role.ADMIN])
def test_the_team_sees_the_page_with_the_template_and_export_links(client, role):
    client.force_login(UserFactory(role=role))
    html = client.get(PAGE).content.decode()
    assert 'name="file"' in html and 'enctype="multipart/form-data"' in html
    assert f'href="{reverse("imports:template_download")}"' in html
    assert f'href="{reverse("imports:export")}"' in html


def test_the_navigation_links_the_page_for_the_team_only(client, staff):
    client.force_login(staff)
    assert f'href="{PAGE}"' in client.get("/").content.decode()
    client.force_login(UserFactory(role=Role.PIMPINAN))
    assert f'href="{PAGE}"' not in client.get("/").content.decode()


def test_a_file_of_the_wrong_kind_is_refused_at_the_field_and_nothing_is_saved(staff_client):
    response = staff_client.post(PAGE, {"file": xlsx(b"kode;nama\nIF;Informatika\n", "data.csv")})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<p class="error" id="id_file_error">[^<]*\(.xlsx\)', html)
    assert not ImportJob.objects.exists()

    response = staff_client.post(PAGE, {})
    assert 'id="id_file_error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_preview_shows_the_counts_per_sheet_and_offers_simpan(staff_client):
    response = upload(staff_client, workbook(prodi=GOOD_PRODI), "kerjasama 2025.xlsx")

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{job.pk}/"
    html = staff_client.get(response["Location"]).content.decode()
    assert "kerjasama 2025.xlsx" in html
    rows = re.findall(
        r'<tr data-sheet="(\w+)"><td>\w+</td><td class="created">(\d+)</td><td class="updated">(\d+)</td>'
        r'<td class="unchanged">(\d+)</td></tr>',
        html,
    )
    assert rows == [("Unit", "1", "0", "0"), ("Prodi", "1", "0", "0")]
    assert 'id="import-confirm"' in html
    assert 'hx-trigger="every 1s"' not in html  # nothing is running
    assert not Unit.objects.exists()


def test_the_preview_lists_every_problem_by_sheet_row_and_column_and_refuses_simpan(staff_client):
    upload(staff_client, workbook(units=(("IF", "", "jurusan"),), prodi=BAD_PRODI))
    job = ImportJob.objects.get()
    assert job.status == S.REJECTED
    html = staff_client.get(f"/impor/{job.pk}/").content.decode()

    tables = dict(re.findall(r'<table class="import-problems" data-sheet="(\w*)">(.*?)</table>', html, re.S))
    assert set(tables) == {"Unit", "Prodi"}
    cells = {
        sheet: re.findall(r'<td class="row">(\d+)</td><td class="column">(\w+)</td><td class="message">', body)
        for sheet, body in tables.items()
    }
    assert ("2", "nama") in cells["Unit"]
    assert {("3", "jenjang"), ("4", "unit_kode")} <= set(cells["Prodi"])
    assert len(job.checked.problems) == sum(len(found) for found in cells.values())
    assert 'id="import-confirm"' not in html

    response = staff_client.post(f"/impor/{job.pk}/simpan/")
    assert response.status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == S.REJECTED
    assert not Unit.objects.exists() and not Prodi.objects.exists()


def test_warnings_are_shown_with_their_links_into_the_site_only(staff_client, staff):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))
    result = job.checked
    result.warnings = [
        Warning("Mitra", 2, "nama", "Very like PT Contoh", link="/mitra/4/"),
        Warning("Mitra", 3, "nama", "Very like PT Lain", link="javascript:alert(1)"),
        Warning("Mitra", 4, "nama", "Very like PT Jauh", link="//evil.example/"),
    ]
    ImportJob.objects.filter(pk=job.pk).update(check_result=result.to_json())

    html = staff_client.get(f"/impor/{job.pk}/").content.decode()
    warnings = re.search(r'<ul id="import-warnings">(.*?)</ul>', html, re.S).group(1)
    assert "Very like PT Contoh" in warnings and 'href="/mitra/4/"' in warnings
    assert "Very like PT Lain" in warnings and "Very like PT Jauh" in warnings
    assert "javascript:" not in warnings and "evil.example" not in warnings


def test_simpan_imports_and_the_summary_and_the_record_show_it(staff_client, staff):
    upload(staff_client, workbook(prodi=GOOD_PRODI), "kerjasama.xlsx")
    job = ImportJob.objects.get()

    response = staff_client.post(f"/impor/{job.pk}/simpan/", follow=True)

    job.refresh_from_db()
    assert job.status == S.DONE and job.confirmed_by == staff
    assert Unit.objects.filter(code="IF").exists() and Prodi.objects.filter(code="IF01").exists()
    html = response.content.decode()
    assert 'data-status="done"' in html
    assert '<td class="created">1</td>' in html
    assert 'id="import-confirm"' not in html

    listing = staff_client.get(PAGE).content.decode()
    row = re.search(rf'<tr id="import-job-{job.pk}">(.*?)</tr>', listing, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert staff.display_name in cells[1] and cells[2] == "kerjasama.xlsx"
    assert cells[4:] == ["2", "0", "0"]


def test_a_large_file_waits_for_the_worker_and_its_page_polls_the_progress(staff_client, staff, settings):
    settings.SIMKERMA_IMPORT_INLINE_MAX_BYTES = 0
    upload(staff_client, workbook(prodi=GOOD_PRODI))
    job = ImportJob.objects.get()
    assert job.status == S.UPLOADED

    html = staff_client.get(f"/impor/{job.pk}/").content.decode()
    assert f'hx-get="/impor/{job.pk}/status/" hx-trigger="every 1s"' in html

    claimed = jobs.job_claim(job.pk, worker="worker-1")
    writer = jobs.ProgressWriter(job.pk)
    writer("check", 30, 120)
    fragment = staff_client.get(f"/impor/{job.pk}/status/").content.decode()
    assert fragment.startswith('<div id="import-job"') and "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert '<span id="import-done">30</span> / <span id="import-total">120</span>' in fragment
    assert '<progress max="100" value="25"' in fragment

    jobs.job_run(claimed)
    fragment = staff_client.get(f"/impor/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' not in fragment  # polling ends with the summary
    assert 'id="import-confirm"' in fragment


def test_the_page_and_its_fragment_take_as_many_queries_for_many_problems_as_for_few(
    staff_client, staff, django_assert_num_queries
):
    few = jobs.import_job_upload(user=staff, upload=xlsx(workbook(prodi=BAD_PRODI)))
    many_rows = [(f"X{n:03}", f"Prodi {n}", "D9", "ZZ") for n in range(60)]
    many = jobs.import_job_upload(user=staff, upload=xlsx(workbook(prodi=many_rows)))
    assert len(many.checked.problems) >= 100 > len(few.checked.problems)
    # The session, the user and the job with who uploaded it; the whole page adds its navigation's two.
    for url, count in (("/impor/{}/", 5), ("/impor/{}/status/", 3)):
        with django_assert_num_queries(count):
            staff_client.get(url.format(few.pk))
        with django_assert_num_queries(count):
            staff_client.get(url.format(many.pk))


def test_the_uploaded_file_is_served_to_the_team_as_an_attachment(staff_client, staff):
    data = workbook()
    job = jobs.import_job_upload(user=staff, upload=xlsx(data, 'data "2025".xlsx'))

    response = staff_client.get(f"/impor/{job.pk}/berkas/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert staff_client.get("/impor/999999/berkas/").status_code == 404


def test_a_near_duplicate_partner_is_shown_with_a_link_to_it(staff_client):
    existing = PartnerFactory(code="M0001", name="PT Galangan Kapal Nusantara")
    book = Workbook()
    sheet = book.active
    sheet.title = "Mitra"
    sheet.append(["kode", "nama", "jenis", "negara"])
    sheet.append(["M0002", "PT Galangan Kapal Nusantara Tbk", "industri", "ID"])
    stream = io.BytesIO()
    book.save(stream)

    upload(staff_client, stream.getvalue())
    job = ImportJob.objects.get()
    assert job.status == S.CHECKED
    html = staff_client.get(f"/impor/{job.pk}/").content.decode()
    warnings = re.search(r'<ul id="import-warnings">(.*?)</ul>', html, re.S).group(1)
    assert "M0001" in warnings and f'href="{existing.get_absolute_url()}"' in warnings


def test_the_record_of_imports_takes_as_many_queries_for_many_jobs_as_for_few(
    staff_client, staff, django_assert_num_queries
):
    data = workbook()
    jobs.import_job_upload(user=staff, upload=xlsx(data))
    staff_client.get(PAGE)
    with django_assert_num_queries(5):  # the session, the user, the navigation's two, the jobs with their users
        html = staff_client.get(PAGE).content.decode()
    assert html.count('<tr id="import-job-') == 1
    for n in range(6):
        jobs.import_job_upload(user=UserFactory(role=Role.KAPOKJA), upload=xlsx(data, f"data-{n}.xlsx"))
    with django_assert_num_queries(5):
        html = staff_client.get(PAGE).content.decode()
    assert html.count('<tr id="import-job-') == 7


def test_the_administrator_reads_the_record_in_the_admin_and_cannot_change_it(client, staff):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook(), "kerjasama.xlsx"))
    client.force_login(UserFactory(role=Role.ADMIN))
    listing = client.get("/admin/imports/importjob/")
    assert listing.status_code == 200 and "kerjasama.xlsx" in listing.content.decode()
    detail = client.get(f"/admin/imports/importjob/{job.pk}/change/")
    assert detail.status_code == 200 and job.sha256 in detail.content.decode()
    assert client.post(f"/admin/imports/importjob/{job.pk}/change/", {"status": "done"}).status_code == 403
    assert client.get("/admin/imports/importjob/add/").status_code == 403
    assert ImportJob.objects.get(pk=job.pk).status == S.CHECKED
