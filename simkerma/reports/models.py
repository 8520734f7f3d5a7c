"""Reports issued as files and archived: the unit's LED (FO.2.3.1), kept for the retention period.

An issued report is the DOCX and PDF as they were handed in, with the SHA-256 of each, so what the
auditors read later is exactly what was issued. It cannot be deleted before its retention date;
after it, disposal goes through the archive's approved disposal.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from simkerma.core.models import Retained, TidyModel
from simkerma.org.models import Prodi, Unit

EXTENSIONS = frozenset({"docx", "pdf"})


def issued_upload_to(instance: IssuedReport, filename: str) -> str:
    # The stored name never comes from the report's title: a random name with the format's extension.
    extension = PurePath(filename).suffix.lstrip(".").lower()
    return f"reports/{uuid.uuid4().hex}.{extension if extension in EXTENSIONS else 'bin'}"


class IssuedReportQuerySet(models.QuerySet["IssuedReport"]):
    def visible_to(self, user: Any) -> IssuedReportQuerySet:
        """A coordinator or P3M user sees their own unit's reports; every other role sees all of them."""
        if getattr(user, "is_unit_scoped", False):
            return self.filter(unit_id=user.unit_id)
        return self

    def due_for_disposal(self, on: dt.date) -> IssuedReportQuerySet:
        return self.filter(retention_until__lte=on)


class IssuedReport(Retained, TidyModel):
    kind = models.CharField(_("report"), max_length=30, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="issued_reports"
    )
    prodi = models.ForeignKey(
        Prodi,
        verbose_name=_("study programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=500)
    docx = models.FileField(_("DOCX file"), upload_to=issued_upload_to, max_length=200)
    docx_sha256 = models.CharField(_("SHA-256 of the DOCX"), max_length=64)
    pdf = models.FileField(_("PDF file"), upload_to=issued_upload_to, max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    retention_until = models.DateField(_("keep until"))

    objects = IssuedReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        indexes = [
            models.Index(fields=["kind", "unit", "year"], name="issued_kind_unit_year"),
            models.Index(fields=["retention_until"], name="issued_retention"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.created_at and self.retention_until and self.retention_until < timezone.localdate(self.created_at):
            raise ValidationError(
                {"retention_until": _("An issued report cannot be kept until a date before it was issued.")}
            )

    retention_message = _("An issued report is kept until %(date)s and cannot be deleted before then.")
