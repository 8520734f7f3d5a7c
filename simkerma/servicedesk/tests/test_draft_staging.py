"""Draft versions and uploaded templates reach their final names only when their transaction
commits; a failed or interrupted save leaves nothing in the media folder."""

from __future__ import annotations

import pytest

from simkerma.core.staging import STAGING_DIR
from simkerma.core.tests.files import files_under
from simkerma.servicedesk import drafting
from simkerma.servicedesk.models import DocumentTemplate, DraftVersion
from simkerma.servicedesk.tests import test_drafts
from simkerma.servicedesk.tests.test_drafts import docx_text, docx_upload

draft_request = test_drafts.draft_request


def test_an_uploaded_version_reaches_its_final_name_only_on_commit(
    media, staff, draft_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draft = drafting.draft_upload(
            request=draft_request, upload=docx_upload(["Versi mitra"]), document_kind="mou", note="", user=staff
        )
    assert draft.file.name.startswith("servicedesk/drafts/")
    assert [name.split("/")[0] for name in files_under(media)] == [STAGING_DIR]  # staged, not yet in place

    for callback in callbacks:
        callback()
    assert files_under(media) == {draft.file.name}
    assert "Versi mitra" in docx_text((media / draft.file.name).read_bytes())


@pytest.mark.django_db(transaction=True)
def test_a_committed_generated_version_is_in_place_and_nothing_is_staged(media, staff, draft_request):
    values = {"document_kind": "mou", "number": "004/MOU.PL29/XII/2026", "title": "Magang", "scope": "Magang"}
    draft = drafting.draft_generate(request=draft_request, values=values, user=staff)

    assert files_under(media) == {draft.file.name}
    assert "004/MOU.PL29/XII/2026" in docx_text((media / draft.file.name).read_bytes())


@pytest.mark.django_db(transaction=True)
def test_a_committed_template_is_in_place_and_nothing_is_staged(media, admin_user):
    template = drafting.template_upload(
        document_kind="moa", name="PKS kantor", upload=docx_upload(["PKS {{ number }}"]), user=admin_user
    )

    assert template.file.name.startswith("servicedesk/templates/moa/")
    assert files_under(media) == {template.file.name}
    assert "PKS {{ number }}" in docx_text((media / template.file.name).read_bytes())


def test_a_version_that_fails_after_staging_leaves_no_file(monkeypatch, media, staff, draft_request):
    record = drafting.submission_record

    def crash(claim, obj):
        record(claim, obj)
        raise RuntimeError("worker killed")  # the row is saved with its final name, the commit never comes

    monkeypatch.setattr(drafting, "submission_record", crash)
    with pytest.raises(RuntimeError):
        drafting.draft_upload(
            request=draft_request, upload=docx_upload(["v1"]), document_kind="mou", note="", user=staff
        )

    assert files_under(media) == set()
    assert not DraftVersion.objects.exists()


def test_a_template_that_fails_after_staging_leaves_no_file(monkeypatch, media, admin_user):
    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(DocumentTemplate, "save", crash)
    with pytest.raises(RuntimeError):
        drafting.template_upload(document_kind="mou", name="MoU", upload=docx_upload(["x"]), user=admin_user)

    assert files_under(media) == set()
