"""E-mails as a mail server would deliver them, for the intake tests."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid


def mail(
    *,
    sender: str = "Budi Santoso <budi@example.org>",
    subject: str = "Permohonan kerja sama magang",
    body: str = "Kami ingin menjajaki kerja sama magang mahasiswa.",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bytes:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = "kerjasama@polibatam.ac.id"
    message["Subject"] = subject
    message["Date"] = "Mon, 01 Jan 2024 08:00:00 +0700"  # the sender's clock, never the received time
    message["Message-ID"] = message_id or make_msgid(domain="example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content, mime in attachments or []:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def message_id_of(raw: bytes) -> str:
    for line in raw.split(b"\n"):
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    raise AssertionError("no Message-ID")
