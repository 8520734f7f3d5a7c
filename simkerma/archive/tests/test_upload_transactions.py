"""Files are checked and written outside the write transaction, and leave nothing behind when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive import services
from simkerma.archive.data import EvidenceData
from simkerma.archive.models import CooperationReport
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.archive.tests.files import image_bytes, upload
from simkerma.archive.tests.test_archive import content_data
from simkerma.core.tests.files import pdf_bytes


def evidence_row(file, kind="photo") -> EvidenceData:
    """One evidence file as the services take it: the file and its kind."""
    return EvidenceData(kind=kind, file=file)


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "archive"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture
def report(agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=ActivityStatus.DILAPORKAN)
    report = ReportFactory(agreement=agreement_if, activities=[activity], title="Laporan magang")
    EvidenceFileFactory(report=report)
    return report


@pytest.mark.django_db(transaction=True)
def test_files_are_checked_before_the_transaction_begins(monkeypatch, staff, report):
    seen = []
    check = services.check_evidence

    def watched(upload, **kwargs):
        seen.append(connection.in_atomic_block)
        return check(upload, **kwargs)

    monkeypatch.setattr(services, "check_evidence", watched)
    rows = [evidence_row(upload("scan.pdf", pdf_bytes(pages=3)), "document")]
    services.report_update(report=report, data=content_data(report), evidence=rows, user=staff)
    assert seen == [False]
    assert report.evidence.filter(content_type="application/pdf").count() == 1


@pytest.mark.django_db
def test_a_failed_edit_leaves_no_file(staff, report):
    before = stored_files()
    rows = [evidence_row(upload("a.png", image_bytes())), evidence_row(upload("b.png", image_bytes()), kind=None)]
    with pytest.raises(ValidationError):
        services.report_update(report=report, data=content_data(report), evidence=rows, user=staff)
    assert stored_files() == before
    assert report.evidence.count() == 1


@pytest.mark.django_db
def test_a_failed_correction_removes_its_copies_and_its_new_files(staff, report):
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    before = stored_files()
    rows = [evidence_row(upload("c.png", image_bytes()), kind=None)]  # its row cannot be saved
    with pytest.raises(ValidationError):
        services.report_correct(report=report, data=content_data(report), evidence=rows, reason="Salah", user=staff)
    assert stored_files() == before
    assert CooperationReport.objects.filter(code=report.code).count() == 1
