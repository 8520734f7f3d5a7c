"""Spam and invalid requests are discarded with a reason and leave every count (issue 7, item 23)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.servicedesk.models import Breach, ServiceRequest
from simkerma.servicedesk.reports import service_time_report
from simkerma.servicedesk.selectors import (
    breaches_in,
    breaches_without_reason,
    home_panel,
    overdue_requests,
    queue_requests,
    service_times,
)
from simkerma.servicedesk.services import breaches_detect, service_request_discard, service_request_restore
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)  # Friday


@pytest.fixture
def spam():
    """Junk from the public form, never answered: breached its 15 minutes on Thursday."""
    return ServiceRequestFactory(subject="=HYPERLINK(spam)", received_at=wib(2026, 11, 26, 9, 0))


@pytest.fixture
def real():
    return ServiceRequestFactory(subject="Permintaan MoU", received_at=wib(2026, 11, 26, 9, 0))


def counted_codes(staff):
    return {
        "queue": {r.code for r in queue_requests()},
        "overdue": {r.code for r in overdue_requests(NOW)},
        "breaches": {b.request.code for b in breaches_in(2026)},
        "unexplained": {b.request.code for b in breaches_without_reason()},
        "home": {row.request.code for row in home_panel(staff, now=NOW)["overdue"]},
        "report": {row.code for row in service_time_report(2026, now=NOW).breaches},
    }


def test_a_discarded_request_leaves_every_count(staff, spam, real):
    breaches_detect(now=NOW)
    assert service_times(2026, now=NOW)["response_15m"]["breached"] == 2
    assert all(codes == {spam.code, real.code} for codes in counted_codes(staff).values())

    service_request_discard(request=spam, kind="spam", reason="Iklan judi daring", user=staff, now=NOW)

    assert service_times(2026, now=NOW)["response_15m"] == {"met": 0, "breached": 1, "pending": 0, "percent": 0}
    assert all(codes == {real.code} for codes in counted_codes(staff).values())
    report = service_time_report(2026, now=NOW)
    assert [row.breached for row in report.totals if row.clock == "response_15m"] == [1]
    assert list(ServiceRequest.objects.discarded()) == [spam]


def test_the_worker_records_no_breach_for_a_discarded_request(staff, spam):
    service_request_discard(request=spam, kind="spam", reason="Iklan", user=staff, now=NOW)
    breaches_detect(now=NOW)
    assert not Breach.objects.filter(request=spam).exists()


def test_history_records_who_discarded_it_and_why_and_a_restore_counts_it_again(staff, kapokja, spam):
    service_request_discard(request=spam, kind="invalid", reason="Alamat palsu", user=staff, now=NOW)
    spam.refresh_from_db()
    assert (spam.discarded_by, spam.discard_kind, spam.discard_reason, spam.discarded_at) == (
        staff,
        "invalid",
        "Alamat palsu",
        NOW,
    )
    record = spam.history.latest()
    assert record.history_user == staff
    assert "Alamat palsu" in record.history_change_reason

    service_request_restore(request=spam, reason="Ternyata mitra sungguhan", user=kapokja)
    spam.refresh_from_db()
    assert spam.discarded_at is None
    assert spam.history.latest().history_user == kapokja
    assert service_times(2026, now=NOW)["response_15m"]["breached"] == 1


def test_the_rules_hold_in_the_service(staff, auditor, spam):
    with pytest.raises(PermissionDenied):
        service_request_discard(request=spam, kind="spam", reason="x", user=auditor)
    with pytest.raises(ValidationError) as raised:
        service_request_discard(request=spam, kind="spam", reason="  ", user=staff)
    assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError):
        service_request_discard(request=spam, kind="junk", reason="x", user=staff)
    spam.refresh_from_db()
    assert spam.discarded_at is None


@time_machine.travel(dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC), tick=False)
def test_staff_discard_from_the_page_and_auditors_read_the_list(client_for, staff, auditor, spam, real):
    url = reverse("servicedesk:discard", args=[spam.pk])
    page = client_for(staff).get(spam.get_absolute_url()).content.decode()
    assert 'id="discard-form"' in page

    response = client_for(staff).post(url, {"kind": "spam", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["discard_form"].errors
    spam.refresh_from_db()
    assert spam.discarded_at is None

    assert client_for(auditor).post(url, {"kind": "spam", "reason": "x"}).status_code == 403
    assert client_for(staff).post(url, {"kind": "spam", "reason": "Iklan judi"}).status_code == 302

    listing = client_for(auditor).get(reverse("servicedesk:discarded"))
    assert listing.status_code == 200
    assert [r.code for r in listing.context["page_obj"]] == [spam.code]
    assert "Iklan judi" in listing.content.decode()
    everything = client_for(auditor).get(reverse("servicedesk:list"))
    assert [r.code for r in everything.context["page_obj"]] == [real.code]
    assert 'id="discard-form"' not in client_for(auditor).get(real.get_absolute_url()).content.decode()


def test_an_outsider_cannot_read_the_discarded_list(client_for, outsider):
    assert client_for(outsider).get(reverse("servicedesk:discarded")).status_code == 403
