"""Pages derive lateness from the request's own deadlines, whether or not the worker has run."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from simkerma.servicedesk.models import Breach, ClockName, RequestKind
from simkerma.servicedesk.reports import service_time_report
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db


def test_it_shows_a_late_request_as_late_before_and_after_the_worker(client, staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou", received_at=wib(2026, 11, 23, 9))
    client.force_login(staff)
    with time_machine.travel(wib(2026, 11, 23, 10, 0), tick=False):
        assert not Breach.objects.exists()
        page = client.get(reverse("servicedesk:detail", args=[request.pk])).content.decode()
        assert 'data-clock="response_15m"' in page
        assert "No service time was breached." not in page and "Tidak ada waktu layanan" not in page
        report = service_time_report(2026, 11)
        response_total = next(row for row in report.totals if row.clock == ClockName.RESPONSE)
        listed = [b for b in report.breaches if b.clock == ClockName.RESPONSE]
        assert response_total.breached == len(listed) == 1
        assert listed[0].code == request.code and listed[0].breach_pk is None and listed[0].reason == ""
        assert sum(row.breached for row in report.totals) == len(report.breaches)

        call_command("simkerma_worker", stdout=open("/dev/null", "w"))  # noqa: SIM115
        report = service_time_report(2026, 11)
        assert sum(row.breached for row in report.totals) == len(report.breaches)
        listed = [b for b in report.breaches if b.clock == ClockName.RESPONSE]
        assert len(listed) == 1 and listed[0].breach_pk == Breach.objects.get(clock=ClockName.RESPONSE).pk
