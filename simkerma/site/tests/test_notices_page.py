import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from simkerma.core.models import Notice


def _notice(user, key, *, due_in_minutes=-5):
    return Notice.objects.create(
        key=key,
        kind="test",
        recipient=user,
        email=user.email,
        subject=f"Subject {key}",
        body="Body",
        due_at=timezone.now() + dt.timedelta(minutes=due_in_minutes),
    )


@pytest.mark.django_db
def test_it_lists_the_users_due_notices_and_marks_them_read(client_for, kapokja, staff):
    mine = _notice(kapokja, "a")
    _notice(kapokja, "future", due_in_minutes=60)
    _notice(staff, "someone-else")
    client = client_for(kapokja)

    home = client.get(reverse("home"))
    assert home.context["unread_notices"] == 1

    response = client.get(reverse("notices"))

    assert response.status_code == 200
    assert [n.key for n in response.context["page_obj"]] == ["a"]
    assert response.context["unread"] == {mine.pk}
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("home")).context["unread_notices"] == 0


@pytest.mark.django_db
def test_it_refuses_the_notices_page_to_an_outsider(client_for, outsider, client):
    assert client.get(reverse("notices")).status_code == 302
    assert client_for(outsider).get(reverse("notices")).status_code == 403
