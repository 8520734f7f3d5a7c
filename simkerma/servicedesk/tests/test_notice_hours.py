"""Notices in office hours: reminders and breach alerts to staff that fall outside working time are
delivered at the next opening of the calendar in force; a receipt to a requester goes at once."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from simkerma.core import notices
from simkerma.core.models import Notice
from simkerma.core.notices import notice_plan, office_opening
from simkerma.servicedesk.models import Breach, CalendarVersion
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import public_data, wib

pytestmark = pytest.mark.django_db


def plan(key: str, **kwargs) -> Notice:
    notice = notice_plan(key=key, kind="test", subject=key, body="Isi", **kwargs)
    assert notice is not None
    return notice


def run_worker() -> None:
    call_command("simkerma_worker", stdout=open("/dev/null", "w"))  # noqa: SIM115


def office_calendar_from(moment) -> CalendarVersion:
    """Monday to Thursday 07:30-12:00 and 13:00-16:00, Friday 07:30-11:30 and 13:30-16:30."""
    days = [[["07:30", "12:00"], ["13:00", "16:00"]]] * 4 + [[["07:30", "11:30"], ["13:30", "16:30"]], None, None]
    return CalendarVersion.objects.create(effective_from=moment, weekly_hours=days)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (wib(2026, 11, 24, 10, 0), wib(2026, 11, 24, 10, 0)),  # Tuesday in working time: at once
        (wib(2026, 11, 24, 16, 30), wib(2026, 11, 25, 8, 0)),  # after closing: Wednesday's opening
        (wib(2026, 11, 24, 6, 0), wib(2026, 11, 24, 8, 0)),  # before opening: that morning
        (wib(2026, 11, 28, 10, 0), wib(2026, 11, 30, 8, 0)),  # Saturday: Monday
        (wib(2026, 8, 16, 10, 0), wib(2026, 8, 18, 8, 0)),  # Sunday before Independence Day: Tuesday
    ],
)
def test_a_notice_to_staff_outside_working_time_is_due_at_the_next_opening(staff, now, due):
    with time_machine.travel(now, tick=False):
        notice = plan("staff", due_at=now, recipient=staff)
    assert notice.due_at == due


def test_a_notice_planned_for_later_moves_to_the_opening_after_it(staff):
    with time_machine.travel(wib(2026, 11, 24, 10, 0), tick=False):
        evening = plan("evening", due_at=wib(2026, 11, 24, 19, 0), recipient=staff)
        afternoon = plan("afternoon", due_at=wib(2026, 11, 24, 14, 0), recipient=staff)
    # A reminder due at midnight that is planned late in the evening waits for the morning.
    with time_machine.travel(wib(2026, 11, 24, 21, 0), tick=False):
        late = plan("late", due_at=wib(2026, 11, 24, 0, 0), recipient=staff)
    assert evening.due_at == wib(2026, 11, 25, 8, 0)
    assert afternoon.due_at == wib(2026, 11, 24, 14, 0)
    assert late.due_at == wib(2026, 11, 25, 8, 0)


def test_notices_keep_the_openings_of_the_calendar_in_force_with_its_midday_break(staff):
    office_calendar_from(wib(2026, 11, 1))
    assert office_opening(wib(2026, 11, 23, 12, 15)) == wib(2026, 11, 23, 13, 0)
    assert office_opening(wib(2026, 11, 27, 11, 45)) == wib(2026, 11, 27, 13, 30)  # Friday's longer break
    with time_machine.travel(wib(2026, 11, 27, 16, 45), tick=False):
        notice = plan("friday", due_at=wib(2026, 11, 27, 16, 45), recipient=staff)
    assert notice.due_at == wib(2026, 11, 30, 7, 30)


def test_a_receipt_or_a_notice_to_an_outside_address_goes_at_once(staff):
    night = wib(2026, 11, 28, 22, 0)  # Saturday night
    with time_machine.travel(night, tick=False):
        outside = plan("outside", due_at=night, email="mitra@galangan.test")
        urgent = plan("urgent", due_at=night, recipient=staff, office_hours=False)
        kept = plan("kept", due_at=night, email="tim@polibatam.test", office_hours=True)
    assert outside.due_at == night and urgent.due_at == night
    assert kept.due_at == wib(2026, 11, 30, 8, 0)


def test_a_requester_at_night_gets_the_receipt_at_once(client, django_capture_on_commit_callbacks):
    night = wib(2026, 11, 28, 22, 0)
    with time_machine.travel(night, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("servicedesk:public_form"), public_data())
        assert notices.send_due_notices(now=night) == 1
    receipt = Notice.objects.get(kind="servicedesk_receipt")
    assert receipt.due_at == night and receipt.sent_at is not None
    assert [message.to for message in mail.outbox] == [["rina@galangan.test"]]


def test_a_breach_found_after_closing_is_announced_at_the_next_opening(kapokja):
    # Friday 27 November 2026 at 15:30: the first response was due at 15:45.
    ServiceRequestFactory(received_at=wib(2026, 11, 27, 15, 30))
    with time_machine.travel(wib(2026, 11, 27, 19, 0), tick=False):
        run_worker()
    breach = Breach.objects.get()
    assert breach.detected_at == wib(2026, 11, 27, 19, 0) and breach.notified_at is not None
    alert = Notice.objects.get(kind="servicedesk_breach")
    assert alert.recipient == kapokja and alert.due_at == wib(2026, 11, 30, 8, 0)
    assert not mail.outbox
    with time_machine.travel(wib(2026, 11, 30, 7, 59), tick=False):
        run_worker()
    assert not mail.outbox
    with time_machine.travel(wib(2026, 11, 30, 8, 0), tick=False):
        run_worker()
        run_worker()
    assert [message.to for message in mail.outbox] == [[kapokja.email]]
