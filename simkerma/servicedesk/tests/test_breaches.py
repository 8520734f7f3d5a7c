"""Breaches: detected by the worker, announced to the Kapokja once, explained by the staff."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.core.models import Notice
from simkerma.servicedesk.models import Breach, ClockName, RequestKind
from simkerma.servicedesk.services import service_request_respond
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db


def run_worker():
    call_command("simkerma_worker", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_two_worker_runs_announce_each_breach_once(kapokja, staff):
    second_kapokja = UserFactory(username="kapokja2", role=Role.KAPOKJA)
    UserFactory(username="retired", role=Role.KAPOKJA, is_active=False)
    request = ServiceRequestFactory(
        kind=RequestKind.NEW_DRAFT, document_kind="mou", received_at=wib(2026, 11, 23, 9, 0)
    )
    with time_machine.travel(wib(2026, 11, 23, 9, 14), tick=False):
        run_worker()
    assert not Breach.objects.exists() and not mail.outbox  # still within the 15 minutes

    with time_machine.travel(wib(2026, 11, 23, 9, 16), tick=False):
        run_worker()
        run_worker()
    breach = Breach.objects.get()
    assert (breach.request, breach.clock, breach.deadline) == (request, ClockName.RESPONSE, wib(2026, 11, 23, 9, 15))
    assert breach.detected_at == wib(2026, 11, 23, 9, 16) and breach.notified_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([kapokja.email, second_kapokja.email])
    notices = Notice.objects.filter(kind="servicedesk_breach")
    assert {n.recipient for n in notices} == {kapokja, second_kapokja}
    assert all(n.sent_at is not None and n.link == request.get_absolute_url() for n in notices)
    assert request.code in mail.outbox[0].subject

    # The next day the draft clock breaches too: only that one is announced.
    with time_machine.travel(wib(2026, 11, 24, 9, 30), tick=False):
        run_worker()
        run_worker()
    assert Breach.objects.count() == 2 and len(mail.outbox) == 4
    assert Notice.objects.filter(kind="servicedesk_breach").count() == 4


def test_a_clock_stopped_late_is_a_breach_and_is_announced(kapokja, staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    with time_machine.travel(wib(2026, 11, 23, 9, 40), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 23, 9, 30), note="", user=staff)
        assert Breach.objects.filter(request=request, clock=ClockName.RESPONSE).exists()
        run_worker()
        run_worker()
    assert [m.to for m in mail.outbox] == [[kapokja.email]]


def test_a_response_on_time_is_no_breach(kapokja, staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 27, 15, 55))
    with time_machine.travel(wib(2026, 11, 30, 8, 9), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 30, 8, 9), note="", user=staff)
    with time_machine.travel(wib(2026, 11, 30, 12, 0), tick=False):
        run_worker()
    assert not Breach.objects.exists() and not mail.outbox


def test_staff_record_the_reason_for_a_breach(client_for, staff, pimpinan):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    breach = Breach.objects.create(
        request=request,
        clock=ClockName.RESPONSE,
        deadline=request.response_due_at,
        detected_at=wib(2026, 11, 23, 9, 16),
    )
    url = reverse("servicedesk:breach_reason", args=[request.pk, breach.pk])
    empty = client_for(staff).post(url, {"reason": "  "})
    assert empty.status_code == 400
    with time_machine.travel(wib(2026, 11, 23, 10, 0), tick=False):
        assert client_for(staff).post(url, {"reason": "Jaringan kampus mati"}).status_code == 302
    breach.refresh_from_db()
    assert (breach.reason, breach.reason_by, breach.reason_at) == (
        "Jaringan kampus mati",
        staff,
        wib(2026, 11, 23, 10, 0),
    )
    assert breach.history.count() == 2
    assert client_for(pimpinan).post(url, {"reason": "x"}).status_code == 403
