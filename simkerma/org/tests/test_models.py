import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from simkerma.core.choices import Field
from simkerma.org.models import Prodi, Unit
from simkerma.org.tests.factories import ProdiFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_it_expects_all_three_fields_of_a_jurusan_and_two_of_p3m():
    assert Unit.default_expected_fields(Unit.Kind.JURUSAN) == [Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM]
    assert Unit.default_expected_fields(Unit.Kind.P3M) == [Field.PENELITIAN, Field.PKM]
    assert Unit.default_expected_fields(Unit.Kind.UNIT) == []


def test_it_stores_expected_fields_in_choice_order():
    unit = UnitFactory(code="P3M", kind=Unit.Kind.P3M, expected_fields=["pkm", "penelitian", "pkm"])

    unit.refresh_from_db()
    assert unit.expected_fields == ["penelitian", "pkm"]
    assert Unit.objects.filter(expected_fields__contains="pkm").get() == unit


@pytest.mark.parametrize(
    ("year", "active"),
    [(2019, False), (2020, True), (2022, True), (2024, True), (2025, False)],
)
def test_it_counts_a_prodi_active_from_its_first_to_its_last_year_inclusive(year, active):
    prodi = ProdiFactory(code="IF09", active_from=2020, active_until=2024)

    assert prodi.is_active_in(year) is active
    assert (prodi in Prodi.objects.active_in(year)) is active


def test_it_treats_missing_years_as_open_ended():
    always = ProdiFactory(code="A1")
    since = ProdiFactory(code="A2", active_from=2023)
    until = ProdiFactory(code="A3", active_until=2021)

    assert set(Prodi.objects.active_in(1990)) == {always, until}
    assert set(Prodi.objects.active_in(2022)) == {always}
    assert set(Prodi.objects.active_in(2023)) == {always, since}
    assert set(Prodi.objects.active_in(2100)) == {always, since}


@given(
    first=st.one_of(st.none(), st.integers(2000, 2040)),
    span=st.one_of(st.none(), st.integers(0, 10)),
    year=st.integers(1995, 2055),
)
def test_it_agrees_between_the_queryset_and_the_model(first, span, year):
    last = None if span is None else (first or 2000) + span
    with transaction.atomic():
        prodi = Prodi.objects.create(
            code="HYP",
            name="Hypothesis",
            level="D4",
            unit=UnitFactory(code="HYPU"),
            active_from=first,
            active_until=last,
        )
        assert Prodi.objects.active_in(year).filter(pk=prodi.pk).exists() == prodi.is_active_in(year)
        transaction.set_rollback(True)


def test_it_rejects_a_last_year_before_the_first():
    prodi = ProdiFactory.build(code="IF10", unit=UnitFactory(), active_from=2024, active_until=2023)

    with pytest.raises(ValidationError) as error:
        prodi.full_clean()

    assert list(error.value.message_dict) == ["active_until"]


def test_it_accepts_a_single_year_prodi():
    prodi = ProdiFactory.build(code="IF10", unit=UnitFactory(), active_from=2024, active_until=2024)

    prodi.full_clean()


def test_it_refuses_a_reversed_range_in_the_database_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProdiFactory(code="IF11", active_from=2024, active_until=2020)


@pytest.mark.parametrize("kind", [Unit.Kind.P3M, Unit.Kind.UNIT])
def test_it_rejects_a_prodi_outside_a_jurusan(kind):
    prodi = ProdiFactory.build(code="IF10", unit=UnitFactory(code="X", kind=kind))

    with pytest.raises(ValidationError) as error:
        prodi.full_clean()

    assert "unit" in error.value.message_dict


def test_it_reports_every_problem_of_a_prodi_at_once():
    prodi = ProdiFactory.build(
        code="IF10", unit=UnitFactory(code="X", kind=Unit.Kind.UNIT), active_from=2024, active_until=2020
    )

    with pytest.raises(ValidationError) as error:
        prodi.full_clean()

    assert set(error.value.message_dict) == {"unit", "active_until"}


def test_it_refuses_to_turn_a_jurusan_with_prodi_into_another_kind():
    prodi = ProdiFactory(code="IF01")
    unit = prodi.unit
    unit.kind = Unit.Kind.UNIT

    with pytest.raises(ValidationError) as error:
        unit.full_clean()

    assert list(error.value.message_dict) == ["kind"]


def test_it_lets_an_empty_jurusan_change_kind():
    unit = UnitFactory(code="XY")
    unit.kind = Unit.Kind.UNIT

    unit.full_clean()


def test_it_names_units_and_prodi_by_code():
    prodi = ProdiFactory(code="IF01", name="Teknik Informatika", level="D3", unit=UnitFactory(code="IF", name="TI"))

    assert str(prodi) == "IF01 – D3 Teknik Informatika"
    assert str(prodi.unit) == "IF – TI"
