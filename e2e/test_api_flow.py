"""The API in a real browser: a person makes a token on their profile page, a program reads with it,
the person revokes it and the program is refused; the API documentation loads under the site's CSP
with nothing from outside the site.

Elements are found by id and name, never by visible text: the UI speaks Indonesian by default.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.api.models import ApiToken, secret_hash
from simkerma.partners.tests.factories import PartnerFactory

PASSWORD = "correct-horse-battery-42"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_it_makes_uses_and_revokes_a_token(page: Page, live_server):
    UserFactory(username="staf.api", role=Role.STAF)
    PartnerFactory(code="BIC", name="PT Batamindo Investment Cakrawala")
    log_in(page, "staf.api")
    page.locator(".usermenu a.profile-link").click()
    expect(page).to_have_url(re.compile(r"/akun/profil/$"))
    page.fill("#id_name", "Repositori akreditasi")
    page.locator("#token-form button[type=submit]").click()

    secret = page.locator("#token-secret").input_value()
    assert len(secret) >= 40
    token = ApiToken.objects.get()
    assert token.key_hash == secret_hash(secret) and token.read_only
    page.locator("[data-copy-target=token-secret]").click()

    api = page.context.request
    headers = {"Authorization": f"Bearer {secret}"}
    response = api.get(f"{live_server.url}/api/v1/partners", headers=headers)
    assert response.status == 200
    assert [row["code"] for row in response.json()["results"]] == ["BIC"]

    page.goto("/akun/profil/")
    row = page.locator(f"#token-list tr[data-token='{token.prefix}']")
    expect(row).to_be_visible()
    # The profile page never shows the secret again.
    assert secret not in page.content()
    row.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/akun/profil/$"))
    expect(row.locator("button[type=submit]")).to_have_count(0)
    assert api.get(f"{live_server.url}/api/v1/partners", headers=headers).status == 401


def test_it_shows_the_documentation_from_the_site_alone(page: Page, live_server):
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/kpi/{year}")).to_have_count(1)
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    assert refused == []
