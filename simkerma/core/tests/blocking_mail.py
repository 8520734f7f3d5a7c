"""A mail backend for the fault tests, used by a worker process the test starts and kills.

Each message is written to its own file in SIMKERMA_TEST_OUTBOX (the mail server has it). When its
subject is SIMKERMA_TEST_BLOCK_SUBJECT, the backend then says so on the FIFO SIMKERMA_TEST_REACHED
and waits on the FIFO SIMKERMA_TEST_RELEASE, which no one writes: the process is in the middle of
sending until the test kills it.
"""

from __future__ import annotations

import os
import smtplib
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


def say_reached(what: str) -> None:
    """Tell the test the process got here, then wait until it is killed."""
    with open(os.environ["SIMKERMA_TEST_REACHED"], "w") as reached:
        reached.write(what + "\n")
    with open(os.environ["SIMKERMA_TEST_RELEASE"]) as release:
        release.read()


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        outbox = Path(os.environ["SIMKERMA_TEST_OUTBOX"])
        for message in email_messages:
            (outbox / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
            if message.subject == os.environ.get("SIMKERMA_TEST_BLOCK_SUBJECT"):
                say_reached(message.subject)
        return len(email_messages)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPDataError(554, b"refused")
