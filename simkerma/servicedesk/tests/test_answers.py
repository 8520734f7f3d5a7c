"""Answers from the request page: by e-mail (threaded by Message-ID and code) and through WhatsApp."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.servicedesk.messages import Direction, Purpose, RequestMessage
from simkerma.servicedesk.models import Channel
from simkerma.servicedesk.replies import (
    IncomingMessage,
    request_answer_by_email,
    request_message_receive,
    whatsapp_digits,
    whatsapp_link,
)
from simkerma.servicedesk.tests.factories import ServiceRequestFactory
from simkerma.servicedesk.tests.helpers import wib


@pytest.fixture
def email_request(db, settings):
    settings.DEFAULT_FROM_EMAIL = "Kerja Sama <kerjasama@polibatam.ac.id>"
    request = ServiceRequestFactory(subject="Permohonan MoU", requester_email="budi@example.org")
    request_message_receive(
        request=request,
        message=IncomingMessage(
            channel=Channel.EMAIL,
            sender="budi@example.org",
            subject="Permohonan MoU",
            body="Mohon dibantu.",
            message_id="<awal@example.org>",
            at=request.received_at,
        ),
    )
    return request


def test_an_answer_by_email_carries_the_code_and_threads_and_its_send_moment_stops_the_clock(
    client, staff, email_request
):
    client.force_login(staff)
    with time_machine.travel(wib(2026, 11, 23, 9, 12), tick=False):
        response = client.post(
            reverse("servicedesk:answer_email", args=[email_request.pk]),
            {"answer-purpose": Purpose.RESPONSE, "answer-body": "Terima kasih, kami proses."},
        )

    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["budi@example.org"]
    assert sent.from_email == "Kerja Sama <kerjasama@polibatam.ac.id>"
    assert sent.subject == f"[{email_request.code}] Re: Permohonan MoU"
    assert sent.extra_headers["In-Reply-To"] == "<awal@example.org>"
    recorded = RequestMessage.objects.get(direction=Direction.OUT)
    assert recorded.message_id == sent.extra_headers["Message-ID"]
    assert recorded.message_id.endswith("@polibatam.ac.id>")
    assert (recorded.at, recorded.sent_by, recorded.purpose) == (wib(2026, 11, 23, 9, 12), staff, Purpose.RESPONSE)
    email_request.refresh_from_db()
    assert email_request.responded_at == wib(2026, 11, 23, 9, 12)
    assert email_request.response_note == "Terima kasih, kami proses."
    assert not email_request.breaches.exists()


def test_a_plain_message_by_email_leaves_the_clocks_alone(staff, email_request):
    with time_machine.travel(wib(2026, 11, 23, 9, 12), tick=False):
        request_answer_by_email(request=email_request, purpose=Purpose.MESSAGE, body="Sebentar ya.", user=staff)

    email_request.refresh_from_db()
    assert email_request.responded_at is None
    assert len(mail.outbox) == 1


def test_a_second_first_response_is_refused_before_any_mail_goes(staff, email_request):
    with time_machine.travel(wib(2026, 11, 23, 9, 12), tick=False):
        request_answer_by_email(request=email_request, purpose=Purpose.RESPONSE, body="Pertama.", user=staff)
        with pytest.raises(ValidationError) as refused:
            request_answer_by_email(request=email_request, purpose=Purpose.RESPONSE, body="Lagi.", user=staff)

    assert "purpose" in refused.value.error_dict
    assert len(mail.outbox) == 1


def test_a_follow_up_answer_needs_a_partners_request(staff, email_request):
    with pytest.raises(ValidationError) as refused:
        request_answer_by_email(request=email_request, purpose=Purpose.FOLLOWUP, body="Tindak lanjut.", user=staff)

    assert "purpose" in refused.value.error_dict
    assert mail.outbox == []


def test_a_mail_server_that_refuses_records_nothing(staff, email_request, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there

    with pytest.raises(ValidationError):
        request_answer_by_email(request=email_request, purpose=Purpose.RESPONSE, body="Halo.", user=staff)

    email_request.refresh_from_db()
    assert email_request.responded_at is None
    assert not RequestMessage.objects.filter(direction=Direction.OUT).exists()


def test_only_the_team_answers(coordinator, email_request, client):
    with pytest.raises(PermissionDenied):
        request_answer_by_email(request=email_request, purpose=Purpose.RESPONSE, body="Halo.", user=coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("servicedesk:answer_email", args=[email_request.pk]), {"answer-body": "x"})

    assert response.status_code == 403
    assert mail.outbox == []


def test_the_whatsapp_answer_opens_click_to_chat_and_is_recorded_when_staff_confirm(client, staff, db):
    request = ServiceRequestFactory(channel=Channel.WHATSAPP, requester_email="", requester_whatsapp="0812-3456-7890")
    client.force_login(staff)
    url = reverse("servicedesk:answer_whatsapp", args=[request.pk])
    answer = {"answer-purpose": Purpose.RESPONSE, "answer-body": "Halo Bu, kami terima & proses."}

    with time_machine.travel(wib(2026, 11, 23, 9, 5), tick=False):
        prepared = client.post(url, answer)
    link = prepared.context["whatsapp_link"]
    assert not RequestMessage.objects.exists()
    with time_machine.travel(wib(2026, 11, 23, 9, 11), tick=False):
        confirmed = client.post(url, {**answer, "confirm": "1"})

    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(parts.query)["text"] == ["Halo Bu, kami terima & proses."]
    assert link in prepared.content.decode().replace("&amp;", "&")
    assert confirmed.status_code == 302
    recorded = RequestMessage.objects.get()
    assert (recorded.channel, recorded.direction, recorded.at) == (
        Channel.WHATSAPP,
        Direction.OUT,
        wib(2026, 11, 23, 9, 11),
    )
    request.refresh_from_db()
    assert request.responded_at == wib(2026, 11, 23, 9, 11)


def test_the_request_page_shows_the_conversation_and_the_answer_form(client, staff, email_request):
    client.force_login(staff)

    page = client.get(email_request.get_absolute_url()).content.decode()

    assert "Mohon dibantu." in page
    assert 'id="answer-email"' in page
    assert 'id="answer-whatsapp"' not in page  # no WhatsApp number


@pytest.mark.parametrize(
    ("number", "digits"),
    [("0812-3456-7890", "6281234567890"), ("+62 812 3456 7890", "6281234567890"), ("0062 812", "62812"), ("", "")],
)
def test_whatsapp_numbers_are_read_in_international_form(number, digits):
    assert whatsapp_digits(number) == digits


def test_the_click_to_chat_link_encodes_the_text():
    assert whatsapp_link("6281", "a b&c\nd") == "https://wa.me/6281?text=a%20b%26c%0Ad"
