"""The service-time report names its clocks and its period column in words, on the page and in XLSX."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from simkerma.servicedesk.models import Breach, ClockName
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)


@pytest.fixture
def late_request(staff):
    late = ServiceRequestFactory(received_at=wib(2026, 3, 3, 9, 0), responded_at=wib(2026, 3, 3, 9, 20))
    Breach.objects.create(
        request=late, clock=ClockName.RESPONSE, deadline=late.response_due_at, detected_at=wib(2026, 3, 3, 9, 20)
    )
    return late


@time_machine.travel(NOW, tick=False)
def test_it_names_the_breached_clock_by_its_label_in_the_breach_list(client_for, pimpinan, late_request):
    page = client_for(pimpinan).get(reverse("servicedesk:report"), {"year": 2026}).content.decode()

    breaches = page[page.index('id="report-breaches"') :]
    assert re.search(r'<td data-clock="response_15m">Tanggapan pertama \(15 menit kerja\)</td>', breaches)
    assert ">response_15m<" not in breaches


@time_machine.travel(NOW, tick=False)
def test_it_labels_the_xlsx_period_column_as_a_period_and_names_clocks_in_words(client_for, auditor, late_request):
    response = client_for(auditor).get(reverse("reports:download", args=["service_time", "xlsx"]), {"year": 2026})
    compliance, breaches = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets

    # Headings on row 5, the first record on row 6.
    assert compliance["A5"].value == "Periode"
    assert compliance["A6"].value == "2026"
    assert breaches["C6"].value == "Tanggapan pertama (15 menit kerja)"
