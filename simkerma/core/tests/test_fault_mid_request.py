"""A database error in the middle of a request leaves nothing half-written, files included.

Each upload page is sent again and again, the database failing on its first INSERT, then on its
second, and so on until a request gets through: every failed one must leave every table's row
count and the media folder (the staging area included) as they were. The failure is raised by the
database connection itself, on the statement, as a full disk or a lost server would raise it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.activities.tests.fixtures import agreement_if, partner  # noqa: F401 (fixtures)
from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.helpers import agreement_data
from simkerma.agreements.tests.test_scan import upload as scan_upload
from simkerma.archive.models import CooperationReport
from simkerma.archive.tests.files import image_bytes
from simkerma.archive.tests.files import upload as evidence_upload
from simkerma.archive.tests.test_reports import report_data
from simkerma.core.tests.concurrency import token_for
from simkerma.core.tests.files import files_under, pdf_bytes
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import DraftVersion
from simkerma.servicedesk.tests.test_drafts import docx_upload
from simkerma.servicedesk.tests.test_drafts import draft_request as draft_request

MAX_INSERTS = 60


@contextmanager
def insert_fails(number: int) -> Iterator[list[str]]:
    """The connection raises DatabaseError on its `number`th INSERT; yields the INSERTs run."""
    inserts: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT"):
            inserts.append(sql)
            if len(inserts) == number:
                raise DatabaseError("disk I/O error")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield inserts


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (the catalogue's names)
            counts[table] = cursor.fetchone()[0]
    return counts


def fail_at_every_insert(media, client, post: Callable[[Any], Any]) -> int:
    """Send `post` with the database failing at each INSERT in turn; the INSERTs of the request
    that finally got through. Each failed request must have changed nothing."""
    client.raise_request_exception = False
    for number in range(1, MAX_INSERTS):
        rows, files = row_counts(), files_under(media)
        with insert_fails(number) as inserts:
            response = post(client)
        if len(inserts) < number:  # no INSERT failed: the request went through
            assert response.status_code == 302
            assert files_under(media) != files  # a stored file is seen, so a left one would be
            return number - 1
        assert response.status_code == 500, f"INSERT {number}: {inserts[-1]}"
        assert row_counts() == rows, f"rows left after failing INSERT {number}: {inserts[-1]}"
        assert files_under(media) == files, f"files left after failing INSERT {number}: {inserts[-1]}"
    raise AssertionError(f"the request ran more than {MAX_INSERTS} INSERTs")


@pytest.mark.django_db(transaction=True)
def test_an_agreement_with_its_signed_scan_is_saved_whole_or_not_at_all(media, client_for, staff):
    partners = [PartnerFactory()]

    def post(client):
        data = agreement_data(partners=partners, title="Pindaian", number="010/MOU.PL29/III/2025")
        return client.post(reverse("agreements:create"), {**data, "signed_scan": scan_upload(pdf_bytes())})

    assert fail_at_every_insert(media, client_for(staff), post) >= 3
    agreement = Agreement.objects.get(title="Pindaian")
    assert files_under(media) == {agreement.signed_scan.name}


@pytest.mark.django_db(transaction=True)
def test_a_report_with_its_evidence_is_filed_whole_or_not_at_all(media, client_for, coordinator, agreement_if):  # noqa: F811
    activity = ActivityFactory(agreement=agreement_if, status=ActivityStatus.TERLAKSANA)

    def post(client):
        files = [
            ("photo", evidence_upload("kegiatan.png", image_bytes("PNG"), "image/png")),
            ("attendance", evidence_upload("hadir.jpg", image_bytes("JPEG"), "image/jpeg")),
        ]
        return client.post(reverse("archive:report_create"), report_data([activity], files))

    assert fail_at_every_insert(media, client_for(coordinator), post) >= 6
    report = CooperationReport.objects.get()
    assert files_under(media) == {evidence.file.name for evidence in report.evidence.all()}
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DILAPORKAN


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_draft_version_is_saved_whole_or_not_at_all(media, client_for, staff, draft_request):
    url = reverse("servicedesk:draft_upload", args=[draft_request.pk])

    def post(client):
        data = {"document_kind": "mou", "file": docx_upload(["Versi mitra"], name="revisi.docx"), "note": "Mitra"}
        return client.post(url, data | token_for(client, url))

    assert fail_at_every_insert(media, client_for(staff), post) >= 2
    draft = DraftVersion.objects.get(request=draft_request)
    assert files_under(media) == {draft.file.name}
