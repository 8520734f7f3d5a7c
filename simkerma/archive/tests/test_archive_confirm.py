"""Archiving, which cannot be undone, takes a confirmation step (issue 7, item 22)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from simkerma.activities.models import ActivityStatus as S
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive.models import CooperationReport
from simkerma.archive.tests.factories import ReportFactory
from simkerma.core.worktime import WIB

pytestmark = pytest.mark.django_db
R = CooperationReport.Status
TODAY = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)


@pytest.fixture
def report(agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=S.DILAPORKAN, title="Kuliah tamu siber")
    return ReportFactory(agreement=agreement_if, activities=[activity], title="Laporan kuliah tamu")


@time_machine.travel(TODAY, tick=False)
def test_the_archive_button_leads_to_a_confirmation_that_archives_nothing(client_for, staff, report):
    url = reverse("archive:report_archive", args=[report.pk])
    detail = client_for(staff).get(report.get_absolute_url()).content.decode()
    assert f'id="archive-report" href="{url}"' in detail  # a link to the confirmation, not a one-click POST

    page = client_for(staff).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="confirm-archive"' in text and "Kuliah tamu siber" in text
    assert "27 November 2031" in text  # the retention date it will get
    report.refresh_from_db()
    assert report.status == R.DRAFT

    unconfirmed = client_for(staff).post(url)
    assert unconfirmed.status_code == 200 and 'id="confirm-archive"' in unconfirmed.content.decode()
    report.refresh_from_db()
    assert report.status == R.DRAFT

    assert client_for(staff).post(url, {"confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == R.ARCHIVED
    assert report.activities.get().status == S.DIARSIPKAN


@pytest.mark.parametrize("role", ["coordinator", "pimpinan", "auditor"])
def test_the_confirmation_is_refused_to_who_cannot_archive(request, client_for, role, report):
    assert (
        client_for(request.getfixturevalue(role)).get(reverse("archive:report_archive", args=[report.pk])).status_code
        == 403
    )
