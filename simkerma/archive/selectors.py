"""Reads of the archive: the list of cooperation reports, shared by the page, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from simkerma.accounts.permissions import can_read
from simkerma.archive.models import CooperationReport, ReportQuerySet


@dataclass(frozen=True, kw_only=True)
class ReportFilters:
    """What the report list is narrowed to: words to search for, a status and the year filed."""

    q: str = ""
    status: str = ""
    year: int | None = None


def report_list(*, user: Any, filters: ReportFilters) -> ReportQuerySet:
    """The reports this user may read that match the filters, newest filed first."""
    if not can_read(user):
        raise PermissionDenied
    reports = CooperationReport.objects.all()
    if filters.q:
        reports = reports.search(filters.q)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.year:
        reports = reports.filter(created_at__year=filters.year)
    return reports.select_related("agreement").order_by("-created_at", "-pk")
