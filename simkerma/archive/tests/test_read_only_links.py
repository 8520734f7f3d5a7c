"""Read-only roles are offered no write button or link they cannot use (issue 7, item 22)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from simkerma.activities.tests.factories import ActivityFactory, CoordinationRecordFactory
from simkerma.archive.tests.factories import ReportFactory
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db
# URL fragments of pages that only writers may open (create, edit, renew, merge, ...).
WRITE_PATH = re.compile(
    r'href="[^"]*/(baru|ubah|perpanjang|akhiri|gabung|koordinasi/baru|tugas/baru|koreksi|arsipkan|pemusnahan)/'
)


@pytest.fixture
def pages(agreement_if, partner):
    activity = ActivityFactory(agreement=agreement_if)
    record = CoordinationRecordFactory(activity=activity)
    report = ReportFactory(
        agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status="dilaporkan")]
    )
    request = ServiceRequestFactory()
    return [
        reverse("home"),
        reverse("agreements:list"),
        agreement_if.get_absolute_url(),
        reverse("partners:list"),
        partner.get_absolute_url(),
        reverse("activities:list"),
        activity.get_absolute_url(),
        record.get_absolute_url(),
        reverse("archive:report_list"),
        reverse("archive:report_detail", args=[report.pk]),
        reverse("org:list"),
        reverse("servicedesk:queue"),
        reverse("servicedesk:list"),
        request.get_absolute_url(),
    ]


@pytest.mark.parametrize("role", ["pimpinan", "auditor"])
def test_read_only_roles_see_no_write_links(request, client_for, pages, role):
    client = client_for(request.getfixturevalue(role))
    offending = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = WRITE_PATH.findall(response.content.decode())
        if found:
            offending[url] = found
    assert offending == {}


def test_the_team_still_sees_them(client_for, staff, pages):
    page = client_for(staff).get(reverse("servicedesk:queue")).content.decode()
    assert 'id="log-request"' in page and 'id="nav-create"' in page
