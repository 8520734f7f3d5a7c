"""Follow-up tasks go only to people who may write, and only they complete them (issue 7, item 12)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.activities.data import TaskData
from simkerma.activities.forms import TaskForm
from simkerma.activities.models import FollowUpTask
from simkerma.activities.services import task_complete, task_create
from simkerma.activities.tests.factories import ActivityFactory, FollowUpTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(agreement_if):
    return ActivityFactory(agreement=agreement_if)


def test_it_offers_only_writers_as_assignees(staff, kapokja, coordinator, p3m_user, pimpinan, auditor, outsider):
    offered = set(TaskForm().fields["assignee"].queryset)
    assert offered == {staff, kapokja, coordinator, p3m_user}


@pytest.mark.parametrize("role", ["pimpinan", "auditor"])
def test_it_refuses_a_task_for_a_read_only_role_with_the_rule(request, client_for, kapokja, activity, role):
    reader = request.getfixturevalue(role)
    url = reverse("activities:task_create", args=[activity.pk])
    response = client_for(kapokja).post(
        url, {"title": "Periksa bukti", "assignee": reader.pk, "due_date": "2026-12-05"}
    )
    assert response.status_code == 200
    assert FollowUpTask.objects.count() == 0
    assert "assignee" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Periksa bukti"


def test_the_model_and_the_service_refuse_a_read_only_assignee(kapokja, auditor, activity):
    task = FollowUpTask(activity=activity, title="Audit", assignee=auditor, due_date=activity.start_date)
    with pytest.raises(ValidationError) as raised:
        task.full_clean()
    assert "assignee" in raised.value.message_dict

    with pytest.raises(ValidationError) as raised:
        task_create(
            activity=activity,
            record=None,
            data=TaskData(title="Audit", assignee=auditor, due_date=activity.start_date),
            user=kapokja,
        )
    assert "assignee" in raised.value.message_dict
    assert FollowUpTask.objects.count() == 0


@pytest.mark.parametrize("role", ["pimpinan", "auditor"])
def test_a_read_only_role_cannot_complete_a_task_given_to_it_before(request, client_for, activity, role):
    reader = request.getfixturevalue(role)
    task = FollowUpTaskFactory(activity=activity, assignee=reader)  # assigned before the rule existed
    assert client_for(reader).post(reverse("activities:task_done", args=[task.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        task_complete(task=task, user=reader)
    task.refresh_from_db()
    assert task.done_at is None
    page = client_for(reader).get(reverse("activities:my_tasks")).content.decode()
    assert f'id="done-{task.pk}"' not in page


def test_the_assignee_who_writes_still_completes(client_for, coordinator, activity):
    task = FollowUpTaskFactory(activity=activity, assignee=coordinator)
    assert client_for(coordinator).post(reverse("activities:task_done", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.done_by == coordinator
