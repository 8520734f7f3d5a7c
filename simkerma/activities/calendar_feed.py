"""The personal iCalendar feed: a person's activities and coordination meetings.

Every event's UID is built from the record's kind and primary key, so a calendar application
updates the same event when the record changes. Times are written in UTC; all-day activities are
dates (their DTEND is the day after the last day, as RFC 5545 wants).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from simkerma.activities.models import Activity, ActivityStatus, CoordinationRecord
from simkerma.core.dates import MAX_DATE

UTC = dt.UTC


def _domain() -> str:
    return urlsplit(settings.SIMKERMA_BASE_URL).hostname or "simkerma.local"


def _absolute(path: str) -> str:
    return f"{settings.SIMKERMA_BASE_URL.rstrip('/')}{path}"


def activity_uid(activity: Activity) -> str:
    return f"kegiatan-{activity.pk}@{_domain()}"


def meeting_uid(record: CoordinationRecord) -> str:
    return f"koordinasi-{record.pk}@{_domain()}"


def activity_event(activity: Activity) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", activity.updated_at.astimezone(UTC))
    event.add("summary", f"{activity.title} [{activity.code}]")
    start = activity.starts_at() if activity.last_date < MAX_DATE else None
    if start is None:
        # An end past the product's range (left from before the range was enforced) shows up to its last day.
        event.add("dtstart", min(activity.start_date, MAX_DATE))
        event.add("dtend", min(activity.last_date, MAX_DATE) + dt.timedelta(days=1))
    else:
        end = activity.ends_at()
        assert end is not None
        event.add("dtstart", start.astimezone(UTC))
        event.add("dtend", end.astimezone(UTC))
    if activity.place or activity.online_link:
        event.add("location", activity.place or activity.online_link)
    lines = [
        f"{_('Agreement')}: {activity.agreement.number}",
        f"{_('Status')}: {ActivityStatus(activity.status).label}",
    ]
    if activity.online_link:
        lines.append(activity.online_link)
    event.add("description", "\n".join(lines))
    event.add("url", _absolute(activity.get_absolute_url()))
    event.add("status", "CONFIRMED" if activity.status != ActivityStatus.RENCANA else "TENTATIVE")
    return event


def meeting_event(record: CoordinationRecord) -> Event:
    event = Event()
    event.add("uid", meeting_uid(record))
    event.add("dtstamp", record.updated_at.astimezone(UTC))
    event.add("summary", f"{record.get_kind_display()}: {record.activity.title}")
    event.add("dtstart", record.held_at.astimezone(UTC))
    event.add("dtend", record.end().astimezone(UTC))
    if record.place:
        event.add("location", record.place)
    description = record.agenda or ""
    event.add("description", f"{record.get_mode_display()}\n{description}".strip())
    event.add("url", _absolute(record.get_absolute_url()))
    return event


def build_feed(*, name: str, activities: Iterable[Activity], meetings: Iterable[CoordinationRecord]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Simkerma//Kerjasama//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    for activity in activities:
        calendar.add_component(activity_event(activity))
    for record in meetings:
        calendar.add_component(meeting_event(record))
    return calendar.to_ical()


def feed_name(user: Any) -> str:
    return f"Simkerma – {user.display_name}"
