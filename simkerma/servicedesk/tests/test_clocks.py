"""The clocks a request carries: which apply, their deadlines, the calendar in force, and stops."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from simkerma.servicedesk.clocks import Calendars, clock_states
from simkerma.servicedesk.models import Breach, CalendarVersion, ClockName, RequestKind, Stage
from simkerma.servicedesk.services import (
    request_data,
    service_request_change_stage,
    service_request_follow_up,
    service_request_respond,
    service_request_update,
)
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db


def test_it_gives_every_request_a_response_clock_and_only_drafts_and_partners_the_others():
    info = ServiceRequestFactory(kind=RequestKind.INFORMATION)
    draft = ServiceRequestFactory(kind=RequestKind.REVISION, document_kind="moa")
    partner = ServiceRequestFactory(kind=RequestKind.OTHER, from_partner=True)
    assert info.response_due_at == wib(2026, 11, 23, 9, 15)
    assert (info.draft_due_at, info.followup_due_at) == (None, None)
    assert draft.draft_due_at == wib(2026, 11, 24, 9, 0) and draft.followup_due_at is None
    assert partner.followup_due_at == wib(2026, 11, 24, 9, 0) and partner.draft_due_at is None
    assert info.response_soon_at == wib(2026, 11, 23, 9, 12)  # 80% of 15 minutes
    assert info.jenis == "informasi" and draft.jenis == "draf_dokumen" and partner.jenis == "lainnya"
    assert ServiceRequestFactory(kind=RequestKind.NEW_COOPERATION).jenis == "draf_dokumen"


def test_it_stores_the_next_open_deadline_for_sorting(staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou", from_partner=True)
    assert request.next_due_at == request.response_due_at
    with time_machine.travel(wib(2026, 11, 23, 9, 5), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 23, 9, 5), note="", user=staff)
    assert request.next_due_at == request.draft_due_at == wib(2026, 11, 24, 9, 0)


@pytest.mark.parametrize(
    ("followed_up", "state"),
    [((2026, 11, 24, 16, 30), "met"), ((2026, 11, 25, 8, 0), "met"), ((2026, 11, 25, 8, 30), "late")],
)
def test_it_judges_the_domain_follow_up_example(followed_up, state, staff):
    """Monday 20:00 → deadline Tuesday 16:00; 16:30 and Wednesday 08:00 are on time, 08:30 is late."""
    request = ServiceRequestFactory(from_partner=True, received_at=wib(2026, 11, 23, 20, 0))
    assert request.followup_due_at == wib(2026, 11, 24, 16, 0)
    at = wib(*followed_up)
    with time_machine.travel(at + dt.timedelta(minutes=1), tick=False):
        service_request_follow_up(request=request, at=at, note="Rapat dijadwalkan", user=staff)
        states = {s.name: s.state for s in clock_states(request, Calendars(at))}
    assert states[ClockName.FOLLOWUP] == state
    assert Breach.objects.filter(request=request, clock=ClockName.FOLLOWUP).exists() == (state == "late")


def test_it_reports_time_left_in_working_time():
    request = ServiceRequestFactory(received_at=wib(2026, 11, 27, 15, 55))  # Friday
    states = clock_states(request, Calendars(wib(2026, 11, 28, 12, 0)))  # Saturday
    assert states[0].state == "running" and states[0].left == dt.timedelta(minutes=10)
    states = clock_states(request, Calendars(wib(2026, 11, 30, 8, 9)))
    assert states[0].state == "soon"
    states = clock_states(request, Calendars(wib(2026, 11, 30, 9, 10)))
    assert states[0].state == "overdue" and states[0].overdue_by == dt.timedelta(hours=1)


def test_a_new_calendar_applies_only_to_requests_that_come_in_after_it():
    before = ServiceRequestFactory(received_at=wib(2026, 11, 27, 15, 55))
    CalendarVersion.objects.create(
        effective_from=wib(2026, 11, 27, 16, 30),
        weekly_hours=[["08:00", "16:00"]] * 5 + [["08:00", "12:00"], None],  # Saturdays worked
        extra_days_off=[{"date": "2026-12-07", "name": "Dies natalis"}],
    )
    after = ServiceRequestFactory(received_at=wib(2026, 11, 27, 17, 0))
    assert before.response_due_at == wib(2026, 11, 30, 8, 10)  # unchanged, stored
    assert before.calendar_version is None
    assert after.response_due_at == wib(2026, 11, 28, 8, 15)  # Saturday under the new calendar
    sunday = ServiceRequestFactory(received_at=wib(2026, 12, 6, 10, 0))
    assert sunday.response_due_at == wib(2026, 12, 8, 8, 15)  # Monday 7 December is an extra day off


def test_correcting_the_received_time_recomputes_with_the_calendar_then_in_force(staff):
    CalendarVersion.objects.create(
        effective_from=wib(2026, 11, 25, 0, 0), weekly_hours=[["09:00", "15:00"]] * 5 + [None, None]
    )
    request = ServiceRequestFactory(received_at=wib(2026, 11, 25, 8, 0))
    assert request.response_due_at == wib(2026, 11, 25, 9, 15)
    request.received_at = wib(2026, 11, 24, 15, 55)
    with time_machine.travel(wib(2026, 11, 25, 10), tick=False):
        service_request_update(request=request, data=request_data(request), user=staff)
    request.refresh_from_db()
    assert request.calendar_version is None
    # The default calendar, even for Wednesday: it was in force when the clock started (the new one gives 09:10).
    assert request.response_due_at == wib(2026, 11, 25, 8, 10)


def test_it_refuses_a_response_before_the_request_or_in_the_future(staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0))
    with time_machine.travel(wib(2026, 11, 23, 10, 0), tick=False):
        with pytest.raises(ValidationError) as before:
            service_request_respond(request=request, at=wib(2026, 11, 23, 8, 0), note="", user=staff)
        with pytest.raises(ValidationError) as future:
            service_request_respond(request=request, at=wib(2026, 11, 23, 10, 30), note="", user=staff)
    assert before.value.error_dict.keys() == {"at"} and future.value.error_dict.keys() == {"at"}
    request.refresh_from_db()
    assert request.responded_at is None


def test_a_rejection_within_the_limit_drops_the_draft_clock(staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou")
    with time_machine.travel(wib(2026, 11, 23, 10, 0), tick=False):
        service_request_change_stage(request=request, to_stage=Stage.DITOLAK, note="Bukan ranah kami", user=staff)
    request.refresh_from_db()
    assert request.stage == Stage.DITOLAK and request.rejection_reason == "Bukan ranah kami"
    assert request.draft_due_at is None
    assert request.response_due_at is not None  # the first response is still owed


def test_a_rejection_after_the_limit_leaves_the_draft_clock_breached(staff):
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou")
    with time_machine.travel(wib(2026, 11, 25, 10, 0), tick=False):
        service_request_change_stage(request=request, to_stage=Stage.DITOLAK, note="Terlambat", user=staff)
    request.refresh_from_db()
    assert request.draft_due_at == wib(2026, 11, 24, 9, 0)


def test_a_response_typed_to_the_minute_it_came_in_counts_from_that_moment(staff):
    request = ServiceRequestFactory(received_at=wib(2026, 11, 23, 9, 0, 40))
    with time_machine.travel(wib(2026, 11, 23, 9, 0, 50), tick=False):
        service_request_respond(request=request, at=wib(2026, 11, 23, 9, 0), note="", user=staff)
    assert request.responded_at == wib(2026, 11, 23, 9, 0, 40)
