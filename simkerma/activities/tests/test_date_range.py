"""Dates outside 1990..2100: refused on the form, and harmless where old rows still hold them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from simkerma.activities.models import Activity
from simkerma.activities.tests.factories import ActivityFactory, CalendarTokenFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_the_feed_survives_an_activity_ending_9999_12_31(client, staff):
    far = ActivityFactory(title="Tanpa akhir", start_date=dt.date(2026, 12, 10), end_date=dt.date(9999, 12, 31))
    timed = ActivityFactory(
        title="Jam", start_date=dt.date(9999, 12, 31), start_time=dt.time(23, 0), end_date=dt.date(9999, 12, 31)
    )
    token = CalendarTokenFactory(user=staff)
    response = client.get(reverse("activities:calendar_feed", args=[token.token]))
    assert response.status_code == 200
    events = {str(event["SUMMARY"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events[f"{far.title} [{far.code}]"]
    assert event.decoded("DTSTART") == dt.date(2026, 12, 10)
    assert event.decoded("DTEND") == dt.date(2101, 1, 1)
    assert events[f"{timed.title} [{timed.code}]"].decoded("DTEND") == dt.date(2101, 1, 1)


@pytest.mark.parametrize("value", ["2025-02-30", "9999-12-31", "0001-01-01", "garbage"])
def test_the_calendar_page_falls_back_for_a_bad_date(client_for, staff, value):
    with time_machine.travel(NOW, tick=False):
        response = client_for(staff).get(reverse("activities:calendar"), {"date": value})
    assert response.status_code == 200


def test_the_model_refuses_dates_outside_the_range_with_field_messages():
    activity = ActivityFactory.build(start_date=dt.date(1989, 12, 31), end_date=dt.date(9999, 12, 31))
    with pytest.raises(Exception) as refused:
        activity.full_clean(exclude=["agreement", "pic", "code"])
    errors = refused.value.message_dict
    assert errors["start_date"] == ["Masukkan tanggal antara 1990 dan 2100."]
    assert errors["end_date"] == ["Masukkan tanggal antara 1990 dan 2100."]
    assert not Activity.objects.exists()
