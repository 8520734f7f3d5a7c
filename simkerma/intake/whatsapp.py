"""Messages from the WhatsApp Business Platform's webhook (docs/intake.md).

Meta signs every POST with the app secret (X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw
body>). The body is `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
"messages", "value": {"contacts": [...], "messages": [{"from", "id", "timestamp", "type", "text":
{"body"}}]}}]}]}`. A text message from a number with no open request opens one (channel WhatsApp,
received at the message's own timestamp); a later one joins the open request. Each message id
(wamid) is recorded once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.servicedesk.messages import RequestMessage
from simkerma.servicedesk.models import FINAL_STAGES, Channel, RequestKind, ServiceRequest
from simkerma.servicedesk.replies import (
    IncomingMessage,
    message_known,
    request_message_receive,
    service_request_open_from_message,
    whatsapp_digits,
)
from simkerma.servicedesk.services import ServiceRequestData

MAX_TEXT = 4096  # WhatsApp's own limit for a text message
# The platform retries a delivery for up to 7 days; an older timestamp is not a real delivery.
OLDEST = dt.timedelta(days=30)


class Malformed(Exception):
    """The body is not a webhook payload of the documented form."""


@dataclass(frozen=True)
class WhatsAppText:
    number: str
    name: str
    wamid: str
    at: dt.datetime
    text: str


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} is not a list")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object")
    return value


def _moment(value: Any) -> dt.datetime:
    try:
        seconds = int(str(value))
        moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError) as error:
        raise Malformed("timestamp is not a Unix time") from error
    now = timezone.now()
    if moment < now - OLDEST:
        raise Malformed("timestamp older than the platform keeps retrying")
    return min(moment, now)


def _text_message(item: dict[str, Any], names: dict[str, str]) -> WhatsAppText | None:
    number, wamid = item.get("from"), item.get("id")
    if not isinstance(number, str) or not isinstance(wamid, str) or not wamid or not whatsapp_digits(number):
        raise Malformed("a message without its number or id")
    at = _moment(item.get("timestamp"))
    if item.get("type") != "text":
        return None
    text = _dict(item.get("text"), "text").get("body")
    if not isinstance(text, str):
        raise Malformed("a text message without its text")
    return WhatsAppText(
        number=whatsapp_digits(number),
        name=names.get(number, "")[:150],
        wamid=wamid[:255],
        at=at,
        text=text.replace("\x00", "")[:MAX_TEXT],  # PostgreSQL keeps no NUL character in text
    )


def text_messages(payload: Any) -> list[WhatsAppText]:
    """The text messages of a webhook body; raises Malformed when it is not of the documented form."""
    payload = _dict(payload, "the body")
    if payload.get("object") != "whatsapp_business_account":
        raise Malformed("not a WhatsApp Business Account event")
    found: list[WhatsAppText] = []
    for entry in _list(payload.get("entry"), "entry"):
        for change in _list(_dict(entry, "entry").get("changes"), "changes"):
            value = _dict(_dict(change, "change").get("value", {}), "value")
            names = {
                str(contact.get("wa_id", "")): str(_dict(contact.get("profile", {}), "profile").get("name", ""))
                for contact in (_dict(c, "contact") for c in _list(value.get("contacts"), "contacts"))
            }
            for item in _list(value.get("messages"), "messages"):
                if (message := _text_message(_dict(item, "message"), names)) is not None:
                    found.append(message)
    return found


def all_known(messages: list[WhatsAppText]) -> bool:
    return bool(messages) and all(message_known(channel=Channel.WHATSAPP, message_id=m.wamid) for m in messages)


def open_request_for(number: str, now: dt.datetime) -> ServiceRequest | None:
    """The number's request still open: not final, not discarded, and with a message lately."""
    since = now - dt.timedelta(days=settings.SIMKERMA_WHATSAPP_OPEN_DAYS)
    return (
        ServiceRequest.objects.filter(requester_whatsapp=number, discarded_at__isnull=True)
        .exclude(stage__in=FINAL_STAGES)
        .annotate(last_message=Coalesce(Max("conversation__at"), "received_at"))
        .filter(last_message__gte=since)
        .order_by("-last_message", "-pk")
        .first()
    )


def take_text(message: WhatsAppText) -> RequestMessage | ServiceRequest | None:
    """Record one message: it joins the number's open request or opens one; None when known already."""
    incoming = IncomingMessage(
        channel=Channel.WHATSAPP,
        sender=f"{message.name} (+{message.number})" if message.name else f"+{message.number}",
        body=message.text,
        message_id=message.wamid,
        at=message.at,
    )
    if (request := open_request_for(message.number, timezone.now())) is not None:
        return request_message_receive(request=request, message=incoming)
    first_line = message.text.strip().splitlines()[0] if message.text.strip() else ""
    data = ServiceRequestData(
        channel=Channel.WHATSAPP,
        kind=RequestKind.OTHER,
        subject=(first_line[:120] or _("WhatsApp message")),
        requester_name=message.name or f"+{message.number}",
        requester_whatsapp=message.number,
        received_at=message.at,
        message=message.text,
    )
    return service_request_open_from_message(data=data, message=incoming)
