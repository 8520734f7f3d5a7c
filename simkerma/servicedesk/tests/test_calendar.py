"""The working calendar settings page: new versions with several openings a day, validation next to
the field, withdrawing a planned one, and the warning about next year's cuti bersama."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from simkerma.servicedesk.models import CalendarVersion
from simkerma.servicedesk.services import calendar_version_create
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)
URL = reverse("servicedesk:calendar")


def calendar_data(**changes):
    data = {"effective_from": "", "national_holidays": "on", "extra_days_off": "", "note": ""}
    for day in range(5):
        data[f"hours_{day}"] = "08:00-16:00"
    for day in (5, 6):
        data[f"hours_{day}"] = ""
    return data | changes


OFFICE = {f"hours_{day}": "07:30-12:00, 13:00-16:00" for day in range(4)} | {"hours_4": "07:30-11:30, 13:30-16:30"}


@time_machine.travel(NOW, tick=False)
def test_staff_save_a_new_calendar_from_now(client_for, kapokja):
    data = calendar_data(
        hours_4="08:00-11:30", extra_days_off="2026-12-31 Tutup buku\n2026-12-30", note="Jumat setengah hari"
    )
    response = client_for(kapokja).post(URL, data)
    assert response.status_code == 302
    version = CalendarVersion.objects.get()
    assert version.effective_from == NOW and version.created_by == kapokja
    assert version.weekly_hours[4] == ["08:00", "11:30"] and version.weekly_hours[5] is None
    assert version.extra_days_off == [{"date": "2026-12-30", "name": ""}, {"date": "2026-12-31", "name": "Tutup buku"}]
    friday = ServiceRequestFactory(received_at=wib(2026, 11, 27, 11, 20))
    assert friday.response_due_at == wib(2026, 11, 30, 8, 5)
    page = client_for(kapokja).get(URL)
    assert page.context["current"] == version


@time_machine.travel(NOW, tick=False)
def test_bad_calendars_are_refused(client_for, staff):
    client = client_for(staff)
    cases = [
        (calendar_data(hours_0="16:00-08:00"), "hours_0"),
        (calendar_data(hours_1="08:00-"), "hours_1"),
        (calendar_data(extra_days_off="31-12-2026 Tutup"), "extra_days_off"),
        (calendar_data(effective_from="2026-11-01T08:00"), "effective_from"),
    ]
    for data, field in cases:
        response = client.post(URL, data)
        assert response.status_code == 200 and field in response.context["form"].errors, field
    empty = calendar_data(**{f"hours_{day}": "" for day in range(7)})
    assert client.post(URL, empty).context["form"].non_field_errors()
    assert not CalendarVersion.objects.exists()


def test_a_planned_calendar_can_be_withdrawn_but_not_one_in_force(client_for, staff):
    with time_machine.travel(NOW, tick=False):
        client_for(staff).post(URL, calendar_data(effective_from="2027-01-04T00:00", note="2027"))
        client_for(staff).post(URL, calendar_data(note="now"))
        planned = CalendarVersion.objects.get(note="2027")
        in_force = CalendarVersion.objects.get(note="now")
        client_for(staff).post(reverse("servicedesk:calendar_delete", args=[in_force.pk]))
        client_for(staff).post(reverse("servicedesk:calendar_delete", args=[planned.pk]))
    assert list(CalendarVersion.objects.values_list("note", flat=True)) == ["now"]


@time_machine.travel(NOW, tick=False)
def test_staff_save_several_openings_a_day_and_see_them(client_for, staff):
    response = client_for(staff).post(URL, calendar_data(**OFFICE, note="Istirahat siang"))
    assert response.status_code == 302
    version = CalendarVersion.objects.get()
    assert version.weekly_hours[0] == [["07:30", "12:00"], ["13:00", "16:00"]]
    assert version.weekly_hours[4] == [["07:30", "11:30"], ["13:30", "16:30"]]
    assert version.weekly_hours[5] is None
    # Friday 27 November 2026 at 11:20: ten minutes before the break, five after it.
    assert ServiceRequestFactory(received_at=wib(2026, 11, 27, 11, 20)).response_due_at == wib(2026, 11, 27, 13, 35)
    page = client_for(staff).get(URL)
    current = page.content.decode().split('id="calendar-current"')[1].split("</section>")[0]
    assert "07:30–11:30, 13:30–16:30" in current and "07:30–12:00, 13:00–16:00" in current
    form = page.context["form"]
    assert form["hours_4"].value() == "07:30-11:30, 13:30-16:30" and form["hours_6"].value() == ""


@time_machine.travel(NOW, tick=False)
def test_a_calendar_stored_with_one_opening_a_day_is_shown_and_offered_as_text(client_for, staff):
    CalendarVersion.objects.create(effective_from=wib(2026, 11, 1), weekly_hours=[["09:00", "15:00"]] * 6 + [None])
    page = client_for(staff).get(URL)
    assert page.context["form"]["hours_5"].value() == "09:00-15:00"
    assert [openings for _label, openings in page.context["weekly"]][6] == ()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("hours", "words"),
    [
        ("07:30-12:00, 11:30-16:00", "overlap"),
        ("16:00-08:00", "must end after it starts"),
        ("07:30-12:00 13:00-16:00", "is not an opening written HH:MM-HH:MM"),
        ("07:30-25:00", "times run from 00:00 to 23:59"),
    ],
)
def test_an_opening_that_overlaps_or_ends_before_it_starts_is_refused_next_to_its_field(
    client_for, staff, hours, words, settings
):
    settings.LANGUAGE_CODE = "en"
    response = client_for(staff).post(URL, calendar_data(**(OFFICE | {"hours_2": hours})), HTTP_ACCEPT_LANGUAGE="en")
    errors = response.context["form"].errors
    assert list(errors) == ["hours_2"] and words in errors["hours_2"][0]
    assert f'<p class="error" id="id_hours_2_error">{errors["hours_2"][0]}' in response.content.decode()
    assert not CalendarVersion.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_overlap_is_refused_in_indonesian(client_for, staff):
    response = client_for(staff).post(URL, calendar_data(hours_3="07:30-12:00, 11:30-16:00"), HTTP_ACCEPT_LANGUAGE="id")
    assert response.context["form"].errors["hours_3"] == ["Jam buka 07:30-12:00 dan 11:30-16:00 bertumpang tindih."]


def test_weekly_hours_that_cannot_be_are_refused_on_every_door(staff):
    with pytest.raises(ValidationError) as error:
        calendar_version_create(
            effective_from=wib(2026, 12, 1),
            weekly_hours=[[["08:00", "12:00"], ["11:00", "16:00"]]] * 5 + [None, None],
            national_holidays=True,
            extra_days_off=[],
            note="",
            user=staff,
        )
    assert "weekly_hours" in error.value.message_dict
    version = CalendarVersion(effective_from=wib(2026, 12, 1), weekly_hours=[["08:00", "16:00"]] * 3)
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert list(error.value.message_dict) == ["weekly_hours"]
    assert not CalendarVersion.objects.exists()


def test_the_page_warns_when_next_years_cuti_bersama_are_not_known_yet(client_for, staff, auditor):
    # The holidays package knows 2027's cuti bersama but not 2028's.
    with time_machine.travel(NOW, tick=False):
        assert client_for(staff).get(URL).context["joint_leave"] is None
    with time_machine.travel(wib(2027, 11, 15, 10), tick=False):
        page = client_for(staff).get(URL)
        assert page.context["joint_leave"] == {"year": 2028, "added": []}
        assert 'href="#id_extra_days_off"' in page.content.decode()
        client_for(staff).post(URL, calendar_data(extra_days_off="2028-01-27 Cuti bersama Imlek\n2027-12-24 Natal"))
        page = client_for(staff).get(URL)
        assert [day.isoformat() for day, _name in page.context["joint_leave"]["added"]] == ["2028-01-27"]
        assert 'id="joint-leave-warning"' in client_for(auditor).get(URL).content.decode()
    # A server still running a release that does not know this year's warns for this year.
    with time_machine.travel(wib(2028, 3, 1, 10), tick=False):
        assert client_for(staff).get(URL).context["joint_leave"]["year"] == 2028
    with time_machine.travel(wib(2028, 3, 1, 11), tick=False):
        client_for(staff).post(URL, calendar_data(national_holidays=""))
        assert client_for(staff).get(URL).context["joint_leave"] is None


def test_the_admin_explains_and_checks_several_openings_a_day(client):
    from simkerma.accounts.models import Role
    from simkerma.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True))
    add = reverse("admin:servicedesk_calendarversion_add")
    help_text = 'mis. [["07:30", "12:00"], ["13:00", "16:00"]]'
    assert help_text in client.get(add, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    data = {
        "effective_from_0": "2027-01-04",
        "effective_from_1": "00:00:00",
        "national_holidays": "on",
        "extra_days_off": "[]",
        "note": "",
    }
    overlapping = '[[["07:30", "12:00"], ["11:00", "16:00"]], null, null, null, null, null, null]'
    page = client.post(add, data | {"weekly_hours": overlapping}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "weekly_hours" in page.context["adminform"].form.errors
    assert not CalendarVersion.objects.exists()
    office = '[[["07:30", "12:00"], ["13:00", "16:00"]], ["08:00", "16:00"], null, null, null, null, null]'
    assert client.post(add, data | {"weekly_hours": office}).status_code == 302
    assert CalendarVersion.objects.get().weekly_hours[0] == [["07:30", "12:00"], ["13:00", "16:00"]]
