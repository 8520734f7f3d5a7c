"""The service-time report (KPI B.1.2.9.13): the figures are counted once here; the service desk's
page shows them and the official reports' `service_time` exporter writes them as XLSX, CSV, PDF or
Word (/laporan/service_time/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from simkerma.servicedesk.models import ClockName
from simkerma.servicedesk.selectors import (
    SERVICE_TIME_KEYS,
    late_clocks_in,
    service_times,
    service_times_by_month,
    service_times_month,
)


@dataclass
class ComplianceRow:
    period: str  # "2026" or "2026-03"
    clock: str
    label: str
    met: int
    breached: int
    pending: int
    percent: Decimal | None


@dataclass
class BreachRow:
    code: str
    subject: str
    clock: str
    label: str
    deadline: dt.datetime
    done_at: dt.datetime | None
    detected_at: dt.datetime | None
    reason: str
    reason_by: str
    request_pk: int
    breach_pk: int | None


@dataclass
class ServiceTimeReport:
    year: int
    month: int | None
    totals: list[ComplianceRow]
    months: list[ComplianceRow]
    breaches: list[BreachRow]


def _rows(period: str, counts: dict[str, Any]) -> Iterator[ComplianceRow]:
    for key in SERVICE_TIME_KEYS:
        item = counts[key]
        yield ComplianceRow(
            period, key, str(ClockName(key).label), item["met"], item["breached"], item["pending"], item["percent"]
        )


def service_time_report(year: int, month: int | None = None, *, now: dt.datetime | None = None) -> ServiceTimeReport:
    now = now or timezone.now()
    if month is None:
        totals = list(_rows(str(year), service_times(year, now=now)))
        months = [
            row for m, counts in service_times_by_month(year, now=now) for row in _rows(f"{year}-{m:02d}", counts)
        ]
    else:
        totals = list(_rows(f"{year}-{month:02d}", service_times_month(year, month, now=now)))
        months = []
    breaches = []
    for item in late_clocks_in(year, month, now=now):
        breach = item.breach
        reason_by = breach.reason_by if breach else None
        breaches.append(
            BreachRow(
                code=item.request.code,
                subject=item.request.subject,
                clock=item.clock.name,
                label=str(ClockName(item.clock.name).label),
                deadline=item.deadline,
                done_at=item.done_at,
                detected_at=breach.detected_at if breach else None,
                reason=breach.reason if breach else "",
                reason_by=reason_by.display_name if reason_by else "",
                request_pk=item.request.pk,
                breach_pk=breach.pk if breach else None,
            )
        )
    return ServiceTimeReport(year, month, totals, months, breaches)
