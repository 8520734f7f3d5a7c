"""One report per activity, a filing sent twice, two edits of one draft (issue 7, items 8-9)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive.models import CooperationReport
from simkerma.archive.services import report_file
from simkerma.archive.tests.factories import ReportFactory
from simkerma.archive.tests.test_archive import content_data
from simkerma.archive.tests.test_reports import report_data
from simkerma.core.tests.concurrency import opened, token_for

S = ActivityStatus
pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def carried_out(agreement_if):
    return ActivityFactory(agreement=agreement_if, title="Kuliah tamu", status=S.TERLAKSANA)


def test_the_same_filing_sent_twice_makes_one_report(staff, carried_out):
    client = logged_in(staff)
    url = reverse("archive:report_create")
    data = report_data([carried_out]) | token_for(client, url)
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    report = CooperationReport.objects.get()
    assert second.status_code == 302 and second.url == report.get_absolute_url()


def test_a_second_report_for_a_reported_activity_is_refused_with_the_typed_text_kept(staff, carried_out):
    client = logged_in(staff)
    url = reverse("archive:report_create")
    assert client.post(url, report_data([carried_out]) | token_for(client, url)).status_code == 302
    first = CooperationReport.objects.get()

    response = client.post(url, report_data([carried_out], summary="Laporan kedua") | token_for(client, url))

    assert response.status_code == 200
    assert CooperationReport.objects.count() == 1
    errors = response.context["form"].errors["activities"]
    assert f"{carried_out.code} ({first.code})" in " ".join(errors)
    assert response.context["form"]["summary"].value() == "Laporan kedua"


def test_the_service_refuses_a_second_report_on_any_path(staff, carried_out):
    first = ReportFactory(agreement=carried_out.agreement, activities=[carried_out])
    with pytest.raises(ValidationError) as refused:  # no form: the rule holds in the service
        report_file(data=content_data(first), user=staff)
    assert carried_out.code in " ".join(refused.value.message_dict["activities"])
    assert CooperationReport.objects.count() == 1


def test_the_second_of_two_draft_edits_is_refused_and_reverts_nothing(staff, coordinator, carried_out):
    report = ReportFactory(agreement=carried_out.agreement, activities=[carried_out], title="Judul awal")
    url = reverse("archive:report_edit", args=[report.pk])
    first, second = logged_in(staff), logged_in(coordinator)
    first_version, second_version = opened(first, url), opened(second, url)
    data = report_data([], title="Judul awal")
    del data["activities"]
    assert first.post(url, data | {"title": "Judul dari Staf"} | first_version).status_code == 302
    response = second.post(url, data | {"summary": "Ringkasan koordinator"} | second_version)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.title == "Judul dari Staf"
    assert "“Judul dari Staf”" in " ".join(response.context["form"].non_field_errors())
    assert response.context["form"]["summary"].value() == "Ringkasan koordinator"
