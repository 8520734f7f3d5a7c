"""Retention: records due are listed; disposal is requested, approved by the Kapokja, and leaves a tombstone."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive import services
from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory

S = ActivityStatus
WIB = dt.timezone(dt.timedelta(hours=7))
ARCHIVED = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)
BEFORE_DUE = dt.datetime(2031, 11, 26, 12, 0, tzinfo=WIB)
DUE = dt.datetime(2031, 11, 27, 9, 0, tzinfo=WIB)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(agreement_if, staff):
    activity = ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN, title="Magang industri")
    report = ReportFactory(
        agreement=agreement_if, activities=[activity], title="Laporan magang 2026", code="L2026-00042"
    )
    EvidenceFileFactory(report=report)
    EvidenceFileFactory(report=report, original_name="daftar-hadir.png", kind="attendance")
    with time_machine.travel(ARCHIVED, tick=False):
        services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    return report


def test_it_refuses_a_disposal_request_before_the_retention_date(client_for, staff, archived):
    assert archived.retention_until == dt.date(2031, 11, 27)
    with time_machine.travel(BEFORE_DUE, tick=False):
        with pytest.raises(ValidationError) as refused:
            services.disposal_request(report=archived, reason="Masa simpan habis", user=staff)
        assert refused.value.code == "retention"
        response = client_for(staff).post(reverse("archive:disposal_request", args=[archived.pk]), {"reason": "Habis"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not DisposalRecord.objects.exists()


def test_it_refuses_to_dispose_of_a_draft(staff, agreement_if):
    draft = ReportFactory(
        agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN)]
    )
    with pytest.raises(ValidationError) as refused:
        services.disposal_request(report=draft, reason="x", user=staff, today=dt.date(2099, 1, 1))
    assert refused.value.code == "not_archived"


def test_it_lists_records_due_on_the_retention_page_and_in_the_command(
    client_for, auditor, staff, archived, agreement_if
):
    later = ReportFactory(
        agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN)]
    )
    with time_machine.travel(dt.datetime(2027, 6, 1, 9, 0, tzinfo=WIB), tick=False):
        services.report_archive(report=later, user=staff)

    with time_machine.travel(BEFORE_DUE, tick=False):
        assert list(client_for(auditor).get(reverse("archive:retention")).context["page_obj"]) == []
        out = io.StringIO()
        call_command("retention", "--json", stdout=out)
        assert json.loads(out.getvalue())["due"] == []

    with time_machine.travel(DUE, tick=False):
        page = client_for(auditor).get(reverse("archive:retention"))
        assert [r.pk for r in page.context["page_obj"]] == [archived.pk]
        out = io.StringIO()
        call_command("retention", "--json", stdout=out)
        text = io.StringIO()
        call_command("retention", stdout=text)
    report = json.loads(out.getvalue())
    assert report["date"] == "2031-11-27"
    assert report["due"] == [
        {
            "type": "report",
            "id": archived.pk,
            "identifier": "L2026-00042",
            "title": "Laporan magang 2026",
            "agreement": agreement_if.number,
            "status": "archived",
            "archived_at": "2026-11-27",
            "retention_until": "2031-11-27",
            "disposal_requested": False,
        }
    ]
    assert "L2026-00042" in text.getvalue()
    # Listing never removes anything.
    assert CooperationReport.objects.filter(pk=archived.pk).exists()
    assert EvidenceFile.objects.filter(report=archived).count() == 2


def test_it_disposes_after_approval_leaving_a_tombstone_and_no_content(
    client_for, staff, kapokja, archived, django_capture_on_commit_callbacks
):
    files = [e.file.name for e in archived.evidence.all()]
    storage = archived.evidence.first().file.storage
    activity = archived.activities.get()
    pk = archived.pk
    with time_machine.travel(DUE, tick=False):
        response = client_for(staff).post(
            reverse("archive:disposal_request", args=[pk]), {"reason": "Masa simpan lima tahun habis"}
        )
        disposal = DisposalRecord.objects.get()
        assert response["Location"] == disposal.get_absolute_url()
        # Requested only: everything is still there.
        assert CooperationReport.objects.filter(pk=pk).exists()

        with django_capture_on_commit_callbacks(execute=True):
            decided = client_for(kapokja).post(
                disposal.get_absolute_url(), {"decision": "approve", "note": "Disetujui"}
            )
    assert decided.status_code == 302

    disposal.refresh_from_db()
    assert (disposal.status, disposal.record_type, disposal.identifier, disposal.title) == (
        "approved",
        "report",
        "L2026-00042",
        "Laporan magang 2026",
    )
    assert (disposal.requested_by, disposal.decided_by, disposal.approved_by) == (staff, kapokja, kapokja)
    assert disposal.reason == "Masa simpan lima tahun habis"
    assert disposal.decided_at is not None and disposal.files_removed == 2
    assert disposal.retention_until == dt.date(2031, 11, 27)
    assert disposal.report is None
    # No content left: not the report, its history, its evidence rows nor its files.
    assert not CooperationReport.objects.filter(pk=pk).exists()
    assert not CooperationReport.history.filter(id=pk).exists()
    m2m_history = apps.get_model("archive", "HistoricalCooperationReport_activities")
    assert not m2m_history.objects.filter(cooperationreport_id=pk).exists()
    assert not EvidenceFile.objects.filter(report_id=pk).exists()
    assert not any(storage.exists(name) for name in files)
    # The activity it reported on stays, archived.
    assert Activity.objects.get(pk=activity.pk).status == S.DIARSIPKAN
    tombstone = client_for(staff).get(disposal.get_absolute_url())
    assert tombstone.status_code == 200
    assert "L2026-00042" in tombstone.content.decode()


def test_it_lets_only_the_kapokja_approve_and_never_the_requester(client_for, staff, kapokja, admin_user, archived):
    with time_machine.travel(DUE, tick=False):
        own = services.disposal_request(report=archived, reason="Habis", user=kapokja)
        for user in (staff, kapokja):  # staff may not decide; the Kapokja asked for it
            response = client_for(user).post(own.get_absolute_url(), {"decision": "approve"})
            assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.disposal_approve(disposal=own, user=kapokja)
        assert CooperationReport.objects.filter(pk=archived.pk).exists()

        services.disposal_approve(disposal=own, user=admin_user)
    own.refresh_from_db()
    assert own.status == "approved"
    assert not CooperationReport.objects.filter(pk=archived.pk).exists()


def test_it_refuses_approval_before_the_retention_date(staff, kapokja, archived):
    with time_machine.travel(DUE, tick=False):
        disposal = services.disposal_request(report=archived, reason="Habis", user=staff)
    with pytest.raises(ValidationError) as refused:
        services.disposal_approve(disposal=disposal, user=kapokja, today=dt.date(2031, 11, 26))
    assert refused.value.code == "retention"
    assert CooperationReport.objects.filter(pk=archived.pk).exists()
    disposal.refresh_from_db()
    assert disposal.status == "requested"


def test_it_rejects_a_disposal_with_a_reason_and_keeps_everything(client_for, staff, kapokja, archived):
    with time_machine.travel(DUE, tick=False):
        disposal = services.disposal_request(report=archived, reason="Habis", user=staff)
        without_note = client_for(kapokja).post(disposal.get_absolute_url(), {"decision": "reject", "note": ""})
        assert without_note.status_code == 200
        assert "note" in without_note.context["form"].errors
        client_for(kapokja).post(disposal.get_absolute_url(), {"decision": "reject", "note": "Masih diaudit"})
        disposal.refresh_from_db()
        assert (disposal.status, disposal.decision_note) == ("rejected", "Masih diaudit")
        assert CooperationReport.objects.get(pk=archived.pk).evidence.count() == 2
        # A new request may follow a rejected one; only one may be open at a time.
        services.disposal_request(report=archived, reason="Audit selesai", user=staff)
        with pytest.raises(ValidationError):
            services.disposal_request(report=archived, reason="Lagi", user=staff)


def test_it_shows_the_retention_page_in_a_fixed_number_of_queries(
    client_for, kapokja, staff, agreement_if, django_assert_max_num_queries
):
    def archive_one(reason: str) -> None:
        report = ReportFactory(
            agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN)]
        )
        with time_machine.travel(ARCHIVED, tick=False):
            services.report_archive(report=report, user=staff)
        with time_machine.travel(DUE, tick=False):
            disposal = services.disposal_request(report=report, reason=reason, user=staff)
            if reason == "tolak":
                services.disposal_reject(disposal=disposal, user=kapokja, note="tidak")

    archive_one("buka")
    with time_machine.travel(DUE, tick=False):
        client = client_for(kapokja)  # log in at the travelled time, or the session has expired
        with django_assert_max_num_queries(9):
            client.get(reverse("archive:retention"))
        for index in range(12):
            archive_one("tolak" if index % 2 else "buka")
        with django_assert_max_num_queries(9):
            response = client.get(reverse("archive:retention"))
    assert response.context["page_obj"].paginator.count == 13
    assert len(response.context["open_requests"]) == 7
