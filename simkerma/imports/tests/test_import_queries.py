"""The write phase runs a number of queries that does not grow with the rows: bulk writes in batches."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simkerma.activities.models import Activity
from simkerma.core.versions import bump
from simkerma.imports.importer import check_workbook, write_workbook
from simkerma.imports.importer.base import Context
from simkerma.imports.reader import open_workbook
from simkerma.imports.tests import files
from simkerma.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


def checked(data: bytes, user) -> tuple[Context, list]:
    ctx = Context(user=user)
    workbook = open_workbook(files.upload(data))
    imports = check_workbook(ctx, workbook)
    workbook.close()
    assert not ctx.problems, ctx.problems
    return ctx, imports


def statements(queries: list[dict[str, str]]) -> list[str]:
    """The statements run, with consecutive INSERTs or UPDATEs of one table counted once: Django
    splits one bulk write into several on SQLite, which takes at most 999 parameters a statement
    (on PostgreSQL each batch of 2,000 rows is one statement)."""
    shapes: list[str] = []
    for query in queries:
        # Statements are told apart by their start, without the numbers (ids, savepoint names).
        sql = re.sub(r"\d+", "N", query["sql"])
        words = sql.split()
        shape = " ".join(words[:3]) if words and words[0] in ("INSERT", "UPDATE") else sql[:80]
        if not (shapes and shape == shapes[-1] and words[0] in ("INSERT", "UPDATE")):
            shapes.append(shape)
    return shapes


def write_queries(data: bytes, user) -> list[str]:
    ctx, imports = checked(data, user)
    with CaptureQueriesContext(connection) as queries:
        write_workbook(ctx, imports)
    return statements(queries.captured_queries)


def records(rows: int, *, title: str = "Magang mahasiswa") -> bytes:
    """Activities and requests under the agreements of full_sheets(), with links and history."""
    sheets = files.full_sheets(activities=rows, requests=rows)
    activities = [[*row[:2], title, *row[3:]] for row in sheets["Kegiatan"]]
    return files.workbook_bytes({"Kegiatan": activities, "Layanan": sheets["Layanan"]})


@pytest.fixture
def agreements(staff):
    base = files.full_sheets()
    write_queries(files.workbook_bytes({name: base[name] for name in ("Unit", "Prodi", "Mitra", "Dokumen")}), staff)


@pytest.fixture
def versions_stored():
    """Every data version has its row, so that no first bump adds an INSERT."""
    for name in ("kpi-inputs", "agreements", "partners", "service-requests", "activity-scope"):
        bump(name)


def test_creating_200_rows_takes_the_statements_of_20(staff, agreements, versions_stored):
    few = write_queries(records(20), staff)
    Activity.objects.all().delete()
    ServiceRequest.objects.all().delete()

    many = write_queries(records(200), staff)

    assert many == few and len(few) > 20
    assert Activity.objects.count() == ServiceRequest.objects.count() == 200
    assert Activity.history.filter(history_type="+").count() == 220


def test_updating_200_rows_takes_the_statements_of_20(staff, agreements, versions_stored):
    write_queries(records(200), staff)
    many = write_queries(records(200, title="Magang diperpanjang"), staff)
    Activity.objects.filter(code__gt="K2025-00020").delete()
    ServiceRequest.objects.filter(code__gt="L2025-00020").delete()
    ctx, imports = checked(records(20), staff)
    assert ctx.counts["Kegiatan"].updated == 20 and ctx.counts["Layanan"].unchanged == 20

    with CaptureQueriesContext(connection) as queries:
        write_workbook(ctx, imports)

    assert statements(queries.captured_queries) == many


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite splits bulk writes by its parameter limit")
def test_on_postgresql_the_query_count_is_the_same(staff, agreements, versions_stored, django_assert_num_queries):
    ctx, imports = checked(records(20), staff)
    with CaptureQueriesContext(connection) as queries:
        write_workbook(ctx, imports)
    Activity.objects.all().delete()
    ServiceRequest.objects.all().delete()
    ctx, imports = checked(records(200), staff)

    with django_assert_num_queries(len(queries)):
        write_workbook(ctx, imports)
