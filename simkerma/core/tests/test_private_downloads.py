"""Every private download is sent `Cache-Control: private, no-store`, so no shared cache keeps a copy,
with `Content-Disposition` and `X-Content-Type-Options: nosniff`; stored files have no public URL."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simkerma.activities.tests.factories import ActivityFactory, CalendarTokenFactory
from simkerma.activities.tests.fixtures import agreement_if, partner  # noqa: F401 (fixtures)
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.core.tests.files import pdf_bytes
from simkerma.servicedesk.models import DocumentTemplate, DraftVersion, RequestKind
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.test_drafts import docx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def downloads(agreement_if, staff):  # noqa: F811
    agreement_if.signed_scan.save("x.pdf", SimpleUploadedFile("x.pdf", pdf_bytes()))
    report = ReportFactory(
        agreement=agreement_if, activities=[ActivityFactory(agreement=agreement_if, status="dilaporkan")]
    )
    evidence = EvidenceFileFactory(report=report)
    request = ServiceRequestFactory(kind=RequestKind.NEW_DRAFT, document_kind="mou", from_partner=True)
    draft = DraftVersion(request=request, number=1, document_kind="mou", created_at=timezone.now())
    draft.file.save("v1.docx", ContentFile(docx_upload(["Naskah"]).read()), save=True)
    template = DocumentTemplate(document_kind="mou", name="MoU", is_active=True)
    template.file.save("mou.docx", docx_upload(["{{ title }}"]), save=False)
    template.save()
    return {
        "agreement scan": reverse("agreements:scan", args=[agreement_if.pk]),
        "report PDF": reverse("archive:report_pdf", args=[report.pk]),
        "evidence": reverse("archive:evidence_download", args=[evidence.pk]),
        "draft version": reverse("servicedesk:draft_download", args=[request.pk, 1]),
        "template": reverse("servicedesk:template_download", args=[template.pk]),
        "starter template": reverse("servicedesk:starter_download", args=["mou"]),
        "service-time workbook": reverse("reports:download", args=["service_time", "xlsx"])
        + f"?year={timezone.localdate().year}",
        "LKPS workbook": reverse("reports:download", args=["lkps_iaps4", "xlsx"])
        + f"?year={timezone.localdate().year}&prodi={agreement_if.prodi.first().pk}",
    }


def test_every_private_download_is_private_and_not_stored(client_for, staff, downloads):
    client = client_for(staff)
    for name, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response.has_header("Content-Disposition"), name
        assert response["Cache-Control"] == "private, no-store", name
        assert response["X-Content-Type-Options"] == "nosniff", name


def test_stored_files_are_not_served_at_their_media_url(client_for, staff, agreement_if, downloads):  # noqa: F811
    """Only the views above send a stored file: its storage URL answers 404, signed in or not."""
    agreement_if.refresh_from_db()
    url = agreement_if.signed_scan.url
    assert agreement_if.signed_scan.storage.exists(agreement_if.signed_scan.name)
    absolute = url if url.startswith("/") else "/" + url
    assert client_for(staff).get(absolute).status_code == 404
    assert Client().get(absolute).status_code == 404


def test_the_personal_calendar_feed_is_private_and_not_stored(client, staff):
    token = CalendarTokenFactory(user=staff)
    response = client.get(reverse("activities:calendar_feed", args=[token.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
