"""Status and validity: the model's rules and the QuerySet's filters must agree on every day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simkerma.agreements.models import Agreement, Kind, Status
from simkerma.agreements.tests.factories import AgreementFactory

WIB = ZoneInfo("Asia/Jakarta")
D = dt.date
START = D(2025, 1, 1)
END = D(2025, 12, 31)


def queryset_status(agreement: Agreement, on: dt.date) -> list[str]:
    """Every status whose QuerySet filter finds the agreement on that day."""
    return [s for s in Status.values if Agreement.objects.with_status(s, on).filter(pk=agreement.pk).exists()]


def assert_status(agreement: Agreement, on: dt.date, expected: str) -> None:
    assert agreement.status_on(on) == expected
    assert queryset_status(agreement, on) == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2024, 12, 31), Status.DRAFT),  # day before start
        (D(2025, 1, 1), Status.ACTIVE),  # start day
        (D(2025, 10, 1), Status.ACTIVE),  # end - 91 days
        (D(2025, 10, 2), Status.EXPIRING),  # end - 90 days
        (D(2025, 12, 30), Status.EXPIRING),
        (D(2025, 12, 31), Status.EXPIRING),  # end day
        (D(2026, 1, 1), Status.EXPIRED),  # day after end
    ],
)
def test_it_derives_the_status_at_each_boundary(on, expected):
    agreement = AgreementFactory(start_date=START, end_date=END)
    assert (END - D(2025, 10, 2)).days == 90
    assert_status(agreement, on, expected)


@pytest.mark.django_db
def test_it_calls_a_short_agreement_expiring_from_its_first_day():
    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2025, 2, 28))
    assert_status(agreement, D(2024, 12, 31), Status.DRAFT)
    assert_status(agreement, D(2025, 1, 1), Status.EXPIRING)


@pytest.mark.django_db
def test_it_calls_an_agreement_terminated_from_the_termination_day_on():
    agreement = AgreementFactory(start_date=START, end_date=END, terminated_on=D(2025, 6, 15))
    assert_status(agreement, D(2025, 6, 14), Status.ACTIVE)
    assert_status(agreement, D(2025, 6, 15), Status.TERMINATED)
    assert_status(agreement, D(2025, 12, 31), Status.TERMINATED)
    assert_status(agreement, D(2026, 6, 1), Status.TERMINATED)


@pytest.mark.django_db
def test_it_keeps_the_ordinary_status_before_an_early_termination_near_the_end():
    agreement = AgreementFactory(start_date=START, end_date=END, terminated_on=D(2025, 12, 31))
    assert_status(agreement, D(2025, 12, 30), Status.EXPIRING)
    assert_status(agreement, D(2025, 12, 31), Status.TERMINATED)


@pytest.mark.django_db
@override_settings(SIMKERMA_EXPIRING_DAYS=30)
def test_it_reads_the_expiring_window_from_settings():
    agreement = AgreementFactory(start_date=START, end_date=END)
    assert_status(agreement, D(2025, 11, 30), Status.ACTIVE)  # 31 days left
    assert_status(agreement, D(2025, 12, 1), Status.EXPIRING)  # 30 days left


@pytest.mark.django_db
def test_it_uses_the_jakarta_date_for_today():
    agreement = AgreementFactory(start_date=START, end_date=END)
    # 2024-12-31 18:30 UTC is already 2025-01-01 01:30 in Jakarta.
    with time_machine.travel(dt.datetime(2024, 12, 31, 18, 30, tzinfo=dt.UTC), tick=False):
        assert agreement.status == Status.ACTIVE
        assert agreement.days_left == 364
        assert list(Agreement.objects.with_status(Status.ACTIVE)) == [agreement]
    with time_machine.travel(dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        assert agreement.status == Status.DRAFT
        assert list(Agreement.objects.with_status(Status.DRAFT)) == [agreement]


@pytest.mark.django_db
def test_it_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="bogus"):
        Agreement.objects.with_status("bogus", START)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "valid"),
    [
        (D(2024, 12, 31), False),
        (D(2025, 1, 1), True),
        (D(2025, 6, 14), True),
        (D(2025, 6, 15), False),  # ended early on this day
        (D(2025, 12, 31), False),
    ],
)
def test_it_applies_the_validity_rule_of_the_contract(on, valid):
    ended_early = AgreementFactory(start_date=START, end_date=END, terminated_on=D(2025, 6, 15))
    assert ended_early.is_valid_on(on) is valid
    assert list(Agreement.objects.valid_on(on)) == ([ended_early] if valid else [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "valid"),
    [(D(2024, 12, 31), False), (D(2025, 1, 1), True), (D(2025, 12, 31), True), (D(2026, 1, 1), False)],
)
def test_it_counts_both_ends_of_the_period_as_valid(on, valid):
    agreement = AgreementFactory(start_date=START, end_date=END)
    assert agreement.is_valid_on(on) is valid
    assert Agreement.objects.valid_on(on).filter(pk=agreement.pk).exists() is valid


@pytest.mark.django_db
def test_it_finds_agreements_in_force_during_a_year():
    spanning = AgreementFactory(start_date=D(2023, 6, 1), end_date=D(2026, 5, 31))
    last_day_only = AgreementFactory(start_date=D(2024, 12, 31), end_date=D(2024, 12, 31))
    first_day_only = AgreementFactory(start_date=D(2026, 1, 1), end_date=D(2027, 1, 1))
    ended_on_new_year = AgreementFactory(start_date=D(2024, 1, 1), end_date=D(2026, 1, 1), terminated_on=D(2025, 1, 1))
    ended_next_day = AgreementFactory(start_date=D(2024, 1, 1), end_date=D(2026, 1, 1), terminated_on=D(2025, 1, 2))
    assert set(Agreement.objects.in_year(2025)) == {spanning, ended_next_day}
    assert set(Agreement.objects.in_year(2024)) == {spanning, last_day_only, ended_on_new_year, ended_next_day}
    assert set(Agreement.objects.in_year(2026)) == {spanning, first_day_only}


# Dates are offsets in days from an epoch, so hypothesis explores the boundaries densely.
EPOCH = D(2025, 1, 1)
spec = st.tuples(
    st.integers(min_value=-200, max_value=200),  # start
    st.integers(min_value=0, max_value=400),  # length in days
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),  # termination, days after start
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(spec, min_size=1, max_size=12), on=st.integers(min_value=-250, max_value=650))
def test_it_partitions_agreements_into_exactly_one_status(specs, on):
    day = EPOCH + dt.timedelta(days=on)
    with transaction.atomic():
        rows = []
        for index, (start, length, ended) in enumerate(specs):
            start_date = EPOCH + dt.timedelta(days=start)
            end_date = start_date + dt.timedelta(days=length)
            terminated = None if ended is None else min(start_date + dt.timedelta(days=ended), end_date)
            rows.append(
                Agreement(
                    kind=Kind.MOU,
                    number=f"H{index}",
                    title="h",
                    level="nasional",
                    fields=["pendidikan"],
                    start_date=start_date,
                    end_date=end_date,
                    terminated_on=terminated,
                )
            )
        Agreement.objects.bulk_create(rows)
        agreements = {a.pk: a for a in Agreement.objects.all()}
        seen: dict[int, str] = {}
        for status in Status.values:
            for pk in Agreement.objects.with_status(status, day).values_list("pk", flat=True):
                assert pk not in seen, f"{agreements[pk].number} is both {seen[pk]} and {status}"
                seen[pk] = status
        assert seen == {pk: a.status_on(day) for pk, a in agreements.items()}
        valid = set(Agreement.objects.valid_on(day).values_list("pk", flat=True))
        assert valid == {pk for pk, a in agreements.items() if a.is_valid_on(day)}
        assert valid == {pk for pk, status in seen.items() if status in (Status.ACTIVE, Status.EXPIRING)}
        transaction.set_rollback(True)
