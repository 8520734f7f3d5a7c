"""The archive's rules hold on every door: the form, the services without a form, full_clean() and the admin."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from simkerma.activities.models import Activity, ActivityStatus, ActivityTransition
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive import services
from simkerma.archive.data import EvidenceData, ReportData
from simkerma.archive.forms import ReportFileForm
from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile
from simkerma.archive.selectors import ReportFilters, report_list
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.archive.tests.files import image_bytes, upload
from simkerma.archive.tests.test_archive import content_data
from simkerma.archive.tests.test_reports import report_data
from simkerma.core.tests.files import files_under

S = ActivityStatus
R = CooperationReport.Status
pytestmark = pytest.mark.django_db


def filing(activities, **changes) -> ReportData:
    values = {"title": "Laporan kuliah tamu", "summary": "Kuliah tamu keamanan siber.", "lead_name": "Andi Pratama"}
    return ReportData(activities=list(activities), **(values | changes))


def photo() -> list[EvidenceData]:
    return [EvidenceData(kind="photo", file=upload("kegiatan.png", image_bytes()))]


def refused_activities(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.message_dict["activities"])


def assert_nothing_filed(media, before, *activities) -> None:
    assert not CooperationReport.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert files_under(media) == before  # nothing on disk, the staging area included
    assert not ActivityTransition.objects.filter(activity__in=activities).exists()


# --- filing through the service, without a form --------------------------------------------------


def test_it_refuses_through_the_service_a_report_on_activities_of_two_agreements(
    media, staff, agreement_if, agreement_mb
):
    here = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)
    there = ActivityFactory(agreement=agreement_mb, status=S.TERLAKSANA)
    before = files_under(media)

    with pytest.raises(ValidationError) as refused:
        services.report_file(data=filing([here, there]), evidence=photo(), user=staff)

    assert set(refused.value.message_dict) == {"activities"}
    assert refused.value.error_dict["activities"][0].code == "two_agreements"
    assert_nothing_filed(media, before, here, there)
    assert set(Activity.objects.values_list("status", flat=True)) == {S.TERLAKSANA}


def test_it_refuses_through_the_service_activities_not_carried_out(media, staff, agreement_if):
    planned = ActivityFactory(agreement=agreement_if, status=S.RENCANA)
    done = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)
    before = files_under(media)

    with pytest.raises(ValidationError) as refused:
        services.report_file(data=filing([done, planned]), evidence=photo(), user=staff)

    assert planned.code in refused_activities(refused)
    assert done.code not in refused_activities(refused)
    assert_nothing_filed(media, before, planned, done)
    done.refresh_from_db()
    assert done.status == S.TERLAKSANA


def test_it_refuses_through_the_service_a_report_on_no_activity(media, staff):
    with pytest.raises(ValidationError) as refused:
        services.report_file(data=filing([]), evidence=photo(), user=staff)
    assert set(refused.value.message_dict) == {"activities"}
    assert not CooperationReport.objects.exists()


def test_it_refuses_through_the_service_a_second_report_for_an_activity_and_keeps_no_file(media, staff, agreement_if):
    done = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)
    first = services.report_file(data=filing([done]), user=staff)
    before = files_under(media)

    with pytest.raises(ValidationError) as refused:
        services.report_file(data=filing([done], title="Laporan kedua"), evidence=photo(), user=staff)

    assert f"{done.code} ({first.code})" in refused_activities(refused)
    assert list(CooperationReport.objects.all()) == [first]
    assert files_under(media) == before
    assert done.transitions.count() == 1


def test_the_form_and_the_service_refuse_with_the_same_message(staff, agreement_if, agreement_mb):
    here = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)
    there = ActivityFactory(agreement=agreement_mb, status=S.TERLAKSANA)
    form = ReportFileForm(report_data([here, there]), user=staff)
    assert not form.is_valid()

    with pytest.raises(ValidationError) as refused:
        services.report_file(data=filing([here, there]), user=staff)

    assert form.errors["activities"] == refused.value.message_dict["activities"]


def test_it_files_a_report_from_data_with_one_history_record_and_the_next_code(media, staff, agreement_if):
    year = timezone.localdate().year
    ReportFactory(code=f"L{year}-00007", agreement=agreement_if, activities=[])
    ReportFactory(code=f"L{year}-LAMA", agreement=agreement_if, activities=[])  # typed by hand: not counted
    done = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)

    report = services.report_file(data=filing([done], title="Laporan\nkuliah tamu"), evidence=photo(), user=staff)

    assert report.code == f"L{year}-00008"
    assert report.title == "Laporan kuliah tamu"  # a one-line field holds no line break
    assert report.agreement == agreement_if
    assert list(report.activities.all()) == [done]
    [record] = report.history.all()
    assert (record.history_type, record.history_change_reason) == ("+", "filed")
    assert list(record.activities.values_list("activity_id", flat=True)) == [done.pk]
    done.refresh_from_db()
    assert done.status == S.DILAPORKAN


# --- edits and corrections keep the activities; a correction needs its reason --------------------


@pytest.fixture
def archived(staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN)
    report = ReportFactory(agreement=agreement_if, activities=[activity], title="Laporan magang")
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    return report


def test_it_refuses_an_edit_that_changes_the_activities(staff, agreement_if):
    report = ReportFactory(agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if)])
    other = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)

    with pytest.raises(ValidationError) as refused:
        services.report_update(report=report, data=content_data(report, activities=[other], title="X"), user=staff)

    assert set(refused.value.message_dict) == {"activities"}
    assert CooperationReport.objects.get(pk=report.pk).title == report.title


def test_it_refuses_through_the_service_a_correction_without_a_reason(media, staff, archived):
    before = files_under(media)
    with pytest.raises(ValidationError) as refused:
        services.report_correct(report=archived, data=content_data(archived), evidence=photo(), reason=" ", user=staff)
    assert set(refused.value.message_dict) == {"correction_reason"}
    assert CooperationReport.objects.count() == 1
    assert files_under(media) == before


def test_it_records_a_correction_as_one_history_record_naming_the_old_version(staff, archived):
    new = services.report_correct(
        report=archived, data=content_data(archived, participants_students=12), reason="Jumlah", user=staff
    )
    [record] = new.history.all()
    assert (record.history_type, record.history_change_reason) == ("+", f"correction of {archived.identifier}")
    assert list(new.activities.all()) == list(archived.activities.all())
    assert archived.history.first().history_change_reason == "archived"


def test_a_correction_that_fails_in_its_transaction_leaves_no_file(monkeypatch, media, staff, archived):
    EvidenceFileFactory(report=archived)
    before = files_under(media)
    save = services._save_evidence

    def clash(report, evidence):
        save(report, evidence)
        raise IntegrityError("clash")

    monkeypatch.setattr(services, "_save_evidence", clash)
    with pytest.raises(IntegrityError):
        services.report_correct(report=archived, data=content_data(archived), evidence=photo(), reason="x", user=staff)

    assert files_under(media) == before
    assert CooperationReport.objects.count() == 1


# --- rules on the models, through full_clean() ---------------------------------------------------


def test_full_clean_refuses_a_correction_without_its_reason(archived):
    correction = CooperationReport(
        code=archived.code, version=2, previous=archived, agreement=archived.agreement, title="T", summary="S"
    )
    correction.lead_name = "Andi"
    with pytest.raises(ValidationError) as refused:
        correction.full_clean()
    assert set(refused.value.message_dict) == {"correction_reason"}


def test_full_clean_refuses_an_archived_status_without_archive_time_and_retention(agreement_if):
    report = ReportFactory(agreement=agreement_if, activities=[])
    report.status = R.ARCHIVED
    with pytest.raises(ValidationError) as refused:
        report.full_clean()
    assert set(refused.value.message_dict) == {"status"}


def test_full_clean_refuses_a_retention_date_before_the_archive_date_or_out_of_range(archived):
    archived.retention_until = timezone.localdate(archived.archived_at) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        archived.full_clean()
    assert set(refused.value.message_dict) == {"retention_until"}

    archived.retention_until = dt.date(2200, 1, 1)
    with pytest.raises(ValidationError) as refused:
        archived.full_clean()
    assert refused.value.error_dict["retention_until"][0].code == "date_range"


def test_full_clean_refuses_evidence_uploaded_out_of_the_date_range_and_tidies_its_name(agreement_if):
    evidence = EvidenceFileFactory(report=ReportFactory(agreement=agreement_if, activities=[]))
    evidence.uploaded_at = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert set(refused.value.message_dict) == {"uploaded_at"}

    evidence.refresh_from_db()
    evidence.original_name = "foto\nkegiatan.png"
    evidence.save()
    evidence.refresh_from_db()
    assert evidence.original_name == "foto kegiatan.png"


@pytest.fixture
def disposal(staff, archived):
    with time_machine.travel(dt.datetime(2040, 1, 1, tzinfo=dt.UTC)):
        return services.disposal_request(report=archived, reason="Masa simpan habis", user=staff)


def test_full_clean_and_the_service_refuse_a_rejection_without_a_note(kapokja, disposal):
    disposal.status = DisposalRecord.Status.REJECTED
    with pytest.raises(ValidationError) as refused:
        disposal.full_clean()
    assert set(refused.value.message_dict) == {"decision_note"}

    with pytest.raises(ValidationError) as refused:
        services.disposal_reject(disposal=disposal, user=kapokja, note="  ")
    assert set(refused.value.message_dict) == {"decision_note"}
    assert DisposalRecord.objects.get(pk=disposal.pk).status == DisposalRecord.Status.REQUESTED


def test_the_service_refuses_a_disposal_request_without_a_reason(staff, archived):
    with pytest.raises(ValidationError) as refused:
        services.disposal_request(report=archived, reason=" ", user=staff, today=dt.date(2040, 1, 1))
    assert set(refused.value.message_dict) == {"reason"}
    assert not DisposalRecord.objects.exists()


# --- the admin and the list ----------------------------------------------------------------------


def test_the_admin_files_archives_and_disposes_of_nothing(client_for, admin_user, archived, disposal):
    client = client_for(admin_user)
    assert client.get(reverse("admin:archive_cooperationreport_add")).status_code == 403
    assert client.get(reverse("admin:archive_disposalrecord_add")).status_code == 403
    change = reverse("admin:archive_cooperationreport_change", args=[archived.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    assert client.post(change, {"status": R.DRAFT, "title": "Diubah"}).status_code == 403
    delete = reverse("admin:archive_disposalrecord_delete", args=[disposal.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    archived.refresh_from_db()
    assert (archived.status, archived.title) == (R.ARCHIVED, "Laporan magang")
    assert DisposalRecord.objects.filter(pk=disposal.pk).exists()


def test_the_report_list_filters_by_words_status_and_year(staff, outsider, agreement_if, agreement_mb):
    magang = ReportFactory(agreement=agreement_if, activities=[], title="Laporan magang industri")
    kuliah = ReportFactory(agreement=agreement_mb, activities=[], title="Laporan kuliah tamu")
    kuliah.status = R.ARCHIVED
    kuliah.save()

    def listed(**filters):
        return set(report_list(user=staff, filters=ReportFilters(**filters)))

    assert listed() == {magang, kuliah}
    assert listed(q="magang laporan") == {magang}
    assert listed(q=agreement_mb.number) == {kuliah}
    assert listed(status=R.ARCHIVED) == {kuliah}
    assert listed(year=magang.created_at.year) == {magang, kuliah}
    assert listed(year=1999) == set()
    with pytest.raises(PermissionDenied):
        report_list(user=outsider, filters=ReportFilters())
