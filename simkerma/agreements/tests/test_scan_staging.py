"""The signed scan is written before the agreement's transaction and reaches its final name only
when that transaction commits; a failed save leaves nothing in the media folder."""

from __future__ import annotations

import pytest

from simkerma.agreements import services
from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.test_scan import TITLE, post_with_scan, upload
from simkerma.core.staging import STAGING_DIR
from simkerma.core.tests.files import files_under, pdf_bytes


@pytest.mark.django_db
def test_the_scan_reaches_its_final_name_only_on_commit(media, client_for, staff, django_capture_on_commit_callbacks):
    content = pdf_bytes(pages=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_with_scan(client_for(staff), upload(content))
    assert response.status_code == 302
    name = Agreement.objects.get(title=TITLE).signed_scan.name
    assert name.startswith("agreements/scans/")
    assert [path.split("/")[0] for path in files_under(media)] == [STAGING_DIR]  # staged, not yet in place

    for callback in callbacks:
        callback()
    assert files_under(media) == {name}
    assert (media / name).read_bytes() == content


@pytest.mark.django_db(transaction=True)
def test_a_committed_save_has_the_scan_in_place_and_nothing_staged(media, client_for, staff):
    content = pdf_bytes()
    post_with_scan(client_for(staff), upload(content))

    name = Agreement.objects.get(title=TITLE).signed_scan.name
    assert files_under(media) == {name}
    assert (media / name).read_bytes() == content


@pytest.mark.django_db
def test_a_save_that_fails_after_staging_leaves_no_file(monkeypatch, media, client_for, staff):
    save = services.save_with_one_record

    def crash(agreement, many, reason=None):
        save(agreement, many, reason)  # the row holds the scan's name; the request dies before the commit
        assert agreement.signed_scan.name.startswith("agreements/scans/")
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "save_with_one_record", crash)
    client = client_for(staff)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        post_with_scan(client, upload(pdf_bytes()))

    assert not Agreement.objects.filter(title=TITLE).exists()
    assert files_under(media) == set()
