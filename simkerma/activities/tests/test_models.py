"""How activities count: contract status, carried out in a year, effective units and prodi, codes."""

from __future__ import annotations

import datetime as dt

import pytest

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.services import activity_next_code
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.tests.factories import ProdiFactory

S = ActivityStatus
D = dt.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "contract"),
    [
        (S.RENCANA, "rencana"),
        (S.DIKOORDINASIKAN, "rencana"),
        (S.TERLAKSANA, "terlaksana"),
        (S.DILAPORKAN, "terlaksana"),
        (S.DIARSIPKAN, "terlaksana"),
        (S.BATAL, "batal"),
    ],
)
def test_it_maps_each_status_to_the_workbook_status(status, contract):
    activity = ActivityFactory(status=status)
    assert activity.contract_status == contract
    assert list(Activity.objects.with_contract_status(contract)) == [activity]


def test_it_counts_an_activity_as_carried_out_in_a_year_only_by_the_domain_rule():
    agreement = AgreementFactory(start_date=D(2025, 3, 1), end_date=D(2026, 6, 30))
    terminated = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2029, 12, 31), terminated_on=D(2025, 9, 1))
    counted = [
        ActivityFactory(agreement=agreement, status=S.TERLAKSANA, start_date=D(2025, 3, 1)),
        ActivityFactory(agreement=agreement, status=S.DILAPORKAN, start_date=D(2025, 12, 31)),
        ActivityFactory(agreement=agreement, status=S.DIARSIPKAN, start_date=D(2025, 7, 1)),
        ActivityFactory(agreement=terminated, status=S.TERLAKSANA, start_date=D(2025, 8, 31)),
    ]
    # Not counted: not carried out, another year, before the agreement, on or after the termination.
    ActivityFactory(agreement=agreement, status=S.RENCANA, start_date=D(2025, 5, 1))
    ActivityFactory(agreement=agreement, status=S.DIKOORDINASIKAN, start_date=D(2025, 5, 1))
    ActivityFactory(agreement=agreement, status=S.BATAL, start_date=D(2025, 5, 1))
    ActivityFactory(agreement=agreement, status=S.TERLAKSANA, start_date=D(2026, 1, 1))
    ActivityFactory(agreement=agreement, status=S.TERLAKSANA, start_date=D(2025, 2, 28))
    ActivityFactory(agreement=terminated, status=S.TERLAKSANA, start_date=D(2025, 9, 1))

    assert set(Activity.objects.carried_out_in(2025)) == set(counted)
    assert list(Activity.objects.carried_out_in(2026).values_list("start_date", flat=True)) == [D(2026, 1, 1)]
    assert not Activity.objects.carried_out_in(2024).exists()


def test_it_takes_the_agreements_units_and_prodi_when_it_names_none(agreement_if, prodi_if, jurusan_mb, prodi_mb):
    inherits = ActivityFactory(agreement=agreement_if)
    own = ActivityFactory(agreement=agreement_if, units=[jurusan_mb], prodi=[prodi_mb])

    assert inherits.effective_prodi() == [prodi_if]
    assert inherits.effective_units() == []
    assert own.effective_units() == [jurusan_mb]
    assert own.effective_prodi() == [prodi_mb]


def test_it_finds_the_activities_of_a_unit_directly_through_prodi_or_through_the_agreement(
    jurusan_if, prodi_if, jurusan_mb, prodi_mb, p3m_unit
):
    agreement_units = AgreementFactory(units=[jurusan_if])
    agreement_prodi = AgreementFactory(prodi=[prodi_if])
    agreement_other = AgreementFactory(units=[jurusan_mb])
    direct = ActivityFactory(agreement=agreement_other, units=[jurusan_if])
    via_prodi = ActivityFactory(agreement=agreement_other, prodi=[prodi_if])
    inherited_unit = ActivityFactory(agreement=agreement_units)
    inherited_prodi = ActivityFactory(agreement=agreement_prodi)
    # Names its own units (MB), so the agreement's IF does not apply; names no prodi, and the
    # agreement has none either.
    ActivityFactory(agreement=agreement_units, units=[jurusan_mb])
    ActivityFactory(agreement=agreement_other)
    ActivityFactory(agreement=agreement_prodi, prodi=[prodi_mb])
    p3m = ActivityFactory(agreement=agreement_other, units=[p3m_unit])

    expected = {direct, via_prodi, inherited_unit, inherited_prodi}
    assert set(Activity.objects.for_unit(jurusan_if)) == expected
    assert Activity.objects.for_unit(jurusan_if.pk).count() == 4  # no duplicated rows
    assert all(a.names_unit(jurusan_if.pk) for a in expected)
    assert set(Activity.objects.for_unit(p3m_unit)) == {p3m}


def test_it_gives_the_next_code_in_the_year_ignoring_codes_outside_the_scheme():
    assert activity_next_code(year=2026) == "K2026-00001"
    ActivityFactory(code="K2026-00007")
    ActivityFactory(code="K2026-ABCDE")
    ActivityFactory(code="K2025-00099")
    ActivityFactory(code="K2026-000999")

    assert activity_next_code(year=2026) == "K2026-00008"
    assert activity_next_code(year=2025) == "K2025-00100"


def test_it_warns_naming_the_dates_when_an_activity_falls_outside_the_agreement():
    agreement = AgreementFactory(number="007/PKS.PL29/I/2025", start_date=D(2025, 1, 1), end_date=D(2025, 12, 31))
    inside = ActivityFactory(agreement=agreement, start_date=D(2025, 6, 1), end_date=D(2025, 6, 2))
    outside = ActivityFactory(agreement=agreement, start_date=D(2025, 12, 30), end_date=D(2026, 1, 3))

    assert inside.validity_warning() == ""
    warning = outside.validity_warning()
    from django.utils.formats import date_format

    for day in (D(2025, 12, 30), D(2026, 1, 3), D(2025, 1, 1), D(2025, 12, 31)):
        assert date_format(day) in warning
    assert "007/PKS.PL29/I/2025" in warning


def test_it_stops_a_terminated_agreements_validity_the_day_before_termination():
    agreement = AgreementFactory(start_date=D(2025, 1, 1), end_date=D(2029, 12, 31), terminated_on=D(2026, 3, 1))
    assert ActivityFactory(agreement=agreement, start_date=D(2026, 2, 28)).validity_warning() == ""
    assert ActivityFactory(agreement=agreement, start_date=D(2026, 3, 1)).validity_warning() != ""


def test_it_refuses_an_end_before_the_start_in_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(start_date=D(2026, 5, 2), end_date=D(2026, 5, 1))


def test_it_knows_when_an_activity_starts_and_ends_in_wib():
    all_day = ActivityFactory(start_date=D(2026, 12, 10))
    timed = ActivityFactory(start_date=D(2026, 12, 10), start_time=dt.time(9, 0), end_time=dt.time(11, 30))

    assert all_day.is_all_day and all_day.starts_at() is None
    assert timed.starts_at().astimezone(dt.UTC) == dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)
    assert timed.ends_at().astimezone(dt.UTC) == dt.datetime(2026, 12, 10, 4, 30, tzinfo=dt.UTC)


def test_it_counts_prodi_of_a_jurusan_for_that_jurusan(jurusan_if):
    prodi = ProdiFactory(code="IF09", unit=jurusan_if)
    activity = ActivityFactory(prodi=[prodi])
    assert activity.names_unit(jurusan_if.pk)
    assert list(Activity.objects.for_unit(jurusan_if)) == [activity]
