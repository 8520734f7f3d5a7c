from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Path, Router

from simkerma.accounts.permissions import can_read
from simkerma.api.schemas import MAX_YEAR, MIN_YEAR, Error, KpiOut
from simkerma.kpis.engine import kpi_report

router = Router(tags=["KPIs"])


@router.get("/{int:year}", response={200: KpiOut, 401: Error, 403: Error, 422: Any}, summary="The KPIs of a year")
def kpi_of_year(request: HttpRequest, year: int = Path(..., ge=MIN_YEAR, le=MAX_YEAR, examples=[2025])) -> Any:
    """The KPI report of the year: exactly the object `manage.py kpi --year YYYY --json` prints, with
    the same counts as the dashboard (docs/kpis.md)."""
    if not can_read(request.user):
        raise PermissionDenied
    return kpi_report(year)
