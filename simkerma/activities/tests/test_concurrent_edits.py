"""Two people on one activity or coordination record; creates sent twice (issue 7, items 8-9)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from simkerma.activities.models import Activity, ActivityStatus, CoordinationRecord, FollowUpTask
from simkerma.activities.services import activity_transition
from simkerma.activities.tests.factories import ActivityFactory, CoordinationRecordFactory
from simkerma.activities.tests.test_coordination import coordination_data
from simkerma.activities.tests.test_views import plan_data
from simkerma.core.tests.concurrency import opened, token_for

S = ActivityStatus
pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_activity_edits_is_refused_and_reverts_nothing(staff, kapokja, agreement_if):
    client = logged_in(staff)
    client.post(reverse("activities:create"), plan_data(agreement_if, title="Kuliah tamu awal"))
    activity = Activity.objects.get()
    url = reverse("activities:edit", args=[activity.pk])
    other = logged_in(kapokja)
    first_version, second_version = opened(client, url), opened(other, url)
    base = plan_data(agreement_if, title="Kuliah tamu awal", code=activity.code)

    assert client.post(url, base | {"place": "Aula Politeknik"} | first_version).status_code == 302
    response = other.post(url, base | {"title": "Judul dari Kapokja"} | second_version)

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.place, activity.title) == ("Aula Politeknik", "Kuliah tamu awal")
    errors = " ".join(response.context["form"].non_field_errors())
    assert "“Gedung Utama, Ruang 701”" in errors and "“Aula Politeknik”" in errors
    assert response.context["form"]["title"].value() == "Judul dari Kapokja"


def test_the_same_activity_plan_sent_twice_is_made_once(staff, agreement_if):
    client = logged_in(staff)
    url = reverse("activities:create")
    data = plan_data(agreement_if) | token_for(client, url)
    client.post(url, data)
    second = client.post(url, data)
    assert Activity.objects.count() == 1
    assert second.status_code == 302 and second.url == Activity.objects.get().get_absolute_url()


def test_the_same_coordination_record_sent_twice_is_made_once_with_its_tasks(kapokja, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    client = logged_in(kapokja)
    url = reverse("activities:coordination_create", args=[activity.pk])
    task = {"title": "Kirim undangan", "assignee": staff.pk, "due_date": "2026-12-03"}
    data = coordination_data(tasks=[task]) | token_for(client, url)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert CoordinationRecord.objects.count() == 1
    assert FollowUpTask.objects.count() == 1


def test_the_same_task_sent_twice_is_made_once(kapokja, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if)
    client = logged_in(kapokja)
    url = reverse("activities:task_create", args=[activity.pk])
    data = {"title": "Siapkan ruangan", "assignee": staff.pk, "due_date": "2026-12-05"} | token_for(client, url)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert FollowUpTask.objects.count() == 1


def test_the_second_of_two_coordination_edits_is_refused(kapokja, staff, agreement_if):
    record = CoordinationRecordFactory(activity=ActivityFactory(agreement=agreement_if), decisions="Awal")
    url = reverse("activities:coordination_edit", args=[record.pk])
    first, second = logged_in(kapokja), logged_in(staff)
    first_version, second_version = opened(first, url), opened(second, url)
    assert first.post(url, coordination_data(decisions="Keputusan Kapokja") | first_version).status_code == 302
    response = second.post(url, coordination_data(decisions="Keputusan Staf") | second_version)
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.decisions == "Keputusan Kapokja"
    assert "“Keputusan Kapokja”" in " ".join(response.context["form"].non_field_errors())


def test_an_edit_opened_before_a_status_change_still_saves_its_own_fields(staff, kapokja, agreement_if):
    client = logged_in(staff)
    client.post(reverse("activities:create"), plan_data(agreement_if, title="Kuliah tamu awal"))
    activity = Activity.objects.get()
    url = reverse("activities:edit", args=[activity.pk])
    version = opened(client, url)
    activity_transition(activity=activity, to=S.DIKOORDINASIKAN, user=kapokja)  # the Kapokja moves it on meanwhile

    data = plan_data(agreement_if, title="Judul diperbaiki", code=activity.code) | version
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("Judul diperbaiki", S.DIKOORDINASIKAN)
