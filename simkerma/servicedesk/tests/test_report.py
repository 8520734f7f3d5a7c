"""The service-time report on screen and as an XLSX workbook."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from simkerma.servicedesk.models import Breach, ClockName, RequestKind
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)


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


@time_machine.travel(NOW, tick=False)
def test_the_report_downloads_as_xlsx(client_for, auditor, requests_2026):
    response = client_for(auditor).get(reverse("servicedesk:report_xlsx"), {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    compliance, breaches = workbook.worksheets
    rows = list(compliance.iter_rows(min_row=2, values_only=True))
    year_rows = {row[2]: row for row in rows if row[0] == "2026"}
    assert year_rows["response_15m"][3:] == (1, 1, 0, 50.0)
    assert year_rows["draft_1d"][3:] == (1, 0, 0, 100.0)
    assert year_rows["followup_1d"][3:] == (0, 0, 0, None)
    march = {row[2]: row for row in rows if row[0] == "2026-03"}
    assert march["response_15m"][3:6] == (1, 1, 0)
    assert len(rows) == 3 + 36
    breach_rows = list(breaches.iter_rows(min_row=2, values_only=True))
    assert len(breach_rows) == 1
    code, _subject, _clock, deadline, done, _detected, reason, reason_by = breach_rows[0]
    assert code == requests_2026[1].code and reason == "Listrik padam"
    assert deadline == dt.datetime(2026, 3, 3, 9, 15) and done == dt.datetime(2026, 3, 3, 9, 20)
    assert reason_by


def test_a_bad_year_is_refused(client_for, staff):
    response = client_for(staff).get(reverse("servicedesk:report"), {"year": "abc"})
    assert response.status_code == 400 and "year" in response.context["form"].errors
