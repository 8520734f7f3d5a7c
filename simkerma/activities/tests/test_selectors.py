"""The activities list comes from one selector that takes typed filters, whoever calls it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from simkerma.activities.forms import ActivityFilterForm
from simkerma.activities.selectors import ActivityFilters, activity_list
from simkerma.activities.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def activities(agreement_if, agreement_mb):
    return {
        "siber": ActivityFactory(agreement=agreement_if, title="Kuliah tamu siber", start_date=D(2026, 3, 1)),
        "magang": ActivityFactory(
            agreement=agreement_if, title="Magang siber", kind="magang", status="terlaksana", start_date=D(2025, 3, 1)
        ),
        "mesin": ActivityFactory(agreement=agreement_mb, title="Pelatihan mesin", start_date=D(2026, 4, 1)),
    }


def test_it_filters_by_typed_values_without_a_form(staff, activities, jurusan_mb):
    def titles(**filters):
        return [a.title for a in activity_list(user=staff, filters=ActivityFilters(**filters))]

    assert titles() == ["Pelatihan mesin", "Kuliah tamu siber", "Magang siber"]
    assert titles(q="siber tamu") == ["Kuliah tamu siber"]
    assert titles(q="002/PKS") == ["Pelatihan mesin"]
    assert titles(status="terlaksana") == ["Magang siber"]
    assert titles(kind="magang", year=2025) == ["Magang siber"]
    assert titles(unit=jurusan_mb) == ["Pelatihan mesin"]
    assert titles(agreement=activities["siber"].agreement, year=2026) == ["Kuliah tamu siber"]


def test_the_filter_form_builds_the_same_filters(staff, activities):
    form = ActivityFilterForm({"q": "siber", "year": "2026"})
    assert form.to_filters() == ActivityFilters(q="siber", year=2026)
    assert list(activity_list(user=staff, filters=form.to_filters())) == [activities["siber"]]
    assert ActivityFilterForm({"year": "tahun"}).to_filters() == ActivityFilters()


def test_it_refuses_an_account_without_a_role(outsider, activities):
    with pytest.raises(PermissionDenied):
        activity_list(user=outsider, filters=ActivityFilters())
