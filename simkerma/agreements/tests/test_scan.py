"""The signed scan: only a readable PDF within the size limit is stored, and only readers get it back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.core.tests.files import PNG_BYTES, pdf_bytes
from simkerma.partners.tests.factories import PartnerFactory

TITLE = "Kerja sama dengan pindaian"


def upload(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_with_scan(client, scan):
    data = agreement_data(partners=[PartnerFactory()], title=TITLE, number="010/MOU.PL29/III/2025")
    return client.post(reverse("agreements:create"), {**data, "signed_scan": scan})


@pytest.mark.django_db
def test_it_stores_a_real_pdf_and_serves_it_back(client_for, staff, auditor, django_capture_on_commit_callbacks):
    content = pdf_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # the scan moves into place on commit
        response = post_with_scan(client_for(staff), upload(content, name="../../etc/Scan MoU.pdf"))
    agreement = Agreement.objects.get(title=TITLE)
    assert response.status_code == 302
    assert agreement.signed_scan.name.startswith("agreements/scans/")
    assert agreement.signed_scan.name.endswith(".pdf")
    assert "Scan" not in agreement.signed_scan.name and ".." not in agreement.signed_scan.name
    download = client_for(auditor).get(reverse("agreements:scan", args=[agreement.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content
    assert 'filename="010-MOU-PL29-III-2025.pdf"' in download["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "content_type", "code"),
    [
        (b"Ini bukan PDF, hanya teks biasa.\n", "scan.pdf", "application/pdf", "not_pdf"),
        (PNG_BYTES, "scan.png", "image/png", "not_pdf"),
        (PNG_BYTES, "scan.pdf", "application/pdf", "not_pdf"),
        (b"%PDF-1.4 garbage", "scan.pdf", "application/pdf", "broken_pdf"),
        (pdf_bytes()[:200], "scan.pdf", "application/pdf", "broken_pdf"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_readable_pdf(client_for, staff, content, name, content_type, code):
    response = post_with_scan(client_for(staff), upload(content, name, content_type))
    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.errors) == {"signed_scan"}
    assert [e.code for e in form.errors.as_data()["signed_scan"]] == [code]
    assert not Agreement.objects.exists()
    assert TITLE in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_pdf_over_the_size_limit(client_for, staff):
    content = pdf_bytes()
    with override_settings(SIMKERMA_SCAN_MAX_BYTES=len(content) - 1):
        response = post_with_scan(client_for(staff), upload(content))
    assert [e.code for e in response.context["form"].errors.as_data()["signed_scan"]] == ["too_large"]
    assert not Agreement.objects.exists()
    with override_settings(SIMKERMA_SCAN_MAX_BYTES=len(content)):
        response = post_with_scan(client_for(staff), upload(content))
    assert response.status_code == 302
    assert Agreement.objects.get().signed_scan


@pytest.mark.django_db
def test_it_keeps_the_stored_scan_when_an_edit_uploads_nothing(client_for, staff):
    client = client_for(staff)
    post_with_scan(client, upload(pdf_bytes()))
    agreement = Agreement.objects.get()
    stored = agreement.signed_scan.name
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), edit_data(agreement, title="Judul baru"))
    agreement.refresh_from_db()
    assert response.status_code == 302
    assert (agreement.title, agreement.signed_scan.name) == ("Judul baru", stored)


@pytest.mark.django_db
def test_it_answers_404_when_there_is_no_scan(client_for, staff):
    agreement = AgreementFactory()
    assert client_for(staff).get(reverse("agreements:scan", args=[agreement.pk])).status_code == 404


@pytest.mark.django_db
def test_it_refuses_the_scan_to_an_outsider_and_anonymous(client, client_for, staff, outsider):
    post_with_scan(client_for(staff), upload(pdf_bytes()))
    url = reverse("agreements:scan", args=[Agreement.objects.get().pk])
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert client_for(outsider).get(url).status_code == 403
