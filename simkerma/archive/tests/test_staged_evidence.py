"""Evidence reaches its final name only when the report's transaction commits; a failed or
interrupted save leaves nothing in the media folder, the staging area included."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive import services
from simkerma.archive.data import ReportData
from simkerma.archive.models import CooperationReport
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.archive.tests.files import image_bytes, upload
from simkerma.archive.tests.test_archive import content_data
from simkerma.archive.tests.test_upload_transactions import evidence_row
from simkerma.core.staging import STAGING_DIR
from simkerma.core.tests.files import files_under, pdf_bytes


def staged(root: Path) -> set[str]:
    return {name for name in files_under(root) if name.startswith(f"{STAGING_DIR}/")}


@pytest.fixture
def report(media, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=ActivityStatus.DILAPORKAN)
    report = ReportFactory(agreement=agreement_if, activities=[activity], title="Laporan magang")
    EvidenceFileFactory(report=report)
    return report


def edit(report, staff, rows):
    return services.report_update(report=report, data=content_data(report), evidence=rows, user=staff)


@pytest.mark.django_db
def test_it_moves_new_evidence_to_its_final_name_only_when_the_transaction_commits(
    media, staff, report, django_capture_on_commit_callbacks
):
    png = image_bytes("PNG", color="navy")
    before = files_under(media)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edit(report, staff, [evidence_row(upload("kegiatan.png", png, "image/png"))])
    new = report.evidence.get(original_name="kegiatan.png")

    assert not (media / new.file.name).exists()  # not yet committed: only the staged copy exists
    assert len(staged(media)) == 1
    for callback in callbacks:
        callback()
    assert (media / new.file.name).read_bytes() == png
    assert staged(media) == set()
    assert files_under(media) == before | {new.file.name}


@pytest.mark.django_db(transaction=True)
def test_a_committed_filing_has_its_files_in_place_and_nothing_staged(media, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=ActivityStatus.TERLAKSANA)
    data = ReportData(activities=[activity], title="Laporan SK", summary="Penyerahan SK", lead_name="Andi Pratama")
    scan = pdf_bytes(pages=2)
    report = services.report_file(
        data=data, evidence=[evidence_row(upload("sk.pdf", scan, "application/pdf"), "document")], user=staff
    )

    evidence = report.evidence.get()
    assert (media / evidence.file.name).read_bytes() == scan
    assert evidence.file.name.startswith("archive/evidence/") and evidence.file.name.endswith(".pdf")
    assert staged(media) == set()


@pytest.mark.django_db
def test_a_rolled_back_edit_leaves_nothing_in_media_staging_included(media, staff, report):
    before = files_under(media)
    rows = [evidence_row(upload("a.png", image_bytes())), evidence_row(upload("b.png", image_bytes()), kind=None)]
    with pytest.raises(ValidationError):
        edit(report, staff, rows)

    assert files_under(media) == before
    assert report.evidence.count() == 1


@pytest.mark.django_db
def test_a_crash_after_staging_leaves_no_final_file(monkeypatch, media, staff, report):
    before = files_under(media)
    names = []
    save = services._save_evidence

    def crash(target, evidence):
        save(target, evidence)
        names.extend(item.file.name for item in evidence)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "_save_evidence", crash)
    with pytest.raises(RuntimeError):
        edit(report, staff, [evidence_row(upload("a.png", image_bytes()))])

    assert len(names) == 1 and names[0].startswith("archive/evidence/")
    assert not (media / names[0]).exists()
    assert files_under(media) == before
    assert report.evidence.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_correction_copies_evidence_through_staging(media, staff, report):
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    old_file = report.evidence.get().file
    photo = image_bytes("PNG", color="red")

    new = services.report_correct(
        report=report,
        data=content_data(report),
        evidence=[evidence_row(upload("baru.png", photo))],
        reason="Foto",
        user=staff,
    )

    copies = {e.original_name: e.file.name for e in new.evidence.all()}
    assert set(copies) == {"foto.png", "baru.png"}
    assert copies["foto.png"] != old_file.name
    assert (media / copies["foto.png"]).read_bytes() == (media / old_file.name).read_bytes()
    assert (media / copies["baru.png"]).read_bytes() == photo
    assert staged(media) == set()
    assert CooperationReport.objects.filter(code=report.code).count() == 2
