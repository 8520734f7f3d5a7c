"""An activity cannot be marked carried out before its start date (issue 7, item 22)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from simkerma.activities.models import ActivityStatus, ActivityTransition
from simkerma.activities.services import activity_transition
from simkerma.activities.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC)  # Monday 9 March 2026, 10:00 WIB


@pytest.fixture
def coordinated(agreement_if):
    return ActivityFactory(
        agreement=agreement_if, status=ActivityStatus.DIKOORDINASIKAN, start_date=dt.date(2026, 3, 10)
    )


@time_machine.travel(TODAY, tick=False)
def test_the_transition_refuses_carried_out_before_the_start_date(staff, coordinated):
    with pytest.raises(ValidationError) as raised:
        activity_transition(activity=coordinated, to=ActivityStatus.TERLAKSANA, user=staff)
    assert raised.value.code == "too_early"
    coordinated.refresh_from_db()
    assert coordinated.status == ActivityStatus.DIKOORDINASIKAN
    assert not ActivityTransition.objects.filter(activity=coordinated).exists()


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_the_reason_instead_of_the_button(client_for, staff, coordinated):
    page = client_for(staff).get(coordinated.get_absolute_url()).content.decode()
    assert 'id="transition-terlaksana"' not in page
    assert 'id="held-terlaksana"' in page
    response = client_for(staff).post(reverse("activities:transition", args=[coordinated.pk]), {"to": "terlaksana"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert len(messages) == 1 and "2026" in messages[0]
    coordinated.refresh_from_db()
    assert coordinated.status == ActivityStatus.DIKOORDINASIKAN


@time_machine.travel(dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC), tick=False)  # 08:00 WIB on the start date
def test_on_its_start_date_it_may_be_marked_carried_out(client_for, staff, coordinated):
    assert 'id="transition-terlaksana"' in client_for(staff).get(coordinated.get_absolute_url()).content.decode()
    activity_transition(activity=coordinated, to=ActivityStatus.TERLAKSANA, user=staff)
    coordinated.refresh_from_db()
    assert coordinated.status == ActivityStatus.TERLAKSANA
