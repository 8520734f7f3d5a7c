"""A stored template the sandbox refuses is shown on the draft form, in the user's language; the
values typed are kept and no version is made."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from simkerma.servicedesk.drafting import SAMPLE_CONTEXT, check_template, render_docx
from simkerma.servicedesk.models import DocumentTemplate, DraftVersion
from simkerma.servicedesk.template_safety import TemplateLimit
from simkerma.servicedesk.tests import test_drafts
from simkerma.servicedesk.tests.test_drafts import docx_upload, draft_data
from simkerma.servicedesk.views import drafts as draft_views

draft_request = test_drafts.draft_request


def store_template(paragraphs: list[str]) -> DocumentTemplate:
    """A template kept from before its upload checks: stored as it is, without check_template."""
    template = DocumentTemplate(document_kind="mou", name="MoU lama", is_active=True)
    template.file.save("mou.docx", docx_upload(paragraphs), save=False)
    template.save()
    return template


def test_a_refused_stored_template_is_a_form_message_and_keeps_the_values(client_for, staff, draft_request):
    store_template(["{{ title * 20000000 }}"])
    data = draft_data(title="Magang industri perkapalan")

    response = client_for(staff).post(reverse("servicedesk:draft_create", args=[draft_request.pk]), data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == ["Templat tidak dapat diisi: templat mengulang teks terlalu banyak kali"]
    page = response.content.decode()
    assert "Templat tidak dapat diisi: templat mengulang teks terlalu banyak kali" in page
    assert 'value="Magang industri perkapalan"' in page and 'value="003/MOU.PL29/XI/2026"' in page
    assert not DraftVersion.objects.exists()


def test_an_unsafe_stored_template_is_a_form_message(client_for, staff, draft_request):
    store_template(["{{ title.__class__ }}"])

    response = client_for(staff).post(reverse("servicedesk:draft_create", args=[draft_request.pk]), draft_data())

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("Templat tidak dapat diisi:") and "__class__" in error
    assert not DraftVersion.objects.exists()


def test_a_refusal_of_the_upload_service_is_shown_next_to_the_file(monkeypatch, client_for, staff, draft_request):
    def refuse(**kwargs):
        raise ValidationError({"file": "Berkas ini ditolak."})

    monkeypatch.setattr(draft_views, "draft_upload", refuse)
    response = client_for(staff).post(
        reverse("servicedesk:draft_upload", args=[draft_request.pk]),
        {"document_kind": "mou", "file": docx_upload(["Versi mitra"], name="revisi.docx"), "note": "Komentar mitra"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] == ["Berkas ini ditolak."]
    assert 'value="Komentar mitra"' in response.content.decode()
    assert not DraftVersion.objects.exists()


@pytest.mark.parametrize(
    ("paragraph", "indonesian", "english"),
    [
        ("{{ title * 20000000 }}", "templat mengulang teks terlalu banyak kali", "repeats text too many times"),
        ("{{ duration_years ** 1000 }}", "templat memangkatkan angka terlalu tinggi", "a number to too high a power"),
    ],
)
def test_the_sandbox_limits_speak_the_users_language(paragraph, indonesian, english):
    with translation.override("id"):
        check = check_template(docx_upload([paragraph]))
    assert not check.ok and check.error == f"Templat tidak dapat diisi: {indonesian}"
    with translation.override("en"), pytest.raises(TemplateLimit) as raised:
        render_docx(docx_upload([paragraph]), SAMPLE_CONTEXT)
    assert english in str(raised.value)


def test_a_loop_over_another_name_is_named_in_the_users_language():
    with translation.override("id"):
        check = check_template(docx_upload(["{%p for x in partner %}", "{{ x }}", "{%p endfor %}"]))
    assert "{% for … in … %} (hanya atas scope)" in check.unknown
