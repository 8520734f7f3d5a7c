"""Every archive page refuses an account without a role; list pages take a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive import services
from simkerma.archive.models import CooperationReport, DisposalRecord
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory

WIB = dt.timezone(dt.timedelta(hours=7))

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(agreement_if, staff):
    draft = ReportFactory(
        agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status="dilaporkan")]
    )
    evidence = EvidenceFileFactory(report=draft)
    archived = ReportFactory(
        agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status="dilaporkan")]
    )
    services.report_archive(report=archived, user=staff)
    disposal = DisposalRecord.objects.create(
        report=archived, identifier=archived.code, title=archived.title, retention_until=dt.date(2020, 1, 1), reason="x"
    )
    return draft, evidence, archived, disposal


def urls(draft, evidence, archived, disposal) -> list[tuple[str, str]]:
    return [
        ("get", reverse("archive:report_list")),
        ("get", reverse("archive:report_create")),
        ("post", reverse("archive:report_create")),
        ("get", reverse("archive:report_detail", args=[draft.pk])),
        ("get", reverse("archive:report_edit", args=[draft.pk])),
        ("post", reverse("archive:report_edit", args=[draft.pk])),
        ("get", reverse("archive:report_pdf", args=[draft.pk])),
        ("post", reverse("archive:report_archive", args=[draft.pk])),
        ("get", reverse("archive:report_correct", args=[archived.pk])),
        ("post", reverse("archive:report_correct", args=[archived.pk])),
        ("get", reverse("archive:report_history", args=[draft.pk])),
        ("get", reverse("archive:disposal_request", args=[archived.pk])),
        ("post", reverse("archive:disposal_request", args=[archived.pk])),
        ("get", reverse("archive:evidence_download", args=[evidence.pk])),
        ("post", reverse("archive:evidence_remove", args=[evidence.pk])),
        ("get", reverse("archive:retention")),
        ("get", reverse("archive:disposal_detail", args=[disposal.pk])),
        ("post", reverse("archive:disposal_detail", args=[disposal.pk])),
    ]


def test_it_refuses_the_outsider_on_every_view(client_for, outsider, objects):
    client = client_for(outsider)
    for method, url in urls(*objects):
        response = getattr(client, method)(url, {"decision": "approve", "reason": "x"} if method == "post" else None)
        assert response.status_code == 403, (method, url)
    draft, _evidence, _archived, disposal = objects
    draft.refresh_from_db()
    disposal.refresh_from_db()
    assert (draft.status, disposal.status) == ("draft", "requested")
    assert CooperationReport.objects.count() == 2
    assert draft.evidence.count() == 1


def test_it_sends_anonymous_visitors_to_the_login_page(client, objects):
    for method, url in urls(*objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login")), (method, url)


def test_it_renders_every_page_for_the_staff(client_for, staff, objects):
    client = client_for(staff)
    for method, url in urls(*objects):
        if method == "get" and "pemusnahan" not in url:
            assert client.get(url).status_code == 200, url


def test_it_lists_reports_in_a_fixed_number_of_queries(
    client_for, auditor, agreement_if, django_assert_max_num_queries
):
    client = client_for(auditor)
    ReportFactory(agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if)])
    with django_assert_max_num_queries(6):
        client.get(reverse("archive:report_list"))
    for _ in range(30):
        ReportFactory(agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if)])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("archive:report_list"), {"status": "draft"})
    assert len(response.context["page_obj"]) == 25


def test_it_filters_reports_by_text_status_and_year(client_for, auditor, staff, agreement_if):
    with time_machine.travel(dt.datetime(2025, 5, 1, 9, tzinfo=WIB), tick=False):
        old = ReportFactory(
            agreement=agreement_if, title="Laporan pelatihan PLC", activities=[ActivityFactory(agreement=agreement_if)]
        )
    ReportFactory(agreement=agreement_if, title="Laporan magang", activities=[ActivityFactory(agreement=agreement_if)])
    client = client_for(auditor)
    assert list(client.get(reverse("archive:report_list"), {"q": "PLC"}).context["page_obj"]) == [old]
    assert list(client.get(reverse("archive:report_list"), {"year": 2025}).context["page_obj"]) == [old]
    assert client.get(reverse("archive:report_list"), {"status": "archived"}).context["page_obj"].paginator.count == 0
