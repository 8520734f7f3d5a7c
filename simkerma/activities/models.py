"""Activities (kegiatan) under an agreement, their coordination and follow-up tasks.

An activity's dates are a start date and an optional end date, each with an optional time of day
(wall-clock WIB). Without a start time the activity is all-day. Keeping the date as its own column
lets the KPIs (which count by start date in WIB) and the workbook (tanggal_mulai/tanggal_selesai)
filter and export without any time-zone arithmetic.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simkerma.accounts.models import WRITER_ROLES, User
from simkerma.activities.spans import SpanClass, overlap
from simkerma.agreements.models import AGREEMENT_SEARCH, Agreement
from simkerma.core.choices import Field, Level
from simkerma.core.dates import WIB
from simkerma.core.history import change_reason, reason_display, reason_template
from simkerma.core.models import TidyModel, TimeStampedModel
from simkerma.core.search_index import declare_search_index, indexed_search
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import PartnerContact


class ActivityKind(models.TextChoices):
    RAPAT = "rapat", _("Meeting")
    PENJADWALAN = "penjadwalan", _("Scheduling")
    KUNJUNGAN = "kunjungan", _("Visit")
    KULIAH_TAMU = "kuliah_tamu", _("Guest lecture")
    MAGANG = "magang", _("Internship")
    PENELITIAN_BERSAMA = "penelitian_bersama", _("Joint research")
    PKM = "pkm", _("Community service programme")
    PELATIHAN = "pelatihan", _("Training")
    SERTIFIKASI = "sertifikasi", _("Certification")
    LAINNYA = "lainnya", _("Other")


class ActivityStatus(models.TextChoices):
    RENCANA = "rencana", _("Planned")
    DIKOORDINASIKAN = "dikoordinasikan", _("Coordinated")
    TERLAKSANA = "terlaksana", _("Carried out")
    DILAPORKAN = "dilaporkan", _("Reported")
    DIARSIPKAN = "diarsipkan", _("Archived")
    BATAL = "batal", _("Cancelled")


# The procedure runs in this order, one step at a time (PR.28.3); batal may only end a plan that
# has not been carried out. `Activity.move()` is the one way the status changes.
PROCEDURE = (
    ActivityStatus.RENCANA,
    ActivityStatus.DIKOORDINASIKAN,
    ActivityStatus.TERLAKSANA,
    ActivityStatus.DILAPORKAN,
    ActivityStatus.DIARSIPKAN,
)
# Keyed by str so that plain status values (ActivityStatus is a str enum) look up the same entries.
STEP: dict[str, int] = {status: index for index, status in enumerate(PROCEDURE)}
NEXT_STATUS: dict[str, ActivityStatus] = {status: PROCEDURE[index + 1] for index, status in enumerate(PROCEDURE[:-1])}
CANCELLABLE = frozenset({ActivityStatus.RENCANA, ActivityStatus.DIKOORDINASIKAN})
CARRIED_OUT = frozenset({ActivityStatus.TERLAKSANA, ActivityStatus.DILAPORKAN, ActivityStatus.DIARSIPKAN})
OPEN = frozenset({ActivityStatus.RENCANA, ActivityStatus.DIKOORDINASIKAN})
# The workbook (docs/workbook.md) knows three statuses.
CONTRACT_STATUS = {
    ActivityStatus.RENCANA: "rencana",
    ActivityStatus.DIKOORDINASIKAN: "rencana",
    ActivityStatus.TERLAKSANA: "terlaksana",
    ActivityStatus.DILAPORKAN: "terlaksana",
    ActivityStatus.DIARSIPKAN: "terlaksana",
    ActivityStatus.BATAL: "batal",
}


# The reason recorded by the one sanctioned move that may skip steps: an activity taken over
# from the workbook or the demo data, whose procedure ran outside Simkerma.
IMPORTED = reason_template(gettext_noop("imported"))
# The history's change reason for each move, without and with the mover's reason.
MOVE_REASONS: dict[str, tuple[str, str]] = {
    ActivityStatus.DIKOORDINASIKAN: (
        reason_template(gettext_noop("Coordinated")),
        reason_template(gettext_noop("Coordinated: %(reason)s")),
    ),
    ActivityStatus.TERLAKSANA: (
        reason_template(gettext_noop("Carried out")),
        reason_template(gettext_noop("Carried out: %(reason)s")),
    ),
    ActivityStatus.DILAPORKAN: (
        reason_template(gettext_noop("Reported")),
        reason_template(gettext_noop("Reported: %(reason)s")),
    ),
    ActivityStatus.DIARSIPKAN: (
        reason_template(gettext_noop("Archived")),
        reason_template(gettext_noop("Archived: %(reason)s")),
    ),
    ActivityStatus.BATAL: (
        reason_template(gettext_noop("Cancelled")),
        reason_template(gettext_noop("Cancelled: %(reason)s")),
    ),
}


def order_refusal(current: str, to: str, *, imported: bool = False) -> str:
    """Why the procedure does not allow moving from `current` to `to`; empty when it does.

    A move goes one step forward, or to batal from a plan not yet carried out. An imported move
    (`imported=True`) may also jump forward over several steps.
    """
    S = ActivityStatus
    if to not in S.values or current not in S.values:
        return gettext("Unknown status.")
    if to == S.BATAL:
        if current in CANCELLABLE:
            return ""
        return gettext("Only a planned or coordinated activity can be cancelled; this one is %(status)s.") % {
            "status": S(current).label
        }
    if current == S.BATAL:
        return gettext("This activity was cancelled; its status cannot change any more.")
    if STEP[to] == STEP[current] + 1 or (imported and STEP[to] > STEP[current]):
        return ""
    expected = NEXT_STATUS.get(current)
    return gettext("An activity moves %(order)s one step at a time. From %(status)s the next step is %(next)s.") % {
        "order": " → ".join(str(s.label) for s in PROCEDURE),
        "status": S(current).label,
        "next": S(expected).label if expected else gettext("none (it is archived)"),
    }


def move_reason(to: str, reason: str) -> str:
    """The history's change reason for a move to `to` (an English msgid, shown in the reader's language)."""
    if reason == IMPORTED:
        return change_reason(IMPORTED)
    plain, with_reason = MOVE_REASONS[to]
    return change_reason(with_reason, reason=reason) if reason else change_reason(plain)


class ActivityQuerySet(models.QuerySet["Activity"]):
    def with_contract_status(self, status: str) -> ActivityQuerySet:
        return self.filter(status__in=[s for s, c in CONTRACT_STATUS.items() if c == status])

    def valid_agreement_on_start(self) -> ActivityQuerySet:
        """The agreement was valid on the activity's start date (docs/kpis.md)."""
        return self.filter(
            agreement__start_date__lte=F("start_date"),
            agreement__end_date__gte=F("start_date"),
        ).filter(Q(agreement__terminated_on__isnull=True) | Q(agreement__terminated_on__gt=F("start_date")))

    def carried_out_in(self, year: int, *, unit: Unit | int | None = None) -> ActivityQuerySet:
        """Carried out in the year: status terlaksana (contract), started in it, agreement valid then.

        With a unit, only those that count for it, read from the scope table's index.
        """
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if unit is not None:
            unit_id = unit.pk if isinstance(unit, Unit) else unit
            rows = ActivityUnitScope.objects.filter(
                unit_id=unit_id, counts=True, start_date__gte=first, start_date__lte=last
            )
            return self.filter(pk__in=rows.values("activity_id"))
        return self.filter(
            status__in=CARRIED_OUT, start_date__gte=first, start_date__lte=last
        ).valid_agreement_on_start()

    def in_year(self, year: int) -> ActivityQuerySet:
        return self.filter(start_date__gte=dt.date(year, 1, 1), start_date__lte=dt.date(year, 12, 31))

    def overlapping(self, first: dt.date, last: dt.date) -> ActivityQuerySet:
        """Activities with at least one day between first and last (both included)."""
        return self.filter(overlap(first, last))

    def for_unit(self, unit: Unit | int) -> ActivityQuerySet:
        """Activities that count for the unit: among its (effective) units, or one of its (effective)
        prodi belongs to it (docs/kpis.md). Read from the scope table, which holds one row per
        activity and unit it counts for, so no join multiplies rows; each activity looks up its row
        in the table's unique index, so that a page in date order stops after its rows."""
        unit_id = unit.pk if isinstance(unit, Unit) else unit
        return self.filter(Exists(ActivityUnitScope.objects.filter(activity_id=OuterRef("pk"), unit_id=unit_id)))

    def search(self, query: str) -> ActivityQuerySet:
        """Every word begins a word of the code, the title or the agreement's number."""

        def agreement_numbered(word: str) -> models.QuerySet[Any]:
            return Activity.objects.filter(agreement_id__in=AGREEMENT_SEARCH.matching(word, ["number"])).values("pk")

        return indexed_search(self, query, ACTIVITY_SEARCH, extra=agreement_numbered)  # type: ignore[return-value]


ACTIVITY_SEARCH = declare_search_index("activities_activity", ["code", "title"])


class Activity(TimeStampedModel):
    """One activity (kegiatan) carried out, or planned, under an agreement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="activities"
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Leave empty for the next code, e.g. K2026-00001."),
        error_messages={"unique": _("This code is already used by another activity.")},
    )
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    field = models.CharField(_("field"), max_length=15, choices=Field.choices)
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True, help_text=_("Empty for an all-day activity."))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    # Computed by the database from the dates, so every writer (bulk ones too) keeps it (spans.py).
    span_class = models.GeneratedField(
        expression=SpanClass("start_date", "end_date"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("span class"),
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    pic = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Polibatam person in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities_in_charge",
    )
    partner_contact = models.ForeignKey(
        PartnerContact,
        verbose_name=_("partner's person in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    partner_pic = models.CharField(
        _("partner's person in charge (name and contact)"),
        max_length=255,
        blank=True,
        help_text=_("When the person is not among the partner's contacts."),
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="activities",
        help_text=_("Leave empty to take the agreement's units."),
    )
    prodi = models.ManyToManyField(
        Prodi,
        verbose_name=_("study programmes"),
        blank=True,
        related_name="activities",
        help_text=_("Leave empty to take the agreement's study programmes."),
    )
    expected_students = models.PositiveIntegerField(_("expected students"), default=0)
    expected_lecturers = models.PositiveIntegerField(_("expected lecturers"), default=0)
    benefit = models.TextField(_("benefit"), blank=True)
    evidence = models.TextField(_("evidence (text or link)"), blank=True)
    cooperation_form = models.ForeignKey(
        "activities.CooperationForm",
        verbose_name=_("form of cooperation (IKU)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    duration_years = models.PositiveSmallIntegerField(
        _("duration (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("For the accreditation tables. Leave empty to count it from the dates."),
    )
    distinctive = models.BooleanField(
        _("distinctive of the study programme (ciri khas PS)"),
        default=False,
        help_text=_("The cooperation reflects what sets the study programme apart (LAM INFOKOM)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.RENCANA
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[units, prodi], excluded_fields=["span_class"])

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["status", "start_date"], name="activity_status_start"),
            models.Index(fields=["start_date"], name="activity_start"),
            models.Index(fields=["span_class", "start_date", "end_date", "status"], name="activity_span_start"),
            # The calendar's first activities of a day: all-day ones by id, then timed ones by time.
            models.Index(fields=["start_date", "start_time", "id"], name="activity_start_time"),
            models.Index(fields=["field", "start_date"], name="activity_field_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    # The status as stored, to tell a move from a status set by hand; and whether move() (or the
    # sanctioned import) is saving the instance now.
    _stored_status: str | None = None
    _moving: bool = False

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Activity:
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    def refresh_from_db(self, using: str | None = None, fields: Any = None, from_queryset: Any = None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            self._stored_status = self.__dict__.get("status")

    @classmethod
    def create_imported(
        cls, *, status: str = ActivityStatus.RENCANA, reason: str = IMPORTED, **fields: Any
    ) -> Activity:
        """Create an activity in the status its source gives (a workbook row, the demo data).

        The one sanctioned way to create an activity past rencana: its procedure ran outside
        Simkerma, so no move is recorded; the history's creation record carries `reason`
        ("imported"). The caller validates the values first, as for any create.
        """
        problem = (
            "" if status == ActivityStatus.RENCANA else order_refusal(ActivityStatus.RENCANA, status, imported=True)
        )
        if problem:
            raise ValidationError({"status": problem}, code="order")
        activity = cls(status=status, **fields)
        activity._change_reason = change_reason(reason)  # type: ignore[attr-defined]
        activity._moving = True
        try:
            activity.save()
        finally:
            activity._moving = False
        return activity

    def status_refusal(self) -> str:
        """Why the status set on this instance cannot be saved as it is; empty when it can.

        The status changes only by `move()`, which records the move: a new activity is planned,
        and a status set by hand on a stored one is refused.
        """
        if self._moving or "status" not in self.__dict__:
            return ""
        if self._state.adding or self._stored_status is None:
            if self.status == ActivityStatus.RENCANA:
                return ""
            return gettext("A new activity starts as planned; its status then moves %(order)s one step at a time.") % {
                "order": " → ".join(str(s.label) for s in PROCEDURE)
            }
        if self.status == self._stored_status:
            return ""
        return order_refusal(self._stored_status, self.status) or gettext(
            "The status changes only by a move in the procedure, which is recorded."
        )

    def clean(self) -> None:
        super().clean()
        errors = self.date_refusals()
        problem = self.status_refusal()
        if problem:
            errors["status"] = problem
        if errors:
            raise ValidationError(errors)

    def date_refusals(self) -> dict[str, str]:
        """The end comes after the start; times are given with a start time, and end after it on one day."""
        errors: dict[str, str] = {}
        start, end = self.start_date, self.end_date
        if start and end and end < start:
            errors["end_date"] = gettext("The end date (%(end)s) is before the start date (%(start)s).") % {
                "end": date_format(end),
                "start": date_format(start),
            }
        if self.end_time and not self.start_time:
            errors["end_time"] = gettext("Give the start time too, or leave both times empty for an all-day activity.")
        elif (
            start and self.start_time and self.end_time and (end or start) == start and self.end_time <= self.start_time
        ):
            errors["end_time"] = gettext("The end time must be after the start time.")
        return errors

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "status" in update_fields:
            problem = self.status_refusal()
            if problem:
                raise ValidationError({"status": problem}, code="order")
        super().save(*args, **kwargs)
        if "status" in self.__dict__ and (update_fields is None or "status" in update_fields):
            self._stored_status = self.status

    def move(self, to: str, *, user: Any, reason: str = "", imported: bool = False) -> ActivityTransition:
        """Move the activity in the procedure and record the move (who, from what, to what, why).

        One step forward, or batal from rencana or dikoordinasikan (the reason becomes the cancel
        reason). `imported=True` is the sanctioned path for the workbook importer and the demo
        data: it may jump forward over several steps, and records the move with its reason
        ("imported" unless given). Who may move and when is for the caller (`activity_transition`).
        """
        current = self._stored_status if self._stored_status is not None else self.status
        if self._state.adding:
            raise ValueError("An activity is saved before it moves.")
        problem = order_refusal(current, to, imported=imported)
        if problem:
            raise ValidationError({"status": problem}, code="order")
        reason = reason.strip() or (IMPORTED if imported else "")
        update = ["status", "updated_at"]
        previous = (self.status, self.cancel_reason, self._stored_status)
        self.status = to
        if to == ActivityStatus.BATAL:
            self.cancel_reason = reason
            update.append("cancel_reason")
        self._change_reason = move_reason(to, reason)  # type: ignore[attr-defined]
        self._moving = True
        try:
            with transaction.atomic():
                self.save(update_fields=update)
                return ActivityTransition.objects.create(
                    activity=self, from_status=current, to_status=to, user=user, reason=reason
                )
        except BaseException:
            self.status, self.cancel_reason, self._stored_status = previous
            raise
        finally:
            self._moving = False

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def contract_status(self) -> str:
        return CONTRACT_STATUS[ActivityStatus(self.status)]

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.start_date

    def starts_at(self) -> dt.datetime | None:
        """The start as an aware datetime (WIB), or None for an all-day activity."""
        if self.start_time is None:
            return None
        return dt.datetime.combine(self.start_date, self.start_time, tzinfo=WIB)

    def ends_at(self) -> dt.datetime | None:
        if self.start_time is None:
            return None
        if self.end_time is not None:
            return dt.datetime.combine(self.last_date, self.end_time, tzinfo=WIB)
        start = self.starts_at()
        assert start is not None
        return start + dt.timedelta(hours=1)

    def _related(self, name: str) -> list[Any]:
        return list(getattr(self, name).all()) if self.pk else []

    def effective_units(self) -> list[Unit]:
        """The units the activity names, or else its agreement's (docs/workbook.md)."""
        return self._related("units") or list(self.agreement.units.all())

    def effective_prodi(self) -> list[Prodi]:
        """The prodi the activity names, or else its agreement's (docs/workbook.md)."""
        return self._related("prodi") or list(self.agreement.prodi.all())

    def unit_ids(self) -> set[int]:
        """Every unit the activity counts for: its effective units and the jurusan of its effective prodi."""
        return {u.pk for u in self.effective_units()} | {p.unit_id for p in self.effective_prodi()}

    def names_unit(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.unit_ids()

    def validity_warning(self) -> str:
        """A warning naming the dates when the activity runs outside its agreement's validity."""
        return validity_warning(self.agreement, self.start_date, self.end_date)

    @property
    def status_label(self) -> str:
        return str(ActivityStatus(self.status).label)

    @property
    def duration(self) -> int:
        """The duration in whole years for the accreditation tables: as entered, or else counted
        from the dates (any part of a year is a year)."""
        if self.duration_years:
            return self.duration_years
        return max(1, (self.last_date - self.start_date).days // 365 + 1)


class ScopeRow(models.Model):
    """What a scope row carries besides its unit or prodi (docs/kpis.md), kept by activities.scope.

    `counts` is whether the activity is carried out (terlaksana, dilaporkan, diarsipkan) and its
    agreement was valid on its start date: "carried out in Y" is then `counts` and Y's dates.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActivityStatus.choices)
    field = models.CharField(max_length=15, choices=Field.choices)
    level = models.CharField(max_length=15, choices=Level.choices)
    counts = models.BooleanField()

    class Meta:
        abstract = True


class ActivityUnitScope(ScopeRow):
    """One row per activity and unit it counts for: its effective units and the jurusan of its
    effective prodi, each once."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="unit_scope")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("activity unit scope")
        verbose_name_plural = _("activity unit scope")
        constraints = [models.UniqueConstraint(fields=["activity", "unit"], name="activity_unit_scope_unique")]
        indexes = [
            models.Index(fields=["unit", "counts", "start_date"], name="unit_scope_unit_counts"),
            models.Index(fields=["counts", "start_date"], name="unit_scope_counts_start"),
            models.Index(fields=["unit", "status", "start_date", "activity"], name="unit_scope_unit_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → unit {self.unit_id}"


class ActivityProdiScope(ScopeRow):
    """One row per activity and effective prodi (the ones it names, or else its agreement's)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="prodi_scope")
    prodi = models.ForeignKey(Prodi, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("activity prodi scope")
        verbose_name_plural = _("activity prodi scope")
        constraints = [models.UniqueConstraint(fields=["activity", "prodi"], name="activity_prodi_scope_unique")]
        indexes = [
            models.Index(fields=["prodi", "counts", "start_date"], name="prodi_scope_prodi_counts"),
            models.Index(fields=["counts", "start_date"], name="prodi_scope_counts_start"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → prodi {self.prodi_id}"


def validity_warning(agreement: Agreement, start: dt.date, end: dt.date | None) -> str:
    from django.utils.translation import gettext

    last = end or start
    valid_until = agreement.end_date
    if agreement.terminated_on and agreement.terminated_on <= valid_until:
        valid_until = agreement.terminated_on - dt.timedelta(days=1)
    if agreement.start_date <= start and last <= valid_until:
        return ""
    return gettext(
        "The activity (%(start)s – %(end)s) falls outside the validity of agreement %(number)s (%(astart)s – %(aend)s)."
    ) % {
        "start": date_format(start),
        "end": date_format(last),
        "number": agreement.number,
        "astart": date_format(agreement.start_date),
        "aend": date_format(valid_until),
    }


class ActivityTransition(TidyModel):
    """One status change of an activity: who moved it, from what, to what, when and why."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=ActivityStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ActivityStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["activity", "at"], name="activity_transition_at")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.from_status} → {self.to_status}"

    @property
    def reason_shown(self) -> str:
        """The reason in the reader's language when it is one Simkerma records ("imported")."""
        return reason_display(self.reason)


class CoordinationRecord(TimeStampedModel):
    """A meeting or other contact by which the Kapokja coordinates an activity (PR.28.3 step 2)."""

    class Kind(models.TextChoices):
        RAPAT = "rapat", _("Meeting")
        TELEPON = "telepon", _("Telephone")
        EMAIL = "email", _("E-mail")
        KUNJUNGAN = "kunjungan", _("Visit")
        LAINNYA = "lainnya", _("Other")

    class Mode(models.TextChoices):
        LURING = "luring", _("In person")
        DARING = "daring", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="coordinations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RAPAT)
    held_at = models.DateTimeField(_("date and time"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.LURING)
    place = models.CharField(_("place or link"), max_length=500, blank=True)
    internal_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("internal attendees"), blank=True, related_name="coordinations"
    )
    internal_attendees_text = models.TextField(
        _("other internal attendees"), blank=True, help_text=_("People without an account, one per line.")
    )
    partner_attendees = models.TextField(_("partner attendees"), blank=True, help_text=_("One per line."))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[internal_attendees])

    class Meta:
        ordering = ["-held_at", "pk"]
        verbose_name = _("coordination record")
        verbose_name_plural = _("coordination records")
        indexes = [models.Index(fields=["held_at"], name="coordination_held_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.held_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("activities:coordination_detail", args=[self.pk])

    @property
    def is_meeting(self) -> bool:
        return self.kind == self.Kind.RAPAT

    def end(self) -> dt.datetime:
        return self.ends_at or self.held_at + dt.timedelta(hours=1)

    def clean(self) -> None:
        super().clean()
        if self.held_at and self.ends_at and self.ends_at <= self.held_at:
            raise ValidationError({"ends_at": gettext("The end must be after the start.")}, code="ends_before")


def assignable_people() -> models.QuerySet[User]:
    """Accounts a follow-up task may be given to: active, in a role that writes (not pimpinan or auditors)."""
    return User.objects.filter(is_active=True, role__in=WRITER_ROLES)


def assignee_refusal(user: Any) -> str:
    """Why this account cannot be given a follow-up task; empty when it can."""
    if getattr(user, "is_writer", False):
        return ""
    return _("Tasks go only to people who may act on them: %(name)s has a read-only role or no role.") % {
        "name": user.display_name
    }


class FollowUpTaskQuerySet(models.QuerySet["FollowUpTask"]):
    def open(self) -> FollowUpTaskQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue(self, on: dt.date) -> FollowUpTaskQuerySet:
        return self.open().filter(due_date__lt=on)


class FollowUpTask(TimeStampedModel):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="tasks")
    record = models.ForeignKey(
        CoordinationRecord,
        verbose_name=_("coordination record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField(_("task"), max_length=500)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FollowUpTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [models.Index(fields=["assignee", "done_at", "due_date"], name="task_assignee_open_due")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        problem = assignee_refusal(self.assignee) if self.assignee_id else ""
        if problem:
            errors["assignee"] = problem
        # A new task is due from a year ago on; one kept for years stays editable.
        if self._state.adding and self.due_date and self.due_date < timezone.localdate() - dt.timedelta(days=365):
            errors["due_date"] = gettext("The due date is more than a year in the past.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, on: dt.date) -> bool:
        return self.done_at is None and self.due_date < on


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a personal iCalendar feed URL. A revoked token answers 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def get_feed_url(self) -> str:
        return reverse("activities:calendar_feed", args=[self.token])


# The lists and records the official reports need (IKU, LKPS) are in their own module.
from simkerma.activities.reporting import ActivityFunding, ActivityOutput, CooperationForm  # noqa: E402

__all__ = ["ActivityFunding", "ActivityOutput", "CooperationForm"]
