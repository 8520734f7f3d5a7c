"""Uploaded templates are code: the sandbox, the placeholder allow-list, and bounds on filling."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from simkerma.servicedesk.drafting import SAMPLE_CONTEXT, check_template, render_docx
from simkerma.servicedesk.models import DocumentTemplate, DraftVersion
from simkerma.servicedesk.tests import test_drafts
from simkerma.servicedesk.tests.test_drafts import docx_upload

draft_request = test_drafts.draft_request

pytestmark = pytest.mark.django_db

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('echo h1-pwned').read() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ title.__class__ }}",
    "{{ partner.name.__class__.__base__ }}",
    "{{ partner.items() }}",
    "{{ lipsum(n=5) }}",
    "{{ namespace() }}",
    "{{ title|attr('__class__') }}",
]


@pytest.mark.parametrize("line", ESCAPES)
def test_it_refuses_templates_that_reach_outside_the_placeholders(line):
    check = check_template(docx_upload(["Nomor {{ number }}", line]))
    assert not check.ok
    assert check.unknown or check.error


def test_the_upload_check_runs_no_command(client_for, admin_user, tmp_path, settings):
    marker = tmp_path / "ran"
    line = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    response = client_for(admin_user).post(
        reverse("servicedesk:templates"), {"document_kind": "mou", "name": "x", "file": docx_upload([line])}
    )
    assert response.status_code == 400
    assert "cycler" in response.context["form"].errors["file"][0]
    assert not marker.exists()
    assert not DocumentTemplate.objects.exists()


def test_filling_is_sandboxed_even_for_a_template_that_skipped_the_check():
    upload = docx_upload(["{{ ''.__class__.__mro__[1].__subclasses__() }}"])
    with pytest.raises(Exception) as raised:
        render_docx(upload, SAMPLE_CONTEXT)
    assert "unsafe" in str(raised.value) or "SecurityError" in type(raised.value).__name__


def test_a_huge_loop_is_refused_quickly():
    upload = docx_upload(["{% for i in 'x' * 20000000 %}{{ i }}{% endfor %}"])
    started = time.monotonic()
    check = check_template(upload)
    assert not check.ok
    assert time.monotonic() - started < 2


def test_repetition_is_bounded_when_filling():
    upload = docx_upload(["{{ title * 20000000 }}"])
    check = check_template(upload)
    assert not check.ok and "terlalu banyak kali" in check.error  # the limit speaks Indonesian


def test_documented_uses_still_pass():
    check = check_template(
        docx_upload(
            [
                "{{ title.upper() }} {{ partner.name|upper }} {{ institution.name.title() }}",
                "{%p for item in scope %}",
                "{{ loop.index }}. {{ item }}",
                "{%p endfor %}",
                "{% if parent_number %}{{ parent_number }}{% endif %} {{ scope[0] }}",
            ]
        )
    )
    assert check.ok, (check.unknown, check.error)


def test_an_old_unsafe_template_makes_no_draft_and_a_clear_error(staff, draft_request):
    from simkerma.servicedesk.drafting import draft_generate
    from simkerma.servicedesk.tests.test_drafts import draft_data

    template = DocumentTemplate(document_kind="mou", name="lama", is_active=True)
    template.file.save("mou.docx", docx_upload(["{{ title.__class__ }}"]), save=False)
    template.save()
    values = dict(draft_data(), duration_years=5)
    with pytest.raises(ValidationError) as raised:
        draft_generate(request=draft_request, values=values, user=staff)
    assert "__class__" in raised.value.messages[0] and "unsafe" in raised.value.messages[0]
    assert not DraftVersion.objects.exists()


def zip_bomb_docx(inflated: int = 200 * 1024 * 1024) -> bytes:
    buffer = io.BytesIO(docx_upload(["{{ number }}"]).read())
    zeros = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package,
        package.open("word/media/padding.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(inflated // len(zeros)):
            member.write(zeros)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return zip_bomb_docx()


def test_a_zip_bomb_draft_is_refused_fast(client_for, staff, draft_request, bomb):
    assert len(bomb) < 500 * 1024
    started = time.monotonic()
    response = client_for(staff).post(
        reverse("servicedesk:draft_upload", args=[draft_request.pk]),
        {"document_kind": "mou", "note": "", "file": SimpleUploadedFile("v2.docx", bomb)},
    )
    assert time.monotonic() - started < 3
    assert response.status_code in (200, 400)
    assert "zip bomb" in response.context["form"].errors["file"][0]
    assert not DraftVersion.objects.exists()


def test_a_zip_bomb_template_is_refused(bomb):
    check = check_template(SimpleUploadedFile("t.docx", bomb))
    assert not check.ok and "zip bomb" in check.error


def test_a_version_whose_row_fails_leaves_no_file(staff, draft_request, settings):
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from simkerma.servicedesk.drafting import draft_upload

    def stored() -> set[Path]:
        return {path for path in Path(settings.MEDIA_ROOT).rglob("*.docx")}

    before = stored()
    # A team member whose row cannot be referenced: the version's save() fails.
    unsaved = get_user_model()(username="belum-disimpan", role=staff.role)
    with pytest.raises(ValueError):
        draft_upload(request=draft_request, upload=docx_upload(["v2"]), document_kind="mou", note="", user=unsaved)
    assert stored() == before
    assert not DraftVersion.objects.exists()
