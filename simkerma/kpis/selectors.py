"""The records behind the KPI figures, for the dashboard's drill-down. Every role reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from simkerma.accounts.permissions import can_read
from simkerma.activities.models import Activity, ActivityProdiScope, ActivityQuerySet, ActivityUnitScope
from simkerma.agreements.models import Agreement
from simkerma.evaluations.selectors import Judgement, aspect_judgements
from simkerma.kpis.engine import AspectsMet, aspects_met, counted_agreements, counted_scope, led_quality_score
from simkerma.org.models import Prodi, Unit


def _check(user: Any) -> None:
    if not can_read(user):
        raise PermissionDenied


def coverage_prodi(year: int, *, user: Any) -> QuerySet[Prodi]:
    """Every prodi active in the year with `activity_count`, its activities carried out in the year
    (directly or through the agreement); the uncovered ones first, then by code. One query."""
    _check(user)
    counts = (
        counted_scope(ActivityProdiScope, year)
        .filter(prodi_id=OuterRef("pk"))
        .order_by()
        .values("prodi_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Prodi.objects.active_in(year)
        .select_related("unit")
        .annotate(activity_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
        .annotate(is_covered=Case(When(activity_count=0, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("is_covered", "code")
    )


def unit_field_activities(*, user: Any, unit: Unit | int, field: str, year: int) -> ActivityQuerySet:
    """The activities behind a unit-by-field cell: carried out in the year, counting for the unit, in the field."""
    _check(user)
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    cell = counted_scope(ActivityUnitScope, year).filter(activity_id=OuterRef("pk"), unit_id=unit_id, field=field)
    return Activity.objects.filter(Exists(cell)).select_related("agreement").order_by("start_date", "code")


@dataclass(frozen=True)
class AspectRow:
    """One counted agreement of the year with its judgement (None: not evaluated)."""

    agreement: Agreement
    judgement: Judgement | None
    met: AspectsMet
    led_score: int

    @property
    def evaluated(self) -> bool:
        return self.judgement is not None


def aspect_rows(year: int, *, user: Any) -> list[AspectRow]:
    """The agreements counted for the aspects in the year, the not-evaluated first, then by number.
    Three queries."""
    _check(user)
    judgements = aspect_judgements(year)
    rows = []
    for agreement in counted_agreements(year).only("pk", "number", "title", "kind", "level"):
        judgement = judgements.get(agreement.pk)
        rows.append(
            AspectRow(
                agreement=agreement,
                judgement=judgement,
                met=aspects_met(judgement),
                led_score=led_quality_score(judgement),
            )
        )
    rows.sort(key=lambda row: (row.evaluated, row.agreement.number))
    return rows
