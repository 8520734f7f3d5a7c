import datetime as dt
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from simkerma.accounts.models import Invitation, Role, User
from simkerma.accounts.services import AccountData, account_invite
from simkerma.accounts.tests.factories import UserFactory
from simkerma.core.models import Notice

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
NEW_PASSWORD = "kapal-layar-batam-2026"


def invite_form(unit, **changes):
    values = {
        "username": "sari",
        "first_name": "Sari",
        "last_name": "Wulandari",
        "email": "sari@polibatam.test",
        "role": Role.KOORDINATOR,
        "unit": unit.pk if unit else "",
        "prodi": "",
        "phone": "",
    }
    return values | changes


def invited(kapokja, unit, username="sari"):
    data = AccountData(username=username, email=f"{username}@polibatam.test", role=Role.KOORDINATOR, unit=unit)
    sent = account_invite(data=data, user=kapokja)
    return sent, sent.url.split("/akun", 1)[1]


@pytest.mark.parametrize("who", ["staff", "coordinator", "outsider"])
def test_it_refuses_the_account_pages_to_everyone_but_the_administrator_and_the_kapokja(client, request, who):
    person = request.getfixturevalue(who) if who != "outsider" else UserFactory(username="luar", role="")
    client.force_login(person)

    for url in (reverse("account_list"), reverse("account_create"), reverse("account_detail", args=[person.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("account_deactivate", args=[person.pk])).status_code == 403


def test_it_lists_the_accounts_with_their_status_in_a_fixed_number_of_queries(
    client, kapokja, django_assert_max_num_queries, jurusan_if
):
    for n in range(12):
        UserFactory(username=f"orang{n}", role=Role.KOORDINATOR, unit=jurusan_if)
    invited(kapokja, jurusan_if)
    client.force_login(kapokja)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("account_list"))

    rows = dict(re.findall(r'data-username="([^"]+)".*?class="badge account-(\w+)"', response.text, re.S))
    assert rows["sari"] == "invited" and rows["orang0"] == "active" and rows["kapokja"] == "active"
    assert len(rows) == 14


def test_it_narrows_the_list_by_search_role_and_status(client, kapokja, coordinator, jurusan_if):
    invited(kapokja, jurusan_if)
    client.force_login(kapokja)

    def names(**query):
        return re.findall(r'data-username="([^"]+)"', client.get(reverse("account_list"), query).text)

    assert names(q="koord") == ["koord.if"]
    assert names(role=Role.KAPOKJA) == ["kapokja"]
    assert names(status="invited") == ["sari"]


def test_the_kapokja_invites_a_coordinator_through_the_form(client, kapokja, jurusan_if):
    client.force_login(kapokja)

    response = client.post(reverse("account_create"), invite_form(jurusan_if))

    account = User.objects.get(username="sari")
    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    assert (account.role, account.unit_id) == (Role.KOORDINATOR, jurusan_if.pk)
    assert Notice.objects.get(kind="account_invitation").email == "sari@polibatam.test"
    assert account.history.get().history_user == kapokja


def test_the_form_shows_the_unit_rule_next_to_the_field_in_indonesian(client, kapokja):
    client.force_login(kapokja)

    response = client.post(reverse("account_create"), invite_form(None), HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"unit"}
    assert "Koordinator dan pengguna P3M harus memiliki unit." in response.context["form"].errors["unit"][0]
    assert not User.objects.filter(username="sari").exists()


def test_the_kapokja_is_offered_no_administrator_role(client, kapokja, admin_user):
    client.force_login(kapokja)

    offered = [value for value, _label in client.get(reverse("account_create")).context["form"].fields["role"].choices]
    response = client.post(reverse("account_create"), invite_form(None, role=Role.ADMIN))

    assert Role.ADMIN not in offered and Role.KAPOKJA in offered
    assert response.context["form"].errors.keys() == {"role"}
    assert client.get(reverse("account_edit", args=[admin_user.pk])).status_code == 403


def test_it_changes_role_and_unit_through_the_form(client, kapokja, coordinator, p3m_unit):
    client.force_login(kapokja)
    form = {"first_name": "Budi", "last_name": "", "email": coordinator.email, "role": Role.P3M}

    response = client.post(reverse("account_edit", args=[coordinator.pk]), form | {"unit": p3m_unit.pk, "prodi": ""})

    stored = User.objects.get(pk=coordinator.pk)
    assert response.status_code == 302
    assert (stored.role, stored.unit, stored.first_name) == (Role.P3M, p3m_unit, "Budi")
    assert stored.history.latest().history_user == kapokja


def test_the_administrator_cannot_change_their_own_role_on_the_form(client, admin_user):
    client.force_login(admin_user)
    form = {"first_name": "A", "last_name": "", "email": admin_user.email, "role": Role.STAF, "unit": "", "prodi": ""}

    client.post(reverse("account_edit", args=[admin_user.pk]), form)

    stored = User.objects.get(pk=admin_user.pk)
    assert (stored.role, stored.first_name) == (Role.ADMIN, "A")


def test_deactivation_ends_the_persons_session_and_keeps_the_account(client, kapokja, coordinator):
    other = client.__class__()
    other.force_login(coordinator)
    assert other.get(reverse("home")).status_code == 200
    client.force_login(kapokja)

    response = client.post(reverse("account_deactivate", args=[coordinator.pk]))

    assert response.status_code == 302
    assert other.get(reverse("home")).status_code == 302  # sent to the log-in page
    assert other.post(reverse("login"), {"username": "koord.if", "password": PASSWORD}).status_code == 200
    assert User.objects.get(pk=coordinator.pk).is_active is False
    page = client.get(reverse("account_detail", args=[coordinator.pk]))
    assert 'data-status="inactive"' in page.text and 'id="account-reactivate"' in page.text


def test_nobody_deactivates_themselves_through_the_page(client, kapokja):
    client.force_login(kapokja)

    page = client.get(reverse("account_detail", args=[kapokja.pk]))
    response = client.post(reverse("account_deactivate", args=[kapokja.pk]))

    assert 'id="account-deactivate"' not in page.text
    assert response.status_code == 403
    assert User.objects.get(pk=kapokja.pk).is_active


def test_the_history_page_shows_the_changes(client, kapokja, coordinator):
    client.force_login(kapokja)
    client.post(reverse("account_deactivate", args=[coordinator.pk]))

    response = client.get(reverse("account_history", args=[coordinator.pk]), HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    assert "dinonaktifkan" in response.text
    assert response.context["entries"][0].who == kapokja


def test_the_invitation_link_sets_the_password_then_the_person_logs_in(client, kapokja, jurusan_if):
    _sent, path = invited(kapokja, jurusan_if)

    assert client.get("/akun" + path).status_code == 200
    response = client.post("/akun" + path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("login")
    login = client.post(reverse("login"), {"username": "sari", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.session[SESSION_KEY] == str(User.objects.get(username="sari").pk)


def test_a_used_link_shows_a_clear_page(client, kapokja, jurusan_if):
    _sent, path = invited(kapokja, jurusan_if)
    client.post("/akun" + path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get("/akun" + path)
    post_again = client.post("/akun" + path, {"new_password1": "x-other-pass-123", "new_password2": "x-other-pass-123"})

    assert again.status_code == 410 and 'data-problem="used"' in again.text
    assert post_again.status_code == 410
    assert User.objects.get(username="sari").check_password(NEW_PASSWORD)


def test_an_expired_or_unknown_link_shows_a_clear_page(client, kapokja, jurusan_if):
    _sent, path = invited(kapokja, jurusan_if)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    expired = client.get("/akun" + path, HTTP_ACCEPT_LANGUAGE="id")
    unknown = client.get(reverse("invitation_accept", args=["no-such-token"]))

    assert expired.status_code == 410 and 'data-problem="expired"' in expired.text
    assert "Undangan ini sudah kedaluwarsa" in expired.text
    assert unknown.status_code == 404 and 'data-problem="unknown"' in unknown.text


def test_a_weak_password_is_refused_next_to_the_field_in_indonesian(client, kapokja, jurusan_if):
    _sent, path = invited(kapokja, jurusan_if)

    response = client.post(
        "/akun" + path, {"new_password1": "12345678", "new_password2": "12345678"}, HTTP_ACCEPT_LANGUAGE="id"
    )

    errors = response.context["form"].errors
    assert response.status_code == 200 and set(errors) == {"new_password2"}
    assert any("terlalu umum" in message for message in errors["new_password2"])
    assert Invitation.objects.get().used_at is None


def test_password_reset_mails_a_working_link_to_the_base_url(client, coordinator):
    with override_settings(SIMKERMA_BASE_URL="https://kerjasama.polibatam.test"):
        response = client.post(reverse("password_reset"), {"email": coordinator.email})

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    link = re.search(r"https://kerjasama\.polibatam\.test(/akun/kata-sandi/atur/\S+/)", mail.outbox[0].body).group(1)
    assert "testserver" not in mail.outbox[0].body
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    assert User.objects.get(pk=coordinator.pk).check_password(NEW_PASSWORD)
    assert User.objects.get(pk=coordinator.pk).history.latest().history_change_reason == "password set"
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_password_reset_says_the_same_for_an_unknown_address_and_sends_nothing(client, coordinator):
    known = client.post(reverse("password_reset"), {"email": coordinator.email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@polibatam.test"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert known.content == unknown.content
    assert len(mail.outbox) == 1


def test_password_reset_sends_nothing_to_a_deactivated_account(client, kapokja, coordinator):
    coordinator.is_active = False
    coordinator.save()

    client.post(reverse("password_reset"), {"email": coordinator.email})

    assert mail.outbox == []


@override_settings(SIMKERMA_PASSWORD_RESET_LIMIT=3)
def test_password_reset_is_limited_per_client_and_per_address(client, coordinator):
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": coordinator.email}).status_code == 302
    from_elsewhere = client.post(reverse("password_reset"), {"email": coordinator.email}, REMOTE_ADDR="10.0.0.7")
    refused = client.post(reverse("password_reset"), {"email": coordinator.email})

    assert len(mail.outbox) == 3  # the address had its three mails; the fourth request sent none
    assert from_elsewhere.status_code == 302
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"


def test_the_login_page_links_to_the_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).text


def test_the_main_menu_shows_accounts_only_to_those_who_manage_them(client, kapokja, staff):
    client.force_login(kapokja)
    assert 'id="nav-accounts"' in client.get(reverse("home")).text
    client.force_login(staff)
    assert 'id="nav-accounts"' not in client.get(reverse("home")).text


def test_password_reset_sends_nothing_to_an_account_that_never_set_a_password(client, kapokja, jurusan_if):
    invited(kapokja, jurusan_if)

    response = client.post(reverse("password_reset"), {"email": "sari@polibatam.test"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_a_password_set_through_the_reset_lifts_a_login_lock_out(client, coordinator):
    for _ in range(5):
        client.post(reverse("login"), {"username": "koord.if", "password": "wrong-password"})
    assert client.post(reverse("login"), {"username": "koord.if", "password": PASSWORD}).status_code == 429

    client.post(reverse("password_reset"), {"email": coordinator.email})
    link = re.search(r"https?://[^/\s]+(/akun/kata-sandi/atur/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert client.post(reverse("login"), {"username": "koord.if", "password": NEW_PASSWORD}).status_code == 302
