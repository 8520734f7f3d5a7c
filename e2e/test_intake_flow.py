"""Requests from WhatsApp in a real browser: a signed webhook POST opens a request; the staff read
the conversation, answer through the click-to-chat link and confirm it went, which meets the
first-response clock; then they answer a later message by e-mail.

No clock is frozen: the live server runs in a thread of this process and every step comes within
seconds of the message, so the response time is met whatever the hour.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from django.core import mail
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.servicedesk.messages import Direction
from simkerma.servicedesk.models import ServiceRequest

PASSWORD = "correct-horse-battery-42"
SECRET = "rahasia-aplikasi-e2e"


def log_in(page: Page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def whatsapp_post(base_url: str, body: str, wamid: str) -> int:
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "contacts": [{"profile": {"name": "Rina Hartono"}, "wa_id": "6281234567890"}],
                            "messages": [
                                {
                                    "from": "6281234567890",
                                    "id": wamid,
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": body},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    sent = urllib.request.Request(  # noqa: S310 (the live server on localhost)
        f"{base_url}/masuk/whatsapp/",
        data=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310
        return response.status


@pytest.mark.e2e
def test_staff_answer_a_whatsapp_request_through_click_to_chat(page: Page, transactional_db, live_server, settings):
    settings.SIMKERMA_WHATSAPP_APP_SECRET = SECRET
    UserFactory(username="staf", role=Role.STAF, first_name="Dewi", last_name="Kerjasama")

    assert whatsapp_post(live_server.url, "Selamat pagi, kami ingin kerja sama magang.", "wamid.E2E1") == 200
    request = ServiceRequest.objects.get()

    log_in(page, "staf")
    page.goto(f"/layanan/{request.pk}/")
    expect(page.locator("#conversation-messages li")).to_have_count(1)
    page.fill("#id_answer-body", "Selamat pagi Bu Rina, permohonan Anda kami terima.")
    page.click("#answer-whatsapp")
    link = page.locator("#whatsapp-link").get_attribute("href") or ""
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("wa.me", "/6281234567890")
    assert parse_qs(parts.query)["text"] == ["Selamat pagi Bu Rina, permohonan Anda kami terima."]
    page.click("#whatsapp-sent")

    expect(page.locator("#clocks tr[data-clock=response_15m] [data-state]")).to_have_attribute("data-state", "met")
    expect(page.locator("#conversation-messages li")).to_have_count(2)

    # A later message joins the request; the staff answer it by e-mail once they have the address.
    assert whatsapp_post(live_server.url, "Alamat e-mail saya rina@galangan.test", "wamid.E2E2") == 200
    ServiceRequest.objects.filter(pk=request.pk).update(requester_email="rina@galangan.test")
    page.goto(f"/layanan/{request.pk}/")
    expect(page.locator("#conversation-messages li")).to_have_count(3)
    page.fill("#id_answer-body", "Terlampir informasi prosedur kerja sama.")
    page.click("#answer-email")
    expect(page.locator("#conversation-messages li")).to_have_count(4)

    [sent] = mail.outbox
    assert sent.to == ["rina@galangan.test"] and request.code in sent.subject
    assert ServiceRequest.objects.count() == 1
    assert list(request.conversation.order_by("pk").values_list("direction", flat=True)) == [
        Direction.IN,
        Direction.OUT,
        Direction.IN,
        Direction.OUT,
    ]
