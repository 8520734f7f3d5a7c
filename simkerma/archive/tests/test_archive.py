"""Archiving a report: read-only LED data with a retention date; mistakes are fixed by a correction."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive import services
from simkerma.archive.data import CONTENT_FIELDS, ReportData
from simkerma.archive.forms import ReportForm
from simkerma.archive.models import CooperationReport, EvidenceFile
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.archive.tests.files import image_bytes, upload
from simkerma.core.dates import add_years

S = ActivityStatus
R = CooperationReport.Status
WIB = dt.timezone(dt.timedelta(hours=7))
ARCHIVED_ON = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN)
    report = ReportFactory(agreement=agreement_if, activities=[activity], title="Laporan magang")
    EvidenceFileFactory(report=report)
    return report


def content(report: CooperationReport, **changes) -> dict:
    data = {name: getattr(report, name) for name in ReportForm.Meta.fields}
    data.update(changes)
    return data | {
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "30",
    }


def content_data(report: CooperationReport, **changes) -> ReportData:
    """The report's content and activities as a service takes them, with `changes`."""
    activities = changes.pop("activities", None)
    values = {name: getattr(report, name) for name in CONTENT_FIELDS} | changes
    return ReportData(activities=list(report.activities.all()) if activities is None else activities, **values)


@time_machine.travel(ARCHIVED_ON, tick=False)
def test_it_archives_a_report_as_led_data_kept_five_years_and_archives_its_activities(client_for, staff, report):
    response = client_for(staff).post(reverse("archive:report_archive", args=[report.pk]), {"confirm": "1"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.is_led_data, report.archived_by) == (R.ARCHIVED, True, staff)
    assert report.archived_at == ARCHIVED_ON
    assert report.retention_until == dt.date(2031, 11, 27)
    activity = report.activities.get()
    assert activity.status == S.DIARSIPKAN
    assert activity.transitions.last().reason == report.identifier


@time_machine.travel(ARCHIVED_ON, tick=False)
@override_settings(SIMKERMA_RETENTION_YEARS={"report": 7, "other": 2})
def test_it_takes_the_retention_years_from_the_setting(staff, report):
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    assert report.retention_until == dt.date(2033, 11, 27)


def test_it_adds_years_to_the_29th_of_february():
    assert add_years(dt.date(2028, 2, 29), 5) == dt.date(2033, 2, 28)
    assert add_years(dt.date(2028, 2, 29), 4) == dt.date(2032, 2, 29)


@pytest.mark.parametrize("role", ["coordinator", "p3m_user", "pimpinan", "auditor", "outsider"])
def test_it_lets_only_the_team_archive(request, client_for, role, report):
    url = reverse("archive:report_archive", args=[report.pk])
    response = client_for(request.getfixturevalue(role)).post(url, {"confirm": "1"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == R.DRAFT
    assert report.activities.get().status == S.DILAPORKAN


def test_it_does_not_archive_twice(kapokja, staff, report):
    services.report_archive(report=report, user=staff)
    with pytest.raises(ValidationError):
        services.report_archive(report=report, user=kapokja)
    report.refresh_from_db()
    assert report.archived_by == staff


def test_it_refuses_any_change_to_an_archived_report_in_the_view(client_for, staff, coordinator, report):
    services.report_archive(report=report, user=staff)
    before = CooperationReport.objects.values().get(pk=report.pk)
    evidence = report.evidence.get()

    for user in (staff, coordinator):
        client = client_for(user)
        page = client.get(reverse("archive:report_edit", args=[report.pk]))
        assert page.status_code == 409
        assert 'id="correct-link"' in page.content.decode()
        post = client.post(reverse("archive:report_edit", args=[report.pk]), content(report, title="Diubah diam-diam"))
        assert post.status_code == 409
        assert client.post(reverse("archive:evidence_remove", args=[evidence.pk])).status_code == 409

    assert CooperationReport.objects.values().get(pk=report.pk) == before
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    detail = client_for(staff).get(report.get_absolute_url())
    assert (detail.context["can_edit"], detail.context["can_correct"], detail.context["can_archive"]) == (
        False,
        True,
        False,
    )


def test_it_refuses_any_change_to_an_archived_report_in_the_services(staff, report):
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    with pytest.raises(services.ReportLocked) as locked:
        services.report_update(report=report, data=content_data(report, title="Diubah"), user=staff)
    assert locked.value.code == "locked"
    with pytest.raises(services.ReportLocked):
        services.evidence_add(report=report, upload=upload("x.png", image_bytes()), kind="photo", user=staff)
    with pytest.raises(services.ReportLocked):
        services.evidence_remove(evidence=report.evidence.get(), user=staff)
    assert CooperationReport.objects.get(pk=report.pk).title == "Laporan magang"
    assert report.evidence.count() == 1


def test_it_refuses_changes_to_a_draft_from_outside_the_unit(client_for, other_coordinator, auditor, report):
    for user in (other_coordinator, auditor):
        response = client_for(user).post(reverse("archive:report_edit", args=[report.pk]), content(report, title="X"))
        assert response.status_code == 403
    assert CooperationReport.objects.get(pk=report.pk).title == "Laporan magang"


def correction_data(report, reason="Jumlah peserta salah", **changes):
    data = content(report, **changes)
    data["correction_reason"] = reason
    return data


@time_machine.travel(ARCHIVED_ON, tick=False)
def test_it_files_a_correction_as_a_new_version_and_keeps_the_old_one(client_for, staff, kapokja, auditor, report):
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    old_values = CooperationReport.objects.values().get(pk=report.pk)

    response = client_for(staff).post(
        reverse("archive:report_correct", args=[report.pk]), correction_data(report, participants_students=52)
    )

    new = CooperationReport.objects.get(previous=report)
    assert response.status_code == 302
    assert response["Location"] == new.get_absolute_url()
    assert (new.code, new.version, new.status, new.correction_reason) == (
        report.code,
        2,
        R.DRAFT,
        "Jumlah peserta salah",
    )
    assert new.participants_students == 52
    assert list(new.activities.all()) == list(report.activities.all())
    copied = new.evidence.get()
    assert copied.sha256 == report.evidence.get().sha256
    assert copied.file.name != report.evidence.get().file.name
    assert CooperationReport.objects.values().get(pk=report.pk) == old_values
    assert client_for(auditor).get(report.get_absolute_url()).status_code == 200

    # A second correction waits until this one is archived.
    again = client_for(staff).post(reverse("archive:report_correct", args=[report.pk]), correction_data(report))
    assert again.status_code == 302
    assert CooperationReport.objects.filter(code=report.code).count() == 2

    # Archiving the correction supersedes the old version, which stays read-only.
    services.report_archive(report=new, user=kapokja)
    report.refresh_from_db()
    new.refresh_from_db()
    assert (report.status, report.is_led_data) == (R.SUPERSEDED, False)
    assert (new.status, new.is_led_data) == (R.ARCHIVED, True)
    assert list(CooperationReport.objects.led_data()) == [new]
    with pytest.raises(ValidationError):
        services.report_correct(report=report, data=content_data(report), reason="lagi", user=staff)
    assert client_for(staff).get(reverse("archive:report_edit", args=[report.pk])).status_code == 409


def test_it_needs_a_reason_for_a_correction(client_for, staff, report):
    services.report_archive(report=report, user=staff)
    report.refresh_from_db()
    response = client_for(staff).post(
        reverse("archive:report_correct", args=[report.pk]), correction_data(report, reason="")
    )
    assert response.status_code == 200
    assert "correction_reason" in response.context["form"].errors
    assert CooperationReport.objects.count() == 1


def test_it_refuses_a_correction_of_a_draft(client_for, staff, report):
    response = client_for(staff).post(reverse("archive:report_correct", args=[report.pk]), correction_data(report))
    assert response.status_code == 302
    assert CooperationReport.objects.count() == 1


def test_it_refuses_a_correction_to_a_reader(client_for, staff, auditor, report):
    services.report_archive(report=report, user=staff)
    assert (
        client_for(auditor)
        .post(reverse("archive:report_correct", args=[report.pk]), correction_data(report))
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.report_correct(report=report, data=content_data(report), reason="x", user=auditor)
