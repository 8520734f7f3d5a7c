"""Reads of the service desk: compliance counts (KPI B.1.2.9.13), the queue, the home panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Aggregate, BooleanField, Count, ExpressionWrapper, F, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from simkerma.accounts.permissions import can_read
from simkerma.core.dates import WIB
from simkerma.core.versions import cached, cached_until
from simkerma.servicedesk.clocks import Calendars, ClockState, next_open_state
from simkerma.servicedesk.models import (
    CLOCKS,
    Breach,
    ClockColumns,
    ClockName,
    ServiceRequest,
    ServiceRequestQuerySet,
    due_soon_condition,
)

SERVICE_TIME_KEYS = tuple(clock.name for clock in CLOCKS)  # draft_1d, response_15m, followup_1d (ordered)


def percent(met: int, breached: int) -> Decimal | None:
    """met / (met + breached) in percent, rounded half up to two decimals; None when nothing counted."""
    total = met + breached
    if total == 0:
        return None
    return (Decimal(met) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# The data version bumped by every write to a service request (see ServicedeskConfig.ready).
SERVICE_REQUESTS = "service-requests"


def period_bounds(year: int, month: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The period in WIB: a calendar year, or one month of it."""
    if month is None:
        return dt.datetime(year, 1, 1, tzinfo=WIB), dt.datetime(year + 1, 1, 1, tzinfo=WIB)
    start = dt.datetime(year, month, 1, tzinfo=WIB)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=WIB)
    return start, end


def _conditions(clock: ClockColumns, now: dt.datetime) -> dict[str, Q]:
    done_isnull = f"{clock.done}__isnull"
    return {
        "met": Q(**{done_isnull: False, f"{clock.done}__lte": F(clock.late)}),
        "breached": Q(**{done_isnull: False, f"{clock.done}__gt": F(clock.late)})
        | Q(**{done_isnull: True, f"{clock.late}__lt": now}),
        "pending": Q(**{done_isnull: True, f"{clock.late}__gte": now}),
    }


def _counts_for_periods(
    periods: list[tuple[dt.datetime, dt.datetime]], now: dt.datetime, *, cache: bool = True
) -> list[dict[str, Any]]:
    """The service_times objects of several periods, in one query whatever the number of requests.

    Cached under the requests' data version until the next pending clock runs out (the moment a
    pending request would count as breached), so a figure is never served past a change.
    """
    if not cache:
        return _count_periods(periods, now)[0]
    key = "service-times:" + ";".join(f"{start.isoformat()}/{end.isoformat()}" for start, end in periods)
    return cached_until(key, [SERVICE_REQUESTS], now, lambda: _count_periods(periods, now))


def _count_periods(
    periods: list[tuple[dt.datetime, dt.datetime]], now: dt.datetime
) -> tuple[list[dict[str, Any]], dt.datetime | None]:
    aggregates: dict[str, Aggregate] = {}
    anywhere = Q()
    for index, (start, end) in enumerate(periods):
        for clock in CLOCKS:
            in_period = Q(**{f"{clock.due}__gte": start, f"{clock.due}__lt": end})
            anywhere |= in_period
            conditions = _conditions(clock, now)
            for state, condition in conditions.items():
                aggregates[f"p{index}_{clock.prefix}_{state}"] = Count("pk", filter=in_period & condition)
            # The last on-time moment of the first pending clock to run out: the figures hold until then.
            aggregates[f"p{index}_{clock.prefix}_next"] = Min(clock.late, filter=in_period & conditions["pending"])
    counts = ServiceRequest.objects.counted().filter(anywhere).aggregate(**aggregates)
    next_changes = [value for name, value in counts.items() if name.endswith("_next") and value is not None]
    results = []
    for index in range(len(periods)):
        result = {}
        for clock in CLOCKS:
            met, breached, pending = (
                counts[f"p{index}_{clock.prefix}_{state}"] for state in ("met", "breached", "pending")
            )
            result[clock.name] = {
                "met": met,
                "breached": breached,
                "pending": pending,
                "percent": percent(met, breached),
            }
        results.append(result)
    return results, min(next_changes, default=None)


def service_times_between(
    start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None, cache: bool = True
) -> dict[str, Any]:
    """CONTRACTS `service_times` over requests whose deadline falls in [start, end).

    For each clock: met (stopped at most its limit after the request came in), breached (stopped
    later, or still open past the limit), pending (still open within it; not counted in percent).
    """
    return _counts_for_periods([(start, end)], now or timezone.now(), cache=cache)[0]


def service_times(year: int, *, now: dt.datetime | None = None, cache: bool = True) -> dict[str, Any]:
    """The `service_times` object of `kpi --year YYYY --json` (percent as Decimal or None)."""
    return service_times_between(*period_bounds(year), now=now, cache=cache)


def service_times_month(year: int, month: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    return service_times_between(*period_bounds(year, month), now=now)


def service_times_by_month(year: int, *, now: dt.datetime | None = None) -> list[tuple[int, dict[str, Any]]]:
    months = list(range(1, 13))
    counts = _counts_for_periods([period_bounds(year, month) for month in months], now or timezone.now())
    return list(zip(months, counts, strict=True))


def service_times_by_year(
    years: list[int], *, now: dt.datetime | None = None, cache: bool = True
) -> dict[int, dict[str, Any]]:
    """The `service_times` object of each year, in one query (the KPI trend)."""
    counts = (
        _counts_for_periods([period_bounds(year) for year in years], now or timezone.now(), cache=cache)
        if years
        else []
    )
    return dict(zip(years, counts, strict=True))


def breaches_in(year: int, month: int | None = None) -> QuerySet[Breach]:
    """Breaches whose deadline falls in the period, with their reasons."""
    start, end = period_bounds(year, month)
    return (
        Breach.objects.filter(deadline__gte=start, deadline__lt=end, request__discarded_at__isnull=True)
        .select_related("request", "reason_by")
        .order_by("deadline", "pk")
    )


@dataclass
class LateClock:
    """A clock past its limit, read from the request's own times; the Breach row, once the worker made one."""

    request: ServiceRequest
    clock: ClockColumns
    breach: Breach | None

    @property
    def deadline(self) -> dt.datetime:
        return getattr(self.request, self.clock.due)

    @property
    def done_at(self) -> dt.datetime | None:
        return getattr(self.request, self.clock.done)

    @property
    def label(self) -> str:
        return str(ClockName(self.clock.name).label)


def clock_is_late(request: ServiceRequest, clock: ClockColumns, now: dt.datetime) -> bool:
    """The same rule as the KPI's "breached": stopped after its limit, or still open past it."""
    late = getattr(request, clock.late)
    if late is None:
        return False
    done = getattr(request, clock.done)
    return done > late if done is not None else late < now


def late_clocks_of(request: ServiceRequest, now: dt.datetime) -> list[LateClock]:
    """Every late clock of one request (uses `request.breaches.all()`, so prefetch it for lists)."""
    recorded = {breach.clock: breach for breach in request.breaches.all()}
    late = [
        LateClock(request, clock, recorded.get(clock.name)) for clock in CLOCKS if clock_is_late(request, clock, now)
    ]
    return sorted(late, key=lambda item: (item.deadline, item.clock.name))


def late_clocks_in(year: int, month: int | None = None, *, now: dt.datetime | None = None) -> list[LateClock]:
    """The late clocks whose deadline falls in the period: exactly the rows the KPI counts as breached."""
    now = now or timezone.now()
    start, end = period_bounds(year, month)
    anywhere = Q()
    for clock in CLOCKS:
        in_period = Q(**{f"{clock.due}__gte": start, f"{clock.due}__lt": end})
        anywhere |= in_period & _conditions(clock, now)["breached"]
    # Sorted below: without an ORDER BY the database reads each clock's deadline index (an ORDER BY
    # received_at made SQLite walk every request in that order instead).
    requests = (
        ServiceRequest.objects.counted()
        .filter(anywhere)
        .order_by()
        .prefetch_related(Prefetch("breaches", queryset=Breach.objects.select_related("reason_by")))
    )
    rows = [item for request in requests for item in late_clocks_of(request, now) if start <= item.deadline < end]
    return sorted(rows, key=lambda item: (item.deadline, item.request.pk, item.clock.name))


# -- the queue ----------------------------------------------------------------------------------


@dataclass
class QueueRow:
    request: ServiceRequest
    clock: ClockState | None


def _rows(requests: Iterable[ServiceRequest], calendars: Calendars) -> list[QueueRow]:
    return [QueueRow(request, next_open_state(request, calendars)) for request in requests]


QUEUE_RELATED = ("partner", "assigned_to", "calendar_version")


class RequestOrder(StrEnum):
    RECEIVED = "received"  # the newest first
    NEXT_DUE = "next_due"  # the next deadline first


ORDERINGS = {RequestOrder.RECEIVED: ("-received_at", "-pk"), RequestOrder.NEXT_DUE: ("next_due_at", "pk")}


@dataclass(frozen=True, kw_only=True)
class RequestFilters:
    """Which requests a list shows: already-validated values, empty meaning any."""

    q: str = ""
    stage: str = ""
    channel: str = ""
    kind: str = ""
    open_only: bool = False  # only requests with a clock still running
    order: RequestOrder = RequestOrder.RECEIVED


def _requests(filters: RequestFilters) -> QuerySet[ServiceRequest]:
    requests = ServiceRequest.objects.counted().select_related(*QUEUE_RELATED)
    if filters.q:
        requests = requests.search(filters.q)
    for name in ("stage", "channel", "kind"):
        if value := getattr(filters, name):
            requests = requests.filter(**{name: value})
    if filters.open_only:
        requests = requests.any_open()
    return requests.order_by(*ORDERINGS[filters.order])


def request_list(*, user: Any, filters: RequestFilters) -> QuerySet[ServiceRequest]:
    """The service requests a list shows this user (every role reads them; discarded ones are left out)."""
    if not can_read(user):
        raise PermissionDenied
    return _requests(filters)


def request_list_count(*, user: Any, filters: RequestFilters) -> int:
    """How many requests `request_list` gives. Without words the count depends on the requests alone,
    so it is cached under their data version; a word search (which also reads the partners' names)
    is counted each time."""
    if filters.q:
        return request_list(user=user, filters=filters).count()
    if not can_read(user):
        raise PermissionDenied
    key = f"servicedesk-list-count:{filters.stage}:{filters.channel}:{filters.kind}:{int(filters.open_only)}"
    return cached(key, [SERVICE_REQUESTS], lambda: _requests(filters).count())


def queue_requests() -> QuerySet[ServiceRequest]:
    """Requests with a clock still running, the next deadline first."""
    return _requests(RequestFilters(open_only=True, order=RequestOrder.NEXT_DUE))


def queue_rows(requests: Iterable[ServiceRequest], *, now: dt.datetime) -> list[QueueRow]:
    return _rows(requests, Calendars(now))


def next_clock_change(now: dt.datetime) -> dt.datetime | None:
    """The last moment a breached count made at `now` holds without a write: the next last on-time
    moment of a clock still pending (None: no clock is pending). The pending clocks are a short
    range at the end of each clock's index of open requests."""
    aggregates: dict[str, Aggregate] = {
        clock.prefix: Min(clock.late, filter=Q(**{f"{clock.done}__isnull": True, f"{clock.late}__gte": now}))
        for clock in CLOCKS
    }
    found = ServiceRequest.objects.pending(now).order_by().aggregate(**aggregates)
    return min((value for value in found.values() if value is not None), default=None)


@dataclass(frozen=True)
class QueueCounts:
    open: int  # with a clock still running (the queue's rows)
    overdue: int
    in_progress: int  # cooperation requests not at a final stage


def queue_counts(now: dt.datetime) -> QueueCounts:
    """The queue's counts, cached under the requests' data version until the next pending clock runs
    out: a count over every request grows with the data, while these change only at those moments."""

    def compute() -> tuple[QueueCounts, dt.datetime | None]:
        counted = ServiceRequest.objects.counted()
        overdue, until = counted.overdue(now).order_by().count(), next_clock_change(now)
        counts = QueueCounts(
            open=counted.any_open().count(), overdue=overdue, in_progress=counted.in_progress().count()
        )
        return counts, until

    return cached_until("servicedesk-queue-counts", [SERVICE_REQUESTS], now, compute)


@dataclass(frozen=True)
class Pending:
    due_soon: list[ServiceRequest]  # the next deadline first (nulls where the database puts them)
    until: dt.datetime | None  # the first moment one of them runs out (see next_clock_change)


def _pending(requests: ServiceRequestQuerySet, now: dt.datetime) -> Pending:
    """The pending ones of `requests`, those due soon among them and when the first runs out.

    Few requests are pending at any moment (a clock runs a working day at most): each clock's
    index of open requests finds them. Ordered by the deadline in the query, the database would walk
    the queue's index past every breached request instead, so they are sorted here."""
    rows = list(
        requests.pending(now)
        .annotate(is_due_soon=ExpressionWrapper(due_soon_condition(now), output_field=BooleanField()))
        .select_related(*QUEUE_RELATED)
        .order_by()
    )
    nulls_last = connection.features.nulls_order_largest
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def key(row: ServiceRequest) -> tuple[bool, dt.datetime, int]:
        missing = row.next_due_at is None
        return (missing if nulls_last else not missing), row.next_due_at or far, row.pk

    soon = sorted((row for row in rows if row.is_due_soon), key=key)  # type: ignore[attr-defined]
    until = min((moment for row in rows if (moment := row.pending_until(now)) is not None), default=None)
    return Pending(soon, until)


def due_soon_requests(now: dt.datetime) -> list[ServiceRequest]:
    return _pending(ServiceRequest.objects.counted(), now).due_soon


def overdue_requests(now: dt.datetime) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.counted().overdue(now).select_related(*QUEUE_RELATED).order_by("next_due_at", "pk")


def breaches_without_reason() -> QuerySet[Breach]:
    return (
        Breach.objects.filter(reason="", request__discarded_at__isnull=True)
        .select_related("request")
        .order_by("deadline", "pk")
    )


def _mine(user: Any) -> tuple[ServiceRequestQuerySet, str]:
    """The requests on the user's home panel, and a name for them in cache keys."""
    requests = ServiceRequest.objects.counted()
    if user.is_team:
        # Theirs and unassigned ones, written as one comparison: as "assigned to them OR to nobody",
        # SQLite read the unassigned requests (nearly all of them) through the assignee index instead
        # of the indexes of open clocks and deadlines.
        handler = Coalesce("assigned_to_id", Value(user.pk))
        return requests.alias(handler=handler).filter(handler=user.pk), f"team:{user.pk}"
    if user.is_unit_scoped:
        return requests.filter(logged_by=user), f"logged:{user.pk}"
    return requests, "all"


def home_panel(user: Any, *, now: dt.datetime | None = None, limit: int = 10) -> dict[str, Any]:
    """For the home page: the user's requests due soon and breached (team: theirs and unassigned;
    coordinators: the ones they logged; read-only roles: all). A few queries, whatever the size: the
    breached count is cached until a write or the next pending clock running out."""
    now = now or timezone.now()
    mine, whose = _mine(user)
    calendars = Calendars(now)
    pending = _pending(mine, now)
    overdue = mine.overdue(now).select_related(*QUEUE_RELATED).order_by("next_due_at", "pk")
    # The breached count changes with a write or when one of these pending requests runs out.
    overdue_count = cached_until(
        f"servicedesk-home-overdue:{whose}",
        [SERVICE_REQUESTS],
        now,
        lambda: (overdue.order_by().count(), pending.until),
    )
    return {
        "due_soon": _rows(pending.due_soon[:limit], calendars),
        "due_soon_count": len(pending.due_soon),
        "overdue": _rows(overdue[:limit], calendars),
        "overdue_count": overdue_count,
    }


def home_panel_values(user: Any) -> dict[str, Any]:
    """home_panel(user) as the values of the home page's registered panel (core.panels)."""
    return {"panel": home_panel(user)}
