from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from simkerma.activities.models import Activity
from simkerma.activities.selectors import ActivityFilters, activity_list, activity_list_count
from simkerma.agreements.models import Agreement
from simkerma.api.errors import invalid
from simkerma.api.paging import page_of
from simkerma.api.schemas import MAX_ID, ActivityOut, ActivityPage, ActivityQuery, CodeQuery, Error
from simkerma.org.models import Prodi, Unit

router = Router(tags=["Activities"])
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error}


def _with_related(rows: Any) -> Any:
    return rows.select_related("agreement", "cooperation_form").prefetch_related(
        Prefetch("units", queryset=Unit.objects.only("pk", "code")),
        Prefetch("prodi", queryset=Prodi.objects.only("pk", "code", "unit_id")),
        "funding",
        "outputs",
    )


def _filters(query: ActivityQuery) -> ActivityFilters:
    unit = agreement = None
    if query.unit is not None and (unit := Unit.objects.filter(code=query.unit).first()) is None:
        raise invalid(("query", "unit"), f"No unit has the code {query.unit!r}.")
    if query.agreement is not None and (agreement := Agreement.objects.filter(pk=query.agreement).first()) is None:
        raise invalid(("query", "agreement"), f"No agreement has the id {query.agreement}.")
    return ActivityFilters(
        q=query.q,
        status=query.status or "",
        field=query.field or "",
        kind=query.kind or "",
        unit=unit,
        agreement=agreement,
        year=query.year,
    )


@router.get("", response={200: ActivityPage, 401: Error, 403: Error, 422: Any}, summary="List activities")
def list_activities(request: HttpRequest, query: Query[ActivityQuery]) -> dict[str, Any]:
    """The activities, the latest start first, with the filters of the activity list: words, status,
    field, kind, the unit they count for (by code), their agreement (by id) and the year they start in."""
    filters = _filters(query)
    rows = _with_related(activity_list(user=request.user, filters=filters))
    return page_of(request, rows, query, count=lambda: activity_list_count(user=request.user, filters=filters))


def _one(request: HttpRequest, **lookup: Any) -> Activity:
    found: Activity | None = (
        _with_related(activity_list(user=request.user, filters=ActivityFilters())).filter(**lookup).first()
    )
    if found is None:
        raise Http404
    return found


@router.get("/by-code", response={200: ActivityOut, **ERRORS}, summary="Find an activity by its code")
def activity_by_code(request: HttpRequest, lookup: Query[CodeQuery]) -> Activity:
    """The activity with this code, as shown on its page."""
    return _one(request, code=lookup.code)


@router.get("/{int:activity_id}", response={200: ActivityOut, **ERRORS}, summary="Read an activity")
def activity_detail(request: HttpRequest, activity_id: int = Path(..., ge=1, le=MAX_ID)) -> Activity:
    """One activity by id, with its agreement, units and prodi."""
    return _one(request, pk=activity_id)
