import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import authenticate as django_authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory, override_settings
from django.utils import translation

from simkerma.accounts.models import Invitation, Role, User
from simkerma.accounts.services import (
    AccountData,
    InvitationProblem,
    account_deactivate,
    account_invite,
    account_reactivate,
    account_update,
    invitation_accept,
    invitation_resend,
    token_hash,
)
from simkerma.accounts.tests.factories import UserFactory
from simkerma.core.history import timeline
from simkerma.core.models import Notice

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kapal-layar-batam-2026"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def authenticate(**credentials):
    return django_authenticate(RequestFactory().post("/akun/masuk/"), **credentials)


def coordinator_data(unit, **changes):
    values = {
        "username": "sari",
        "first_name": "Sari",
        "last_name": "Wulandari",
        "email": "sari@polibatam.test",
        "role": Role.KOORDINATOR,
        "unit": unit,
    }
    return AccountData(**(values | changes))


def token_of(sent):
    return sent.url.rstrip("/").rsplit("/", 1)[1]


def test_it_invites_a_coordinator_with_role_unit_and_no_usable_password(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)

    account = User.objects.get(username="sari")
    assert (account.role, account.unit, account.email, account.is_active) == (
        Role.KOORDINATOR,
        jurusan_if,
        "sari@polibatam.test",
        True,
    )
    assert not account.has_usable_password()
    assert sent.invitation.expires_at == T0 + dt.timedelta(hours=72)
    assert sent.invitation.created_by == kapokja


@override_settings(SIMKERMA_BASE_URL="http://127.0.0.1:8000")
def test_it_mails_the_link_through_the_notice_worker_and_stores_only_the_tokens_hash(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)

    token = token_of(sent)
    notice = Notice.objects.get(kind="account_invitation")
    assert notice.email == "sari@polibatam.test"
    assert re.search(r"http://127\.0\.0\.1:8000/akun/undangan/(\S+)/", notice.body).group(1) == token
    assert "sari" in notice.body and "2026-03-05 16:00" in notice.body  # the expiry in WIB
    stored = Invitation.objects.get()
    assert stored.token_hash == token_hash(token) != token
    assert token not in str(Invitation.objects.values_list().get())


@override_settings(SIMKERMA_BASE_URL="https://kerjasama.polibatam.test/", SIMKERMA_INVITATION_HOURS=24)
def test_it_builds_the_link_from_the_base_url_and_the_expiry_from_the_setting(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)

    assert sent.url.startswith("https://kerjasama.polibatam.test/akun/undangan/")
    assert sent.invitation.expires_at == T0 + dt.timedelta(hours=24)


def test_it_refuses_a_coordinator_without_a_unit_by_field(kapokja):
    with pytest.raises(ValidationError) as refused:
        account_invite(data=coordinator_data(None), user=kapokja)

    assert set(refused.value.message_dict) == {"unit"}
    assert not User.objects.filter(username="sari").exists()
    assert not Notice.objects.exists()


def test_it_refuses_a_p3m_account_outside_the_p3m_unit(kapokja, jurusan_if):
    with pytest.raises(ValidationError) as refused:
        account_invite(data=coordinator_data(jurusan_if, role=Role.P3M), user=kapokja)

    assert set(refused.value.message_dict) == {"unit"}


def test_it_refuses_an_invitation_without_an_address_or_with_one_already_in_use(kapokja, jurusan_if, staff):
    with pytest.raises(ValidationError) as no_address:
        account_invite(data=coordinator_data(jurusan_if, email=""), user=kapokja)
    with pytest.raises(ValidationError) as taken:
        account_invite(data=coordinator_data(jurusan_if, email=staff.email.upper()), user=kapokja)

    assert set(no_address.value.message_dict) == {"email"}
    assert set(taken.value.message_dict) == {"email"}


def test_it_refuses_a_username_in_use(kapokja, jurusan_if, staff):
    with pytest.raises(ValidationError) as refused:
        account_invite(data=coordinator_data(jurusan_if, username=staff.username), user=kapokja)

    assert set(refused.value.message_dict) == {"username"}


@pytest.mark.parametrize("role", [Role.STAF, Role.KOORDINATOR, Role.PIMPINAN, Role.AUDITOR])
def test_it_lets_only_the_administrator_and_the_kapokja_invite(request, role, jurusan_if):
    inviter = UserFactory(username="inviter", role=role, unit=jurusan_if if role == Role.KOORDINATOR else None)

    with pytest.raises(PermissionDenied):
        account_invite(data=coordinator_data(jurusan_if), user=inviter)


def test_it_lets_the_administrator_but_not_the_kapokja_grant_the_administrator_role(kapokja, admin_user):
    with pytest.raises(PermissionDenied):
        account_invite(data=AccountData(username="baru", email="baru@x.test", role=Role.ADMIN), user=kapokja)

    sent = account_invite(data=AccountData(username="baru", email="baru@x.test", role=Role.ADMIN), user=admin_user)
    assert sent.account.role == Role.ADMIN and sent.account.is_staff


def test_it_keeps_the_kapokja_away_from_administrator_accounts(kapokja, admin_user):
    data = AccountData(first_name="X", email=admin_user.email, role=Role.ADMIN)

    with pytest.raises(PermissionDenied):
        account_update(account=admin_user, data=data, user=kapokja)
    with pytest.raises(PermissionDenied):
        account_deactivate(account=admin_user, user=kapokja)
    assert User.objects.get(pk=admin_user.pk).is_active


def test_it_changes_role_and_unit(kapokja, coordinator, p3m_unit):
    data = AccountData(email=coordinator.email, role=Role.P3M, unit=p3m_unit, first_name="Budi")

    account_update(account=coordinator, data=data, user=kapokja)

    stored = User.objects.get(pk=coordinator.pk)
    assert (stored.role, stored.unit, stored.first_name, stored.username) == (Role.P3M, p3m_unit, "Budi", "koord.if")


def test_it_refuses_a_change_that_breaks_the_unit_rules_and_saves_nothing(kapokja, coordinator, jurusan_mb):
    data = AccountData(email=coordinator.email, role=Role.KOORDINATOR, unit=jurusan_mb, prodi=coordinator.prodi)

    with pytest.raises(ValidationError) as refused:
        account_update(account=coordinator, data=data, user=kapokja)

    assert set(refused.value.message_dict) == {"prodi"}
    assert User.objects.get(pk=coordinator.pk).unit.code == "IF"


def test_it_lets_nobody_change_their_own_role(admin_user):
    data = AccountData(email=admin_user.email, role=Role.STAF)

    with pytest.raises(PermissionDenied):
        account_update(account=admin_user, data=data, user=admin_user)
    assert User.objects.get(pk=admin_user.pk).role == Role.ADMIN


def test_it_lets_nobody_deactivate_themselves(admin_user, kapokja):
    for person in (admin_user, kapokja):
        with pytest.raises(PermissionDenied):
            account_deactivate(account=person, user=person)
        assert User.objects.get(pk=person.pk).is_active


def test_a_deactivated_account_no_longer_logs_in_and_is_kept(kapokja, coordinator):
    assert authenticate(username="koord.if", password="correct-horse-battery-42") == coordinator

    account_deactivate(account=coordinator, user=kapokja)

    assert authenticate(username="koord.if", password="correct-horse-battery-42") is None
    assert User.objects.filter(pk=coordinator.pk, is_active=False).exists()
    account_reactivate(account=coordinator, user=kapokja)
    assert authenticate(username="koord.if", password="correct-horse-battery-42") == coordinator


def test_it_sets_the_password_once_through_the_invitation(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)

    account = invitation_accept(token=token_of(sent), password=NEW_PASSWORD, now=T0 + dt.timedelta(hours=1))

    assert authenticate(username="sari", password=NEW_PASSWORD) == account
    assert Invitation.objects.get().used_at == T0 + dt.timedelta(hours=1)
    with pytest.raises(InvitationProblem) as again:
        invitation_accept(token=token_of(sent), password="another-long-pass-99", now=T0 + dt.timedelta(hours=2))
    assert again.value.problem == "used"
    assert authenticate(username="sari", password=NEW_PASSWORD) == account


def test_it_refuses_an_expired_invitation(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)

    with pytest.raises(InvitationProblem) as expired:
        invitation_accept(token=token_of(sent), password=NEW_PASSWORD, now=T0 + dt.timedelta(hours=72))

    assert expired.value.problem == "expired"
    assert not User.objects.get(username="sari").has_usable_password()


def test_it_accepts_an_invitation_just_before_it_expires(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)

    invitation_accept(token=token_of(sent), password=NEW_PASSWORD, now=T0 + dt.timedelta(hours=72, seconds=-1))

    assert User.objects.get(username="sari").check_password(NEW_PASSWORD)


def test_it_refuses_an_unknown_or_altered_token(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja)

    for token in ("", "nothing-like-it", token_of(sent)[:-1] + ("A" if token_of(sent)[-1] != "A" else "B")):
        with pytest.raises(InvitationProblem) as refused:
            invitation_accept(token=token, password=NEW_PASSWORD)
        assert refused.value.problem == "unknown"


def test_a_new_invitation_revokes_the_older_link(kapokja, jurusan_if):
    first = account_invite(data=coordinator_data(jurusan_if), user=kapokja, now=T0)
    second = invitation_resend(account=first.account, user=kapokja, now=T0 + dt.timedelta(hours=1))

    with pytest.raises(InvitationProblem) as refused:
        invitation_accept(token=token_of(first), password=NEW_PASSWORD, now=T0 + dt.timedelta(hours=2))
    invitation_accept(token=token_of(second), password=NEW_PASSWORD, now=T0 + dt.timedelta(hours=2))

    assert refused.value.problem == "revoked"
    assert Notice.objects.filter(kind="account_invitation").count() == 2


def test_it_resends_no_invitation_to_an_account_with_a_password(kapokja, coordinator):
    with pytest.raises(ValidationError):
        invitation_resend(account=coordinator, user=kapokja)

    assert not Invitation.objects.exists()


def test_deactivation_revokes_the_open_invitation(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja)

    account_deactivate(account=sent.account, user=kapokja)

    with pytest.raises(InvitationProblem) as refused:
        invitation_accept(token=token_of(sent), password=NEW_PASSWORD)
    assert refused.value.problem == "revoked"


def test_it_refuses_a_weak_password_by_field_and_keeps_the_link_open(kapokja, jurusan_if):
    sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja)

    for weak in ("12345678", "short", "sari.wulandari"):
        with pytest.raises(ValidationError) as refused:
            invitation_accept(token=token_of(sent), password=weak)
        assert set(refused.value.message_dict) == {"password"}

    assert Invitation.objects.get().used_at is None
    invitation_accept(token=token_of(sent), password=NEW_PASSWORD)


def test_every_change_is_in_the_accounts_history_with_who_and_why(kapokja, jurusan_if, jurusan_mb):
    with time_machine.travel(T0, tick=False):
        sent = account_invite(data=coordinator_data(jurusan_if), user=kapokja)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        invitation_accept(token=token_of(sent), password=NEW_PASSWORD)
    account = User.objects.get(username="sari")
    with time_machine.travel(T0 + dt.timedelta(minutes=2), tick=False):
        account_update(account=account, data=coordinator_data(jurusan_mb), user=kapokja)
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        account_deactivate(account=account, user=kapokja)

    records = list(account.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_change_reason) for r in records] == [
        ("+", "invited by e-mail"),
        ("~", "password set from the invitation"),
        ("~", "edited"),
        ("~", "deactivated"),
    ]
    with translation.override("en"):
        entries = timeline((User, account.history.all()))
    assert [(c.label, c.old, c.new) for c in entries[1].changes] == [("unit", str(jurusan_if), str(jurusan_mb))]
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [("active", "yes", "no")]


def test_a_login_writes_no_history(client, coordinator):
    before = coordinator.history.count()

    assert (
        client.post("/akun/masuk/", {"username": "koord.if", "password": "correct-horse-battery-42"}).status_code == 302
    )

    assert User.objects.get(pk=coordinator.pk).last_login is not None
    assert coordinator.history.count() == before


def test_a_password_change_is_recorded_without_the_hash(coordinator):
    before = coordinator.history.count()

    coordinator.set_password("yet-another-password-77")
    coordinator.save()

    latest = coordinator.history.latest()
    assert coordinator.history.count() == before + 1
    assert latest.history_change_reason == "password set"
    assert not hasattr(latest, "password")
