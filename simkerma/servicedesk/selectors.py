"""Reads of the service desk: compliance counts (KPI B.1.2.9.13), the queue, the home panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Aggregate, Count, F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from simkerma.accounts.permissions import can_read
from simkerma.core.dates import WIB
from simkerma.core.versions import cached_until
from simkerma.servicedesk.clocks import Calendars, ClockState, next_open_state
from simkerma.servicedesk.models import CLOCKS, Breach, ClockColumns, ClockName, ServiceRequest

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
    requests = (
        ServiceRequest.objects.counted()
        .filter(anywhere)
        .prefetch_related(Prefetch("breaches", queryset=Breach.objects.select_related("reason_by")))
    )
    rows = [item for request in requests for item in late_clocks_of(request, now) if start <= item.deadline < end]
    return sorted(rows, key=lambda item: (item.deadline, item.request.pk, item.clock.name))


# -- the queue ----------------------------------------------------------------------------------


@dataclass
class QueueRow:
    request: ServiceRequest
    clock: ClockState | None


def _rows(requests: QuerySet[ServiceRequest], calendars: Calendars) -> list[QueueRow]:
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


def queue_requests() -> QuerySet[ServiceRequest]:
    """Requests with a clock still running, the next deadline first."""
    return _requests(RequestFilters(open_only=True, order=RequestOrder.NEXT_DUE))


def queue_rows(requests: QuerySet[ServiceRequest] | list[ServiceRequest], *, now: dt.datetime) -> list[QueueRow]:
    return _rows(requests, Calendars(now))  # type: ignore[arg-type]


def due_soon_requests(now: dt.datetime) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.counted().due_soon(now).select_related(*QUEUE_RELATED).order_by("next_due_at", "pk")


def overdue_requests(now: dt.datetime) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.counted().overdue(now).select_related(*QUEUE_RELATED).order_by("next_due_at", "pk")


def breaches_without_reason() -> QuerySet[Breach]:
    return (
        Breach.objects.filter(reason="", request__discarded_at__isnull=True)
        .select_related("request")
        .order_by("deadline", "pk")
    )


def _mine(user: Any) -> QuerySet[ServiceRequest]:
    requests = ServiceRequest.objects.counted()
    if user.is_team:
        return requests.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
    if user.is_unit_scoped:
        return requests.filter(logged_by=user)
    return requests


def home_panel(user: Any, *, now: dt.datetime | None = None, limit: int = 10) -> dict[str, Any]:
    """For the home page: the user's requests due soon and breached (team: theirs and unassigned;
    coordinators: the ones they logged; read-only roles: all). Four queries, whatever the size."""
    now = now or timezone.now()
    mine = _mine(user).select_related(*QUEUE_RELATED).order_by("next_due_at", "pk")
    calendars = Calendars(now)
    due_soon = mine.filter(pk__in=ServiceRequest.objects.due_soon(now).values("pk"))
    overdue = mine.filter(pk__in=ServiceRequest.objects.overdue(now).values("pk"))
    return {
        "due_soon": _rows(due_soon[:limit], calendars),
        "due_soon_count": due_soon.count(),
        "overdue": _rows(overdue[:limit], calendars),
        "overdue_count": overdue.count(),
    }


def home_panel_values(user: Any) -> dict[str, Any]:
    """home_panel(user) as the values of the home page's registered panel (core.panels)."""
    return {"panel": home_panel(user)}
