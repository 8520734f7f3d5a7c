"""The KPI engine: the four KPIs of a year as `manage.py kpi --year YYYY --json` prints them.

Every count follows docs/kpis.md (the rules of /work/shared/DOMAIN.md and CONTRACTS.md). Units and
prodi are read from the activity scope table (`activities.scope`), which holds each activity's
effective units and prodi with its start date, field, level and whether it counts (carried out,
agreement valid on its start date). Each part aggregates in the database, so a year costs the same
few queries whatever the number of activities.

What depends only on stored data (coverage, unit by field, aspects, the coverage trend) is cached
under the data versions `kpi-inputs` (every model these parts read, watched in `KpisConfig.ready`)
and `activity-scope` (bumped where the scope table is written around the models), keyed also by
the settings the figures depend on. The service times depend on the clock (a pending request
turns breached as time passes), so they are always computed. `cache=False` computes everything
afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum

from simkerma.activities.models import CARRIED_OUT, Activity, ActivityProdiScope, ActivityUnitScope
from simkerma.activities.scope import ACTIVITY_SCOPE, KPI_INPUTS
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field, Level
from simkerma.core.versions import cached
from simkerma.evaluations.models import Evaluation, SurveyInvitation
from simkerma.evaluations.selectors import Judgement, SurveySummary, aspect_judgements, judgement
from simkerma.org.models import Prodi, Unit
from simkerma.servicedesk import selectors as servicedesk

T = TypeVar("T")

ASPECTS = ("benefit", "performance", "satisfaction")
# The clocks in the contract's order: a. draft, b. first response, c. follow-up.
CLOCKS = ("draft_1d", "response_15m", "followup_1d")


# The data versions the stored part of the figures depends on.
DEPENDS_ON = (KPI_INPUTS, ACTIVITY_SCOPE)


def _settings_key() -> str:
    """The settings the stored figures depend on: the coverage target and the satisfaction threshold."""
    return ":".join(
        str(value)
        for value in (
            settings.SIMKERMA_KPI_COVERAGE_BASE_YEAR,
            settings.SIMKERMA_KPI_COVERAGE_BASE,
            settings.SIMKERMA_KPI_COVERAGE_STEP,
            settings.SIMKERMA_KPI_SATISFACTION_THRESHOLD,
        )
    )


def _cached(key: str, compute: Callable[[], T], *, cache: bool) -> T:
    if not cache:
        return compute()
    return cached(f"kpi:{key}:{_settings_key()}", DEPENDS_ON, compute)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def rounded_percent(part: int, whole: int) -> float | None:
    """part / whole in percent, rounded half up to two decimals; None when whole is 0."""
    if whole == 0:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(value)


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


# --- B.1.2.9.11 prodi coverage --------------------------------------------------------------------


def coverage_target(year: int) -> float:
    """The base value in the base year, plus the step for each later year, capped at 100.

    Years before the base year have the base value: the target starts there.
    """
    later = max(0, year - settings.SIMKERMA_KPI_COVERAGE_BASE_YEAR)
    target = settings.SIMKERMA_KPI_COVERAGE_BASE + settings.SIMKERMA_KPI_COVERAGE_STEP * later
    return float(min(Decimal("100"), Decimal(str(target))))


def _coverage(year: int, active: list[str], covered: set[str]) -> dict[str, Any]:
    percent = rounded_percent(len(covered), len(active))
    target = coverage_target(year)
    return {
        "active": len(active),
        "covered": len(covered),
        "percent": percent,
        "target": target,
        "met": percent is not None and percent >= target,
        "uncovered": sorted(code for code in active if code not in covered),
    }


def scope_filter(year: int, relation: str = "") -> dict[str, Any]:
    """The conditions on scope rows of the activities carried out in the year, on the scope table
    itself or through a relation to it (`unit_scope`, `prodi_scope`)."""
    first, last = year_bounds(year)
    prefix = f"{relation}__" if relation else ""
    # `counts__in=[True]` rather than `counts=True`: SQLite compiles the latter to a bare `WHERE counts`,
    # which no index serves, and then scans the whole table.
    return {f"{prefix}counts__in": [True], f"{prefix}start_date__gte": first, f"{prefix}start_date__lte": last}


def counted_scope(model: type[ActivityProdiScope] | type[ActivityUnitScope], year: int) -> Any:
    """Scope rows of the activities carried out in the year."""
    return model.objects.filter(**scope_filter(year))


def _prodi_coverage(year: int) -> dict[str, Any]:
    """Active prodi named (directly or through the agreement) by an activity carried out in the year. One query."""
    covered_by = counted_scope(ActivityProdiScope, year).filter(prodi_id=OuterRef("pk"))
    rows = Prodi.objects.active_in(year).annotate(is_covered=Exists(covered_by)).values_list("code", "is_covered")
    active = [code for code, _is_covered in rows]
    return _coverage(year, active, {code for code, is_covered in rows if is_covered})


# --- B.1.2.9.7 unit-by-field -----------------------------------------------------------------------


def reported_units() -> list[Unit]:
    """Every jurusan and every other unit with expected fields, by code."""
    units = Unit.objects.only("pk", "code", "kind", "expected_fields").order_by("code")
    return [unit for unit in units if unit.kind == Unit.Kind.JURUSAN or unit.expected_fields]


def _unit_fields(year: int) -> dict[str, Any]:
    """Per unit: activities carried out in the year per field (and per level), its expected fields, met. Two queries."""
    counts: dict[tuple[int, str, str], int] = {
        (row["unit_id"], row["field"], row["level"]): row["n"]
        for row in counted_scope(ActivityUnitScope, year)
        .values("field", "level", "unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    result: dict[str, Any] = {}
    for unit in reported_units():
        levels = {
            field: {level: counts.get((unit.pk, field, level), 0) for level in Level.values} for field in Field.values
        }
        per_field = {field: sum(levels[field].values()) for field in Field.values}
        expected = sorted(unit.expected_fields)
        result[unit.code] = {
            **per_field,
            "expected": expected,
            "met": all(per_field.get(field, 0) > 0 for field in expected),
            "levels": levels,
        }
    return result


# --- B.1.2.9.13 service times ---------------------------------------------------------------------


def _service_json(counts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {
        clock: {
            "met": values["met"],
            "breached": values["breached"],
            "pending": values["pending"],
            "percent": _number(values["percent"]),
        }
        for clock, values in ((clock, counts[clock]) for clock in CLOCKS)
    }


def service_times(year: int, *, now: dt.datetime | None = None, cache: bool = True) -> dict[str, Any]:
    """The service desk's counts of the year (one query), with percentages as JSON numbers."""
    return _service_json(servicedesk.service_times(year, now=now, cache=cache))


# --- B.1.2.9.8 aspects ----------------------------------------------------------------------------


def counted_agreements(year: int) -> Any:
    """The agreements with at least one activity carried out in the year (aspects.counted).

    Read from the year's activities (the status and start-date index) rather than probing every
    agreement in force: an activity naming no unit or prodi under an agreement naming none has no
    scope row, yet counts here.
    """
    return Agreement.objects.filter(pk__in=Activity.objects.carried_out_in(year).values("agreement_id"))


@dataclass(frozen=True)
class AspectsMet:
    benefit: bool
    performance: bool
    satisfaction: bool


def aspects_met(judgement: Judgement | None) -> AspectsMet:
    """What a judgement meets; no judgement (no evaluation for the year) meets nothing."""
    if judgement is None:
        return AspectsMet(benefit=False, performance=False, satisfaction=False)
    threshold = settings.SIMKERMA_KPI_SATISFACTION_THRESHOLD
    return AspectsMet(
        benefit=judgement.benefit is True,
        performance=judgement.performance is True,
        satisfaction=judgement.kepuasan is not None
        and judgement.kepuasan >= threshold
        and judgement.keberlanjutan is True,
    )


def led_quality_score(judgement: Judgement | None) -> int:
    """The LED's cooperation-quality score (FO.2.3.1): 4 all three aspects, 3 a and b, 2 a, 1 otherwise.

    The aspects build on each other in the order a, b, c: b without a, or c without b, adds nothing.
    """
    met = aspects_met(judgement)
    if not met.benefit:
        return 1
    if not met.performance:
        return 2
    return 4 if met.satisfaction else 3


def _aspects(counted: int, not_evaluated: list[str], met: Mapping[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"counted": counted, "not_evaluated": sorted(not_evaluated)}
    for aspect in ASPECTS:
        result[aspect] = {"met": met[aspect], "percent": rounded_percent(met[aspect], counted)}
    return result


def _aspects_of(year: int) -> dict[str, Any]:
    """The three aspects over the agreements counted in the year. Three queries."""
    judgements = aspect_judgements(year)
    met = dict.fromkeys(ASPECTS, 0)
    not_evaluated: list[str] = []
    counted = list(counted_agreements(year).values_list("pk", "number"))
    for pk, number in counted:
        judgement = judgements.get(pk)
        if judgement is None:
            not_evaluated.append(number)
        flags = aspects_met(judgement)
        for aspect in ASPECTS:
            met[aspect] += getattr(flags, aspect)
    return _aspects(len(counted), not_evaluated, met)


# --- the report -----------------------------------------------------------------------------------


def stored_figures(year: int, *, cache: bool = True) -> dict[str, Any]:
    """The parts of the year's report that depend only on stored data: prodi coverage, unit by field
    and aspects. From the cache (two queries) while none of their data has changed."""

    def compute() -> dict[str, Any]:
        return {
            "prodi_coverage": _prodi_coverage(year),
            "unit_fields": _unit_fields(year),
            "aspects": _aspects_of(year),
        }

    return _cached(f"year:{year}", compute, cache=cache)


def prodi_coverage(year: int, *, cache: bool = True) -> dict[str, Any]:
    """Active prodi named (directly or through the agreement) by an activity carried out in the year."""
    return dict(stored_figures(year, cache=cache)["prodi_coverage"])


def unit_fields(year: int, *, cache: bool = True) -> dict[str, Any]:
    """Per unit: activities carried out in the year per field (and per level), its expected fields, met."""
    return dict(stored_figures(year, cache=cache)["unit_fields"])


def aspects(year: int, *, cache: bool = True) -> dict[str, Any]:
    """The three aspects over the agreements counted in the year."""
    return dict(stored_figures(year, cache=cache)["aspects"])


def kpi_report(year: int, *, now: dt.datetime | None = None, cache: bool = True) -> dict[str, Any]:
    """The KPI report of CONTRACTS.md, key for key; a year without data gives zeros and nulls.

    The stored part comes from the cache while its data is unchanged; the service times are always live.
    """
    stored = stored_figures(year, cache=cache)
    return {
        "year": year,
        "prodi_coverage": stored["prodi_coverage"],
        "unit_fields": stored["unit_fields"],
        "service_times": service_times(year, now=now, cache=cache),
        "aspects": stored["aspects"],
    }


# --- the trend over several years (the dashboard's chart) -----------------------------------------


def _coverage_by_year(years: list[int]) -> dict[int, dict[str, Any]]:
    """prodi_coverage() of several years in one query: per prodi, one EXISTS per year on the scope's
    (prodi, counts, start date) index."""
    covered = {
        f"covered_{year}": Exists(counted_scope(ActivityProdiScope, year).filter(prodi_id=OuterRef("pk")))
        for year in years
    }
    prodi = list(Prodi.objects.annotate(**covered).values("code", "active_from", "active_until", *covered))
    result = {}
    for year in years:
        active = [
            row
            for row in prodi
            if (row["active_from"] is None or row["active_from"] <= year)
            and (row["active_until"] is None or row["active_until"] >= year)
        ]
        result[year] = _coverage(
            year, [row["code"] for row in active], {row["code"] for row in active if row[f"covered_{year}"]}
        )
    return result


def coverage_trend(years: Iterable[int], *, cache: bool = True) -> list[dict[str, Any]]:
    """Per year, oldest first: the prodi coverage alone (active, covered, percent, target, met), in
    one query (or from the cache); for a chart that needs no more than the coverage line."""
    wanted = sorted(set(years))
    if not wanted:
        return []

    def compute() -> list[dict[str, Any]]:
        coverage = _coverage_by_year(wanted)
        return [{"year": year, "prodi_coverage": _trend_coverage(coverage[year])} for year in wanted]

    return _cached("coverage-trend:" + ",".join(map(str, wanted)), compute, cache=cache)


def _trend_coverage(coverage: Mapping[str, Any]) -> dict[str, Any]:
    return {key: coverage[key] for key in ("active", "covered", "percent", "target", "met")}


def _aspects_by_year(years: list[int]) -> dict[int, dict[str, Any]]:
    """aspects() of several years in three queries: counted agreements per year, the evaluations of
    counted agreements, and the surveys, each grouped by year."""
    first, last = year_bounds(min(years))[0], year_bounds(max(years))[1]
    # One conditional count per year: no year extracted per row (a Python function on SQLite).
    counted_counts = (
        Activity.objects.filter(status__in=list(CARRIED_OUT), start_date__gte=first, start_date__lte=last)
        .valid_agreement_on_start()
        .aggregate(
            **{
                f"y{year}": Count(
                    "agreement_id",
                    distinct=True,
                    filter=Q(start_date__gte=year_bounds(year)[0], start_date__lte=year_bounds(year)[1]),
                )
                for year in years
            }
        )
    )
    counted = {year: counted_counts[f"y{year}"] for year in years}
    counted_then = Activity.objects.filter(
        agreement_id=OuterRef("agreement_id"), status__in=list(CARRIED_OUT), start_date__year=OuterRef("year")
    ).valid_agreement_on_start()
    evaluations = (
        Evaluation.objects.filter(year__in=years)
        .filter(Exists(counted_then))
        .values("agreement_id", "year", "benefit", "performance", "kepuasan", "keberlanjutan")
    )
    answered = Q(answered_at__isnull=False)
    summaries = {
        (row["agreement_id"], row["year"]): SurveySummary(
            sent=row["sent"],
            answered=row["answered"],
            satisfaction_sum=row["satisfaction_sum"] or 0,
            continue_yes=row["continue_yes"],
        )
        for row in SurveyInvitation.objects.filter(year__in=years)
        .values("agreement_id", "year")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=answered),
            satisfaction_sum=Sum("satisfaction", filter=answered),
            continue_yes=Count("pk", filter=answered & Q(intends_to_continue=True)),
        )
        .order_by()
    }
    met = {year: dict.fromkeys(ASPECTS, 0) for year in years}
    for row in evaluations:
        flags = aspects_met(judgement(row, summaries.get((row["agreement_id"], row["year"]))))
        for aspect in ASPECTS:
            met[row["year"]][aspect] += getattr(flags, aspect)
    return {
        year: {
            "counted": counted.get(year, 0),
            **{aspect: rounded_percent(met[year][aspect], counted.get(year, 0)) for aspect in ASPECTS},
        }
        for year in years
    }


def trend(years: Iterable[int], *, now: dt.datetime | None = None, cache: bool = True) -> list[dict[str, Any]]:
    """Per year, oldest first: prodi coverage (percent, target, met), the aspects' percents and the
    service-time percents. Five queries whatever the number of years; the coverage and aspects from
    the cache while their data is unchanged, the service times always live."""
    years = sorted(set(years))
    if not years:
        return []

    def compute() -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
        return _coverage_by_year(years), _aspects_by_year(years)

    coverage, aspect_figures = _cached("trend:" + ",".join(map(str, years)), compute, cache=cache)
    service = servicedesk.service_times_by_year(years, now=now, cache=cache)
    return [
        {
            "year": year,
            "prodi_coverage": _trend_coverage(coverage[year]),
            "aspects": aspect_figures[year],
            "service_times": {clock: _number(service[year][clock]["percent"]) for clock in CLOCKS},
        }
        for year in years
    ]
