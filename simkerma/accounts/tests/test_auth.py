import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"


@pytest.fixture
def member():
    return UserFactory(username="dewi", role=Role.STAF)


def log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in_as(client):
    return client.session.get(SESSION_KEY)


def test_it_logs_in_with_the_right_password(client, member):
    response = log_in(client, "dewi", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == str(member.pk)


def test_it_refuses_a_wrong_password_with_a_form_error(client, member):
    response = log_in(client, "dewi", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"__all__"}
    assert logged_in_as(client) is None


def test_it_locks_the_account_after_five_failures(client, member):
    for _ in range(4):
        assert log_in(client, "dewi", "wrong-password").status_code == 200
    fifth = log_in(client, "dewi", "wrong-password")

    response = log_in(client, "dewi", PASSWORD)

    assert fifth.status_code == 429
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert logged_in_as(client) is None
    assert client.get(reverse("home")).status_code == 302


def test_it_lets_the_right_password_in_before_the_limit_and_starts_counting_again(client, member):
    for _ in range(4):
        log_in(client, "dewi", "wrong-password")

    assert log_in(client, "dewi", PASSWORD).status_code == 302
    assert logged_in_as(client) == str(member.pk)

    client.logout()
    for _ in range(4):
        log_in(client, "dewi", "wrong-password")
    assert log_in(client, "dewi", PASSWORD).status_code == 302


def test_it_locks_only_that_username_from_that_address(client, member):
    other = UserFactory(username="rahmat", role=Role.KAPOKJA)
    for _ in range(5):
        log_in(client, "dewi", "wrong-password")

    assert log_in(client, "dewi", PASSWORD).status_code == 429
    assert log_in(client, "rahmat", PASSWORD).status_code == 302
    assert logged_in_as(client) == str(other.pk)
    client.logout()
    assert log_in(client, "dewi", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_it_refuses_an_inactive_account(client, member):
    member.is_active = False
    member.save()

    response = log_in(client, "dewi", PASSWORD)

    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_it_sends_a_logged_in_user_away_from_the_login_page(client_for, member):
    response = client_for(member).get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_logs_out_on_post(client_for, member):
    client = client_for(member)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_as(client) is None


def change_password(client, new1, new2=None, old=PASSWORD):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2 if new2 is not None else new1},
    )


@pytest.mark.parametrize(
    "weak",
    ["Ab1!x", "password123", "48271937465", "dewi@example.test"],
    ids=["too-short", "common", "numeric", "like-e-mail"],
)
def test_it_rejects_a_weak_new_password(client_for, member, weak):
    client = client_for(member)

    response = change_password(client, weak)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_password2"]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_it_rejects_a_wrong_old_password(client_for, member):
    response = change_password(client_for(member), "Kerjasama-Polibatam-2025", old="guess")

    assert list(response.context["form"].errors) == ["old_password"]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_it_rejects_mismatched_new_passwords(client_for, member):
    response = change_password(client_for(member), "Kerjasama-Polibatam-2025", "Kerjasama-Polibatam-2026")

    assert list(response.context["form"].errors) == ["new_password2"]


def test_it_changes_the_password_and_keeps_the_user_logged_in(client_for, member):
    client = client_for(member)

    response = change_password(client, "Kerjasama-Polibatam-2025")

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    member.refresh_from_db()
    assert member.check_password("Kerjasama-Polibatam-2025")
    assert client.get(reverse("password_change_done")).status_code == 200


def test_it_asks_anonymous_visitors_to_log_in_before_changing_a_password(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
