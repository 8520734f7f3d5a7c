from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simkerma.agreements.models import Kind as DocumentKind
from simkerma.core.models import TidyModel, TimeStampedModel
from simkerma.core.search_index import declare_search_index, indexed_search
from simkerma.core.worktime import DEFAULT_WEEKLY_HOURS, check_weekly_hours, weekly_hours_to_json
from simkerma.partners.models import PARTNER_SEARCH


class Channel(models.TextChoices):
    """How a request came in (CONTRACTS, Layanan.kanal)."""

    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEPON = "telepon", _("Phone")
    LANGSUNG = "langsung", _("In person")
    SURAT = "surat", _("Letter")


class RequestKind(models.TextChoices):
    NEW_COOPERATION = "kerjasama_baru", _("New cooperation")
    NEW_DRAFT = "draf_baru", _("Agreement draft (new)")
    REVISION = "draf_revisi", _("Agreement draft (revision)")
    INFORMATION = "informasi", _("Information")
    OTHER = "lainnya", _("Other")


DRAFT_KINDS = frozenset({RequestKind.NEW_COOPERATION, RequestKind.NEW_DRAFT, RequestKind.REVISION})
# Kinds where the requester says which document they want.
DOCUMENT_KINDS_WANTED = frozenset({RequestKind.NEW_DRAFT, RequestKind.REVISION})


class Jenis(models.TextChoices):
    """The request kinds of CONTRACTS (Layanan.jenis)."""

    DRAF_DOKUMEN = "draf_dokumen", _("Document draft")
    INFORMASI = "informasi", _("Information")
    LAINNYA = "lainnya", _("Other")


# For imports (CONTRACTS, Layanan.jenis): the request kind a workbook row becomes.
KIND_FOR_JENIS = {
    Jenis.DRAF_DOKUMEN: RequestKind.NEW_DRAFT,
    Jenis.INFORMASI: RequestKind.INFORMATION,
    Jenis.LAINNYA: RequestKind.OTHER,
}


class Stage(models.TextChoices):
    """The stages of a cooperation request (pengajuan)."""

    DITERIMA = "diterima", _("Received")
    DIVERIFIKASI = "diverifikasi", _("Verified")
    DRAF_DISUSUN = "draf_disusun", _("Draft prepared")
    REVIEW_INTERNAL = "review_internal", _("Internal review")
    NEGOSIASI_MITRA = "negosiasi_mitra", _("Negotiation with the partner")
    DITANDATANGANI = "ditandatangani", _("Signed")
    DITOLAK = "ditolak", _("Rejected")


STAGE_ORDER: tuple[str, ...] = (
    Stage.DITERIMA,
    Stage.DIVERIFIKASI,
    Stage.DRAF_DISUSUN,
    Stage.REVIEW_INTERNAL,
    Stage.NEGOSIASI_MITRA,
    Stage.DITANDATANGANI,
)
FINAL_STAGES = frozenset({Stage.DITANDATANGANI, Stage.DITOLAK})


class ClockName(models.TextChoices):
    """The three service times of KPI B.1.2.9.13 (keys of service_times in the KPI JSON)."""

    RESPONSE = "response_15m", _("First response (15 working minutes)")
    DRAFT = "draft_1d", _("Draft delivered (1 working day)")
    FOLLOWUP = "followup_1d", _("Partner follow-up (1 working day)")


@dataclass(frozen=True)
class ClockColumns:
    """The columns one clock keeps on a request."""

    name: str
    prefix: str
    done: str

    @property
    def due(self) -> str:
        return f"{self.prefix}_due_at"

    @property
    def soon(self) -> str:
        return f"{self.prefix}_soon_at"

    @property
    def late(self) -> str:
        return f"{self.prefix}_late_after"


CLOCKS: tuple[ClockColumns, ...] = (
    ClockColumns(ClockName.RESPONSE, "response", "responded_at"),
    ClockColumns(ClockName.DRAFT, "draft", "draft_sent_at"),
    ClockColumns(ClockName.FOLLOWUP, "followup", "followed_up_at"),
)
CLOCK_BY_NAME = {clock.name: clock for clock in CLOCKS}


def default_weekly_hours() -> list[list[str] | None]:
    return weekly_hours_to_json(DEFAULT_WEEKLY_HOURS)


class CalendarVersionQuerySet(models.QuerySet["CalendarVersion"]):
    def in_force(self, moment: dt.datetime) -> CalendarVersion | None:
        return self.filter(effective_from__lte=moment).order_by("-effective_from", "-pk").first()


class CalendarVersion(TidyModel):
    """The working calendar from a moment on. Versions are never changed once in force: a change
    is a new version, so every clock keeps the calendar that was in force when it started."""

    effective_from = models.DateTimeField(_("in force from"), unique=True, db_index=True)
    weekly_hours = models.JSONField(
        _("hours per weekday"),
        default=default_weekly_hours,
        help_text=_("Monday first: [opening, closing] or null for a day off."),
    )
    national_holidays = models.BooleanField(
        _("national holidays and cuti bersama are days off"),
        default=True,
    )
    extra_days_off = models.JSONField(_("extra days off"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CalendarVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("working calendar version")
        verbose_name_plural = _("working calendar versions")

    def __str__(self) -> str:
        return f"{_('Working calendar')} {self.effective_from:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        # The admin edits the JSON by hand; the calendar must read it as the settings page wrote it.
        try:
            check_weekly_hours(self.weekly_hours)
        except ValidationError as error:
            raise ValidationError({"weekly_hours": error}) from None

    @property
    def extra_days(self) -> list[tuple[dt.date, str]]:
        return sorted((dt.date.fromisoformat(item["date"]), item.get("name", "")) for item in self.extra_days_off)


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class DiscardKind(models.TextChoices):
    SPAM = "spam", _("Spam")
    INVALID = "invalid", _("Invalid request")


def due_soon_condition(now: dt.datetime) -> Q:
    """A clock still open has used 80% of its limit and not yet run out."""
    condition = Q()
    for clock in CLOCKS:
        condition |= Q(**{f"{clock.done}__isnull": True, f"{clock.soon}__lte": now, f"{clock.late}__gte": now})
    return condition


def overdue_condition(now: dt.datetime) -> Q:
    """A clock still open ran past its last on-time moment (breached)."""
    condition = Q()
    for clock in CLOCKS:
        condition |= Q(**{f"{clock.done}__isnull": True, f"{clock.late}__lt": now})
    return condition


def pending_condition(now: dt.datetime) -> Q:
    """A clock still open has not run out yet (it runs, or is due soon)."""
    condition = Q()
    for clock in CLOCKS:
        condition |= Q(**{f"{clock.done}__isnull": True, f"{clock.late}__gte": now})
    return condition


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def counted(self) -> ServiceRequestQuerySet:
        """Requests that count: every queue, breach and service-time figure leaves discarded ones out."""
        return self.filter(discarded_at__isnull=True)

    def discarded(self) -> ServiceRequestQuerySet:
        return self.filter(discarded_at__isnull=False)

    def open_clock(self, clock: ClockColumns) -> ServiceRequestQuerySet:
        return self.filter(**{f"{clock.due}__isnull": False, f"{clock.done}__isnull": True})

    def any_open(self) -> ServiceRequestQuerySet:
        return self.filter(next_due_at__isnull=False)

    def due_soon(self, now: dt.datetime) -> ServiceRequestQuerySet:
        return self.filter(due_soon_condition(now))

    def overdue(self, now: dt.datetime) -> ServiceRequestQuerySet:
        return self.filter(overdue_condition(now))

    def pending(self, now: dt.datetime) -> ServiceRequestQuerySet:
        """Requests with a clock still open and not yet run out (those due soon among them)."""
        return self.filter(pending_condition(now))

    def in_progress(self) -> ServiceRequestQuerySet:
        return self.filter(kind__in=DRAFT_KINDS).exclude(stage__in=FINAL_STAGES)

    def search(self, query: str) -> ServiceRequestQuerySet:
        """Every word begins a word of the code, subject, requester, organisation or partner's name."""

        def partner_named(word: str) -> models.QuerySet[Any]:
            return ServiceRequest.objects.filter(partner_id__in=PARTNER_SEARCH.matching(word, ["name"])).values("pk")

        return cast(ServiceRequestQuerySet, indexed_search(self, query, REQUEST_SEARCH, extra=partner_named))


REQUEST_SEARCH = declare_search_index(
    "servicedesk_servicerequest", ["code", "subject", "requester_name", "requester_organisation"]
)


class ServiceRequest(TimeStampedModel):
    """A service request from any channel, with the deadlines of its clocks (KPI B.1.2.9.13).

    Each clock keeps three moments computed in working time with the calendar in force when the
    request came in: its deadline (`*_due_at`, the earliest moment the limit is used up), the
    moment 80% of it is used (`*_soon_at`) and the last on-time moment (`*_late_after`; equal to
    the deadline unless that falls on a closing time). A clock that does not apply has none.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    document_kind = models.CharField(_("document wanted"), max_length=3, choices=DocumentKind.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    scope = models.TextField(_("scope"), blank=True, help_text=_("One item per line."))
    message = models.TextField(_("message"), blank=True)
    from_partner = models.BooleanField(_("from a partner"), default=False)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    requester_name = models.CharField(_("requester's name"), max_length=150)
    requester_position = models.CharField(_("position"), max_length=150, blank=True)
    requester_organisation = models.CharField(_("unit / organisation"), max_length=255, blank=True)
    requester_email = models.EmailField(_("e-mail"), blank=True)
    requester_whatsapp = models.CharField(_("WhatsApp number"), max_length=40, blank=True)
    partner_pic = models.CharField(_("partner's PIC"), max_length=255, blank=True)

    received_at = models.DateTimeField(_("received at"), db_index=True)
    calendar_version = models.ForeignKey(
        CalendarVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True, db_index=True)
    response_soon_at = models.DateTimeField(null=True, blank=True)
    response_late_after = models.DateTimeField(null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    draft_due_at = models.DateTimeField(_("draft due"), null=True, blank=True, db_index=True)
    draft_soon_at = models.DateTimeField(null=True, blank=True)
    draft_late_after = models.DateTimeField(null=True, blank=True, db_index=True)
    draft_sent_at = models.DateTimeField(_("draft delivered at"), null=True, blank=True)
    followup_due_at = models.DateTimeField(_("follow-up due"), null=True, blank=True, db_index=True)
    followup_soon_at = models.DateTimeField(null=True, blank=True)
    followup_late_after = models.DateTimeField(null=True, blank=True, db_index=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, db_index=True)
    response_note = models.TextField(_("response"), blank=True)
    followup_note = models.TextField(_("follow-up"), blank=True)

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DITERIMA)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Discarded as spam or invalid by the team: kept and listed, but out of every count.
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("discarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    discard_kind = models.CharField(_("discarded as"), max_length=10, choices=DiscardKind.choices, blank=True)
    discard_reason = models.TextField(_("reason for discarding"), blank=True)

    objects = ServiceRequestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        # Every list and count reads counted requests (`discarded_at IS NULL`, nearly all rows), so
        # their indexes hold only those: the queue in deadline order, the list newest first, the
        # requests by kind and stage (cooperation requests in progress). Each clock's index holds
        # the requests whose clock is still open, by its last on-time moment: "breached" and "due
        # soon" are ranges in them, read with one index per clock.
        indexes = [
            models.Index(fields=["stage", "kind"]),
            models.Index(
                fields=["next_due_at", "id"], condition=Q(discarded_at__isnull=True), name="servicedesk_sr_queue_idx"
            ),
            models.Index(
                fields=["-received_at", "-id"], condition=Q(discarded_at__isnull=True), name="servicedesk_sr_list_idx"
            ),
            models.Index(
                fields=["kind", "stage"], condition=Q(discarded_at__isnull=True), name="servicedesk_sr_in_progress_idx"
            ),
            models.Index(
                fields=["-discarded_at", "-id"],
                condition=Q(discarded_at__isnull=False),
                name="servicedesk_sr_discarded_idx",
            ),
            *(
                models.Index(
                    fields=[clock.late, clock.soon],
                    condition=Q(**{f"{clock.done}__isnull": True}),
                    name=f"servicedesk_sr_{clock.prefix[:5]}_idx",
                )
                for clock in CLOCKS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:detail", args=[self.pk])

    def get_tracking_url(self) -> str:
        return reverse("servicedesk:track", args=[self.token])

    @property
    def jenis(self) -> str:
        if self.kind in DRAFT_KINDS:
            return Jenis.DRAF_DOKUMEN
        if self.kind == RequestKind.INFORMATION:
            return Jenis.INFORMASI
        return Jenis.LAINNYA

    @property
    def is_cooperation(self) -> bool:
        return self.kind in DRAFT_KINDS

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES

    @property
    def is_discarded(self) -> bool:
        return self.discarded_at is not None

    @property
    def scope_items(self) -> list[str]:
        return [line.strip() for line in self.scope.splitlines() if line.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind in DOCUMENT_KINDS_WANTED and not self.document_kind:
            errors["document_kind"] = str(_("Choose the document wanted: MoU, MoA/PKS or IA."))
        if self.kind and self.kind not in DRAFT_KINDS:
            self.document_kind = ""
        if problem := self.received_at_problem():
            errors["received_at"] = problem
        if errors:
            raise ValidationError(errors)

    def received_at_problem(self) -> str | None:
        """Why the received time cannot be this: it lies ahead, or after a clock already stopped."""
        if self.received_at is None:
            return None
        if self.received_at > timezone.now():
            return str(_("This moment is in the future."))
        for column, what in (
            ("responded_at", _("the first response")),
            ("draft_sent_at", _("the draft's delivery")),
            ("followed_up_at", _("the follow-up")),
        ):
            done = getattr(self, column)
            if done is not None and self.received_at > done:
                return str(
                    _("This is after %(what)s (%(when)s WIB); the request came in before that.")
                    % {"what": what, "when": timezone.localtime(done).strftime("%Y-%m-%d %H:%M")}
                )
        return None

    def clock_applies(self, clock: ClockColumns) -> bool:
        if clock.name == ClockName.RESPONSE:
            return True
        if clock.name == ClockName.DRAFT:
            return self.is_cooperation
        return self.from_partner

    def pending_until(self, now: dt.datetime) -> dt.datetime | None:
        """The last on-time moment of the first of its open clocks to run out after `now` (None: no
        open clock is pending): until then no clock of this request turns breached."""
        moments = [
            late
            for clock in CLOCKS
            if getattr(self, clock.done) is None and (late := getattr(self, clock.late)) is not None and late >= now
        ]
        return min(moments, default=None)

    def refresh_next_due(self) -> None:
        open_dues = [
            getattr(self, clock.due)
            for clock in CLOCKS
            if getattr(self, clock.due) is not None and getattr(self, clock.done) is None
        ]
        self.next_due_at = min(open_dues) if open_dues else None


class StageChange(TidyModel):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), db_index=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.request.code}: {self.from_stage} → {self.to_stage}"


def draft_upload_to(instance: DraftVersion, filename: str) -> str:
    return f"servicedesk/drafts/{timezone.localdate():%Y}/{uuid.uuid4().hex}.docx"


class DraftVersion(TidyModel):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField(_("version"))
    document_kind = models.CharField(_("document"), max_length=3, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=draft_upload_to)
    context = models.JSONField(_("filled values"), default=dict, blank=True)
    template_name = models.CharField(_("template"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=255, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="draft_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.request.code} v{self.number}"

    @property
    def filename(self) -> str:
        safe = "".join(ch if ch.isalnum() else "-" for ch in self.request.code)
        return f"draf-{self.get_document_kind_display().split('/')[0].lower()}-{safe}-v{self.number}.docx"


def template_upload_to(instance: DocumentTemplate, filename: str) -> str:
    return f"servicedesk/templates/{instance.document_kind}/{uuid.uuid4().hex}.docx"


class DocumentTemplate(TidyModel):
    """An institution's own DOCX template for one kind of agreement. The newest one is used."""

    document_kind = models.CharField(_("document"), max_length=3, choices=DocumentKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to=template_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["document_kind", "-uploaded_at", "-pk"]
        verbose_name = _("draft template")
        verbose_name_plural = _("draft templates")

    def __str__(self) -> str:
        return f"{self.get_document_kind_display()}: {self.name}"


class Breach(TidyModel):
    """A clock that ran past its limit, with the reason the staff give for it."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="breaches")
    clock = models.CharField(_("service time"), max_length=20, choices=ClockName.choices)
    deadline = models.DateTimeField(_("deadline"))
    detected_at = models.DateTimeField(_("detected at"))
    notified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    reason_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reason given by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason_at = models.DateTimeField(_("reason given at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        constraints = [models.UniqueConstraint(fields=["request", "clock"], name="breach_unique_clock")]

    def __str__(self) -> str:
        return f"{self.request.code}: {self.get_clock_display()}"


# The conversation's models live in their own module; importing them here registers them with the app.
from simkerma.servicedesk.messages import RequestAttachment, RequestMessage  # noqa: E402, F401
