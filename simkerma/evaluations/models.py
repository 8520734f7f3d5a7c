"""Monitoring (form BO.28.1.2), the yearly evaluation of each agreement, and the partner survey.

- A monitoring record is one line of the office's quarterly log for an agreement. The agreement's
  own columns (number, partner, start, end, unit, scope, level) are read from the agreement; the
  record stores what the office writes: the period, the activity, its benefit, evidence, status,
  person in charge and the monitoring date.
- An evaluation judges one agreement for one year (the workbook's Evaluasi sheet, KPI B.1.2.9.8).
  Once archived it is read-only and kept until its retention date, like the cooperation reports.
- A survey invitation asks one partner contact about one agreement and year, through a signed,
  single-use link; its answer is stored on the invitation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.core.models import Retained, TidyModel, TimeStampedModel
from simkerma.partners.models import PartnerContact

SCALE = [MinValueValidator(1), MaxValueValidator(4)]
COMMENT_MAX_LENGTH = 2000


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar quarter."""
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def last_valid_day(agreement: Agreement) -> dt.date:
    """The agreement's last valid day: its end date, or the day before it was ended early."""
    if agreement.terminated_on is not None:
        return min(agreement.end_date, agreement.terminated_on - dt.timedelta(days=1))
    return agreement.end_date


def overlaps_life(agreement: Agreement, first: dt.date, last: dt.date) -> bool:
    return agreement.start_date <= last and first <= last_valid_day(agreement)


class MonitoringStatus(models.TextChoices):
    PLANNED = "direncanakan", _("Planned")
    ONGOING = "berjalan", _("Ongoing")
    DONE = "terlaksana", _("Carried out")
    NOT_DONE = "tidak_terlaksana", _("Not carried out")


class MonitoringRecord(TimeStampedModel):
    """One quarter's line of the monitoring log (BO.28.1.2) for an agreement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="monitoring_records"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_records",
    )
    activity_title = models.CharField(_("activity title"), max_length=500)
    benefit = models.TextField(_("benefit"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MonitoringStatus.choices)
    pic = models.CharField(_("person in charge"), max_length=150, blank=True)
    monitored_on = models.DateField(_("monitoring date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "year", "quarter", "pk"]
        verbose_name = _("monitoring record")
        verbose_name_plural = _("monitoring records")
        indexes = [models.Index(fields=["year", "quarter"], name="monitoring_period")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.period_label}: {self.activity_title}"

    @property
    def period_label(self) -> str:
        return f"{self.year} Q{self.quarter}"

    def clean(self) -> None:
        if self.agreement_id is None or not self.year or not self.quarter or not 1 <= self.quarter <= 4:
            return
        if self.year < 1900 or self.year > 2200:
            raise ValidationError({"year": _("Enter a year between 1900 and 2200.")})
        first, last = quarter_dates(self.year, self.quarter)
        agreement = self.agreement
        if not overlaps_life(agreement, first, last):
            raise ValidationError(
                {
                    "quarter": _("This period lies outside the agreement's life (%(start)s to %(end)s).")
                    % {"start": date_format(agreement.start_date), "end": date_format(last_valid_day(agreement))}
                }
            )
        if self.activity is not None and self.activity.agreement_id != self.agreement_id:
            raise ValidationError({"activity": _("The activity is not under this agreement.")})


class Recommendation(models.TextChoices):
    LANJUT = "lanjut", _("Continue")
    PERPANJANG = "perpanjang", _("Extend")
    REVISI = "revisi", _("Revise")
    HENTIKAN = "hentikan", _("Stop")


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def for_year(self, year: int) -> EvaluationQuerySet:
        return self.filter(year=year)

    def due_for_disposal(self, on: dt.date) -> EvaluationQuerySet:
        return self.filter(retention_until__isnull=False, retention_until__lte=on)


class Evaluation(Retained, TimeStampedModel):
    """The yearly evaluation of one agreement (BO.28.1.2; the workbook's Evaluasi sheet).

    Aspects a (benefit) and b (performance) are yes/no with a justification. Aspect c is judged
    from `kepuasan` (1 to 4) and `keberlanjutan` (continuation); where either is left empty the
    year's partner survey answers count instead (selectors.aspect_judgements). The evaluator's
    own yes/no on aspect c (`satisfaction`) and its justification are kept for the form.
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    benefit = models.BooleanField(_("benefit (manfaat)"), null=True, blank=True)
    benefit_reason = models.TextField(_("justification of the benefit"), blank=True)
    performance = models.BooleanField(_("performance (kinerja)"), null=True, blank=True)
    performance_reason = models.TextField(_("justification of the performance"), blank=True)
    satisfaction = models.BooleanField(_("satisfaction and continuation"), null=True, blank=True)
    satisfaction_reason = models.TextField(_("justification of the satisfaction and continuation"), blank=True)
    kepuasan = models.PositiveSmallIntegerField(_("satisfaction (kepuasan)"), null=True, blank=True, validators=SCALE)
    keberlanjutan = models.BooleanField(_("continuation (keberlanjutan)"), null=True, blank=True)
    effectiveness = models.PositiveSmallIntegerField(_("effectiveness"), null=True, blank=True, validators=SCALE)
    recommendation = models.CharField(_("recommendation"), max_length=12, choices=Recommendation.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes (catatan)"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retention_until = models.DateField(_("keep until"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "agreement__number"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="evaluation_agreement_year"),
            models.CheckConstraint(
                condition=Q(kepuasan__isnull=True) | Q(kepuasan__gte=1, kepuasan__lte=4), name="evaluation_kepuasan_1_4"
            ),
            models.CheckConstraint(
                condition=Q(effectiveness__isnull=True) | Q(effectiveness__gte=1, effectiveness__lte=4),
                name="evaluation_effectiveness_1_4",
            ),
        ]
        indexes = [
            models.Index(fields=["year"], name="evaluation_year"),
            models.Index(fields=["retention_until"], name="evaluation_retention"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def validate_constraints(self, exclude: Any = None) -> None:
        # The one-per-year rule is refused on the year field by clean(), not as a form-wide error.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            if self._duplicate_year():
                messages = error.message_dict if hasattr(error, "error_dict") else {}
                messages.pop("__all__", None)
                if messages:
                    raise ValidationError(messages) from None
                return
            raise

    def _duplicate_year(self) -> bool:
        if self.agreement_id is None or not self.year:
            return False
        return Evaluation.objects.filter(agreement_id=self.agreement_id, year=self.year).exclude(pk=self.pk).exists()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.year and (self.year < 1900 or self.year > 2200):
            errors["year"] = _("Enter a year between 1900 and 2200.")
        elif self.agreement_id is not None and self.year:
            if self._duplicate_year():
                errors["year"] = _("This agreement already has an evaluation for %(year)s.") % {"year": self.year}
            elif not overlaps_life(self.agreement, dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)):
                errors["year"] = _("The agreement was not in force in %(year)s.") % {"year": self.year}
        if (self.archived_at is None) != (self.retention_until is None):
            errors["retention_until"] = _(
                "An archived evaluation has the time it was archived and the date it is kept until."
            )
        if errors:
            raise ValidationError(errors)

    retention_message = _("An archived evaluation is kept until %(date)s and cannot be deleted before then.")


class SurveyQuerySet(models.QuerySet["SurveyInvitation"]):
    def answered(self) -> SurveyQuerySet:
        return self.filter(answered_at__isnull=False)

    def unanswered(self) -> SurveyQuerySet:
        return self.filter(answered_at__isnull=True)


class SurveyInvitation(TidyModel):
    """One partner contact's survey for an agreement and a year, with the answer once given.

    The link carries the invitation's id and a random nonce, signed with the site's key; only the
    nonce's SHA-256 is stored. An answer clears the hash, so the same link never counts twice.
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="survey_invitations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    contact = models.ForeignKey(
        PartnerContact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    nonce_hash = models.CharField(max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"), null=True, blank=True, validators=SCALE)
    communication = models.PositiveSmallIntegerField(_("communication"), null=True, blank=True, validators=SCALE)
    usefulness = models.PositiveSmallIntegerField(_("benefit to the partner"), null=True, blank=True, validators=SCALE)
    intends_to_continue = models.BooleanField(_("intends to continue"), null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])

    objects = SurveyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["nonce_hash"])

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(satisfaction__isnull=False, intends_to_continue__isnull=False),
                name="survey_answer_complete",
            ),
            models.UniqueConstraint(
                fields=["agreement", "year", "contact"],
                condition=Q(contact__isnull=False),
                name="survey_one_per_contact_year",
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "year"], name="survey_agreement_year"),
            models.Index(fields=["answered_at", "sent_at"], name="survey_unanswered"),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.agreement_id} ({self.year})"

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def clean(self) -> None:
        if self.answered_at is not None and (self.satisfaction is None or self.intends_to_continue is None):
            raise ValidationError({"satisfaction": _("Answer every question on the 1 to 4 scale.")})
