"""The KPI dashboard and the pages behind its numbers: every figure opens the records it counts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.accounts.permissions import can_read, require
from simkerma.agreements.models import Agreement, Status, today
from simkerma.core.choices import Field
from simkerma.core.dates import MAX_DATE, MIN_DATE, WIB
from simkerma.kpis import drilldown, engine, selectors
from simkerma.kpis.charts import Series, bar_chart, line_chart
from simkerma.org.models import Prodi, Unit
from simkerma.servicedesk.models import ClockName
from simkerma.servicedesk.selectors import percent, service_times_by_month

TREND_YEARS = 5
EXPIRING_ROWS = 10
# The procedure's order: a. draft, b. first response, c. follow-up.
CLOCK_ORDER = (("a", ClockName.DRAFT), ("b", ClockName.RESPONSE), ("c", ClockName.FOLLOWUP))


def this_year() -> int:
    return timezone.now().astimezone(WIB).year


def year_param(value: str | None) -> int:
    """The year asked for in the query string, or this year when it is missing, not a number or out of range."""
    try:
        year = int((value or "").strip())
    except ValueError:
        return this_year()
    return year if MIN_DATE.year <= year <= MAX_DATE.year else this_year()


def _years(year: int) -> list[int]:
    return [y for y in range(year - TREND_YEARS + 1, year + 1) if y >= MIN_DATE.year]


def _coverage_chart(year: int, trend: dict[int, dict[str, Any]]) -> dict[str, Any]:
    years = sorted(trend)
    rows = [(y, trend[y]) for y in years]
    chart = bar_chart(
        title=_("Prodi coverage by year against the target"),
        labels=[str(y) for y in years],
        values=[row["percent"] for _y, row in rows],
        target=[row["target"] for _y, row in rows],
        links=[f"{reverse('kpis:coverage')}?year={y}" for y in years],
        value_label=_("Coverage"),
        target_label=_("Target"),
    )
    return {"svg": chart, "rows": rows}


def _matrix(user: Any, unit_fields: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per unit of the report, the coordinator's own unit first, then by code."""
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=list(unit_fields))}
    own = user.unit_id if getattr(user, "is_unit_scoped", False) else None
    rows = []
    for code, entry in unit_fields.items():
        unit = units.get(code)
        if unit is None:
            continue
        cells = [
            {
                "field": field,
                "count": entry[field],
                "expected": field in entry["expected"],
                "levels": {level: n for level, n in entry["levels"][field].items() if n},
            }
            for field in Field.values
        ]
        rows.append({"unit": unit, "cells": cells, "met": entry["met"], "own": unit.pk == own})
    rows.sort(key=lambda row: (not row["own"], row["unit"].code))
    return rows


def _service(year: int) -> dict[str, Any]:
    """Compliance per month and for the year. A request belongs to the month its deadline falls in, so
    the year's counts are the months' sums (the figures of `service_times(year)`), from one query."""
    months = service_times_by_month(year)
    totals = {}
    for _letter, clock in CLOCK_ORDER:
        counts = {
            state: sum(month[clock.value][state] for _m, month in months) for state in ("met", "breached", "pending")
        }
        totals[clock.value] = {**counts, "percent": percent(counts["met"], counts["breached"])}
    series = [
        Series(
            label=f"{letter}. {clock.label}",
            values=[counts[clock.value]["percent"] for _month, counts in months],
            css=f"chart-series-{index}",
        )
        for index, (letter, clock) in enumerate(CLOCK_ORDER)
    ]
    chart = line_chart(
        title=_("Service-time compliance by month"), labels=[f"{month:02d}" for month, _c in months], series=series
    )
    return {
        "svg": chart,
        "rows": [(month, [counts[clock.value] for _letter, clock in CLOCK_ORDER]) for month, counts in months],
        "totals": [(letter, clock, totals[clock.value]) for letter, clock in CLOCK_ORDER],
    }


@require(can_read)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The year's KPIs from the engine's parts (the figures of `kpi --year`), the coverage line of the
    last years and the service times by month."""
    year = year_param(request.GET.get("year"))
    # Both from the cache while the data behind them is unchanged (engine.stored_figures).
    trend = {entry["year"]: entry for entry in engine.coverage_trend(_years(year))}
    figures = engine.stored_figures(year)
    context = {
        "year": year,
        "years": sorted({*range(this_year(), this_year() - 10, -1), year}, reverse=True),
        "coverage": trend[year]["prodi_coverage"],
        "coverage_chart": _coverage_chart(year, {y: entry["prodi_coverage"] for y, entry in trend.items()}),
        "matrix": _matrix(request.user, figures["unit_fields"]),
        "fields": Field.choices,
        "service": _service(year),
        "clocks": CLOCK_ORDER,
        "aspects": figures["aspects"],
        "expiring": Agreement.objects.with_status(Status.EXPIRING, today())
        .prefetch_related("partners")
        .order_by("end_date", "pk")[:EXPIRING_ROWS],
    }
    return render(request, "kpis/dashboard.html", context)


@require(can_read)
def coverage(request: HttpRequest) -> HttpResponse:
    """The active prodi of a year with their activities carried out, the uncovered ones first."""
    year = year_param(request.GET.get("year"))
    rows = selectors.coverage_prodi(year, user=request.user)
    return render(request, "kpis/coverage.html", {"year": year, "rows": rows})


@require(can_read)
def unit_field(request: HttpRequest, unit: int, field: str) -> HttpResponse:
    """A matrix cell: the activities carried out in the year that count for this unit in this field."""
    if field not in Field.values:
        raise Http404
    year = year_param(request.GET.get("year"))
    the_unit = get_object_or_404(Unit, pk=unit)
    activities = selectors.unit_field_activities(user=request.user, unit=the_unit, field=field, year=year)
    page = Paginator(activities, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"year": year, "unit": the_unit, "field": Field(field), "page_obj": page}
    return render(request, "kpis/unit_field.html", context)


@require(can_read)
def prodi_activities(request: HttpRequest, prodi: int) -> HttpResponse:
    """A prodi's row of the coverage list: its activities carried out in the year, directly or through the agreement."""
    year = year_param(request.GET.get("year"))
    the_prodi = get_object_or_404(Prodi.objects.select_related("unit"), pk=prodi)
    activities = drilldown.prodi_activities(user=request.user, prodi=the_prodi, year=year)
    page = Paginator(activities, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kpis/prodi_activities.html", {"year": year, "prodi": the_prodi, "page_obj": page})


@require(can_read)
def aspects(request: HttpRequest) -> HttpResponse:
    """The agreements counted for the three aspects in the year, each with what it met."""
    year = year_param(request.GET.get("year"))
    rows = selectors.aspect_rows(year, user=request.user)
    page = Paginator(rows, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kpis/aspects.html", {"year": year, "page_obj": page})
