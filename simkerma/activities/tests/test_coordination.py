"""Coordination records, follow-up tasks and the "my tasks" page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from simkerma.activities.models import CoordinationRecord, FollowUpTask
from simkerma.activities.tests.factories import ActivityFactory, CoordinationRecordFactory, FollowUpTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(agreement_if):
    return ActivityFactory(agreement=agreement_if)


def coordination_data(*, attendees=(), tasks=(), **overrides):
    data = {
        "kind": "rapat",
        "held_at": "2026-12-01T09:00",
        "ends_at": "2026-12-01T10:30",
        "mode": "hybrid",
        "place": "Ruang Rapat Direktorat",
        "internal_attendees": [u.pk for u in attendees],
        "internal_attendees_text": "",
        "partner_attendees": "Rina Marlina (HR Manager)",
        "agenda": "Jadwal kuliah tamu",
        "minutes": "Mitra siap mengirim dua pembicara.",
        "decisions": "Kuliah tamu pada 10 Desember.",
        "tasks-TOTAL_FORMS": str(max(len(tasks), 2)),
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "20",
    }
    for index, task in enumerate(tasks):
        for key, value in task.items():
            data[f"tasks-{index}-{key}"] = value
    data.update(overrides)
    return data


def test_it_records_a_meeting_with_attendees_and_follow_up_tasks(client_for, kapokja, staff, coordinator, activity):
    data = coordination_data(
        attendees=[kapokja, coordinator],
        tasks=[{"title": "Kirim surat undangan", "assignee": staff.pk, "due_date": "2026-12-03"}],
    )
    response = client_for(kapokja).post(reverse("activities:coordination_create", args=[activity.pk]), data)

    assert response.status_code == 302
    record = CoordinationRecord.objects.get()
    assert record.activity == activity
    assert record.created_by == kapokja
    assert record.mode == "hybrid"
    assert timezone.localtime(record.held_at).replace(tzinfo=None) == dt.datetime(2026, 12, 1, 9, 0)
    assert set(record.internal_attendees.all()) == {kapokja, coordinator}
    task = FollowUpTask.objects.get()  # the second, empty task row is skipped
    assert (task.title, task.assignee, task.due_date, task.record, task.activity) == (
        "Kirim surat undangan",
        staff,
        dt.date(2026, 12, 3),
        record,
        activity,
    )


def test_it_keeps_the_typed_minutes_when_the_end_is_before_the_start(client_for, kapokja, activity):
    response = client_for(kapokja).post(
        reverse("activities:coordination_create", args=[activity.pk]),
        coordination_data(ends_at="2026-12-01T08:00"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"ends_at"}
    assert "Mitra siap mengirim dua pembicara." in response.content.decode()
    assert not CoordinationRecord.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "p3m_user", "pimpinan", "auditor", "outsider"])
def test_it_lets_only_the_team_record_coordination_and_tasks(request, client_for, role, activity, staff):
    client = client_for(request.getfixturevalue(role))
    assert (
        client.post(reverse("activities:coordination_create", args=[activity.pk]), coordination_data()).status_code
        == 403
    )
    task = {"title": "X", "assignee": staff.pk, "due_date": "2026-12-03"}
    assert client.post(reverse("activities:task_create", args=[activity.pk]), task).status_code == 403
    assert not CoordinationRecord.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_it_lets_staff_edit_a_record_and_add_a_task_to_it(client_for, staff, kapokja, activity):
    record = CoordinationRecordFactory(activity=activity)
    client = client_for(staff)
    data = coordination_data(decisions="Diubah")
    assert client.post(reverse("activities:coordination_edit", args=[record.pk]), data).status_code == 302
    record.refresh_from_db()
    assert record.decisions == "Diubah"

    url = reverse("activities:task_create", args=[activity.pk]) + f"?record={record.pk}"
    response = client.post(url, {"title": "Siapkan ruangan", "assignee": kapokja.pk, "due_date": "2026-12-05"})
    assert response.status_code == 302
    assert FollowUpTask.objects.get().record == record


def test_it_lets_the_assignee_or_the_team_mark_a_task_done_and_no_one_else(
    client_for, coordinator, other_coordinator, kapokja, activity
):
    task = FollowUpTaskFactory(activity=activity, assignee=coordinator)
    url = reverse("activities:task_done", args=[task.pk])

    assert client_for(other_coordinator).post(url).status_code == 403
    task.refresh_from_db()
    assert task.done_at is None

    assert client_for(coordinator).post(url).status_code == 302
    task.refresh_from_db()
    assert task.done_by == coordinator
    first_done = task.done_at
    assert first_done is not None

    client_for(kapokja).post(url)  # a second completion keeps the first one
    task.refresh_from_db()
    assert (task.done_at, task.done_by) == (first_done, coordinator)


def test_it_swaps_the_task_row_for_htmx(client_for, coordinator, activity):
    task = FollowUpTaskFactory(activity=activity, assignee=coordinator)
    response = client_for(coordinator).post(reverse("activities:task_done", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="task-{task.pk}"' in response.content.decode()


def test_it_lists_my_tasks_with_overdue_ones_marked(client_for, coordinator, staff, activity):
    today = timezone.localdate()
    overdue = FollowUpTaskFactory(activity=activity, assignee=coordinator, due_date=today - dt.timedelta(days=2))
    upcoming = FollowUpTaskFactory(activity=activity, assignee=coordinator, due_date=today + dt.timedelta(days=3))
    done = FollowUpTaskFactory(
        activity=activity, assignee=coordinator, due_date=today - dt.timedelta(days=5), done_at=timezone.now()
    )
    FollowUpTaskFactory(activity=activity, assignee=staff)

    response = client_for(coordinator).get(reverse("activities:my_tasks"))

    assert [t.pk for t in response.context["page_obj"]] == [overdue.pk, upcoming.pk, done.pk]
    html = response.content.decode()
    assert html.count('data-overdue="1"') == 1
    row = html.split(f'id="task-{overdue.pk}"')[1].split("</tr>")[0]
    assert 'data-overdue="1"' in row


def test_it_shows_all_open_tasks_to_the_team_only(client_for, staff, coordinator, activity):
    FollowUpTaskFactory(activity=activity, assignee=coordinator)
    assert (
        client_for(staff).get(reverse("activities:my_tasks"), {"semua": "1"}).context["page_obj"].paginator.count == 1
    )
    coordinator_view = client_for(coordinator).get(reverse("activities:my_tasks"), {"semua": "1"})
    assert coordinator_view.context["show_all"] is False


def test_it_lists_my_tasks_in_a_fixed_number_of_queries(
    client_for, coordinator, activity, django_assert_max_num_queries
):
    client = client_for(coordinator)
    FollowUpTaskFactory.create_batch(2, activity=activity, assignee=coordinator)
    with django_assert_max_num_queries(6):
        client.get(reverse("activities:my_tasks"))
    for _ in range(30):
        FollowUpTaskFactory(activity=ActivityFactory(), assignee=coordinator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("activities:my_tasks"))
    assert len(response.context["page_obj"]) == 25


def test_it_shows_a_coordination_record_to_readers(client_for, auditor, activity):
    record = CoordinationRecordFactory(activity=activity, minutes="Notulen rapat")
    response = client_for(auditor).get(record.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_coordinate"] is False
    assert client_for(auditor).get(reverse("activities:coordination_edit", args=[record.pk])).status_code == 403
