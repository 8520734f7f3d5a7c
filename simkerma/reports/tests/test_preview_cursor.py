"""The preview reads a table's first rows and stops: the rest's database cursor is closed at once.

On PostgreSQL a queryset's `.iterator()` holds a server-side cursor. Left open, it was closed by
the garbage collector in the middle of a later query on the same connection, and the request hung.
"""

from __future__ import annotations

import pytest
from django.db import connection

from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.framework import Column, Table
from simkerma.reports.views import PREVIEW_ROWS, _preview_table

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side cursors are PostgreSQL's"),
]


def _open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        return cursor.fetchone()[0]


def _rows():
    for (name,) in Partner.objects.order_by("name").values_list("name").iterator(chunk_size=10):
        yield [name]


def test_the_preview_closes_the_cursor_of_the_rows_it_does_not_read():
    PartnerFactory.create_batch(PREVIEW_ROWS + 10)
    table = Table("Tabel", "Mitra", [Column("name", "Nama")], _rows())
    before = _open_cursors()

    preview = _preview_table(table)

    assert len(preview["rows"]) == PREVIEW_ROWS and preview["full"]
    assert _open_cursors() == before


def test_a_table_closed_before_its_rows_are_read_opens_no_cursor():
    PartnerFactory.create_batch(3)
    rows = _rows()
    table = Table("Tabel", "Mitra", [Column("name", "Nama")], rows)
    table.close()
    assert list(rows) == []
