"""The activity's reporting fields on its form and in its service: form of cooperation, duration,
ciri khas PS and the funds per year (the whole set, by year)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from simkerma.activities.data import ActivityData, FundingData
from simkerma.activities.models import Activity
from simkerma.activities.reporting import ActivityFunding, CooperationForm
from simkerma.activities.services import activity_save
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.activities.tests.test_views import plan_data

pytestmark = pytest.mark.django_db
D = dt.date


def funding_post(rows, *, initial=0):
    """The funds section of the activity form: rows of (stored_year, year, amount, source[, DELETE])."""
    data = {"funding-TOTAL_FORMS": str(len(rows)), "funding-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        stored, year, amount, source, *delete = row
        data |= {
            f"funding-{index}-stored_year": stored,
            f"funding-{index}-year": year,
            f"funding-{index}-amount": amount,
            f"funding-{index}-source": source,
        }
        if delete:
            data[f"funding-{index}-DELETE"] = "on"
    return data


def tefa():
    return CooperationForm.objects.get(code="tefa")


def stored_funding(activity):
    return list(ActivityFunding.objects.filter(activity=activity).values_list("year", "amount", "source"))


def test_the_form_saves_and_shows_back_the_reporting_fields(client_for, staff, agreement_if):
    data = plan_data(
        agreement_if,
        start_date="2025-03-01",
        end_date="2026-06-30",
        cooperation_form=tefa().pk,
        duration_years="2",
        distinctive="on",
    ) | funding_post([("", "2025", "25000000", "Hibah"), ("", "2026", "0", ""), ("", "", "", "")])
    response = client_for(staff).post(reverse("activities:create"), data)

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.cooperation_form, activity.duration_years, activity.distinctive) == (tefa(), 2, True)
    assert stored_funding(activity) == [(2025, Decimal("25000000"), "Hibah"), (2026, Decimal("0"), "")]

    page = client_for(staff).get(reverse("activities:edit", args=[activity.pk]))
    formset = page.context["funding"]
    assert [f.initial["year"] for f in formset.initial_forms] == [2025, 2026]
    assert page.context["form"].initial["cooperation_form"] == tefa().pk
    detail = client_for(staff).get(activity.get_absolute_url()).content.decode()
    assert "Teaching factory" in detail
    assert "25.000.000" in detail or "25,000,000" in detail


def test_editing_the_funds_updates_removes_and_adds_by_year(client_for, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), end_date=D(2027, 3, 1))
    ActivityFunding.objects.create(activity=activity, year=2025, amount=10, source="A")
    ActivityFunding.objects.create(activity=activity, year=2026, amount=20, source="B")
    data = plan_data(agreement_if, code=activity.code, start_date="2025-03-01", end_date="2027-03-01") | funding_post(
        [("2025", "2025", "15", "A"), ("2026", "2026", "20", "B", "delete"), ("", "2027", "30", "C")], initial=2
    )
    response = client_for(staff).post(reverse("activities:edit", args=[activity.pk]), data)

    assert response.status_code == 302
    assert stored_funding(activity) == [(2025, Decimal("15"), "A"), (2027, Decimal("30"), "C")]
    record = activity.history.latest()
    assert record.history_change_reason == "edited; funding changed for 2025, 2026, 2027"


def test_a_year_another_person_added_after_the_page_was_opened_stays(client_for, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), end_date=D(2026, 3, 1))
    ActivityFunding.objects.create(activity=activity, year=2025, amount=10)
    ActivityFunding.objects.create(activity=activity, year=2026, amount=99, source="added meanwhile")
    # The page was opened when 2025 was the only year.
    data = plan_data(agreement_if, code=activity.code, start_date="2025-03-01", end_date="2026-03-01") | funding_post(
        [("2025", "2025", "11", "")], initial=1
    )
    assert client_for(staff).post(reverse("activities:edit", args=[activity.pk]), data).status_code == 302
    assert stored_funding(activity) == [(2025, Decimal("11"), ""), (2026, Decimal("99"), "added meanwhile")]


def test_a_post_without_the_funds_section_leaves_the_funds(client_for, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1))
    ActivityFunding.objects.create(activity=activity, year=2025, amount=10)
    data = plan_data(agreement_if, code=activity.code, start_date="2025-03-01")
    assert client_for(staff).post(reverse("activities:edit", args=[activity.pk]), data).status_code == 302
    assert stored_funding(activity) == [(2025, Decimal("10"), "")]


@pytest.mark.parametrize(
    ("rows", "row", "field", "message"),
    [
        (
            [("", "2024", "10", "")],
            0,
            "year",
            "The year 2024 is outside the activity's years (2025–2026).",
        ),
        (
            [("", "2025", "10", ""), ("", "2025", "20", "")],
            1,
            "year",
            "The year 2025 is listed twice; give one amount per year.",
        ),
        ([("", "2025", "-1", "")], 0, "amount", "Ensure this value is greater than or equal to 0."),
        ([("", "2025", "1000000000000", "")], 0, "amount", "Ensure this value is less than or equal to"),
        ([("", "1899", "1", "")], 0, "year", "Ensure this value is greater than or equal to 1900."),
        ([("", "2025", "1", "x" * 201)], 0, "source", "Ensure this value has at most 200 characters"),
    ],
)
def test_the_form_refuses_bad_funds_next_to_the_row(client_for, staff, agreement_if, rows, row, field, message):
    data = plan_data(agreement_if, start_date="2025-03-01", end_date="2026-02-01") | funding_post(rows)
    client = client_for(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader chose English
    # Django's own messages are read lazily, after the request; the override also restores the language.
    with _english():
        response = client.post(reverse("activities:create"), data)
        assert response.status_code == 200
        errors = [str(error) for error in response.context["funding"].forms[row].errors[field]]
    assert any(error.startswith(message) for error in errors), errors
    assert not Activity.objects.exists()
    assert not ActivityFunding.objects.exists()


def _english():
    from django.utils import translation

    return translation.override("en")


def activity_data(activity, **changes):
    base = ActivityData(
        agreement=activity.agreement,
        code=activity.code,
        title=activity.title,
        kind=activity.kind,
        field=activity.field,
        start_date=activity.start_date,
        end_date=activity.end_date,
    )
    return dataclasses.replace(base, **changes)


def test_a_data_object_without_the_fields_keeps_the_stored_values(staff, agreement_if):
    activity = ActivityFactory(
        agreement=agreement_if,
        start_date=D(2025, 3, 1),
        cooperation_form=tefa(),
        duration_years=3,
        distinctive=True,
    )
    ActivityFunding.objects.create(activity=activity, year=2026, amount=5)
    activity_save(activity=activity, data=activity_data(activity, title="Judul lain"), user=staff)

    activity.refresh_from_db()
    assert activity.title == "Judul lain"
    assert (activity.cooperation_form, activity.duration_years, activity.distinctive) == (tefa(), 3, True)
    assert stored_funding(activity) == [(2026, Decimal("5"), "")]
    assert activity.history.latest().history_change_reason == "edited"


def test_the_service_refuses_bad_funds_with_the_year_named_and_saves_nothing(staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), title="Lama")
    rows = [
        FundingData(year=2025, amount=Decimal("-5")),
        FundingData(year=2031, amount=Decimal("1")),
        FundingData(year=2025, amount=Decimal("1")),
    ]
    with _english(), pytest.raises(ValidationError) as refused:
        activity_save(activity=activity, data=activity_data(activity, title="Baru", funding=rows), user=staff)

    assert refused.value.message_dict["funding"] == [
        "2025: give the amount in whole rupiah, 0 or more.",
        "The year 2031 is outside the activity's years (2025–2025).",
        "The year 2025 is listed twice; give one amount per year.",
    ]
    activity.refresh_from_db()
    assert activity.title == "Lama"
    assert not ActivityFunding.objects.exists()


def test_a_duration_in_years_widens_the_years_funds_may_be_in(staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1))
    rows = [FundingData(year=2027, amount=Decimal("7"))]
    activity_save(activity=activity, data=activity_data(activity, duration_years=3, funding=rows), user=staff)
    assert stored_funding(activity) == [(2027, Decimal("7"), "")]


def test_new_dates_must_still_cover_the_stored_funds(staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1), end_date=D(2026, 3, 1))
    ActivityFunding.objects.create(activity=activity, year=2026, amount=5)
    with _english(), pytest.raises(ValidationError) as refused:
        activity_save(activity=activity, data=activity_data(activity, end_date=D(2025, 6, 1)), user=staff)
    assert refused.value.message_dict["funding"] == ["The year 2026 is outside the activity's years (2025–2025)."]


def test_an_inactive_form_is_refused_unless_already_stored(staff, agreement_if):
    old = CooperationForm.objects.create(code="lama", name="Bentuk lama", is_active=False)
    activity = ActivityFactory(agreement=agreement_if, start_date=D(2025, 3, 1))
    with _english(), pytest.raises(ValidationError) as refused:
        activity_save(activity=activity, data=activity_data(activity, cooperation_form=old), user=staff)
    assert refused.value.message_dict["cooperation_form"] == [
        "The form of cooperation Bentuk lama is no longer in use."
    ]

    Activity.objects.filter(pk=activity.pk).update(cooperation_form=old)
    activity.refresh_from_db()
    activity_save(activity=activity, data=activity_data(activity, cooperation_form=old, title="Tetap"), user=staff)
    activity.refresh_from_db()
    assert (activity.title, activity.cooperation_form) == ("Tetap", old)


def test_the_form_offers_active_forms_and_the_stored_inactive_one(client_for, staff, agreement_if):
    old = CooperationForm.objects.create(code="lama", name="Bentuk lama", is_active=False)
    other = CooperationForm.objects.create(code="lain", name="Bentuk lain", is_active=False)
    activity = ActivityFactory(agreement=agreement_if, cooperation_form=old)
    choices = client_for(staff).get(reverse("activities:edit", args=[activity.pk])).context["form"]
    offered = set(choices.fields["cooperation_form"].queryset)
    assert old in offered and other not in offered and tefa() in offered
    new = client_for(staff).get(reverse("activities:create")).context["form"]
    assert old not in set(new.fields["cooperation_form"].queryset)
