"""The records behind the KPI figures, for the dashboard's drill-down. Every role reads them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from simkerma.accounts.permissions import can_read
from simkerma.activities.models import Activity, ActivityProdiScope, ActivityQuerySet
from simkerma.agreements.models import Agreement
from simkerma.core.versions import cached
from simkerma.evaluations.models import Evaluation
from simkerma.evaluations.selectors import Judgement, aspect_judgements
from simkerma.kpis.engine import (
    DEPENDS_ON,
    AspectsMet,
    aspects_met,
    counted_agreements,
    counted_scope,
    led_quality_score,
    scope_filter,
)
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
    # Joined to the cell's scope rows and ordered by their start date (the activity's own), so both
    # databases read the rows in order from the scope index (unit, counts, start date) and a page
    # stops after its rows; an EXISTS per activity, or an IN ordered by the activity's column,
    # walked every activity in date order to find the year's few.
    return (
        Activity.objects.filter(
            **scope_filter(year, "unit_scope"), unit_scope__unit_id=unit_id, unit_scope__field=field
        )
        .select_related("agreement")
        .order_by("unit_scope__start_date", "code")
    )


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


class AspectRows(Sequence[AspectRow]):
    """The agreements counted for the aspects in the year, the not-evaluated first, then by number,
    read a slice at a time. Their order is a list of ids cached under the KPI inputs' versions
    (every write to activities, agreements and evaluations bumps them), since finding the year's
    counted agreements reads all the year's activities; a slice then reads only its own
    agreements, their evaluations and their surveys. Five queries for a page, whatever the year
    holds."""

    def __init__(self, year: int) -> None:
        self.year = year
        self._ids: list[int] | None = None

    def ids(self) -> list[int]:
        if self._ids is None:
            evaluated = Evaluation.objects.filter(agreement_id=OuterRef("pk"), year=self.year)
            ordered = (
                counted_agreements(self.year)
                .annotate(evaluated=Exists(evaluated))
                .order_by("evaluated", "number", "pk")
                .values_list("pk", flat=True)
            )
            self._ids = cached(f"kpi:aspect-rows:{self.year}", DEPENDS_ON, lambda: list(ordered))
        return self._ids

    def count(self) -> int:  # type: ignore[override]  # the Paginator's count(), not Sequence.count(value)
        return len(self.ids())

    def __len__(self) -> int:
        return self.count()

    def _rows(self, agreements: list[Agreement]) -> list[AspectRow]:
        everything = len(agreements) == self.count()  # the whole list: no list of ids to send
        judgements = aspect_judgements(self.year, None if everything else [agreement.pk for agreement in agreements])
        rows = []
        for agreement in agreements:
            judgement = judgements.get(agreement.pk)
            rows.append(
                AspectRow(
                    agreement=agreement,
                    judgement=judgement,
                    met=aspects_met(judgement),
                    led_score=led_quality_score(judgement),
                )
            )
        return rows

    @overload
    def __getitem__(self, index: int) -> AspectRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[AspectRow]: ...

    def __getitem__(self, index: int | slice) -> AspectRow | list[AspectRow]:
        ids = self.ids()
        wanted = ids[index] if isinstance(index, slice) else [ids[index]]
        found = Agreement.objects.only("pk", "number", "title", "kind", "level").in_bulk(wanted)
        rows = self._rows([found[pk] for pk in wanted if pk in found])
        return rows if isinstance(index, slice) else rows[0]

    def __iter__(self) -> Iterator[AspectRow]:
        return iter(self[:])


def aspect_rows(year: int, *, user: Any) -> AspectRows:
    """The agreements counted for the aspects in the year, the not-evaluated first, then by number."""
    _check(user)
    return AspectRows(year)
