"""The public form at the edge: limits shared by every worker, login throttling behind a proxy, bounded
text, limited receipts without the requester's text, and staff confirming a suggested partner."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from simkerma.core.models import Notice
from simkerma.core.notices import send_due_notices
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.ratelimit import hit_key
from simkerma.servicedesk.tests.helpers import public_data

pytestmark = pytest.mark.django_db
PUBLIC = reverse("servicedesk:public_form")
DATABASE_CACHE = {"BACKEND": "simkerma.core.cache.DatabaseCache", "LOCATION": "simkerma_cache"}


def test_production_settings_count_limits_in_the_database_cache():
    from config import settings as production

    assert production.CACHES["default"] == DATABASE_CACHE


def test_hits_counted_by_one_worker_are_seen_by_another():
    second = DatabaseCache("simkerma_cache", {})
    with override_settings(CACHES={"default": DATABASE_CACHE}):
        call_command("createcachetable", verbosity=0)
        assert caches["default"] is not second
        assert isinstance(caches["default"], DatabaseCache)
        assert [hit_key("203.0.113.7", scope="t", limit=2, window=3600) for _ in range(2)] == [True, True]
        key = next(iter(k for k in _cache_keys() if "servicedesk:rate:t:" in k))
        # Another process's handle on the same table reads the same count and the next hit is refused.
        assert second.get(key.split(":", 2)[2]) == 2
        assert hit_key("203.0.113.7", scope="t", limit=2, window=3600) is False
        assert hit_key("203.0.113.8", scope="t", limit=2, window=3600) is True


def _cache_keys() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM simkerma_cache")
        return [row[0] for row in cursor.fetchall()]


def _login(client, proxy_client: str, password: str):
    return client.post(
        reverse("login"),
        {"username": "kapokja", "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=proxy_client,
    )


def test_failed_logins_from_one_address_do_not_lock_the_user_out_elsewhere(client, settings):
    settings.SIMKERMA_TRUSTED_PROXY_COUNT = 1
    get_user_model().objects.create_user(username="kapokja", password="Rahasia-Benar-2026")
    for _ in range(5):
        _login(client, "198.51.100.66", "salah")
    locked = _login(client, "198.51.100.66", "Rahasia-Benar-2026")
    assert locked.status_code == 429
    # The same user, through the same proxy, from another client address logs in.
    elsewhere = _login(client, "192.0.2.10", "Rahasia-Benar-2026")
    assert elsewhere.status_code == 302


def test_too_long_scope_and_message_are_refused_next_to_the_field_with_the_text_kept(client):
    long_scope = "Magang " * 400
    response = client.post(PUBLIC, public_data(scope=long_scope, message="m" * 4001))
    assert response.status_code == 200 and ServiceRequest.objects.count() == 0
    form = response.context["form"]
    assert "2000" in form.errors["scope"][0] and "4000" in form.errors["message"][0]
    assert form["message"].value() == "m" * 4001 and form["scope"].value().startswith("Magang Magang")


def _submit(client, email: str, address: str, captured):
    with captured(execute=True):
        return client.post(PUBLIC, public_data(requester_email=email, subject="Tanya"), REMOTE_ADDR=address)


def test_receipts_are_limited_per_address_and_the_requests_still_registered(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SIMKERMA_RECEIPTS_PER_ADDRESS = 2
    settings.SIMKERMA_RECEIPTS_PER_RECIPIENT = 10
    for n in range(3):
        assert (
            _submit(client, f"r{n}@mitra.test", "198.51.100.1", django_capture_on_commit_callbacks).status_code == 302
        )
    assert ServiceRequest.objects.count() == 3
    assert sorted(Notice.objects.filter(kind="servicedesk_receipt").values_list("email", flat=True)) == [
        "r0@mitra.test",
        "r1@mitra.test",
    ]


def test_receipts_are_limited_per_recipient(client, settings, django_capture_on_commit_callbacks):
    settings.SIMKERMA_RECEIPTS_PER_ADDRESS = 10
    settings.SIMKERMA_RECEIPTS_PER_RECIPIENT = 1
    for address in ("198.51.100.1", "198.51.100.2"):
        assert _submit(client, "korban@mitra.test", address, django_capture_on_commit_callbacks).status_code == 302
    assert ServiceRequest.objects.count() == 2
    assert Notice.objects.filter(kind="servicedesk_receipt").count() == 1


def test_the_receipt_carries_none_of_the_requesters_text(client, django_capture_on_commit_callbacks):
    spam = public_data(
        requester_name="Klik http://spam.test sekarang",
        requester_organisation="MENANG HADIAH",
        subject="Hadiah gratis http://spam.test/a",
        scope="Kunjungi http://spam.test/b",
        message="Transfer ke rekening 12345 http://spam.test/c",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PUBLIC, spam)
    assert send_due_notices() == 1
    [receipt] = mail.outbox
    text = receipt.subject + receipt.body
    assert ServiceRequest.objects.get().code in text
    for typed in ("spam.test", "HADIAH", "Hadiah", "12345", "Klik"):
        assert typed not in text, typed


@pytest.fixture
def suggested(client):
    partner = PartnerFactory(name="PT. Galangan Kapal Nusantara")
    client.post(PUBLIC, public_data(requester_organisation="Galangan Kapal Nusantara, PT"))
    request = ServiceRequest.objects.get()
    assert request.partner is None
    return request, partner


def test_staff_confirm_the_suggested_partner(client_for, staff, suggested):
    request, partner = suggested
    url = reverse("servicedesk:confirm_partner", args=[request.pk])
    response = client_for(staff).post(url, {"partner": partner.pk})
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    request.refresh_from_db()
    assert request.partner == partner


def test_another_partner_than_the_suggested_one_is_not_linked(client_for, staff, suggested):
    request, _partner = suggested
    other = PartnerFactory(name="CV Lain Sama Sekali")
    client_for(staff).post(reverse("servicedesk:confirm_partner", args=[request.pk]), {"partner": other.pk})
    request.refresh_from_db()
    assert request.partner is None


def test_read_only_roles_cannot_confirm_a_partner(client_for, pimpinan, auditor, suggested):
    request, partner = suggested
    url = reverse("servicedesk:confirm_partner", args=[request.pk])
    for user in (pimpinan, auditor):
        assert client_for(user).post(url, {"partner": partner.pk}).status_code == 403
    request.refresh_from_db()
    assert request.partner is None


def test_a_login_without_a_readable_client_address_is_logged(client, staff):
    # A Unix-socket proxy sends no REMOTE_ADDR; the login log must still be written (inet on PostgreSQL).
    from axes.models import AccessLog

    client.force_login(staff)
    assert AccessLog.objects.get(username=staff.username).ip_address is None


@pytest.mark.django_db(transaction=True)
def test_workers_counting_at_once_lose_no_hit_on_postgresql():
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite writes one transaction at a time")
    workers, hits = 4, 15
    with override_settings(CACHES={"default": DATABASE_CACHE}):
        call_command("createcachetable", verbosity=0)
        caches["default"].clear()
        hit_key("203.0.113.50", scope="burst", limit=1000, window=3600)  # the row exists; all others increment
        start = threading.Barrier(workers)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                start.wait()
                for _ in range(hits):
                    hit_key("203.0.113.50", scope="burst", limit=1000, window=3600)
            except BaseException as error:
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        [key] = [k for k in _cache_keys() if ":burst:" in k]
        assert caches["default"].get(key.split(":", 2)[2]) == 1 + workers * hits
