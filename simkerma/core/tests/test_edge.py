"""The edge: client address behind proxies, 405 and 413 pages, CSP and HSTS."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from simkerma.core.clientip import client_address

pytestmark = pytest.mark.django_db


def _request(remote, forwarded=""):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_it_ignores_forwarded_for_without_a_trusted_proxy(settings):
    settings.SIMKERMA_TRUSTED_PROXY_COUNT = 0
    settings.SIMKERMA_TRUSTED_PROXIES = []
    assert client_address(_request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_it_reads_the_client_through_a_counted_proxy(settings):
    settings.SIMKERMA_TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("10.0.0.1", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"


def test_it_skips_only_trusted_proxy_addresses(settings):
    settings.SIMKERMA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2")) == "1.2.3.4"
    assert client_address(_request("192.0.2.9", "1.2.3.4")) == "192.0.2.9"


def test_it_answers_a_get_on_a_post_only_url_with_our_page(client_for, staff):
    response = client_for(staff).get(reverse("servicedesk:confirm_partner", args=[1]))
    assert response.status_code == 405
    assert response["Allow"] == "POST" and b"Tidak dapat dibuka dengan cara ini" in response.content


def test_it_refuses_a_huge_public_form_body_with_413(client):
    response = client.post(reverse("servicedesk:public_form"), {"message": "x" * 100_000})
    assert response.status_code == 413


def test_it_sends_a_content_security_policy_without_unsafe_inline(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
