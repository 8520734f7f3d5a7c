"""The reads for one unit cost the same number of queries with few rows and with many."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.tests.factories import ProdiFactory

pytestmark = pytest.mark.django_db
D = dt.date
# The unit-filtered list: the session and the user, the unit asked for, the count, the notices
# badge and the demo flag, the filter form's units, the page of activities, and the units, prodi
# and agreement units of the rows on it.
LIST_QUERIES = 11
HOME_CEILING = 25


def _more(jurusan_if, prodi_if, jurusan_mb, n: int) -> None:
    """Rows of every kind that reaches the unit: its own, inherited, through a prodi, and others'."""
    other_prodi = ProdiFactory(code=f"MBX{n}", unit=jurusan_mb)
    for i in range(n):
        agreement = AgreementFactory(units=[jurusan_if], start_date=D(2025, 1, 1), end_date=D(2027, 12, 31))
        agreement.prodi.set([prodi_if])
        ActivityFactory(agreement=agreement, start_date=D(2026, 11, 1 + i % 20))
        ActivityFactory(agreement=agreement, prodi=[other_prodi], status="terlaksana")
        ActivityFactory(agreement=AgreementFactory(), units=[jurusan_if], status="terlaksana")
        ActivityFactory(agreement=AgreementFactory(), units=[jurusan_mb])


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_filtered_by_unit_makes_the_same_queries_with_few_and_many_rows(
    client_for, staff, jurusan_if, prodi_if, jurusan_mb, django_assert_num_queries
):
    client = client_for(staff)
    url = reverse("activities:list") + f"?unit={jurusan_if.pk}"
    _more(jurusan_if, prodi_if, jurusan_mb, 2)
    client.get(url)  # the session is read once
    with django_assert_num_queries(LIST_QUERIES):
        few = client.get(url)
    _more(jurusan_if, prodi_if, jurusan_mb, 15)
    with django_assert_num_queries(LIST_QUERIES):
        many = client.get(url)
    assert few.context["page_obj"].paginator.count == 2 * 3
    assert many.context["page_obj"].paginator.count == 17 * 3
    assert len(many.context["page_obj"]) == 25


@time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
def test_the_coordinators_home_page_makes_the_same_queries_with_few_and_many_rows(
    client_for, coordinator, jurusan_if, prodi_if, jurusan_mb, django_assert_max_num_queries
):
    client = client_for(coordinator)
    # Already more carried-out activities than the panel shows, so that it counts them in both.
    _more(jurusan_if, prodi_if, jurusan_mb, 3)
    client.get("/")
    few = _count(client, "/")
    _more(jurusan_if, prodi_if, jurusan_mb, 15)
    client.get("/")  # the counts cached again after the writes, as for `few`
    with django_assert_max_num_queries(HOME_CEILING):
        assert _count(client, "/") == few
    assert few <= HOME_CEILING
