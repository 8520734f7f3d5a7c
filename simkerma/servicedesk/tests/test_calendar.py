"""The working calendar settings page: new versions, validation, withdrawing a planned one."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from simkerma.servicedesk.models import CalendarVersion
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 11, 27, 10, 0)
URL = reverse("servicedesk:calendar")


def calendar_data(**changes):
    data = {"effective_from": "", "national_holidays": "on", "extra_days_off": "", "note": ""}
    for day in range(5):
        data[f"open_{day}"], data[f"close_{day}"] = "08:00", "16:00"
    for day in (5, 6):
        data[f"open_{day}"], data[f"close_{day}"] = "", ""
    return data | changes


@time_machine.travel(NOW, tick=False)
def test_staff_save_a_new_calendar_from_now(client_for, kapokja):
    data = calendar_data(
        open_4="08:00", close_4="11:30", extra_days_off="2026-12-31 Tutup buku\n2026-12-30", note="Jumat setengah hari"
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
        (calendar_data(open_0="16:00", close_0="08:00"), "close_0"),
        (calendar_data(open_1="08:00", close_1=""), "open_1"),
        (calendar_data(extra_days_off="31-12-2026 Tutup"), "extra_days_off"),
        (calendar_data(effective_from="2026-11-01T08:00"), "effective_from"),
    ]
    for data, field in cases:
        response = client.post(URL, data)
        assert response.status_code == 200 and field in response.context["form"].errors, field
    empty = calendar_data(**{f"{edge}_{day}": "" for day in range(7) for edge in ("open", "close")})
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
