"""Export, import into an empty database, export again: the two workbooks hold the same cells.

The rich dataset is built and exported inside a transaction that is then rolled back, so the import
runs against an empty database (users aside) in the same test, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io

import pytest
from django.db import transaction

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.agreements.models import Agreement
from simkerma.imports import format as fmt
from simkerma.imports.services import workbook_import
from simkerma.imports.template import INSTRUCTIONS_SHEET, template_workbook
from simkerma.imports.tests.test_export import FORMULA_TITLE, exported, rich_dataset, values
from simkerma.org.models import Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest


class RolledBack(Exception):
    pass


def export_of_rich_dataset(year: int | None = None) -> bytes:
    try:
        with transaction.atomic():
            rich_dataset()
            content, _counts = exported(year)
            raise RolledBack
    except RolledBack:
        pass
    assert not Agreement.objects.exists() and not Partner.objects.exists() and not Unit.objects.exists()
    return content


def counts_of(result) -> dict[str, tuple[int, int, int]]:
    return {count.sheet: (count.created, count.updated, count.unchanged) for count in result.counts}


def problems_of(result) -> list[str]:
    return [f"{problem.place}: {problem.message}" for problem in result.problems]


@pytest.mark.django_db
def test_export_import_export_gives_the_same_workbook_and_a_second_import_changes_nothing(staff):
    first = export_of_rich_dataset()
    result = workbook_import(file=io.BytesIO(first), user=staff)
    assert problems_of(result) == [] and result.saved
    assert counts_of(result) == {
        "Unit": (3, 0, 0),
        "Prodi": (3, 0, 0),
        "Mitra": (4, 0, 0),
        "Dokumen": (4, 0, 0),
        "Kegiatan": (4, 0, 0),
        "Layanan": (2, 0, 0),
        "Evaluasi": (2, 0, 0),
    }
    # What came in is what went out: the formula-looking title as text, the tree, the statuses.
    moa = Agreement.objects.get(number="002/MOA/PL29/2025")
    assert moa.title == FORMULA_TITLE and moa.parent is not None and moa.parent.number == "001/MOU/PL29/2024"
    assert Activity.objects.get(code="K2025-00001").status == ActivityStatus.TERLAKSANA
    assert not Activity.objects.get(code="K2025-00002").prodi.exists()
    assert ServiceRequest.objects.count() == 2

    second, _counts = exported()
    assert values(second) == values(first)

    again = workbook_import(file=io.BytesIO(second), user=staff)
    assert problems_of(again) == [] and again.saved
    assert counts_of(again) == {
        sheet.name: (0, 0, count) for sheet, count in zip(fmt.SHEETS, (3, 3, 4, 4, 4, 2, 2), strict=True)
    }
    third, _counts = exported()
    assert values(third) == values(first)


@pytest.mark.django_db
def test_one_years_workbook_imports_on_its_own(staff):
    content = export_of_rich_dataset(2025)
    result = workbook_import(file=io.BytesIO(content), user=staff)
    assert problems_of(result) == [] and result.saved
    assert sorted(Agreement.objects.values_list("number", flat=True)) == [
        "001/MOU/PL29/2024",
        "002/MOA/PL29/2025",
        "003/IA/PL29/2025",
    ]
    again, _counts = exported(2025)
    assert values(again) == values(content)


@pytest.mark.django_db
def test_the_blank_template_imports_creating_nothing(staff):
    output = io.BytesIO()
    template_workbook(output)
    output.seek(0)
    result = workbook_import(file=output, user=staff)
    assert problems_of(result) == [] and result.saved
    assert counts_of(result) == {sheet.name: (0, 0, 0) for sheet in fmt.SHEETS}
    # The instructions sheet is passed over, with a word about it.
    assert [warning.sheet for warning in result.warnings] == [INSTRUCTIONS_SHEET]
    assert not Unit.objects.exists() and not Partner.objects.exists() and not Agreement.objects.exists()
