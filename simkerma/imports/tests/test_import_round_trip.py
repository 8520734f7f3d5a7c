"""Export, import into an empty database, export again: the two exports hold the same cells."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from openpyxl import load_workbook

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.agreements.models import Agreement
from simkerma.evaluations.models import Evaluation
from simkerma.imports.exporter import export_workbook
from simkerma.imports.services import workbook_import
from simkerma.imports.tests import files
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


def exported(user) -> bytes:
    stream = io.BytesIO()
    export_workbook(output=stream, user=user)
    return stream.getvalue()


def cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    book.close()
    return sheets


def empty_the_database() -> None:
    with transaction.atomic():
        Evaluation.objects.all().delete()
        ServiceRequest.objects.all().delete()
        for activity in Activity.objects.all():
            activity.transitions.all().delete()
        Activity.objects.all().delete()
        Agreement.objects.filter(parent__isnull=False).delete()
        Agreement.objects.all().delete()
        Partner.objects.all().delete()
        Prodi.objects.all().delete()
        Unit.objects.all().delete()


def test_export_import_export_gives_the_same_workbook(staff):
    sheets = files.full_sheets(activities=6, requests=3)
    assert workbook_import(file=files.upload(files.workbook_bytes(sheets)), user=staff).saved
    Activity.objects.get(code="K2025-00002").move(ActivityStatus.DILAPORKAN, user=staff)
    first = exported(staff)

    empty_the_database()
    result = workbook_import(file=files.upload(first), user=staff)

    assert result.saved, result.problems
    assert cells(exported(staff)) == cells(first)
    again = workbook_import(file=files.upload(first), user=staff)
    assert all(c.created == c.updated == 0 for c in again.counts)
