"""Accounts in a real browser: the Kapokja invites a coordinator from the accounts page, the
coordinator sets a password through the e-mailed link and logs in with the coordinator's role and
unit; the link then shows that it has been used.

The live server runs in the test's process, so the worker's send is called here and the mail read
from Django's locmem outbox. Elements are found by id and name, never by visible text.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from django.core import mail
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role, User
from simkerma.accounts.tests.factories import UserFactory
from simkerma.core.notices import send_due_notices
from simkerma.org.tests.factories import UnitFactory

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-42"
NEW_PASSWORD = "kapal-layar-batam-2026"


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_the_kapokja_invites_a_coordinator_who_sets_a_password_and_logs_in(
    page: Page, transactional_db, live_server, settings
):
    settings.SIMKERMA_BASE_URL = live_server.url
    kapokja = UserFactory(username="kapokja", role=Role.KAPOKJA, password=PASSWORD)
    jurusan = UnitFactory(code="IF", name="Teknik Informatika")

    log_in(page, kapokja.username, PASSWORD)
    page.click("#nav-accounts")
    page.click("#invite-account")
    page.fill("#id_username", "sari")
    page.fill("#id_first_name", "Sari")
    page.fill("#id_last_name", "Wulandari")
    page.fill("#id_email", "sari@polibatam.test")
    page.select_option("#id_role", Role.KOORDINATOR)
    page.select_option("#id_unit", str(jurusan.pk))
    page.click("#account-save")
    expect(page.locator("#account-status")).to_have_attribute("data-status", "invited")
    expect(page.locator("#account-role")).to_have_attribute("data-role", Role.KOORDINATOR)

    assert send_due_notices() == 1
    [message] = [m for m in mail.outbox if m.to == ["sari@polibatam.test"]]
    link = re.search(re.escape(live_server.url) + r"(/akun/undangan/\S+/)", message.body).group(1)

    coordinator = page.context.browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    coordinator.goto(link)
    coordinator.fill("#id_new_password1", "12345678")
    coordinator.fill("#id_new_password2", "12345678")
    coordinator.click("#set-password")
    expect(coordinator.locator("#id_new_password2_error").first).to_be_visible()  # refused next to the field
    coordinator.fill("#id_new_password1", NEW_PASSWORD)
    coordinator.fill("#id_new_password2", NEW_PASSWORD)
    coordinator.click("#set-password")
    expect(coordinator).to_have_url(re.compile(r"/akun/masuk/$"))

    log_in(coordinator, "sari", NEW_PASSWORD)
    coordinator.goto("/akun/profil/")
    expect(coordinator.locator("#account")).to_contain_text("Koordinator Jurusan/Prodi")
    expect(coordinator.locator("#account")).to_contain_text("Teknik Informatika")
    expect(coordinator.locator("#nav-accounts")).to_have_count(0)  # a coordinator manages no accounts
    account = User.objects.get(username="sari")
    assert (account.role, account.unit_id, account.is_team, account.is_unit_scoped) == (
        Role.KOORDINATOR,
        jurusan.pk,
        False,
        True,
    )

    response = coordinator.goto(link)
    assert response is not None and response.status == 410
    expect(coordinator.locator("#invitation-refused")).to_have_attribute("data-problem", "used")
    coordinator.context.close()

    page.reload()
    expect(page.locator("#account-status")).to_have_attribute("data-status", "active")
