"""Issuing the LED: real DOCX and PDF files archived with their SHA-256, kept for the retention
period, and the LED pages' permissions and download headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.evaluations.tests.factories import EvaluationFactory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.models import IssuedReport
from simkerma.reports.services import led_issue

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def if_data(jurusan_if):
    agreement = AgreementFactory(
        number="001/MOU/2025", units=[jurusan_if], partners=[PartnerFactory(name="PT Alfa Teknologi")]
    )
    EvaluationFactory(agreement=agreement, year=2025, benefit=True, performance=True, kepuasan=4, keberlanjutan=True)
    ActivityFactory(
        code="K1",
        title="Kuliah tamu keamanan siber",
        agreement=agreement,
        status=ActivityStatus.TERLAKSANA,
        start_date=dt.date(2025, 3, 10),
    )
    return agreement


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """led_issue with the commit's callbacks run, so the staged files move into place."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return led_issue(**kwargs)

    return run


def docx_texts(path):
    document = docx.Document(path)
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_it_issues_the_led_as_docx_and_pdf_with_their_hashes(issue, media, if_data, jurusan_if, staff):
    issued = issue(unit=jurusan_if, year=2025, user=staff)
    issued.refresh_from_db()
    assert issued.kind == "led"
    assert issued.title == "LED FO.2.3.1 IF 2025"
    assert issued.params == {"unit": "IF", "year": 2025}
    assert issued.created_by == staff
    assert issued.retention_until == dt.date(2031, 3, 2)
    assert issued.docx.name.startswith("reports/") and issued.docx.name.endswith(".docx")
    assert issued.pdf.name.startswith("reports/") and issued.pdf.name.endswith(".pdf")
    docx_path, pdf_path = media / issued.docx.name, media / issued.pdf.name
    assert hashlib.sha256(docx_path.read_bytes()).hexdigest() == issued.docx_sha256
    assert hashlib.sha256(pdf_path.read_bytes()).hexdigest() == issued.pdf_sha256
    rows = docx_texts(docx_path)
    assert any(row[1:3] == ["001/MOU/2025", "MoU"] and "PT Alfa Teknologi" in row for row in rows)
    assert any("K1" in row and "Kuliah tamu keamanan siber" in row for row in rows)
    assert any("001/MOU/2025" in row and "4,00" in row for row in rows)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages).split())
    assert "001/MOU/2025" in text
    assert "Kuliah tamu keamanan siber" in text
    assert "format belum terverifikasi" in text
    staging = media / ".staging"
    assert not staging.exists() or not any(staging.iterdir())
    assert issued.history.first().history_change_reason == "issued and archived"


@pytest.mark.parametrize("role", ["coordinator", "pimpinan", "auditor"])
def test_only_the_team_issues_an_led(issue, media, jurusan_if, role, request):
    with pytest.raises(PermissionDenied):
        issue(unit=jurusan_if, year=2025, user=request.getfixturevalue(role))
    assert not IssuedReport.objects.exists()
    assert not any(media.rglob("*.pdf"))


def test_a_year_out_of_range_is_refused(issue, media, jurusan_if, kapokja):
    with pytest.raises(ValidationError) as error:
        issue(unit=jurusan_if, year=2201, user=kapokja)
    assert error.value.message_dict == {"year": ["Isi tahun antara 1900 dan 2200."]}


@override_settings(SIMKERMA_RETENTION_YEARS={"report": 5, "led": 7})
def test_the_retention_follows_the_setting(issue, media, jurusan_if, admin_user):
    assert issue(unit=jurusan_if, year=2025, user=admin_user).retention_until == dt.date(2033, 3, 2)


def test_an_issued_led_is_not_deleted_before_its_retention_date(issue, media, jurusan_if, staff):
    issued = issue(unit=jurusan_if, year=2025, user=staff)
    with pytest.raises(ValidationError) as error:
        issued.delete()
    assert error.value.code == "retained"
    assert "2 Maret 2031" in error.value.messages[0] or "March 2, 2031" in error.value.messages[0]
    assert IssuedReport.objects.filter(pk=issued.pk).exists()
    assert issued.deletion_refusal(on=dt.date(2031, 3, 1))
    assert issued.deletion_refusal(on=dt.date(2031, 3, 2)) == ""
    with time_machine.travel(dt.datetime(2031, 3, 2, 3, tzinfo=dt.UTC), tick=False):
        issued.delete()
    assert not IssuedReport.objects.filter(pk=issued.pk).exists()


# --- the pages ------------------------------------------------------------------------------------


def test_the_team_issues_an_led_from_the_page(
    django_capture_on_commit_callbacks, media, if_data, jurusan_if, client_for, staff
):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:led_issue"), {"unit": "IF", "year": "2025"})
    assert response.status_code == 302
    issued = IssuedReport.objects.get()
    assert (issued.unit, issued.year) == (jurusan_if, 2025)
    page = client.get(reverse("reports:led_list"))
    assert page.status_code == 200
    assert reverse("reports:led_download", args=[issued.pk, "pdf"]) in page.content.decode()
    assert "Terbitkan dan arsipkan LED" in page.content.decode()


def test_the_issue_form_refuses_a_bad_year_next_to_the_field(media, jurusan_if, client_for, staff):
    response = client_for(staff).post(reverse("reports:led_issue"), {"unit": "IF", "year": "99999"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == ["Isi tahun antara 1900 dan 2200."]
    assert not IssuedReport.objects.exists()


def test_a_coordinator_may_not_issue_and_sees_no_issue_button(media, jurusan_if, client_for, coordinator):
    client = client_for(coordinator)
    assert client.post(reverse("reports:led_issue"), {"unit": "IF", "year": "2025"}).status_code == 403
    assert "Terbitkan dan arsipkan LED" not in client.get(reverse("reports:led_list")).content.decode()


def test_anonymous_readers_are_sent_to_log_in(issue, client, media, jurusan_if, staff):
    issued = issue(unit=jurusan_if, year=2025, user=staff)
    for url in (reverse("reports:led_list"), reverse("reports:led_download", args=[issued.pk, "docx"])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    assert client.post(reverse("reports:led_issue"), {"unit": "IF", "year": "2025"}).status_code == 302


def test_the_download_is_a_private_attachment(issue, media, jurusan_if, client_for, staff, coordinator):
    issued = issue(unit=jurusan_if, year=2025, user=staff)
    response = client_for(coordinator).get(reverse("reports:led_download", args=[issued.pk, "pdf"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == issued.pdf_sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="led-IF-2025.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    docx_response = client_for(coordinator).get(reverse("reports:led_download", args=[issued.pk, "docx"]))
    assert docx.Document(io.BytesIO(b"".join(docx_response.streaming_content))).tables


def test_a_coordinator_of_another_unit_neither_sees_nor_downloads_it(
    issue, media, jurusan_if, client_for, staff, other_coordinator
):
    issued = issue(unit=jurusan_if, year=2025, user=staff)
    client = client_for(other_coordinator)
    assert client.get(reverse("reports:led_download", args=[issued.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:led_download", args=[issued.pk, "exe"])).status_code == 404
    assert (
        reverse("reports:led_download", args=[issued.pk, "pdf"])
        not in client.get(reverse("reports:led_list")).content.decode()
    )


def test_an_account_without_a_role_is_refused(media, client_for, outsider):
    assert client_for(outsider).get(reverse("reports:led_list")).status_code == 403


def test_the_list_costs_the_same_queries_for_few_and_many(
    issue, media, jurusan_if, jurusan_mb, client_for, staff, django_assert_num_queries
):
    client = client_for(staff)
    issue(unit=jurusan_if, year=2025, user=staff)
    client.get(reverse("reports:led_list"))  # the session and the user, cached once
    with django_assert_num_queries(7) as few:
        assert client.get(reverse("reports:led_list")).status_code == 200
    for unit, year in ((jurusan_mb, 2025), (jurusan_if, 2024), (jurusan_mb, 2024)):
        issue(unit=unit, year=year, user=staff)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reports:led_list"))
    assert len(response.context["page_obj"]) == 4


def test_the_reports_page_previews_and_downloads_the_led_of_a_coordinators_unit(
    if_data, jurusan_if, jurusan_mb, client_for, coordinator
):
    client = client_for(coordinator)
    page = client.get(reverse("reports:detail", args=["led"]), {"unit": jurusan_if.pk, "year": 2025})
    assert page.status_code == 200
    assert "001/MOU/2025" in page.content.decode()
    assert reverse("reports:led_list") in page.content.decode()
    response = client.get(reverse("reports:download", args=["led", "docx"]), {"unit": jurusan_if.pk, "year": 2025})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="led-IF-2025.docx"'
    rows = docx_texts(io.BytesIO(b"".join(response.streaming_content)))
    assert any("K1" in row and "Kuliah tamu keamanan siber" in row for row in rows)
    other = client.get(reverse("reports:detail", args=["led"]), {"unit": jurusan_mb.pk, "year": 2025})
    assert other.status_code in (400, 403, 404)
