"""The office mailbox, read by the worker each minute (docs/intake.md).

Each message is taken once: its Message-ID is recorded with the request (unique per channel), so
a restart or a second worker never makes two requests, and a taken or skipped message is flagged
as seen (or moved to the done folder) in the mailbox, never deleted. Its received time is the
mailbox's arrival time (INTERNALDATE), not the sender's Date header.

A mailbox that is down or refuses the login is tried again after 1, 2, 4 ... minutes, and the
administrators get one alert for the outage, not one a minute.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.mailbox import BaseMailBox

from simkerma.accounts.models import Role, User
from simkerma.core.notices import notice_plan
from simkerma.intake.mail import ParsedMail, Skipped, parse_mail
from simkerma.intake.models import MailboxState
from simkerma.intake.senders import partner_for_sender
from simkerma.servicedesk.messages import RequestMessage
from simkerma.servicedesk.models import Channel, RequestKind, ServiceRequest
from simkerma.servicedesk.ratelimit import hit_key
from simkerma.servicedesk.replies import (
    CODE_IN_SUBJECT,
    IncomingMessage,
    message_known,
    request_message_receive,
    service_request_open_from_message,
)
from simkerma.servicedesk.services import ServiceRequestData

logger = logging.getLogger(__name__)

MAILBOX = "office"
LEASE = dt.timedelta(minutes=10)
# IMAP dates name the month in English, whatever the locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
INTERNAL_DATE = re.compile(
    r"(?P<day>\d{1,2})-(?P<month>[A-Za-z]{3})-(?P<year>\d{4}) (?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d) "
    r"(?P<sign>[+-])(?P<oh>\d\d)(?P<om>\d\d)"
)
FETCH_META = re.compile(rb'INTERNALDATE "([^"]+)"|RFC822\.SIZE (\d+)')


@dataclass
class RunResult:
    created: int = 0
    threaded: int = 0
    skipped: int = 0
    known: int = 0


def imap_configured() -> bool:
    return bool(settings.SIMKERMA_IMAP_HOST and settings.SIMKERMA_IMAP_USER)


@contextmanager
def office_mailbox() -> Iterator[BaseMailBox]:
    kind = {"ssl": MailBox, "starttls": MailBoxStartTls, "none": MailBoxUnencrypted}.get(
        settings.SIMKERMA_IMAP_SECURITY.lower(), MailBox
    )
    box = kind(settings.SIMKERMA_IMAP_HOST, port=settings.SIMKERMA_IMAP_PORT, timeout=settings.SIMKERMA_IMAP_TIMEOUT)
    with box.login(settings.SIMKERMA_IMAP_USER, settings.SIMKERMA_IMAP_PASSWORD, settings.SIMKERMA_IMAP_FOLDER):
        yield box


def internal_date(text: str) -> dt.datetime | None:
    """An IMAP date-time ("02-Dec-2026 13:33:00 +0700") as an aware moment; None when it is not one."""
    found = INTERNAL_DATE.fullmatch(text.strip())
    if not found or found["month"].title() not in MONTHS:
        return None
    day, year, hour, minute, second = (int(found[key]) for key in ("day", "year", "h", "m", "s"))
    offset = dt.timedelta(hours=int(found["oh"]), minutes=int(found["om"])) * (-1 if found["sign"] == "-" else 1)
    try:
        local = dt.datetime(year, MONTHS.index(found["month"].title()) + 1, day, hour, minute, second)
    except ValueError:
        return None
    return local.replace(tzinfo=dt.timezone(offset))


def _meta(box: BaseMailBox, uid: str) -> tuple[dt.datetime | None, int]:
    """The message's arrival time (INTERNALDATE) and size, read before its content is fetched."""
    _status, data = box.client.uid("fetch", uid, "(INTERNALDATE RFC822.SIZE)")
    line = b" ".join(item if isinstance(item, bytes) else b" ".join(item) for item in data if item)
    arrived, size = None, 0
    for date, length in FETCH_META.findall(line):
        if date:
            arrived = internal_date(date.decode())
        if length:
            size = int(length)
    return arrived, size


def _content(box: BaseMailBox, uid: str) -> bytes:
    _status, data = box.client.uid("fetch", uid, "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return bytes(item[1])
    raise Skipped("the server returned no content")


def _done(box: BaseMailBox, uid: str) -> None:
    if folder := settings.SIMKERMA_IMAP_DONE_FOLDER:
        if not box.folder.exists(folder):
            box.folder.create(folder)
        box.move(uid, folder)
    else:
        box.flag(uid, "\\Seen", True)


def _thread(mail: ParsedMail) -> ServiceRequest | None:
    if mail.references:
        known = (
            RequestMessage.objects.filter(message_id__in=mail.references)
            .select_related("request")
            .order_by("-at", "-pk")
            .first()
        )
        if known:
            return known.request
    if found := CODE_IN_SUBJECT.search(mail.subject):
        return ServiceRequest.objects.filter(code=found.group(0)).first()
    return None


def _incoming(mail: ParsedMail, arrived: dt.datetime) -> IncomingMessage:
    body = mail.body
    if mail.refused_files:
        body += "\n\n" + _("Attachments not kept (type, size or number): %(names)s") % {
            "names": ", ".join(mail.refused_files)
        }
    return IncomingMessage(
        channel=Channel.EMAIL,
        sender=f"{mail.name} <{mail.address}>" if mail.name else mail.address,
        subject=mail.subject,
        body=body,
        message_id=mail.message_id,
        at=arrived,
        files=mail.files,
    )


def _new_request(mail: ParsedMail, message: IncomingMessage) -> ServiceRequest | None:
    partner = partner_for_sender(mail.address)
    data = ServiceRequestData(
        channel=Channel.EMAIL,
        kind=RequestKind.OTHER,
        subject=mail.subject or _("(no subject)"),
        requester_name=mail.name or mail.address,
        requester_email=mail.address,
        requester_organisation=partner.name if partner else "",
        received_at=message.at,
        message=message.body,
        from_partner=partner is not None,
        partner=partner,
    )
    # Anyone can put any address in From: receipts to one address are limited as the public form's are.
    receipt = hit_key(
        mail.address,
        scope="receipt-to",
        limit=int(settings.SIMKERMA_RECEIPTS_PER_RECIPIENT),
        window=int(settings.SIMKERMA_RECEIPT_WINDOW),
    )
    return service_request_open_from_message(data=data, message=message, send_receipt=receipt)


def take_message(raw: bytes, arrived: dt.datetime, result: RunResult) -> None:
    """Take one message: a reply joins its request's conversation, any other becomes a request."""
    mail = parse_mail(raw)
    if message_known(channel=Channel.EMAIL, message_id=mail.message_id):
        result.known += 1
        return
    # A clock that says the message arrived later than now is wrong: it arrived by now at the latest.
    message = _incoming(mail, min(arrived, timezone.now()))
    if (request := _thread(mail)) is not None:
        if request_message_receive(request=request, message=message) is not None:
            result.threaded += 1
    elif _new_request(mail, message) is not None:
        result.created += 1


def _take_one(box: BaseMailBox, uid: str, result: RunResult) -> None:
    arrived, size = _meta(box, uid)
    try:
        if size > settings.SIMKERMA_IMAP_MAX_MESSAGE_BYTES:
            raise Skipped(f"{size} bytes, over the limit of {settings.SIMKERMA_IMAP_MAX_MESSAGE_BYTES}")
        take_message(_content(box, uid), arrived or timezone.now(), result)
    except (Skipped, ValidationError) as reason:  # not to be taken, or refused by the request's rules
        logger.warning("mail %s skipped: %s", uid, reason)
        result.skipped += 1
    _done(box, uid)


def search_criteria() -> str:
    """Unseen mail, or all of the folder when taken mail moves out of it; since SIMKERMA_IMAP_SINCE if set."""
    criteria = "ALL" if settings.SIMKERMA_IMAP_DONE_FOLDER else "UNSEEN"
    if since := settings.SIMKERMA_IMAP_SINCE:
        day = dt.date.fromisoformat(since)
        criteria += f" SINCE {day.day}-{MONTHS[day.month - 1]}-{day.year}"
    return criteria


def read_mailbox(box: BaseMailBox) -> RunResult:
    """Take every new message (at most SIMKERMA_IMAP_BATCH a run); one that fails is logged and left."""
    result = RunResult()
    criteria = search_criteria()
    for uid in box.uids(criteria)[: settings.SIMKERMA_IMAP_BATCH]:
        try:
            _take_one(box, uid, result)
        except (OSError, imaplib.IMAP4.abort):  # the connection itself broke: the run ends here
            raise
        except Exception:
            logger.exception("mail %s could not be taken; it is tried again next run", uid)
    return result


def _claim(now: dt.datetime) -> MailboxState | None:
    state, _created = MailboxState.objects.get_or_create(name=MAILBOX)
    taken = (
        MailboxState.objects.filter(pk=state.pk)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )
    return MailboxState.objects.get(pk=state.pk) if taken else None


def backoff(failures: int) -> dt.timedelta:
    seconds = min(60 * 2 ** min(failures - 1, 20), settings.SIMKERMA_IMAP_MAX_BACKOFF_SECONDS)
    return dt.timedelta(seconds=seconds)


def _alert_down(state: MailboxState) -> None:
    assert state.down_since is not None
    since = timezone.localtime(state.down_since).strftime("%Y-%m-%d %H:%M")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The office mailbox cannot be read")
        body = _(
            "Simkerma could not read the mailbox %(user)s at %(host)s since %(since)s (WIB): %(error)s\n\n"
            "E-mail requests are not taken in until it answers again. The worker keeps trying, less and "
            "less often; there is no further alert for this outage."
        ) % {
            "user": settings.SIMKERMA_IMAP_USER,
            "host": settings.SIMKERMA_IMAP_HOST,
            "since": since,
            "error": state.last_error[:500],
        }
    for user in User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"):
        notice_plan(
            key=f"intake.imap_down:{state.down_since:%Y%m%dT%H%M%S}:{user.pk}",
            kind="intake_imap_down",
            subject=subject,
            body=body,
            due_at=state.down_since,
            recipient=user,
        )


def _failed(state: MailboxState, now: dt.datetime, error: BaseException) -> None:
    state.failures += 1
    state.last_error = f"{type(error).__name__}: {error}"[:2000]
    state.next_attempt_at = now + backoff(state.failures)
    first = state.down_since is None
    state.down_since = state.down_since or now
    state.lease_until = None
    state.save()
    logger.warning("office mailbox not read (%s failure(s)): %s", state.failures, state.last_error)
    if first:
        _alert_down(state)


def poll_mailbox(*, now: dt.datetime | None = None) -> RunResult | None:
    """Read the mailbox once if it is due; None when it is not configured, not due or held by another worker."""
    if not imap_configured():
        return None
    now = now or timezone.now()
    state = _claim(now)
    if state is None:
        return None
    try:
        with office_mailbox() as box:
            result = read_mailbox(box)
    except Exception as error:  # down, refused the login, or the connection broke
        _failed(state, now, error)
        return None
    MailboxState.objects.filter(pk=state.pk).update(
        failures=0, down_since=None, next_attempt_at=None, lease_until=None, last_error="", last_success_at=now
    )
    return result


def plan_mail_intake(now: dt.datetime) -> None:
    poll_mailbox(now=now)
