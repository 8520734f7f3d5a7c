"""Drafting: the DOCX filled from the templates, versions, sending, and template uploads."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.drafting import DOCX_MIME, PLACEHOLDERS, check_template
from simkerma.servicedesk.models import Breach, DocumentTemplate, DraftVersion, RequestKind
from simkerma.servicedesk.starter_templates import BUILDERS, starter_template_path
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import local_input, wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 23, 11, 0)  # Monday


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def docx_upload(paragraphs: list[str], name: str = "template.docx") -> SimpleUploadedFile:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/octet-stream")


def draft_data(**changes):
    data = {
        "document_kind": "mou",
        "number": "003/MOU.PL29/XI/2026",
        "title": "Pengembangan Sumber Daya Manusia",
        "parent_number": "",
        "partner_number": "",
        "partner_name": "PT Galangan Kapal Nusantara",
        "partner_address": "Jl. Brigjen Katamso, Batam",
        "partner_signatory_name": "Rina Hartono",
        "partner_signatory_position": "Direktur Utama",
        "partner_pic": "Budi Santoso",
        "partner_email": "budi@galangan.test",
        "partner_phone": "+62 812 7000 1234",
        "institution_signatory_name": "Dr. Direktur Polibatam",
        "institution_signatory_position": "Direktur",
        "contact_name": "Staf Kerjasama",
        "contact_email": "kerjasama@polibatam.test",
        "contact_phone": "",
        "scope": "Program magang satu semester\nDosen tamu dari praktisi\nRekrutmen lulusan",
        "duration_years": "5",
        "start_date": "2026-12-01",
        "end_date": "2031-11-30",
        "place": "Batam",
        "signing_date": "",
    }
    return data | changes


@pytest.fixture
def draft_request(db):
    partner = PartnerFactory(name="PT Galangan Kapal Nusantara")
    return ServiceRequestFactory(
        kind=RequestKind.NEW_DRAFT,
        document_kind="mou",
        partner=partner,
        from_partner=True,
        received_at=wib(2026, 11, 23, 9, 0),
        requester_email="rina@galangan.test",
    )


@pytest.mark.parametrize("kind", ["mou", "moa", "ia"])
def test_it_generates_a_docx_filled_with_the_request_values(
    client_for, staff, draft_request, kind, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("servicedesk:draft_create", args=[draft_request.pk]),
            draft_data(document_kind=kind, parent_number="001/MOU.PL29/I/2025"),
        )
    assert response.status_code == 302
    draft = DraftVersion.objects.get(request=draft_request)
    assert (draft.number, draft.document_kind, draft.created_by) == (1, kind, staff)
    download = client.get(reverse("servicedesk:draft_download", args=[draft_request.pk, 1]))
    assert download.status_code == 200
    text = docx_text(b"".join(download.streaming_content))
    assert "PT GALANGAN KAPAL NUSANTARA" in text or "PT Galangan Kapal Nusantara" in text
    assert "003/MOU.PL29/XI/2026" in text
    for number, item in enumerate(["Program magang satu semester", "Dosen tamu dari praktisi", "Rekrutmen lulusan"], 1):
        assert f"{number}. {item}" in text
    assert "{{" not in text and "{%" not in text
    if kind != "ia":
        assert "Dr. Direktur Polibatam" in text and "Rina Hartono" in text and "Direktur Utama" in text
        assert "5 (lima)" in text and "5 (five)" in text
    else:
        assert "001/MOU.PL29/I/2025" in text and "1 Desember 2026" in text


def test_the_draft_form_is_prefilled_from_the_request(client_for, staff, draft_request):
    AgreementFactory(number="001/MOU.PL29/XI/2026")
    with time_machine.travel(NOW, tick=False):
        page = client_for(staff).get(reverse("servicedesk:draft_create", args=[draft_request.pk]))
    initial = page.context["form"].initial
    assert initial["number"] == "002/MOU.PL29/XI/2026"
    assert initial["partner_name"] == "PT Galangan Kapal Nusantara"
    assert initial["contact_email"] == staff.email


def test_versions_are_numbered_and_reuse_the_previous_values(client_for, staff, draft_request):
    client = client_for(staff)
    url = reverse("servicedesk:draft_create", args=[draft_request.pk])
    with time_machine.travel(NOW, tick=False):
        client.post(url, draft_data())
        client.post(url, draft_data(title="Revisi pertama"))
        page = client.get(url)
    assert list(draft_request.drafts.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert page.context["form"].initial["title"] == "Revisi pertama"


def test_a_draft_without_scope_is_refused(client_for, staff, draft_request):
    response = client_for(staff).post(
        reverse("servicedesk:draft_create", args=[draft_request.pk]), draft_data(scope="  \n ")
    )
    assert list(response.context["form"].errors) == ["scope"]
    assert not DraftVersion.objects.exists()


def test_sending_a_version_mails_the_docx_and_stops_the_draft_clock(
    client_for, staff, draft_request, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # the version's file moves into place on commit
            client.post(reverse("servicedesk:draft_create", args=[draft_request.pk]), draft_data())
        response = client.post(
            reverse("servicedesk:draft_send", args=[draft_request.pk, 1]),
            {"to": "rina@galangan.test", "message": "Terlampir draf MoU."},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rina@galangan.test"] and message.reply_to == [staff.email]
    ((filename, content, mimetype),) = message.attachments
    assert mimetype == DOCX_MIME
    assert filename.endswith(".docx") and "PT Galangan Kapal Nusantara" in docx_text(content)
    draft_request.refresh_from_db()
    draft = DraftVersion.objects.get()
    assert draft.sent_at == NOW and draft.sent_to == "rina@galangan.test"
    # Sending the draft delivers it, and also answers and follows up the request.
    assert draft_request.draft_sent_at == NOW
    assert draft_request.responded_at == NOW and draft_request.followed_up_at == NOW
    assert draft_request.next_due_at is None
    assert Breach.objects.filter(clock="response_15m").exists()  # 09:00 + 15 min was long gone


def test_a_refused_mail_records_nothing(client_for, staff, draft_request, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    client = client_for(staff)
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("servicedesk:draft_create", args=[draft_request.pk]), draft_data())
    response = client.post(
        reverse("servicedesk:draft_send", args=[draft_request.pk, 1]), {"to": "rina@galangan.test", "message": "x"}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    draft_request.refresh_from_db()
    assert draft_request.draft_sent_at is None and DraftVersion.objects.get().sent_at is None


def test_a_delivery_by_other_means_is_recorded_but_not_in_the_future(client_for, staff, draft_request):
    client = client_for(staff)
    url = reverse("servicedesk:draft_delivery", args=[draft_request.pk, 1])
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("servicedesk:draft_create", args=[draft_request.pk]), draft_data())
        future = client.post(url, {"delivery-at": "2026-11-23T12:00", "delivery-note": "WhatsApp"})
        assert future.status_code == 400 and list(future.context["delivery_form"].errors) == ["at"]
        ok = client.post(url, {"delivery-at": local_input(NOW), "delivery-note": "WhatsApp"})
    assert ok.status_code == 302
    draft_request.refresh_from_db()
    assert draft_request.draft_sent_at == NOW


def test_the_starter_templates_use_only_known_placeholders():
    for kind in BUILDERS:
        with starter_template_path(kind).open("rb") as handle:
            check = check_template(handle)
        assert check.ok, (kind, check.unknown, check.error)


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(client_for, admin_user):
    upload = docx_upload(["Nomor {{ number }}", "Mitra: {{ partner.nme }}", "{{ mitra_nama }}"])
    response = client_for(admin_user).post(
        reverse("servicedesk:templates"), {"document_kind": "mou", "name": "MoU kantor", "file": upload}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and "partner.nme" in errors[0] and "mitra_nama" in errors[0]
    assert "number" not in errors[0].replace("placeholders", "")
    assert not DocumentTemplate.objects.exists()


def test_a_file_that_is_not_a_docx_is_refused(client_for, admin_user):
    upload = SimpleUploadedFile("t.docx", b"%PDF-1.4 not a word file")
    response = client_for(admin_user).post(
        reverse("servicedesk:templates"), {"document_kind": "mou", "name": "x", "file": upload}
    )
    assert list(response.context["form"].errors) == ["file"]


def test_an_uploaded_template_is_used_for_the_next_draft(
    client_for, admin_user, staff, draft_request, django_capture_on_commit_callbacks
):
    upload = docx_upload(
        [
            "KANTOR {{ document.title_id }} {{ number }}",
            "{%p for item in scope %}",
            "- {{ item|upper }}",
            "{%p endfor %}",
            "{{ partner.name }} / {{ institution.signatory_name }}",
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("servicedesk:templates"), {"document_kind": "mou", "name": "MoU kantor", "file": upload}
        )
    assert response.status_code == 302
    assert DocumentTemplate.objects.get().is_active
    client = client_for(staff)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("servicedesk:draft_create", args=[draft_request.pk]), draft_data())
    draft = DraftVersion.objects.get()
    assert draft.template_name == "MoU kantor"
    text = docx_text(draft.file.read())
    assert "KANTOR NOTA KESEPAHAMAN 003/MOU.PL29/XI/2026" in text
    assert "- DOSEN TAMU DARI PRAKTISI" in text
    assert "PT Galangan Kapal Nusantara / Dr. Direktur Polibatam" in text


def test_only_the_administrator_uploads_templates(client_for, staff):
    upload = docx_upload(["{{ number }}"])
    response = client_for(staff).post(
        reverse("servicedesk:templates"), {"document_kind": "mou", "name": "x", "file": upload}
    )
    assert response.status_code == 403
    assert not DocumentTemplate.objects.exists()


def test_the_upload_page_documents_every_placeholder(client_for, admin_user):
    page = client_for(admin_user).get(reverse("servicedesk:templates"))
    documented = {name for name, _text in page.context["placeholders"]}
    for name, value in PLACEHOLDERS.items():
        if isinstance(value, dict):
            assert {f"{{{{ {name}.{attribute} }}}}" for attribute in value} <= documented
        else:
            assert f"{{{{ {name} }}}}" in documented


def test_an_edited_version_can_be_uploaded(client_for, staff, draft_request, django_capture_on_commit_callbacks):
    upload = docx_upload(["Versi hasil negosiasi"], name="revisi.docx")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            reverse("servicedesk:draft_upload", args=[draft_request.pk]),
            {"document_kind": "mou", "file": upload, "note": "Komentar mitra"},
        )
    assert response.status_code == 302
    draft = DraftVersion.objects.get()
    assert (draft.number, draft.note) == (1, "Komentar mitra")
    assert "Versi hasil negosiasi" in docx_text(draft.file.read())
