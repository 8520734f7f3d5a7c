"""The WhatsApp Business Platform webhook, with payloads in Meta's documented form."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from simkerma.servicedesk.messages import RequestMessage
from simkerma.servicedesk.models import Channel, ServiceRequest, Stage

SECRET = "rahasia-aplikasi"
URL = "/masuk/whatsapp/"


@pytest.fixture(autouse=True)
def _webhook_on(settings):
    settings.SIMKERMA_WHATSAPP_APP_SECRET = SECRET
    settings.SIMKERMA_WHATSAPP_VERIFY_TOKEN = "token-verifikasi"


def payload(*messages: dict, name: str = "Rina") -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                            "contacts": [{"profile": {"name": name}, "wa_id": m["from"]} for m in messages],
                            "messages": list(messages),
                        },
                    }
                ],
            }
        ],
    }


def text(body: str, *, wamid: str, at: dt.datetime, number: str = "6281234567890") -> dict:
    return {"from": number, "id": wamid, "timestamp": str(int(at.timestamp())), "type": "text", "text": {"body": body}}


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, body: bytes, signature: str | None = None):
    headers = {} if signature is None else {"HTTP_X_HUB_SIGNATURE_256": signature}
    return client.post(URL, data=body, content_type="application/json", **headers)


def moment(minutes_ago: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(minutes=minutes_ago)).replace(microsecond=0)


def test_the_url_is_the_webhooks():
    assert reverse("intake:whatsapp_webhook") == URL


def test_it_answers_the_verification_handshake(client, db):
    ok = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "token-verifikasi", "hub.challenge": "1158201444"}
    )
    wrong = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "lain", "hub.challenge": "1158201444"})

    assert (ok.status_code, ok.content) == (200, b"1158201444")
    assert wrong.status_code == 403


def test_a_signed_text_message_opens_a_request_at_its_own_timestamp(client, db):
    sent = moment(7)
    body = json.dumps(
        payload(text("Halo, kami ingin kerja sama PKL.\nDari PT Maju", wamid="wamid.A1", at=sent))
    ).encode()

    response = post(client, body, sign(body))

    assert response.status_code == 200
    request = ServiceRequest.objects.get()
    assert (request.channel, request.received_at, request.requester_whatsapp) == (
        Channel.WHATSAPP,
        sent,
        "6281234567890",
    )
    assert request.requester_name == "Rina"
    assert request.subject == "Halo, kami ingin kerja sama PKL."
    assert request.response_due_at is not None
    assert list(request.conversation.values_list("message_id", "body")) == [
        ("wamid.A1", "Halo, kami ingin kerja sama PKL.\nDari PT Maju")
    ]


def test_later_messages_from_the_number_join_its_open_request(client, db):
    first = json.dumps(payload(text("Pertama", wamid="wamid.1", at=moment(9)))).encode()
    second = json.dumps(payload(text("Kedua", wamid="wamid.2", at=moment(3)))).encode()
    other = json.dumps(payload(text("Nomor lain", wamid="wamid.3", at=moment(2), number="6289900001111"))).encode()

    for body in (first, second, other):
        assert post(client, body, sign(body)).status_code == 200

    assert ServiceRequest.objects.count() == 2
    request = ServiceRequest.objects.get(requester_whatsapp="6281234567890")
    assert [m.body for m in request.conversation.all()] == ["Pertama", "Kedua"]


def test_a_message_after_the_request_is_closed_opens_a_new_one(client, db):
    first = json.dumps(payload(text("Pertama", wamid="wamid.1", at=moment(9)))).encode()
    post(client, first, sign(first))
    ServiceRequest.objects.update(stage=Stage.DITOLAK)
    again = json.dumps(payload(text("Lagi", wamid="wamid.2", at=moment(1)))).encode()

    post(client, again, sign(again))

    assert ServiceRequest.objects.count() == 2


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "sha1=abc", "wrong-secret"])
def test_an_unsigned_or_wrongly_signed_post_is_refused_and_records_nothing(client, db, signature):
    body = json.dumps(payload(text("Halo", wamid="wamid.X", at=moment(1)))).encode()
    if signature == "wrong-secret":
        signature = sign(body, "bukan-rahasianya")

    response = post(client, body, signature)

    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()
    assert not RequestMessage.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, db):
    body = json.dumps(payload(text("Halo", wamid="wamid.X", at=moment(1)))).encode()
    signature = sign(body)

    response = post(client, body.replace(b"Halo", b"Hola"), signature)

    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe not utf-8",
        b"[" * 100_000 + b"]" * 100_000,
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account", "entry": "x"}',
        json.dumps(
            payload({"from": "6281", "id": "wamid.T", "timestamp": "kemarin", "type": "text", "text": {"body": "x"}})
        ).encode(),
        json.dumps(payload({"from": "6281", "id": "wamid.T", "timestamp": "1", "type": "text", "text": 5})).encode(),
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"messages": [{}]}}]}]}',
    ],
)
def test_a_signed_malformed_body_gets_400_and_records_nothing(client, db, body):
    response = post(client, body, sign(body))

    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_a_replayed_body_gets_400_and_the_message_is_recorded_once(client, db):
    body = json.dumps(payload(text("Halo", wamid="wamid.R", at=moment(4)))).encode()

    responses = [post(client, body, sign(body)).status_code for _ in range(3)]

    assert responses == [200, 400, 400]
    assert RequestMessage.objects.filter(message_id="wamid.R").count() == 1
    assert ServiceRequest.objects.count() == 1


def test_status_updates_and_other_kinds_of_message_are_accepted_and_not_recorded(client, db):
    recent = str(int(moment(1).timestamp()))
    image = {"from": "6281234567890", "id": "wamid.I", "timestamp": recent, "type": "image", "image": {}}
    statuses = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "messages", "value": {"statuses": [{"id": "wamid.S", "status": "read"}]}}]}],
    }
    for item in (payload(image), statuses):
        body = json.dumps(item).encode()
        assert post(client, body, sign(body)).status_code == 200

    assert not ServiceRequest.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, db, settings):
    settings.SIMKERMA_WHATSAPP_MAX_BODY_BYTES = 1024
    body = json.dumps(payload(text("x" * 2000, wamid="wamid.B", at=moment(1)))).encode()

    assert post(client, body, sign(body)).status_code == 413
    assert not ServiceRequest.objects.exists()


def test_too_many_posts_from_one_address_get_429(client, db, settings):
    settings.SIMKERMA_WHATSAPP_RATE_LIMIT = 2
    body = b"{}"

    codes = [post(client, body, sign(body)).status_code for _ in range(3)]

    assert codes == [400, 400, 429]


def test_the_webhook_is_off_without_an_app_secret(client, db, settings):
    settings.SIMKERMA_WHATSAPP_APP_SECRET = ""
    body = json.dumps(payload(text("Halo", wamid="wamid.O", at=moment(1)))).encode()

    assert post(client, body, sign(body, "")).status_code == 404
    assert client.get(URL).status_code == 404


def test_the_webhook_needs_no_csrf_token(db):
    from django.test import Client

    body = json.dumps(payload(text("Halo", wamid="wamid.C", at=moment(1)))).encode()

    response = post(Client(enforce_csrf_checks=True), body, sign(body))

    assert response.status_code == 200
    assert ServiceRequest.objects.count() == 1


def test_a_body_with_one_bad_message_records_none_of_its_messages(client, db):
    good = text("Halo", wamid="wamid.G", at=moment(2))
    stale = text("Lama sekali", wamid="wamid.L", at=timezone.now() - dt.timedelta(days=400))
    body = json.dumps(payload(good, stale)).encode()

    response = post(client, body, sign(body))

    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_nul_characters_are_dropped_from_the_text(client, db):
    body = json.dumps(payload(text("Halo\u0000 tim", wamid="wamid.N", at=moment(2)))).encode()

    assert post(client, body, sign(body)).status_code == 200
    assert ServiceRequest.objects.get().message == "Halo tim"
