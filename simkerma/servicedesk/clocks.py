"""The three service-time clocks of a request: their limits, their deadlines and their state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from simkerma.core.worktime import WorkCalendar, calendar_from_settings
from simkerma.servicedesk.models import CLOCKS, CalendarVersion, ClockColumns, ClockName, ServiceRequest


def working_day() -> dt.timedelta:
    """docs/service-times.md: "1 day" is one working day of 8 working hours (a setting)."""
    return dt.timedelta(hours=settings.SIMKERMA_WORKING_DAY_HOURS)


def clock_limit(name: str) -> dt.timedelta:
    if name == ClockName.RESPONSE:
        return dt.timedelta(minutes=settings.SIMKERMA_RESPONSE_MINUTES)
    if name == ClockName.DRAFT:
        return working_day() * settings.SIMKERMA_DRAFT_WORKING_DAYS
    return working_day() * settings.SIMKERMA_FOLLOWUP_WORKING_DAYS


def due_soon_percent() -> int:
    return int(settings.SIMKERMA_DUE_SOON_PERCENT)


def version_in_force(versions: Sequence[CalendarVersion], moment: dt.datetime) -> CalendarVersion | None:
    """The version in force at `moment` among `versions` (newest first), as `in_force` finds it."""
    return next((version for version in versions if version.effective_from <= moment), None)


def calendar_in_force(moment: dt.datetime) -> WorkCalendar:
    """The working calendar in force at `moment` (the notice worker keeps its openings for staff notices)."""
    return calendar_from_settings(CalendarVersion.objects.in_force(moment), around=moment)


def clocks_compute(request: ServiceRequest, *, versions: Sequence[CalendarVersion] | None = None) -> None:
    """Set every clock's deadlines from received_at, with the calendar in force at that moment.

    A caller computing many requests (the workbook importer) passes every calendar version, newest
    first, so that each request does not look its version up again.
    """
    if versions is None:
        version = CalendarVersion.objects.in_force(request.received_at)
    else:
        version = version_in_force(versions, request.received_at)
    calendar = calendar_from_settings(version, around=request.received_at)
    request.calendar_version = version
    for clock in CLOCKS:
        due: dt.datetime | None = None
        soon: dt.datetime | None = None
        late: dt.datetime | None = None
        if request.clock_applies(clock):
            limit = clock_limit(clock.name)
            due = calendar.deadline(request.received_at, limit)
            soon = calendar.deadline(request.received_at, limit * due_soon_percent() // 100)
            late = calendar.next_opening(due)
        setattr(request, clock.due, due)
        setattr(request, clock.soon, soon)
        setattr(request, clock.late, late)
    request.refresh_next_due()


class Calendars:
    """The calendars of many requests, each built once (requests share a few calendar versions)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._cache: dict[int | None, WorkCalendar] = {}

    def for_request(self, request: ServiceRequest) -> WorkCalendar:
        key = request.calendar_version_id
        if key not in self._cache:
            version = request.calendar_version if key is not None else None
            self._cache[key] = calendar_from_settings(version, around=self.now)
        return self._cache[key]


@dataclass(frozen=True)
class ClockState:
    clock: ClockColumns
    due_at: dt.datetime
    soon_at: dt.datetime
    late_after: dt.datetime
    done_at: dt.datetime | None
    state: str  # met, late (done after the limit), running, soon, overdue
    left: dt.timedelta | None  # working time until the deadline, while it runs
    overdue_by: dt.timedelta | None  # working time past the limit, while it is open

    @property
    def name(self) -> str:
        return self.clock.name

    @property
    def label(self) -> str:
        return str(ClockName(self.clock.name).label)

    @property
    def is_open(self) -> bool:
        return self.done_at is None


def clock_states(request: ServiceRequest, calendars: Calendars) -> list[ClockState]:
    now = calendars.now
    states = []
    for clock in CLOCKS:
        due = getattr(request, clock.due)
        if due is None:
            continue
        soon, late, done = getattr(request, clock.soon), getattr(request, clock.late), getattr(request, clock.done)
        left = overdue_by = None
        if done is not None:
            state = "met" if done <= late else "late"
        else:
            calendar = calendars.for_request(request)
            if now > late:
                state = "overdue"
                overdue_by = calendar.elapsed(late, now)
            else:
                state = "soon" if now >= soon else "running"
                left = calendar.elapsed(now, due)
        states.append(ClockState(clock, due, soon, late, done, state, left, overdue_by))
    return states


URGENCY = {"overdue": 0, "soon": 1, "running": 2}


def next_open_state(request: ServiceRequest, calendars: Calendars) -> ClockState | None:
    """The open clock that needs attention first: overdue, then due soon, then the next deadline."""
    open_states = [state for state in clock_states(request, calendars) if state.is_open]
    if not open_states:
        return None
    return min(open_states, key=lambda state: (URGENCY[state.state], state.due_at))
