"""The home page's agreement counts served from the cache are the counts computed afresh: after
every kind of write to agreements and partners, on another day, and after a rolled-back write."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from simkerma.agreements.models import today
from simkerma.agreements.selectors import home_counts
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
D = dt.date
# 1 December 2026, 10:00 WIB.
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def old():
    # Ends on 31 January 2027: expiring on 1 December 2026 (61 days).
    return AgreementFactory(number="010/MOU.PL29/I/2022", start_date=D(2022, 2, 1), end_date=D(2027, 1, 31))


@pytest.fixture
def active():
    return AgreementFactory(number="020/MOU.PL29/I/2024", start_date=D(2024, 1, 1), end_date=D(2029, 12, 31))


def cached_counts():
    return home_counts(today())


def fresh_counts():
    return home_counts(today(), cache=False)


def test_a_new_agreement_is_counted(old, active):
    before = cached_counts()
    AgreementFactory(number="030/MOU.PL29/I/2026", start_date=D(2026, 1, 1), end_date=D(2030, 12, 31))
    after = cached_counts()
    assert after == fresh_counts()
    assert after["statuses"]["active"] == before["statuses"]["active"] + 1


def test_a_terminated_agreement_moves_to_terminated(old, active):
    before = cached_counts()
    active.terminated_on = D(2026, 11, 1)
    active.save()
    after = cached_counts()
    assert after == fresh_counts()
    assert (after["statuses"]["terminated"], after["statuses"]["active"]) == (
        before["statuses"]["terminated"] + 1,
        before["statuses"]["active"] - 1,
    )


def test_changed_dates_change_the_status(old, active):
    before = cached_counts()
    old.end_date = D(2028, 1, 31)
    old.save()
    after = cached_counts()
    assert after == fresh_counts()
    assert (before["statuses"]["expiring"], after["statuses"]["expiring"]) == (1, 0)


def test_a_renewal_takes_an_agreement_out_of_expiring(old, active):
    before = cached_counts()
    AgreementFactory(number="011/MOU.PL29/XI/2026", renews=old, start_date=D(2027, 2, 1), end_date=D(2032, 1, 31))
    after = cached_counts()
    assert after == fresh_counts()
    assert (before["statuses"]["expiring"], after["statuses"]["expiring"]) == (1, 0)


def test_an_agreement_deleted_and_a_partner_added_are_counted(old, active):
    before = cached_counts()
    PartnerFactory(name="Mitra Baru")
    after = cached_counts()
    assert after == fresh_counts()
    assert after["partners"] == before["partners"] + 1
    active.delete()
    assert cached_counts() == fresh_counts()
    assert cached_counts()["statuses"]["active"] == before["statuses"]["active"] - 1


def test_the_next_day_the_counts_are_those_of_the_next_day(old, active):
    before = cached_counts()
    with time_machine.travel(dt.datetime(2027, 2, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        after = cached_counts()
        assert after == fresh_counts()
    assert (before["statuses"]["expiring"], after["statuses"]["expiring"]) == (1, 0)


def test_a_rolled_back_write_leaves_the_cached_counts_valid(old, active):
    before = cached_counts()
    with pytest.raises(RuntimeError), transaction.atomic():
        active.terminated_on = D(2026, 11, 1)
        active.save()
        assert cached_counts() == fresh_counts() != before
        raise RuntimeError("rolled back")
    assert cached_counts() == fresh_counts() == before


@pytest.mark.parametrize("extra", [0, 12])
def test_cached_counts_take_one_query_with_few_rows_or_many(old, active, extra, django_assert_num_queries):
    for index in range(extra):
        AgreementFactory(number=f"{100 + index}/MOU.PL29/I/2025")
    cached_counts()
    with django_assert_num_queries(1):  # the data versions
        cached_counts()
