"""The conversation of a request: messages taken in from e-mail or WhatsApp, and answers sent.

An answer sent by e-mail leaves from the office address with the request's code in its subject
and its Message-ID recorded, so the requester's reply threads back to the request. A WhatsApp
answer is written here and sent by staff through a click-to-chat link; it is recorded when they
confirm it went. Either way, the moment it left is the moment the clock stops.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.core.staging import StagedFiles
from simkerma.core.text import mail_subject
from simkerma.servicedesk.messages import Direction, Purpose, RequestAttachment, RequestMessage
from simkerma.servicedesk.models import Channel, ServiceRequest
from simkerma.servicedesk.permissions import can_handle_requests
from simkerma.servicedesk.services import (
    ServiceRequestData,
    service_request_create,
    service_request_follow_up,
    service_request_respond,
)

# A request's code as it stands in a subject: "[LYN-2026-0042] Re: ...".
CODE_IN_SUBJECT = re.compile(r"\bLYN-\d{4}-\d{4,}\b")
REFERENCES_KEPT = 10


@dataclasses.dataclass(frozen=True, kw_only=True)
class IncomingFile:
    """An attachment whose content was checked already (type and size, as every upload)."""

    name: str
    content: bytes
    content_type: str
    sha256: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class IncomingMessage:
    channel: str
    sender: str
    body: str
    message_id: str
    at: dt.datetime
    subject: str = ""
    files: tuple[IncomingFile, ...] = ()


class _Taken(Exception):
    """The message was recorded by someone else meanwhile: nothing of this attempt is kept."""


def message_known(*, channel: str, message_id: str) -> bool:
    return bool(message_id) and RequestMessage.objects.filter(channel=channel, message_id=message_id).exists()


def _stage(message: IncomingMessage, staged: StagedFiles) -> list[RequestAttachment]:
    rows = []
    for item in message.files:
        row = RequestAttachment(
            original_name=item.name[:255] or "file",
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
        )
        staged.stage(row.file, row.original_name, ContentFile(item.content))
        rows.append(row)
    return rows


def _record(request: ServiceRequest, message: IncomingMessage, files: list[RequestAttachment]) -> RequestMessage:
    try:
        with transaction.atomic():
            row = RequestMessage.objects.create(
                request=request,
                direction=Direction.IN,
                channel=message.channel,
                sender=message.sender[:255],
                subject=message.subject[:255],
                body=message.body,
                message_id=message.message_id[:255],
                at=message.at,
            )
    except IntegrityError as error:  # another worker took the same message a moment ago
        raise _Taken from error
    for attachment in files:
        attachment.message = row
        attachment.save()
    return row


def service_request_open_from_message(
    *, data: ServiceRequestData, message: IncomingMessage, send_receipt: bool = True
) -> ServiceRequest | None:
    """A new request from a message, with the message as its conversation's first; None when the
    message was taken already. The request, its message and its files are saved together or not at all."""
    if message_known(channel=message.channel, message_id=message.message_id):
        return None
    with StagedFiles() as staged:
        files = _stage(message, staged)
        try:
            with transaction.atomic():
                request = service_request_create(data=data, send_receipt=send_receipt)
                _record(request, message, files)
                staged.publish()
        except _Taken:
            return None
    return request


def request_message_receive(*, request: ServiceRequest, message: IncomingMessage) -> RequestMessage | None:
    """Add a message to a request's conversation; None when it was recorded already."""
    if message_known(channel=message.channel, message_id=message.message_id):
        return None
    with StagedFiles() as staged:
        files = _stage(message, staged)
        try:
            with transaction.atomic():
                row = _record(request, message, files)
                staged.publish()
        except _Taken:
            return None
    return row


def whatsapp_digits(number: str) -> str:
    """The number in international form, digits only: "0812-3456" is read as Indonesian (62812...)."""
    digits = "".join(ch for ch in number if ch.isascii() and ch.isdigit())
    if number.strip().startswith("0") and not number.strip().startswith("00"):
        return "62" + digits[1:]
    return digits.removeprefix("00")


def whatsapp_link(number: str, text: str) -> str:
    """WhatsApp's click-to-chat link that opens a chat with the number, the text filled in."""
    return f"https://wa.me/{whatsapp_digits(number)}?text={quote(text, safe='')}"


def _check_answer(request: ServiceRequest, purpose: str, body: str, user: Any) -> str:
    if not can_handle_requests(user):
        raise PermissionDenied
    body = body.strip()
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _("Write the answer.")
    if purpose == Purpose.RESPONSE and request.responded_at is not None:
        errors["purpose"] = _("The first response is recorded already.")
    if purpose == Purpose.FOLLOWUP and request.followup_due_at is None:
        errors["purpose"] = _("Only a partner's request has a follow-up clock.")
    elif purpose == Purpose.FOLLOWUP and request.followed_up_at is not None:
        errors["purpose"] = _("The follow-up is recorded already.")
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose what the answer is.")
    if errors:
        raise ValidationError(errors)
    return body


def _close_clock(request: ServiceRequest, purpose: str, at: dt.datetime, body: str, user: Any) -> None:
    if purpose == Purpose.RESPONSE:
        service_request_respond(request=request, at=at, note=body, user=user)
    elif purpose == Purpose.FOLLOWUP:
        service_request_follow_up(request=request, at=at, note=body, user=user)


def office_address() -> str:
    return settings.DEFAULT_FROM_EMAIL


def _subject(request: ServiceRequest) -> str:
    last = request.conversation.filter(channel=Channel.EMAIL).exclude(subject="").order_by("-at", "-pk").first()
    base = (last.subject if last else "") or request.subject
    base = CODE_IN_SUBJECT.sub("", base).replace("[]", "").strip()
    if not base.lower().startswith("re:"):
        base = f"Re: {base}"
    return mail_subject(f"[{request.code}] {base}")


def _thread_headers(request: ServiceRequest, message_id: str) -> dict[str, str]:
    known = list(
        request.conversation.filter(channel=Channel.EMAIL)
        .exclude(message_id="")
        .order_by("-at", "-pk")
        .values_list("message_id", "direction")[:REFERENCES_KEPT]
    )
    headers = {"Message-ID": message_id}
    if known:
        incoming = [mid for mid, direction in known if direction == Direction.IN]
        headers["In-Reply-To"] = incoming[0] if incoming else known[0][0]
        headers["References"] = " ".join(mid for mid, _direction in reversed(known))
    return headers


def request_answer_by_email(*, request: ServiceRequest, purpose: str, body: str, user: Any) -> RequestMessage:
    """Send the answer to the requester from the office address; the moment it leaves is recorded.

    The mail goes out before anything is recorded, so a refused mail records nothing.
    """
    body = _check_answer(request, purpose, body, user)
    if not request.requester_email:
        raise ValidationError({"body": _("This request has no e-mail address to answer to.")})
    domain = parseaddr(office_address())[1].rpartition("@")[2] or "localhost"
    message_id = make_msgid(domain=domain)
    subject = _subject(request)
    email = EmailMessage(
        subject=subject,
        body=body,
        from_email=office_address(),
        to=[request.requester_email],
        headers=_thread_headers(request, message_id),
    )
    try:
        email.send(fail_silently=False)
    except Exception as error:  # the mail server refused or is out of reach: nothing is recorded
        raise ValidationError({"body": _("The mail could not be sent: %(error)s") % {"error": error}}) from error
    sent_at = timezone.now()
    with transaction.atomic():
        row = RequestMessage.objects.create(
            request=request,
            direction=Direction.OUT,
            channel=Channel.EMAIL,
            purpose=purpose,
            sender=office_address()[:255],
            recipient=request.requester_email,
            subject=subject,
            body=body,
            message_id=message_id,
            at=sent_at,
            sent_by=user,
        )
        _close_clock(request, purpose, sent_at, body, user)
    return row


def whatsapp_answer_problem(request: ServiceRequest) -> str | None:
    if not whatsapp_digits(request.requester_whatsapp):
        return _("This request has no WhatsApp number to answer to.")
    return None


def request_answer_by_whatsapp(*, request: ServiceRequest, purpose: str, body: str, user: Any) -> RequestMessage:
    """Staff confirm that they sent the answer through WhatsApp: it is recorded at this moment."""
    body = _check_answer(request, purpose, body, user)
    if problem := whatsapp_answer_problem(request):
        raise ValidationError({"body": problem})
    sent_at = timezone.now()
    with transaction.atomic():
        row = RequestMessage.objects.create(
            request=request,
            direction=Direction.OUT,
            channel=Channel.WHATSAPP,
            purpose=purpose,
            recipient=f"+{whatsapp_digits(request.requester_whatsapp)}",
            body=body,
            at=sent_at,
            sent_by=user,
        )
        _close_clock(request, purpose, sent_at, body, user)
    return row
