"""The record of each workbook uploaded on the web import page: who, when, the file, and what came of it."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simkerma.imports.results import ImportResult


def job_file_name(instance: ImportJob, filename: str) -> str:
    """Stored as imports/<uuid>.xlsx: the name the user gave is kept as text only, never as a path."""
    return f"imports/{instance.uuid.hex}.xlsx"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for the check")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, ready to import")
        REJECTED = "rejected", _("Rejected: the file has problems")
        QUEUED = "queued", _("Waiting for the import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    # Statuses a worker takes a job from, and the status it holds it in meanwhile.
    CLAIMS = {Status.UPLOADED: Status.CHECKING, Status.QUEUED: Status.IMPORTING}
    RUNNING = (Status.CHECKING, Status.IMPORTING)
    WAITING = (Status.UPLOADED, Status.QUEUED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    file = models.FileField(_("file"), upload_to=job_file_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The last progress written to the row (while a job runs, progress is in the cache: see jobs.py).
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    check_result = models.JSONField(_("result of the check"), null=True, blank=True)
    import_result = models.JSONField(_("result of the import"), null=True, blank=True)
    # Why the job failed, as an English msgid with its values: shown in the reader's language.
    error = models.TextField(_("error"), blank=True)
    error_params = models.JSONField(_("values of the error"), default=dict, blank=True)
    claimed_by = models.CharField(_("worker"), max_length=100, blank=True)
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="imports_job_status_idx")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.original_name

    @property
    def checked(self) -> ImportResult | None:
        return ImportResult.from_json(self.check_result) if self.check_result is not None else None

    @property
    def imported(self) -> ImportResult | None:
        return ImportResult.from_json(self.import_result) if self.import_result is not None else None

    @property
    def result(self) -> ImportResult | None:
        """What the page shows: the import's result once it ran, else the check's."""
        return self.imported or self.checked

    @property
    def error_message(self) -> str:
        if not self.error:
            return ""
        text = gettext(self.error)
        return text % self.error_params if self.error_params else text

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING or self.status in self.WAITING

    @property
    def can_confirm(self) -> bool:
        result = self.checked
        return self.status == self.Status.CHECKED and result is not None and result.ok

    def counts_summary(self) -> dict[str, Any]:
        """Created, updated and unchanged rows over all sheets of the result shown."""
        result = self.result
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for count in result.counts if result else []:
            totals["created"] += count.created
            totals["updated"] += count.updated
            totals["unchanged"] += count.unchanged
        return totals
