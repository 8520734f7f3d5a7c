from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from simkerma.accounts.tests.factories import UserFactory
from simkerma.api.data import TokenData
from simkerma.api.models import ApiToken
from simkerma.api.services import MAX_ACTIVE_TOKENS, token_authenticate, token_create, token_revoke
from simkerma.core.dates import WIB

PARTNERS = "/api/v1/partners"


def bearer_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_it_stores_only_the_hash_and_the_prefix(staff):
    issued = token_create(user=staff, data=TokenData(name="  SIAKAD   sync ", read_only=False))
    token = ApiToken.objects.get()
    assert token.name == "SIAKAD sync"
    assert token.prefix == issued.secret[:8]
    assert token.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in {getattr(token, f.attname) for f in ApiToken._meta.concrete_fields}
    assert len(issued.secret) >= 40
    assert token.read_only is False


def test_it_records_creation_and_revocation_in_the_history(staff):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    token_revoke(token=issued.token, user=staff)
    records = list(issued.token.history.order_by("history_id").values_list("history_type", "history_change_reason"))
    assert records == [("+", "created"), ("~", "revoked")]
    assert not hasattr(issued.token.history.first(), "key_hash")


def test_it_lets_a_valid_token_read_and_refuses_a_revoked_one(staff):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    client = bearer_client(issued.secret)
    assert client.get(PARTNERS).status_code == 200
    token_revoke(token=issued.token, user=staff)
    response = client.get(PARTNERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_expired_token(staff):
    now = timezone.now()
    issued = token_create(user=staff, data=TokenData(name="Sementara", expires_at=now + dt.timedelta(days=1)))
    assert bearer_client(issued.secret).get(PARTNERS).status_code == 200
    with time_machine.travel(now + dt.timedelta(days=1, seconds=1)):
        assert bearer_client(issued.secret).get(PARTNERS).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000, "Token abc"],
)
def test_it_refuses_a_missing_or_unknown_token(db, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(PARTNERS)
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid token is required: Authorization: Bearer <token>."}


def test_it_refuses_a_token_with_the_right_prefix_and_a_wrong_rest(staff):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    forged = issued.secret[:8] + ("A" if issued.secret[8] != "A" else "B") + issued.secret[9:]
    assert token_authenticate(forged) is None
    assert bearer_client(forged).get(PARTNERS).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(staff):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    staff.is_active = False
    staff.save()
    assert bearer_client(issued.secret).get(PARTNERS).status_code == 401


def test_it_forbids_a_user_who_lost_their_role(staff):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    staff.role = ""
    staff.save()
    response = bearer_client(issued.secret).get(PARTNERS)
    assert response.status_code == 403
    assert "detail" in response.json()


def test_it_does_not_accept_a_session(client_for, staff):
    client = client_for(staff)
    assert client.get(PARTNERS).status_code == 401
    assert client.post("/api/v1/service-requests", {}, content_type="application/json").status_code == 401


def test_it_gives_no_token_to_an_account_without_a_role(outsider):
    with pytest.raises(PermissionDenied):
        token_create(user=outsider, data=TokenData(name="Apa saja"))


def test_it_refuses_a_blank_name_and_a_past_expiry(staff):
    with pytest.raises(ValidationError) as error:
        token_create(user=staff, data=TokenData(name="   ", expires_at=timezone.now() - dt.timedelta(minutes=1)))
    assert set(error.value.message_dict) == {"name", "expires_at"}


def test_it_caps_the_tokens_in_use(staff):
    for n in range(MAX_ACTIVE_TOKENS):
        token_create(user=staff, data=TokenData(name=f"Sistem {n}"))
    with pytest.raises(ValidationError) as error:
        token_create(user=staff, data=TokenData(name="Satu lagi"))
    assert "name" in error.value.message_dict
    token_revoke(token=ApiToken.objects.first(), user=staff)
    token_create(user=staff, data=TokenData(name="Satu lagi"))


def test_it_lets_only_the_owner_or_the_administrator_revoke(staff, kapokja, admin_user):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    with pytest.raises(PermissionDenied):
        token_revoke(token=issued.token, user=kapokja)
    token_revoke(token=issued.token, user=admin_user)
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == admin_user


def test_it_writes_the_last_use_at_most_once_a_minute(staff, django_assert_num_queries):
    issued = token_create(user=staff, data=TokenData(name="Repositori"))
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    with time_machine.travel(start, tick=False), django_assert_num_queries(2):  # the lookup, the update
        token_authenticate(issued.secret)
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False), django_assert_num_queries(1):
        token_authenticate(issued.secret)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        token_authenticate(issued.secret)
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == start + dt.timedelta(seconds=61)


def test_it_runs_requests_as_the_token_user(db, bearer, coordinator):
    """A token carries its user's role: a coordinator's token reads (every role reads the registry)
    and what it writes is recorded as theirs."""
    client = bearer(coordinator, read_only=False)
    body = {"subject": "Info magang", "kind": "informasi", "requester_name": "Budi"}
    response = client.post("/api/v1/service-requests", body, content_type="application/json")
    assert response.status_code == 201
    from simkerma.servicedesk.models import ServiceRequest

    created = ServiceRequest.objects.get(code=response.json()["code"])
    assert created.logged_by == coordinator
    assert created.history.get().history_user == coordinator


def test_it_keeps_tokens_of_different_users_apart(db):
    first = UserFactory(username="a", role="staf")
    second = UserFactory(username="b", role="auditor")
    one = token_create(user=first, data=TokenData(name="x"))
    two = token_create(user=second, data=TokenData(name="x"))
    assert token_authenticate(one.secret).user == first
    assert token_authenticate(two.secret).user == second
