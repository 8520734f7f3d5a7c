"""Cooperation reports (laporan pelaksanaan kerjasama), their evidence, the archive and disposal.

A report is filed as a draft, then archived by the cooperation team: from then on it is LED data,
read-only, and kept until its retention date. A mistake found later is fixed by filing a
correction, a new version that points to the one it corrects; the old version stays viewable.
After the retention date a disposal may be requested and, once the Kapokja approves it, the
report's content and files are removed. Only the DisposalRecord (the tombstone) remains.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.core.models import TidyModel
from simkerma.core.search import word_search

DEFAULT_RETENTION_YEARS = 5


def retention_years(record_type: str) -> int:
    """Years a record type is kept after it is archived (SIMKERMA_RETENTION_YEARS, default 5)."""
    table = settings.SIMKERMA_RETENTION_YEARS or {}
    return int(table.get(record_type, DEFAULT_RETENTION_YEARS))


class ReportQuerySet(models.QuerySet["CooperationReport"]):
    def due_for_disposal(self, on: dt.date) -> ReportQuerySet:
        return self.filter(retention_until__isnull=False, retention_until__lte=on)

    def led_data(self) -> ReportQuerySet:
        return self.filter(is_led_data=True)

    def search(self, query: str) -> ReportQuerySet:
        """Reports whose title, code or agreement number holds every word of the query."""
        return cast(ReportQuerySet, word_search(self, query, ["title", "code", "agreement__number"]))


class CooperationReport(TidyModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Filed (draft)")
        ARCHIVED = "archived", _("Archived")
        SUPERSEDED = "superseded", _("Archived, superseded by a correction")

    code = models.CharField(_("report code"), max_length=30, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="reports"
    )
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), related_name="reports")
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("what was done"))
    outputs = models.TextField(_("outputs"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    participants_students = models.PositiveIntegerField(_("students taking part"), default=0)
    participants_lecturers = models.PositiveIntegerField(_("lecturers taking part"), default=0)
    participants_other = models.TextField(_("other participants"), blank=True)
    performance = models.TextField(_("performance achieved"), blank=True)
    documentation_link = models.URLField(_("documentation link"), max_length=500, blank=True)
    benefit_learning = models.TextField(
        _("benefit to learning, research or PkM"), blank=True, help_text=_("KPI B.1.2.9.8 aspect a.")
    )
    benefit_performance = models.TextField(
        _("better tridharma performance and facilities"), blank=True, help_text=_("KPI B.1.2.9.8 aspect b.")
    )
    benefit_partner = models.TextField(
        _("partner satisfaction and continuation"), blank=True, help_text=_("KPI B.1.2.9.8 aspect c.")
    )
    lead_name = models.CharField(_("activity lead"), max_length=150)
    lead_position = models.CharField(_("activity lead's position"), max_length=150, blank=True)
    acknowledged_by_name = models.CharField(_("acknowledged by"), max_length=150, blank=True)
    acknowledged_by_position = models.CharField(_("acknowledging official's position"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_led_data = models.BooleanField(_("LED data"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retention_until = models.DateField(_("keep until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[activities])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cooperation report")
        verbose_name_plural = _("cooperation reports")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="report_code_version")]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_status_created"),
            # The archive's list, newest first, stops after its page.
            models.Index(fields=["created_at", "id"], name="report_created"),
            models.Index(fields=["retention_until"], name="report_retention"),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("archive:report_detail", args=[self.pk])

    @property
    def identifier(self) -> str:
        return f"{self.code} v{self.version}" if self.version > 1 else self.code

    @property
    def is_locked(self) -> bool:
        """Archived (or superseded) reports are read-only; a mistake needs a correction."""
        return self.status != self.Status.DRAFT

    def is_due_for_disposal(self, on: dt.date) -> bool:
        return self.retention_until is not None and self.retention_until <= on

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.previous_id is not None and not self.correction_reason.strip():
            errors["correction_reason"] = _("Say what the correction fixes.")
        if self.status != self.Status.DRAFT and (self.archived_at is None or self.retention_until is None):
            errors["status"] = _("An archived report has the time it was archived and the date it is kept until.")
        if (
            self.archived_at is not None
            and self.retention_until is not None
            and self.retention_until < timezone.localdate(self.archived_at)
        ):
            errors["retention_until"] = _("A report cannot be kept until a date before it was archived.")
        if errors:
            raise ValidationError(errors)


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    # The stored name never comes from the user; the extension follows the checked content.
    extension = EXTENSIONS.get(instance.content_type, "bin")
    return f"archive/evidence/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


class EvidenceFile(TidyModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        ATTENDANCE = "attendance", _("Attendance list")
        ASSIGNMENT_LETTER = "assignment_letter", _("Assignment letter")
        SPK = "spk", _("Work order (SPK)")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    report = models.ForeignKey(CooperationReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def stored_name(self) -> str:
        return PurePath(self.file.name).name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def download_name(self) -> str:
        """The uploader's name with the extension of the checked content: report.docm is served as report.docx."""
        stem = PurePath(self.original_name).stem or "file"
        return f"{stem}.{EXTENSIONS.get(self.content_type, 'bin')}"


class DisposalRecord(TidyModel):
    """A request to dispose of an archived record and, once approved, its tombstone."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved, content removed")
        REJECTED = "rejected", _("Rejected")

    record_type = models.CharField(_("record type"), max_length=30, default="report")
    report = models.ForeignKey(
        CooperationReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="disposals"
    )
    identifier = models.CharField(_("identifier"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    retention_until = models.DateField(_("kept until"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("disposal record")
        verbose_name_plural = _("disposal records")
        constraints = [
            # At most one open request per record.
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="requested"), name="disposal_one_open_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("archive:disposal_detail", args=[self.pk])

    @property
    def approved_by(self) -> object:
        return self.decided_by if self.status == self.Status.APPROVED else None

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.decision_note.strip():
            raise ValidationError({"decision_note": REJECTION_NEEDS_NOTE})


REJECTION_NEEDS_NOTE = _("Say why the disposal is rejected.")
