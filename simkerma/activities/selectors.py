"""Reads that gather activities for pages: the role home panel and the feed (the calendar: calendar_days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from simkerma.accounts.permissions import can_read
from simkerma.activities.models import (
    Activity,
    ActivityQuerySet,
    ActivityStatus,
    ActivityUnitScope,
    CoordinationRecord,
    FollowUpTask,
)
from simkerma.activities.permissions import KAPOKJA_ROLES
from simkerma.activities.scope import ACTIVITY_SCOPE, KPI_INPUTS
from simkerma.agreements.models import Agreement, Status
from simkerma.core.dates import WIB
from simkerma.core.registry import Registry
from simkerma.core.versions import cached
from simkerma.org.models import Unit

S = ActivityStatus
PANEL_ROWS = 5
TASKS_AHEAD_DAYS = 7
# Coordination records that are appointments (shown in the calendar and the feed); calls and
# e-mails are logged contacts, not events.
MEETING_KINDS = (CoordinationRecord.Kind.RAPAT, CoordinationRecord.Kind.KUNJUNGAN)


@dataclass(frozen=True, kw_only=True)
class ActivityFilters:
    """The activities list's filters, already validated: empty values filter nothing."""

    q: str = ""
    status: str = ""
    field: str = ""
    kind: str = ""
    unit: Unit | None = None
    agreement: Agreement | None = None
    year: int | None = None
    on: dt.date | None = None  # running on that day


def activity_list(*, user: Any, filters: ActivityFilters) -> ActivityQuerySet:
    """The activities a reader sees on the list (and its exports), filtered, newest first."""
    if not can_read(user):
        raise PermissionDenied
    qs = Activity.objects.all()
    if filters.q:
        qs = qs.search(filters.q)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit is not None:
        qs = qs.for_unit(filters.unit)
    if filters.agreement is not None:
        qs = qs.filter(agreement=filters.agreement)
    if filters.year:
        qs = qs.in_year(filters.year)
    if filters.on:
        qs = qs.overlapping(filters.on, filters.on)
    return qs.order_by("-start_date", "-pk")


def activity_list_count(*, user: Any, filters: ActivityFilters) -> int:
    """How many activities `activity_list` gives. Filtered by unit, and by nothing the scope table
    does not hold (words, kind, the day), the unit's scope rows are counted in an index, without reading
    the activities."""
    if filters.unit is None or filters.q or filters.kind or filters.on:
        return activity_list(user=user, filters=filters).count()
    if not can_read(user):
        raise PermissionDenied
    rows = ActivityUnitScope.objects.filter(unit=filters.unit)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.field:
        rows = rows.filter(field=filters.field)
    if filters.agreement is not None:
        rows = rows.filter(agreement=filters.agreement)
    if filters.year:
        rows = rows.filter(start_date__gte=dt.date(filters.year, 1, 1), start_date__lte=dt.date(filters.year, 12, 31))
    return rows.count()


@dataclass
class Bucket:
    """Up to PANEL_ROWS items of one kind, and how many there are in all."""

    items: list[Any] = field(default_factory=list)
    count: int = 0


def _take(qs: QuerySet[Any], counted: QuerySet[Any] | None = None, limit: int = PANEL_ROWS) -> Bucket:
    """The first rows of `qs`, and how many there are (counted on `counted` when given: the same
    rows by a cheaper query)."""
    items = list(qs[: limit + 1])
    if len(items) <= limit:
        return Bucket(items, len(items))
    return Bucket(items[:limit], (qs if counted is None else counted).count())


@dataclass
class Waiting:
    today: dt.date
    to_coordinate: Bucket | None = None
    reports_to_write: Bucket | None = None
    reports_to_archive: Bucket | None = None
    tasks: Bucket | None = None
    overdue_tasks: int = 0
    expiring: Bucket | None = None

    @property
    def is_empty(self) -> bool:
        buckets = (self.to_coordinate, self.reports_to_write, self.reports_to_archive, self.tasks, self.expiring)
        return not any(bucket and bucket.count for bucket in buckets)


# Filed reports waiting to be archived, in the order to show them. The archive, a layer above,
# registers the queryset from its AppConfig.ready().
_reports_to_archive: Registry[Callable[[], QuerySet[Any]]] = Registry("reports to archive")


def register_reports_to_archive(drafts: Callable[[], QuerySet[Any]]) -> None:
    _reports_to_archive.register("reports", drafts)


# Bumped by every write to a report or its activities (the archive watches its models); activities'
# own writes bump KPI_INPUTS and set-based writes ACTIVITY_SCOPE.
ACTIVITY_REPORTS = "activity-reports"
REPORTS_TO_WRITE_DEPENDS_ON = (KPI_INPUTS, ACTIVITY_SCOPE, ACTIVITY_REPORTS)


def without_report(activity: str = "pk") -> Any:
    """No report names the activity (`activity`: the outer column holding its id)."""
    through = Activity.reports.through.objects.filter(activity_id=OuterRef(activity))
    return ~Exists(through)


def waiting_for(user: Any, today: dt.date) -> Waiting:
    """What waits for this person: plans to coordinate (Kapokja), reports to write (team and unit
    coordinators: carried-out activities without a report), reports to archive (team), their own
    open tasks due within a week or overdue, and agreements expiring in their scope."""
    waiting = Waiting(today=today)
    if not can_read(user):
        return waiting
    unit_id = user.unit_id if user.is_unit_scoped else None
    if user.role in KAPOKJA_ROLES:
        plans = Activity.objects.filter(status=S.RENCANA).select_related("agreement").order_by("start_date", "pk")
        waiting.to_coordinate = _take(plans)
    if user.is_team or user.is_unit_scoped:
        if unit_id is None:

            def reports_to_write() -> Bucket:
                done = Activity.objects.filter(status=S.TERLAKSANA).filter(without_report())
                return _take(done.select_related("agreement").order_by("start_date", "pk"))

            # Every carried-out activity without a report, counted: cached for the team until an
            # activity, a report or its activities change.
            waiting.reports_to_write = cached(
                "activities:reports-to-write", REPORTS_TO_WRITE_DEPENDS_ON, reports_to_write
            )
        else:
            # The unit's carried-out scope rows, in an index in date order, give the first few and the count.
            rows = (
                ActivityUnitScope.objects.filter(unit_id=unit_id, status=S.TERLAKSANA)
                .filter(without_report("activity_id"))
                .order_by("start_date", "activity_id")
            )
            first = Activity.objects.filter(pk__in=rows.values("activity_id")[: PANEL_ROWS + 1])
            waiting.reports_to_write = _take(first.select_related("agreement").order_by("start_date", "pk"), rows)
    if user.is_team:
        for entry in _reports_to_archive.entries():
            waiting.reports_to_archive = _take(entry.item())
    mine = FollowUpTask.objects.open().filter(assignee=user)
    waiting.tasks = _take(
        mine.filter(due_date__lte=today + dt.timedelta(days=TASKS_AHEAD_DAYS))
        .select_related("activity")
        .order_by("due_date", "pk")
    )
    waiting.overdue_tasks = sum(1 for task in waiting.tasks.items if task.due_date < today)
    if waiting.tasks.count > len(waiting.tasks.items):
        waiting.overdue_tasks = mine.filter(due_date__lt=today).count()
    expiring = Agreement.objects.with_status(Status.EXPIRING, today)
    if unit_id is not None:
        expiring = expiring.for_unit(unit_id)
    waiting.expiring = _take(expiring.order_by("end_date", "pk"))
    return waiting


# --- personal feed ----------------------------------------------------------------------------


def feed_past_days() -> int:
    return int(settings.SIMKERMA_CALENDAR_FEED_PAST_DAYS)


def feed_activities(user: Any, today: dt.date) -> ActivityQuerySet:
    """The activities in a person's feed: all (not cancelled) for the team and readers, those of
    their unit, or in their charge, for coordinators and P3M; from a year back onwards."""
    since = today - dt.timedelta(days=feed_past_days())
    qs = Activity.objects.exclude(status=S.BATAL).overlapping(since, dt.date.max)
    if user.is_unit_scoped:
        qs = qs.for_unit(user.unit_id) | qs.filter(pic=user)
    return qs.select_related("agreement").order_by("start_date", "pk")


def feed_meetings(user: Any, today: dt.date) -> QuerySet[CoordinationRecord]:
    since = dt.datetime.combine(today - dt.timedelta(days=feed_past_days()), dt.time.min, tzinfo=WIB)
    qs = CoordinationRecord.objects.filter(kind__in=MEETING_KINDS, held_at__gte=since).exclude(activity__status=S.BATAL)
    if user.is_unit_scoped:
        in_unit = Activity.objects.for_unit(user.unit_id)
        qs = qs.filter(activity__in=in_unit) | qs.filter(internal_attendees=user) | qs.filter(activity__pic=user)
        qs = qs.distinct()
    return qs.select_related("activity").order_by("held_at", "pk")


def home_panel(user: Any) -> dict[str, Any]:
    """For the home page: what waits for the user today (activities_home_panel shows the same)."""
    return {"waiting": waiting_for(user, timezone.localdate())}
