"""The worker, stopped at one point of taking the message whose subject is SIMKERMA_TEST_BLOCK_SUBJECT,
for a fault test to kill it there (simkerma.core.tests.blocking_mail.say_reached):

- `recording`: its request and message are saved, in the transaction, not yet committed;
- `recorded`: committed, and the message not yet flagged as seen in the mailbox.

Run as `python -m simkerma.intake.tests.killable_worker recording|recorded`.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main(point: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import post_save

    from simkerma.core.tests.blocking_mail import say_reached
    from simkerma.intake import imap
    from simkerma.intake.mail import parse_mail
    from simkerma.servicedesk.messages import RequestMessage

    block = os.environ["SIMKERMA_TEST_BLOCK_SUBJECT"]
    if point == "recording":

        def saved(sender: Any, instance: RequestMessage, created: bool, **kwargs: Any) -> None:
            if created and instance.subject == block:
                say_reached(point)

        post_save.connect(saved, sender=RequestMessage, weak=False)
    elif point == "recorded":
        take = imap.take_message

        def take_then_stop(raw: bytes, *args: Any) -> None:
            take(raw, *args)
            if parse_mail(raw).subject == block:
                say_reached(point)

        imap.take_message = take_then_stop  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown point {point}")
    call_command("simkerma_worker")


if __name__ == "__main__":
    main(sys.argv[1])
