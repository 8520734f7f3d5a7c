"""The calendar pages and the personal iCalendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from simkerma.activities.models import CalendarToken
from simkerma.activities.tests.factories import ActivityFactory, CalendarTokenFactory, CoordinationRecordFactory

D = dt.date
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)

pytestmark = pytest.mark.django_db


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


@pytest.fixture
def items(agreement_if, agreement_mb):
    """Activities and meetings of IF and MB around December 2026, and some that stay out."""
    return {
        "if_all_day": ActivityFactory(agreement=agreement_if, title="Kuliah tamu IF", start_date=D(2026, 12, 10)),
        "if_timed": ActivityFactory(
            agreement=agreement_if,
            title="Magang IF",
            status="dikoordinasikan",
            start_date=D(2026, 12, 14),
            start_time=dt.time(9, 0),
            end_date=D(2026, 12, 15),
            end_time=dt.time(15, 0),
        ),
        "mb": ActivityFactory(
            agreement=agreement_mb, title="Pelatihan MB", start_date=D(2026, 12, 11), status="terlaksana"
        ),
        "cancelled": ActivityFactory(agreement=agreement_if, title="Batal", start_date=D(2026, 12, 12), status="batal"),
        "old": ActivityFactory(
            agreement=agreement_if, title="Lama sekali", start_date=D(2024, 1, 10), status="terlaksana"
        ),
    }


@pytest.fixture
def meetings(items):
    return {
        "if": CoordinationRecordFactory(activity=items["if_all_day"], held_at=wib(2026, 12, 2, 9, 0)),
        "mb": CoordinationRecordFactory(activity=items["mb"], held_at=wib(2026, 12, 3, 13, 30)),
        "call": CoordinationRecordFactory(activity=items["if_all_day"], kind="telepon", held_at=wib(2026, 12, 4, 9, 0)),
    }


def shown(response) -> dict[str, set[str]]:
    """The calendar's entries by day, as 'activity:<pk>' / 'meeting:<pk>'."""
    days: dict[str, set[str]] = {}
    for week in response.context["weeks"]:
        for day, shown_day in week:
            if shown_day.entries:
                days[day.isoformat()] = {f"{e.kind}:{e.obj.pk}" for e in shown_day.entries}
    return days


def test_it_shows_a_month_with_activities_on_each_of_their_days_and_meetings(client_for, staff, items, meetings):
    response = client_for(staff).get(reverse("activities:calendar"), {"view": "month", "date": "2026-12-01"})

    assert response.status_code == 200
    assert (response.context["first"], response.context["last"]) == (D(2026, 11, 30), D(2027, 1, 3))
    assert shown(response) == {
        "2026-12-02": {f"meeting:{meetings['if'].pk}"},
        "2026-12-03": {f"meeting:{meetings['mb'].pk}"},
        "2026-12-10": {f"activity:{items['if_all_day'].pk}"},
        "2026-12-11": {f"activity:{items['mb'].pk}"},
        "2026-12-14": {f"activity:{items['if_timed'].pk}"},
        "2026-12-15": {f"activity:{items['if_timed'].pk}"},
    }
    assert response.context["previous"] == D(2026, 11, 1)
    assert response.context["following"] == D(2027, 1, 1)


def test_it_shows_a_week_and_filters_by_unit(client_for, coordinator, items, meetings, jurusan_if):
    client = client_for(coordinator)
    week = client.get(reverse("activities:calendar"), {"view": "week", "date": "2026-12-03"})
    assert (week.context["first"], week.context["last"]) == (D(2026, 11, 30), D(2026, 12, 6))
    assert set(shown(week)) == {"2026-12-02", "2026-12-03"}

    only_if = client.get(reverse("activities:calendar"), {"view": "month", "date": "2026-12-01", "unit": jurusan_if.pk})
    assert set().union(*shown(only_if).values()) == {
        f"meeting:{meetings['if'].pk}",
        f"activity:{items['if_all_day'].pk}",
        f"activity:{items['if_timed'].pk}",
    }


def test_it_navigates_with_htmx_fragments(client_for, staff, items):
    response = client_for(staff).get(
        reverse("activities:calendar"), {"view": "month", "date": "2027-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert response.templates[0].name == "activities/_calendar.html"
    assert "<html" not in response.content.decode()


def crowd(day: dt.date, count: int, agreement) -> list:
    """`count` activities starting on `day`: a third at 09:00, the rest all day."""
    return [
        ActivityFactory(agreement=agreement, start_date=day, start_time=dt.time(9, 0) if i % 3 == 0 else None)
        for i in range(count)
    ]


def test_a_crowded_day_shows_what_starts_on_it_and_links_the_rest(client_for, staff, items, agreement_if):
    long = ActivityFactory(agreement=agreement_if, start_date=D(2026, 11, 1), end_date=D(2027, 2, 1))
    crowded = crowd(D(2026, 12, 16), 8, agreement_if)
    response = client_for(staff).get(reverse("activities:calendar"), {"view": "month", "date": "2026-12-01"})

    days = {day: shown for week in response.context["weeks"] for day, shown in week}
    # Eight start on the 16th and one runs through it: the five all-day starts are shown, four more linked.
    all_day = [a.pk for a in crowded if a.start_time is None]
    assert [e.obj.pk for e in days[D(2026, 12, 16)].entries] == all_day
    assert days[D(2026, 12, 16)].more == 4
    # Where everything fits, the long activity is on every day, beside what starts there.
    assert [e.obj.pk for e in days[D(2026, 12, 17)].entries] == [long.pk]
    assert days[D(2026, 12, 17)].more == 0
    assert {e.obj.pk for e in days[D(2026, 12, 14)].entries} == {long.pk, items["if_timed"].pk}
    assert all(shown.more == 0 and shown.entries for day, shown in days.items() if day != D(2026, 12, 16))

    html = response.content.decode()
    assert html.count('class="event more"') == 1
    assert f'data-more="4" href="{reverse("activities:list")}?on=2026-12-16">4 kegiatan lainnya</a>' in html

    # The week view shows twenty a day: all nine.
    week = client_for(staff).get(reverse("activities:calendar"), {"view": "week", "date": "2026-12-16"})
    wdays = {day: shown for w in week.context["weeks"] for day, shown in w}
    assert len(wdays[D(2026, 12, 16)].entries) == 9 and wdays[D(2026, 12, 16)].more == 0


def test_a_crowded_days_timed_starts_fill_after_the_all_day_ones_earliest_first(client_for, staff, agreement_if):
    ActivityFactory(agreement=agreement_if, start_date=D(2026, 11, 1), end_date=D(2027, 2, 1))
    day = D(2026, 12, 18)
    all_day = [ActivityFactory(agreement=agreement_if, start_date=day) for _ in range(2)]
    timed = {
        hour: ActivityFactory(agreement=agreement_if, start_date=day, start_time=dt.time(hour, 0))
        for hour in (15, 8, 10, 9, 11, 7)
    }
    response = client_for(staff).get(reverse("activities:calendar"), {"view": "month", "date": "2026-12-01"})
    shown_day = next(shown for week in response.context["weeks"] for d, shown in week if d == day)
    expected = [a.pk for a in all_day] + [timed[7].pk, timed[8].pk, timed[9].pk]
    assert [e.obj.pk for e in shown_day.entries] == expected
    assert shown_day.more == 4
    assert "07:00 " in shown_day.html and "15:00" not in shown_day.html


def test_the_days_list_links_to_the_activities_running_that_day(client_for, staff, items, agreement_if):
    long = ActivityFactory(agreement=agreement_if, start_date=D(2026, 11, 1), end_date=D(2027, 2, 1))
    response = client_for(staff).get(reverse("activities:list"), {"on": "2026-12-14"})
    assert {a.pk for a in response.context["page_obj"]} == {long.pk, items["if_timed"].pk}

    refused = client_for(staff).get(reverse("activities:list"), {"on": "9999-01-01"})
    assert "on" in refused.context["form"].errors


def test_it_shows_the_calendar_in_a_fixed_number_of_queries(
    client_for, staff, items, meetings, agreement_if, jurusan_if, django_assert_num_queries
):
    client = client_for(staff)
    with django_assert_num_queries(8):  # every day fits
        client.get(reverse("activities:calendar"), {"date": "2026-12-01"})
    for day in range(1, 28):
        CoordinationRecordFactory(activity=ActivityFactory(start_date=D(2026, 12, day)), held_at=wib(2026, 12, day, 10))
    crowd(D(2026, 12, 16), 10, agreement_if)
    ActivityFactory(agreement=agreement_if, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))
    with django_assert_num_queries(9):  # a crowded day adds the query of what starts on crowded days
        client.get(reverse("activities:calendar"), {"date": "2026-12-01"})
    for day in range(1, 28):
        crowd(D(2026, 12, day), 7, agreement_if)
    with django_assert_num_queries(9):  # and then it is the same however many days are crowded
        client.get(reverse("activities:calendar"), {"date": "2026-12-01"})
    with django_assert_num_queries(10):  # one more for the unit's filter, the unit looked up
        client.get(reverse("activities:calendar"), {"date": "2026-12-01", "unit": jurusan_if.pk})


def feed(client, token: str) -> Calendar:
    response = client.get(reverse("activities:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def uids(calendar: Calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
def test_it_feeds_everything_current_to_the_team_with_stable_uids_and_utc_times(client, staff, items, meetings):
    token = CalendarTokenFactory(user=staff)

    calendar = feed(client, token.token)

    assert uids(calendar) == {
        f"kegiatan-{items['if_all_day'].pk}@127.0.0.1",
        f"kegiatan-{items['if_timed'].pk}@127.0.0.1",
        f"kegiatan-{items['mb'].pk}@127.0.0.1",
        f"koordinasi-{meetings['if'].pk}@127.0.0.1",
        f"koordinasi-{meetings['mb'].pk}@127.0.0.1",
    }
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    all_day = events[f"kegiatan-{items['if_all_day'].pk}@127.0.0.1"]
    assert all_day.decoded("DTSTART") == D(2026, 12, 10)
    assert all_day.decoded("DTEND") == D(2026, 12, 11)
    timed = events[f"kegiatan-{items['if_timed'].pk}@127.0.0.1"]
    assert timed.decoded("DTSTART") == dt.datetime(2026, 12, 14, 2, 0, tzinfo=dt.UTC)
    assert timed.decoded("DTEND") == dt.datetime(2026, 12, 15, 8, 0, tzinfo=dt.UTC)
    assert "Z" in timed["DTSTART"].to_ical().decode()
    meeting = events[f"koordinasi-{meetings['mb'].pk}@127.0.0.1"]
    assert meeting.decoded("DTSTART") == dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)
    assert str(timed["SUMMARY"]).startswith("Magang IF")

    # The same feed again gives the same UIDs (calendar apps update, not duplicate).
    assert uids(feed(client, token.token)) == uids(calendar)


@time_machine.travel(NOW, tick=False)
def test_it_feeds_a_coordinator_only_their_units_items_and_their_own(
    client, coordinator, staff, items, meetings, agreement_mb
):
    mine_elsewhere = ActivityFactory(
        agreement=agreement_mb, title="PIC saya", pic=coordinator, start_date=D(2026, 12, 20)
    )
    attended = CoordinationRecordFactory(activity=items["mb"], held_at=wib(2026, 12, 5, 9, 0))
    attended.internal_attendees.add(coordinator)
    token = CalendarTokenFactory(user=coordinator)

    assert uids(feed(client, token.token)) == {
        f"kegiatan-{items['if_all_day'].pk}@127.0.0.1",
        f"kegiatan-{items['if_timed'].pk}@127.0.0.1",
        f"kegiatan-{mine_elsewhere.pk}@127.0.0.1",
        f"koordinasi-{meetings['if'].pk}@127.0.0.1",
        f"koordinasi-{attended.pk}@127.0.0.1",
    }


def test_it_answers_404_for_a_revoked_or_unknown_token_or_a_user_without_role(client, staff, outsider, items):
    revoked = CalendarTokenFactory(user=staff, revoked_at=NOW)
    roleless = CalendarTokenFactory(user=outsider)
    assert client.get(reverse("activities:calendar_feed", args=[revoked.token])).status_code == 404
    assert client.get(reverse("activities:calendar_feed", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("activities:calendar_feed", args=[roleless.token])).status_code == 404


def test_it_creates_regenerates_and_revokes_the_feed_address(client_for, client, coordinator):
    user_client = client_for(coordinator)
    change = reverse("activities:calendar_subscription_change")

    user_client.post(change, {"action": "create"})
    first = CalendarToken.objects.get(user=coordinator)
    page = user_client.get(reverse("activities:calendar_subscription"))
    assert page.context["feed_url"].endswith(reverse("activities:calendar_feed", args=[first.token]))
    assert client.get(first.get_feed_url()).status_code == 200

    user_client.post(change, {"action": "regenerate"})
    second = CalendarToken.objects.get(user=coordinator, revoked_at__isnull=True)
    assert second.token != first.token
    assert client.get(first.get_feed_url()).status_code == 404
    assert client.get(second.get_feed_url()).status_code == 200

    user_client.post(change, {"action": "revoke"})
    assert not CalendarToken.objects.filter(user=coordinator, revoked_at__isnull=True).exists()
    assert client.get(second.get_feed_url()).status_code == 404
    assert user_client.get(reverse("activities:calendar_subscription")).context["token"] is None


def test_the_days_are_the_same_when_a_marker_is_also_a_value_of_the_query(monkeypatch, items, agreement_if):
    from simkerma.activities import calendar_days as module

    ActivityFactory(agreement=agreement_if, start_date=D(2026, 11, 1), end_date=D(2027, 2, 1))
    crowd(D(2026, 12, 16), 8, agreement_if)
    first, last = D(2026, 11, 30), D(2027, 1, 3)

    def seen():
        days = module.calendar_days(first, last, per_day=5)
        return {day: ([e.obj.pk for e in shown.entries], shown.more) for day, shown in days.items()}

    expected = seen()
    assert expected[D(2026, 12, 16)][1] == 4
    # The grid's first day is a parameter of every member: each member is then compiled apart.
    monkeypatch.setattr(module, "_MARK_DAY", first)
    assert seen() == expected
