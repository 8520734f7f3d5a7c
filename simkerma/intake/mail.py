"""Reading one e-mail: who sent it, what it says, its files, and whether it is to be taken at all.

Auto-replies, bounces and mailing-list mail are not requests: a message with Auto-Submitted (other
than "no"), Precedence bulk, list or junk, a List-Id, a delivery report, or from the postmaster or
the mailer daemon is skipped. So is a message that cannot be read: no sender, an unknown charset,
a broken structure. Everything read is bounded: the body's length, the number of files, each file's
size (the upload limit) and type (the same content checks as every other upload).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.html import strip_tags

from simkerma.archive.uploads import check_evidence
from simkerma.servicedesk.replies import IncomingFile

logger = logging.getLogger(__name__)

MACHINE_SENDERS = frozenset({"mailer-daemon", "postmaster", "noreply-dmarc-support"})
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


class Skipped(Exception):
    """The message is not taken; the text says why (for the log)."""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    address: str
    name: str
    subject: str
    body: str
    references: tuple[str, ...] = ()
    files: tuple[IncomingFile, ...] = ()
    refused_files: tuple[str, ...] = field(default=())

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].lower()


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception as error:  # a header that the parser cannot decode
        raise Skipped(f"unreadable {name} header") from error
    return str(value or "").strip()


def _check_machine_mail(message: Message, address: str) -> None:
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        raise Skipped(f"Auto-Submitted: {auto}")
    if _header(message, "Precedence").lower() in BULK_PRECEDENCE:
        raise Skipped("Precedence: bulk, list or junk")
    if _header(message, "List-Id") or _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        raise Skipped("mailing list or automatic reply")
    if message.get_content_type() == "multipart/report":
        raise Skipped("delivery report")
    if address.partition("@")[0].lower() in MACHINE_SENDERS:
        raise Skipped(f"machine sender {address}")


def _sender(message: Message) -> tuple[str, str]:
    raw = _header(message, "From")
    if not raw:
        raise Skipped("no From")
    pairs = [(name, address) for name, address in getaddresses([raw]) if "@" in address]
    if not pairs:
        raise Skipped("no address in From")
    name, address = pairs[0]
    return name.strip()[:150], address.strip().lower()[:254]


def _message_id(message: Message, raw: bytes) -> str:
    found = MESSAGE_ID.search(_header(message, "Message-ID"))
    # A message without one is known by its content, so a second run still recognises it.
    return found.group(0) if found else f"<sha256-{hashlib.sha256(raw).hexdigest()}@simkerma>"


def _references(message: Message) -> tuple[str, ...]:
    found = MESSAGE_ID.findall(f"{_header(message, 'In-Reply-To')} {_header(message, 'References')}")
    return tuple(dict.fromkeys(found))[-20:]


def _text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except LookupError as error:
        raise Skipped(f"unknown charset {part.get_content_charset()}") from error
    except Exception as error:
        raise Skipped(f"unreadable body: {error}") from error
    if not isinstance(content, str):
        raise Skipped("body is not text")
    return strip_tags(content) if part.get_content_type() == "text/html" else content


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    # PostgreSQL keeps no NUL character in text.
    text = _text(part).replace("\x00", "").replace("\r\n", "\n").strip()
    limit = int(settings.SIMKERMA_IMAP_MAX_BODY_CHARS)
    return text if len(text) <= limit else text[:limit].rstrip() + "\n[…]"


def _files(message: EmailMessage) -> tuple[tuple[IncomingFile, ...], tuple[str, ...]]:
    kept: list[IncomingFile] = []
    refused: list[str] = []
    limit = int(settings.SIMKERMA_IMAP_MAX_ATTACHMENTS)
    for part in message.iter_attachments():
        name = (part.get_filename() or "file")[:255]
        if len(kept) >= limit:
            refused.append(name)
            continue
        try:
            content = part.get_payload(decode=True) or b""
            if not isinstance(content, bytes):
                raise TypeError("not a file")
            checked = check_evidence(ContentFile(content, name=name))
        except Exception as error:  # refused by the checks (ValidationError), or unreadable
            logger.info("attachment %s not kept: %s", name, error)
            refused.append(name)
            continue
        kept.append(IncomingFile(name=name, content=content, content_type=checked.content_type, sha256=checked.sha256))
    return tuple(kept), tuple(refused)


def parse_mail(raw: bytes) -> ParsedMail:
    """The message as a request or a reply; raises Skipped for one that is not to be taken."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:
        raise Skipped(f"unparsable message: {error}") from error
    assert isinstance(message, EmailMessage)
    try:
        return _read(message, raw)
    except Skipped:
        raise
    except Exception as error:  # a structure the parser could not make sense of
        raise Skipped(f"unreadable message: {type(error).__name__}: {error}") from error


def _read(message: EmailMessage, raw: bytes) -> ParsedMail:
    name, address = _sender(message)
    _check_machine_mail(message, address)
    if address == settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip().lower():
        raise Skipped("sent by the office itself")
    subject = " ".join(_header(message, "Subject").split())[:255]
    body = _body(message)
    files, refused = _files(message)
    return ParsedMail(
        message_id=_message_id(message, raw),
        address=address,
        name=name,
        subject=subject,
        body=body,
        references=_references(message),
        files=files,
        refused_files=refused,
    )
