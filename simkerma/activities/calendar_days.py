"""The calendar's days: what each day of a month or a week shows, in a few queries whatever the data.

A day shows at most `per_day` activities: all of them when they fit; when they do not, those that
start that day (all-day ones first, then by time), and "N more", linking to the day's list. The
counts come from one grouped query over the span index (spans.py); the activities that start on a
crowded day, from one query that reads each day's first all-day and first timed rows of an index; the
activities continuing from earlier days, only for the days where everything fits. A large
university has thousands of activities running on any day; the page costs the same as a small
office's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from itertools import groupby
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils import timezone

from simkerma.activities.models import (
    Activity,
    ActivityQuerySet,
    ActivityStatus,
    ActivityUnitScope,
    CoordinationRecord,
)
from simkerma.activities.selectors import MEETING_KINDS
from simkerma.activities.spans import TOP, earliest_start, in_class, overlap, reaches
from simkerma.core.dates import WIB

# The most coordination meetings read for one grid.
MEETINGS_SHOWN = 2000
# Values no query otherwise holds, replaced in each member of a UNION (`_union`).
_MARK_CLASS = 32_001  # within the column's range, so Django keeps the condition
_MARK_DAY = dt.date(1001, 2, 3)
_MARK_PK = 987_654_321
ACTIVITY_FIELDS = ("pk", "code", "title", "status", "start_date", "end_date", "start_time")
# Activities in order of start: the day, all-day ones first, then the time (alike on both databases).
START_ORDER = ("start_date", F("start_time").asc(nulls_first=True), "pk")


@dataclass
class CalendarEntry:
    kind: str  # "activity" or "meeting"
    title: str
    url: str
    status: str
    time: dt.time | None
    obj: Any


@dataclass
class CalendarDay:
    """One day of the grid: the entries shown, and how many activities of the day are not."""

    entries: list[CalendarEntry] = field(default_factory=list)
    more: int = 0
    html: str = ""  # the entries as the page shows them (calendar_views.entries_html)


def calendar_days(
    first: dt.date, last: dt.date, *, per_day: int, unit_id: int | None = None
) -> dict[dt.date, CalendarDay]:
    """Activities (not cancelled) and coordination meetings between first and last, by day (WIB)."""
    activities = Activity.objects.exclude(status=ActivityStatus.BATAL)
    meetings = CoordinationRecord.objects.filter(kind__in=MEETING_KINDS).select_related("activity")
    if unit_id is not None:
        activities = activities.for_unit(unit_id)
        # Each meeting of the period looks up its activity's scope row (an IN over the unit's
        # activities would read all of them).
        in_unit = ActivityUnitScope.objects.filter(activity_id=OuterRef("activity_id"), unit_id=unit_id)
        meetings = meetings.filter(Exists(in_unit))
    totals = _totals(activities, first, last)
    days = {first + dt.timedelta(days=i): CalendarDay() for i in range((last - first).days + 1)}
    # Each entry's address from one reverse(): a month shows some 200 (the URL pattern holds the pk alone).
    detail = tuple(reverse("activities:detail", args=[_MARK_PK]).split(str(_MARK_PK), 1))
    fitting = {day for day in days if 0 < totals.get(day, 0) <= per_day}
    crowded = [day for day in days if totals.get(day, 0) > per_day]
    for activity in _running_on(activities, sorted(fitting)):
        for day in _days_of(activity, first, last):
            if day in fitting:
                days[day].entries.append(_entry(activity, day, detail))
    for activity in _starting_on(activities, crowded, per_day):
        days[activity.start_date].entries.append(_entry(activity, activity.start_date, detail))
    for day, calendar_day in days.items():
        calendar_day.more = totals.get(day, 0) - len(calendar_day.entries)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=WIB)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=WIB)
    for meeting in meetings.filter(held_at__gte=start, held_at__lt=end).order_by("held_at", "pk")[:MEETINGS_SHOWN]:
        local = timezone.localtime(meeting.held_at)
        entry = CalendarEntry(
            "meeting", meeting.activity.title, meeting.get_absolute_url(), meeting.kind, local.time(), meeting
        )
        days[local.date()].entries.append(entry)
    for calendar_day in days.values():
        calendar_day.entries.sort(key=lambda e: (e.time is not None, e.time or dt.time.min))
    return days


def _totals(activities: ActivityQuerySet, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """How many activities each day of the grid has: one count per (first, last) day in the grid,
    added up day by day. The rows are read class by class (spans.py), each class one range of the
    (span class, start, end, status) index."""

    def clipped(span_class: int, earliest: dt.date) -> QuerySet[Any]:
        return (
            activities.filter(in_class(span_class, earliest, last) & reaches(first))
            .annotate(
                shown_from=Greatest(F("start_date"), Value(first)),
                shown_to=Least(Coalesce(F("end_date"), F("start_date")), Value(last)),
            )
            .order_by()
            .values_list("shown_from", "shown_to")
        )

    parts = [(span_class, earliest_start(span_class, first)) for span_class in range(TOP + 1)]
    sql, params = _union(clipped, (_MARK_CLASS, _MARK_DAY), parts)
    grouped = f"SELECT shown_from, shown_to, COUNT(*) FROM ({sql}) AS grid GROUP BY shown_from, shown_to"  # noqa: S608 (Django's own SQL, the values parameters)
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        rows = cursor.fetchall()
    change = [0] * ((last - first).days + 2)
    for shown_from, shown_to, n in rows:
        change[(_as_date(shown_from) - first).days] += n
        change[(_as_date(shown_to) - first).days + 1] -= n
    totals: dict[dt.date, int] = {}
    running = 0
    for offset, step in enumerate(change[:-1]):
        running += step
        if running:
            totals[first + dt.timedelta(days=offset)] = running
    return totals


def _union(
    build: Callable[..., QuerySet[Any]], markers: tuple[Any, ...], parts: list[tuple[Any, ...]]
) -> tuple[str, list[Any]]:
    """A UNION ALL of `build(*part)` for each part. The SQL is compiled once, from `build(*markers)`,
    and each member takes the part's values where the markers were (compiling a query costs more
    than running one of these); should a marker's value also be another parameter of the query, each
    member is compiled apart. Each member is wrapped, so it keeps its own LIMIT (SQLite refuses one
    on a compound's own members)."""
    sql, compiled = build(*markers).query.sql_with_params()
    places = [[i for i, value in enumerate(compiled) if value == _adapt(marker)] for marker in markers]
    members: list[str] = []
    params: list[Any] = []
    for n, part in enumerate(parts):
        if all(len(found) == 1 for found in places):
            where = {found[0]: part[k] for k, found in enumerate(places)}
            member_sql = sql
            params.extend(_adapt(where[i]) if i in where else value for i, value in enumerate(compiled))
        else:
            member_sql, member_params = build(*part).query.sql_with_params()
            params.extend(member_params)
        members.append(f"SELECT * FROM ({member_sql}) AS part{n}")  # noqa: S608 (Django's own SQL, the values parameters)
    return " UNION ALL ".join(members), params


def _adapt(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value) if isinstance(value, dt.date) else value


def _as_date(value: Any) -> dt.date:
    """A grouped date as the database gives it (SQLite's GREATEST gives the ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _running_on(activities: ActivityQuerySet, days: list[dt.date]) -> list[Activity]:
    """Every activity on these days, in order of start; each day has at most `per_day` of them."""
    if not days:
        return []
    periods: list[list[dt.date]] = []
    for day in days:
        if periods and periods[-1][1] + dt.timedelta(days=1) == day:
            periods[-1][1] = day
        else:
            periods.append([day, day])
    matching = reduce(or_, (overlap(start, end) for start, end in periods), Q(pk__in=[]))
    return list(activities.filter(matching).only(*ACTIVITY_FIELDS).order_by(*START_ORDER))


def _starting_on(activities: ActivityQuerySet, days: list[dt.date], per_day: int) -> list[Activity]:
    """The first `per_day` activities starting on each of these days, all-day ones first (by id),
    then by time: one query, for each day its first all-day rows and its first timed rows of the
    (start date, start time, id) index, both databases placing no time alike."""
    if not days:
        return []

    def all_day(day: dt.date) -> QuerySet[Any]:
        on_day = activities.filter(start_date=day, start_time__isnull=True).only(*ACTIVITY_FIELDS)
        return on_day.order_by("pk")[:per_day]

    def timed(day: dt.date) -> QuerySet[Any]:
        on_day = activities.filter(start_date=day, start_time__isnull=False).only(*ACTIVITY_FIELDS)
        return on_day.order_by("start_time", "pk")[:per_day]

    parts = [(day,) for day in days]
    (all_day_sql, all_day_params), (timed_sql, timed_params) = (
        _union(build, (_MARK_DAY,), parts) for build in (all_day, timed)
    )
    found = list(Activity.objects.raw(f"{all_day_sql} UNION ALL {timed_sql}", [*all_day_params, *timed_params]))
    found.sort(key=lambda a: (a.start_date, a.start_time is not None, a.start_time or dt.time.min, a.pk))
    shown: list[Activity] = []
    for _, same_day in groupby(found, key=lambda a: a.start_date):
        shown.extend(list(same_day)[:per_day])
    return shown


def _days_of(activity: Activity, first: dt.date, last: dt.date) -> list[dt.date]:
    day, end = max(activity.start_date, first), min(activity.last_date, last)
    return [day + dt.timedelta(days=i) for i in range((end - day).days + 1)]


def _entry(activity: Activity, day: dt.date, detail: tuple[str, ...]) -> CalendarEntry:
    time = activity.start_time if day == activity.start_date else None
    url = f"{detail[0]}{activity.pk}{detail[1]}"
    return CalendarEntry("activity", activity.title, url, activity.status, time, activity)
