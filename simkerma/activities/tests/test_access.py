"""Every activities page refuses an account without a role, and sends anonymous visitors to log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from simkerma.activities.models import Activity, CoordinationRecord, FollowUpTask
from simkerma.activities.tests.factories import ActivityFactory, CoordinationRecordFactory, FollowUpTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(agreement_if, staff):
    activity = ActivityFactory(agreement=agreement_if)
    record = CoordinationRecordFactory(activity=activity)
    task = FollowUpTaskFactory(activity=activity, assignee=staff)
    return activity, record, task


def urls(activity: Activity, record: CoordinationRecord, task: FollowUpTask) -> list[tuple[str, str]]:
    """(method, url) for every activities view (the feed has its own test: it needs no log-in)."""
    return [
        ("get", reverse("activities:list")),
        ("get", reverse("activities:create")),
        ("post", reverse("activities:create")),
        ("get", reverse("activities:pick_agreement") + "?agreement__q=PKS"),
        ("get", reverse("activities:pick_reportable") + "?activities__q=K"),
        ("get", reverse("activities:detail", args=[activity.pk])),
        ("get", reverse("activities:edit", args=[activity.pk])),
        ("post", reverse("activities:edit", args=[activity.pk])),
        ("post", reverse("activities:transition", args=[activity.pk])),
        ("get", reverse("activities:history", args=[activity.pk])),
        ("get", reverse("activities:coordination_create", args=[activity.pk])),
        ("post", reverse("activities:coordination_create", args=[activity.pk])),
        ("get", reverse("activities:task_create", args=[activity.pk])),
        ("post", reverse("activities:task_create", args=[activity.pk])),
        ("get", reverse("activities:coordination_detail", args=[record.pk])),
        ("get", reverse("activities:coordination_edit", args=[record.pk])),
        ("post", reverse("activities:coordination_edit", args=[record.pk])),
        ("get", reverse("activities:my_tasks")),
        ("post", reverse("activities:task_done", args=[task.pk])),
        ("get", reverse("activities:calendar")),
        ("get", reverse("activities:calendar_subscription")),
        ("post", reverse("activities:calendar_subscription_change")),
    ]


def test_it_refuses_the_outsider_on_every_view(client_for, outsider, objects):
    client = client_for(outsider)
    for method, url in urls(*objects):
        response = getattr(client, method)(
            url, {"to": "batal", "reason": "x", "action": "create"} if method == "post" else None
        )
        assert response.status_code == 403, (method, url)
    activity, _record, task = objects
    activity.refresh_from_db()
    task.refresh_from_db()
    assert activity.status == "rencana"
    assert task.done_at is None
    assert not outsider.calendar_tokens.exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, objects):
    for method, url in urls(*objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login")), (method, url)


def test_it_renders_every_page_for_the_kapokja(client_for, kapokja, objects):
    client = client_for(kapokja)
    for method, url in urls(*objects):
        if method == "get":
            assert client.get(url).status_code == 200, url
