"""Issuing reports: the unit's LED is written as DOCX and PDF and archived for the retention period."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.archive.models import retention_years
from simkerma.core.dates import add_years
from simkerma.core.history import change_reason, reason_template
from simkerma.core.staging import StagedFiles
from simkerma.org.models import Unit
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.models import IssuedReport
from simkerma.reports.renderers import render

ISSUED = reason_template(gettext_noop("issued and archived"))
# The record type whose retention (SIMKERMA_RETENTION_YEARS) an issued LED follows: FO.2.3.1 is kept 5 years.
RETENTION_RECORD_TYPE = "led"
MIN_YEAR, MAX_YEAR = 1900, 2200


def can_issue_reports(user: Any) -> bool:
    """The cooperation team (staf, kapokja, admin) issues and archives official reports."""
    return bool(getattr(user, "is_authenticated", False) and user.is_team)


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("Enter a year between 1900 and 2200.")})


def _rendered(report: Any, fmt: str) -> tuple[io.BytesIO, str]:
    output = io.BytesIO()
    render(report, fmt, output)
    return output, hashlib.sha256(output.getvalue()).hexdigest()


def led_issue(*, unit: Unit, year: int, user: Any) -> IssuedReport:
    """Write the unit's LED for the year as DOCX and PDF, and archive both with their SHA-256.

    The files are rendered and staged before the transaction; the row is saved in one transaction
    and the files move to their final names when it commits. Kept for the retention period.
    """
    if not can_issue_reports(user):
        raise PermissionDenied
    check_year(year)
    exporter = get_exporter("led")
    assert exporter is not None
    params = ReportParams(year=year, unit=unit)
    docx, docx_sha = _rendered(exporter.build(params), "docx")
    pdf, pdf_sha = _rendered(exporter.build(params), "pdf")
    now = timezone.now()
    issued = IssuedReport(
        kind=exporter.key,
        unit=unit,
        year=year,
        params={"unit": unit.code, "year": year},
        title=f"LED FO.2.3.1 {unit.code} {year}",
        docx_sha256=docx_sha,
        pdf_sha256=pdf_sha,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        created_at=now,
        retention_until=add_years(timezone.localdate(now), retention_years(RETENTION_RECORD_TYPE)),
    )
    with StagedFiles() as files:
        files.stage(issued.docx, exporter.filename(params, "docx"), docx)
        files.stage(issued.pdf, exporter.filename(params, "pdf"), pdf)
        issued.full_clean()
        with transaction.atomic():
            issued._change_reason = change_reason(ISSUED)  # type: ignore[attr-defined]
            issued.save()
            files.publish()
    return issued
