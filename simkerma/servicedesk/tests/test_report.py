"""The service-time report on screen, and as the workbook the official reports write (service_time)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from simkerma.servicedesk.models import Breach, ClockName, RequestKind
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)
HEADER_ROW = 5  # the official reports' sheets: title, period, notices, groups, then the headings
XLSX = ("reports:download", ["service_time", "xlsx"])


def workbook_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def download(client, **params):
    return client.get(reverse(XLSX[0], args=XLSX[1]), params)


@pytest.fixture
def requests_2026(staff):
    on_time = ServiceRequestFactory(received_at=wib(2026, 3, 2, 9, 0), responded_at=wib(2026, 3, 2, 9, 10))
    late = ServiceRequestFactory(
        kind=RequestKind.NEW_DRAFT,
        document_kind="mou",
        received_at=wib(2026, 3, 3, 9, 0),
        responded_at=wib(2026, 3, 3, 9, 20),
        draft_sent_at=wib(2026, 3, 4, 8, 0),
    )
    Breach.objects.create(
        request=late,
        clock=ClockName.RESPONSE,
        deadline=late.response_due_at,
        detected_at=wib(2026, 3, 3, 9, 20),
        reason="Listrik padam",
        reason_by=staff,
    )
    return on_time, late


@time_machine.travel(NOW, tick=False)
def test_the_report_page_shows_compliance_per_year_and_month_with_breaches(client_for, pimpinan, requests_2026):
    page = client_for(pimpinan).get(reverse("servicedesk:report"), {"year": 2026})
    report = page.context["report"]
    totals = {row.clock: row for row in report.totals}
    assert (totals["response_15m"].met, totals["response_15m"].breached, totals["response_15m"].percent) == (
        1,
        1,
        Decimal("50.00"),
    )
    assert (totals["draft_1d"].met, totals["draft_1d"].percent) == (1, Decimal("100.00"))
    assert totals["followup_1d"].percent is None
    march = {row.clock: row for row in report.months if row.period == "2026-03"}
    assert march["response_15m"].breached == 1 and len(report.months) == 36
    assert [(b.code, b.reason) for b in report.breaches] == [(requests_2026[1].code, "Listrik padam")]
    month = client_for(pimpinan).get(reverse("servicedesk:report"), {"year": 2026, "month": 4}).context["report"]
    assert all(row.met == row.breached == 0 for row in month.totals) and month.breaches == []
    download_url = reverse("reports:download", args=["service_time", "xlsx"])
    assert f'href="{download_url}?year=2026"' in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_report_downloads_as_xlsx(client_for, auditor, requests_2026):
    response = download(client_for(auditor), year=2026)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="waktu-layanan-2026.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    compliance, breaches = workbook_of(response).worksheets
    assert (compliance.title, breaches.title) == ("Kepatuhan", "Pelanggaran")
    rows = list(compliance.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    year_rows = {row[2]: row for row in rows if row[0] == "2026"}
    assert year_rows["response_15m"][3:] == (1, 1, 0, 50.0)
    assert year_rows["draft_1d"][3:] == (1, 0, 0, 100.0)
    assert year_rows["followup_1d"][3:] == (0, 0, 0, None)
    march = {row[2]: row for row in rows if row[0] == "2026-03"}
    assert march["response_15m"][3:6] == (1, 1, 0)
    assert len(rows) == 3 + 36
    breach_rows = list(breaches.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(breach_rows) == 1
    code, _subject, _clock, deadline, done, _detected, reason, reason_by = breach_rows[0]
    assert code == requests_2026[1].code and reason == "Listrik padam"
    assert deadline == dt.datetime(2026, 3, 3, 9, 15) and done == dt.datetime(2026, 3, 3, 9, 20)
    assert breaches.cell(HEADER_ROW + 1, 4).number_format == "yyyy-mm-dd hh:mm"
    assert reason_by


@time_machine.travel(NOW, tick=False)
def test_one_month_downloads_with_its_period(client_for, staff, requests_2026):
    response = download(client_for(staff), year=2026, month=3)
    assert response["Content-Disposition"] == 'attachment; filename="waktu-layanan-2026-03.xlsx"'
    compliance, breaches = workbook_of(response).worksheets
    rows = list(compliance.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert {row[0] for row in rows} == {"2026-03"} and len(rows) == 3
    assert breaches.max_row == HEADER_ROW + 1


@time_machine.travel(NOW, tick=False)
def test_the_old_workbook_address_leads_to_the_official_report(client_for, coordinator, requests_2026):
    client = client_for(coordinator)  # every role reads the service-time report
    response = client.get(reverse("servicedesk:report_xlsx"), {"year": 2026, "month": 3})
    target = reverse("reports:download", args=["service_time", "xlsx"])
    assert response.status_code == 302 and response["Location"] == f"{target}?year=2026&month=3"
    followed = client.get(reverse("servicedesk:report_xlsx"), follow=True)
    assert followed.status_code == 200
    assert followed["Content-Disposition"] == 'attachment; filename="waktu-layanan-2026.xlsx"'


def test_a_bad_year_is_refused(client_for, staff):
    response = client_for(staff).get(reverse("servicedesk:report"), {"year": "abc"})
    assert response.status_code == 400 and "year" in response.context["form"].errors
    assert download(client_for(staff), year="abc").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_the_report_prints_as_pdf_with_its_breaches(client_for, coordinator, requests_2026):
    response = client_for(coordinator).get(reverse("reports:download", args=["service_time", "pdf"]), {"year": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="waktu-layanan-2026.pdf"'
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Laporan waktu layanan" in text and "Kepatuhan. Kepatuhan waktu layanan" in text
    assert requests_2026[1].code in text and "Listrik padam" in text and "03/03/2026 09:15" in text
