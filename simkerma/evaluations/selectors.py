"""Reads: the aspect judgements the KPI engine counts, evaluations still due, lists and pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from simkerma.activities.models import Activity
from simkerma.activities.scope import ACTIVITY_SCOPE, KPI_INPUTS
from simkerma.agreements.models import Agreement, AgreementQuerySet
from simkerma.core.versions import cached
from simkerma.evaluations.models import Evaluation, MonitoringRecord, SurveyInvitation
from simkerma.evaluations.permissions import can_view_evaluations


@dataclass(frozen=True)
class Judgement:
    """How one agreement stands on the three aspects (B.1.2.9.8) for a year."""

    benefit: bool | None
    performance: bool | None
    kepuasan: int | None
    keberlanjutan: bool | None
    kepuasan_from_survey: bool
    keberlanjutan_from_survey: bool


@dataclass(frozen=True)
class SurveySummary:
    sent: int
    answered: int
    satisfaction_sum: int
    continue_yes: int

    @property
    def kepuasan(self) -> int | None:
        """The mean overall satisfaction of the answers, rounded half up (3.5 → 4, 2.5 → 3)."""
        if not self.answered:
            return None
        mean = Decimal(self.satisfaction_sum) / Decimal(self.answered)
        return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def keberlanjutan(self) -> bool | None:
        """Yes when a strict majority of the answers intend to continue; a tie is no majority, so no."""
        if not self.answered:
            return None
        return 2 * self.continue_yes > self.answered

    @property
    def response_rate(self) -> float | None:
        """Answered over sent, in percent rounded half up to two decimals; None when none was sent."""
        if not self.sent:
            return None
        rate = Decimal(self.answered * 100) / Decimal(self.sent)
        return float(rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def survey_summaries(year: int, agreement_ids: list[int] | None = None) -> dict[int, SurveySummary]:
    """The year's survey counts per agreement, in one grouped query."""
    invitations = SurveyInvitation.objects.filter(year=year)
    if agreement_ids is not None:
        invitations = invitations.filter(agreement_id__in=agreement_ids)
    answered = Q(answered_at__isnull=False)
    rows = invitations.values("agreement_id").annotate(
        sent=Count("pk"),
        answered=Count("pk", filter=answered),
        satisfaction_sum=Sum("satisfaction", filter=answered),
        continue_yes=Count("pk", filter=answered & Q(intends_to_continue=True)),
    )
    return {
        row["agreement_id"]: SurveySummary(
            sent=row["sent"],
            answered=row["answered"],
            satisfaction_sum=row["satisfaction_sum"] or 0,
            continue_yes=row["continue_yes"],
        )
        for row in rows
    }


def judgement(evaluation: Mapping[str, Any], survey: SurveySummary | None) -> Judgement:
    """One evaluation's judgement (its benefit, performance, kepuasan and keberlanjutan values),
    with an empty kepuasan or keberlanjutan taken from the year's survey answers when there are any."""
    kepuasan, keberlanjutan = evaluation["kepuasan"], evaluation["keberlanjutan"]
    kepuasan_from_survey = keberlanjutan_from_survey = False
    if kepuasan is None and survey is not None and survey.kepuasan is not None:
        kepuasan, kepuasan_from_survey = survey.kepuasan, True
    if keberlanjutan is None and survey is not None and survey.keberlanjutan is not None:
        keberlanjutan, keberlanjutan_from_survey = survey.keberlanjutan, True
    return Judgement(
        benefit=evaluation["benefit"],
        performance=evaluation["performance"],
        kepuasan=kepuasan,
        keberlanjutan=keberlanjutan,
        kepuasan_from_survey=kepuasan_from_survey,
        keberlanjutan_from_survey=keberlanjutan_from_survey,
    )


def aspect_judgements(year: int, agreement_ids: list[int] | None = None) -> dict[int, Judgement]:
    """The judgement of every agreement evaluated for the year, keyed by agreement id.

    The evaluation's own kepuasan and keberlanjutan count. Where it leaves kepuasan empty, the mean
    overall satisfaction of the year's answered surveys for the agreement counts, rounded half up;
    where it leaves keberlanjutan empty, yes counts when a strict majority of the answers intend to
    continue (a tie counts as no). Without answers the value stays None. Agreements without an
    evaluation for the year are not in the result (they meet no aspect). With `agreement_ids`, only
    those agreements' judgements. Two queries in all.
    """
    found = Evaluation.objects.filter(year=year)
    if agreement_ids is not None:
        found = found.filter(agreement_id__in=agreement_ids)
    evaluations = list(found.values("agreement_id", "benefit", "performance", "kepuasan", "keberlanjutan"))
    surveys = survey_summaries(year, agreement_ids)
    result: dict[int, Judgement] = {}
    for row in evaluations:
        result[row["agreement_id"]] = judgement(row, surveys.get(row["agreement_id"]))
    return result


def due_agreements(year: int) -> AgreementQuerySet:
    # The year's carried-out activities from their status and start-date index, then their
    # agreements: an EXISTS per agreement would probe every agreement ever registered.
    carried_out = Activity.objects.carried_out_in(year).values("agreement_id")
    evaluated = Evaluation.objects.filter(agreement_id=OuterRef("pk"), year=year)
    return cast(AgreementQuerySet, Agreement.objects.filter(pk__in=carried_out).filter(~Exists(evaluated)))


def evaluations_due(year: int, *, user: Any) -> AgreementQuerySet:
    """Agreements with an activity carried out in the year (docs/kpis.md "Counted") and no evaluation yet.

    The team sees all of them; a coordinator or P3M those naming their unit; pimpinan and auditors
    all (to read). An account without a role is refused.
    """
    if not can_view_evaluations(user):
        raise PermissionDenied
    agreements = due_agreements(year)
    if user.is_unit_scoped:
        agreements = agreements.for_unit(user.unit_id)
    return agreements.order_by("number")


def evaluation_year(now: dt.datetime | None = None) -> int:
    """The year whose evaluations are due now: the year just ended, and the current one from December."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return today.year if today.month == 12 else today.year - 1


DUE_DEPENDS_ON = (KPI_INPUTS, ACTIVITY_SCOPE)


def due_page(year: int, *, user: Any, number: Any, per_page: int) -> Page:
    """One page of `evaluations_due`, in number order. For the team (every agreement) the ordered ids
    are cached under the versions the home panel's figure uses, so a page reads only its own rows;
    a unit's list is smaller and is read each time."""
    due = evaluations_due(year, user=user)
    if user.is_unit_scoped:
        return Paginator(due.only("pk", "number", "title"), per_page).get_page(number)
    ids = cached(f"evaluations:due-ids:{year}", DUE_DEPENDS_ON, lambda: list(due.values_list("pk", flat=True)))
    page = Paginator(ids, per_page).get_page(number)
    rows = Agreement.objects.only("pk", "number", "title").in_bulk(list(page.object_list))
    page.object_list = cast(Any, [rows[pk] for pk in page.object_list if pk in rows])
    return page


def home_panel(user: Any) -> Mapping[str, Any] | None:
    """Evaluations still due, for the team (kapokja and staff) on the home page."""
    if not (user.is_authenticated and user.is_team):
        return None
    year = evaluation_year()

    def compute() -> tuple[list[Agreement], int]:
        due = evaluations_due(year, user=user)
        rows = list(due.only("pk", "number", "title")[:5])
        return rows, (due.count() if rows else 0)

    # Finding them reads all the year's carried-out activities, so the team's panel (every
    # agreement) is cached under the versions every write to activities, agreements and
    # evaluations bumps (kpis.apps watches them; the importer bumps it after bulk writes).
    rows, count = compute() if user.is_unit_scoped else cached(f"evaluations:due:{year}", DUE_DEPENDS_ON, compute)
    if not rows:
        return None
    return {"evaluations_due": rows, "evaluations_due_count": count, "evaluations_year": year}


@dataclass(frozen=True)
class EvaluationFilters:
    year: int | None = None


def evaluation_list(*, user: Any, filters: EvaluationFilters) -> QuerySet[Evaluation]:
    """The evaluations the user may read (coordinators: those of agreements naming their unit)."""
    if not can_view_evaluations(user):
        raise PermissionDenied
    evaluations = Evaluation.objects.select_related("agreement", "reviewer")
    if filters.year is not None:
        evaluations = evaluations.filter(year=filters.year)
    if user.is_unit_scoped:
        evaluations = evaluations.filter(agreement__in=AgreementQuerySet(Agreement).for_unit(user.unit_id))
    return evaluations.order_by("-year", "agreement__number", "pk")


def monitoring_list(*, user: Any, filters: EvaluationFilters) -> QuerySet[MonitoringRecord]:
    """The monitoring records the user may read (coordinators: those of agreements naming their unit)."""
    if not can_view_evaluations(user):
        raise PermissionDenied
    records = MonitoringRecord.objects.all()
    if filters.year is not None:
        records = records.filter(year=filters.year)
    if user.is_unit_scoped:
        records = records.filter(agreement__in=AgreementQuerySet(Agreement).for_unit(user.unit_id))
    return records.order_by("agreement__number", "year", "quarter", "pk")


def agreement_evaluation_page(agreement: Agreement) -> dict[str, Any]:
    """What the agreement's evaluation page shows: evaluations by year, monitoring, surveys and their rate."""
    evaluations = list(agreement.evaluations.select_related("reviewer").order_by("-year"))  # type: ignore[attr-defined]
    invitations = list(agreement.survey_invitations.order_by("-year", "email", "pk"))  # type: ignore[attr-defined]
    years = sorted({i.year for i in invitations}, reverse=True)
    summaries = {}
    for year in years:
        rows = [i for i in invitations if i.year == year]
        answered = [i for i in rows if i.answered_at is not None]
        summaries[year] = SurveySummary(
            sent=len(rows),
            answered=len(answered),
            satisfaction_sum=sum(i.satisfaction or 0 for i in answered),
            continue_yes=sum(1 for i in answered if i.intends_to_continue),
        )
    return {
        "evaluations": evaluations,
        "monitoring": list(
            agreement.monitoring_records.select_related("activity").order_by("-year", "-quarter", "pk")  # type: ignore[attr-defined]
        ),
        "invitations": invitations,
        "survey_years": [(year, summaries[year]) for year in years],
    }
