"""An e-mail intake killed with SIGKILL in the middle of a message, then restarted, makes one
request per message and sends one receipt for each."""

import email
import json

import pytest

from simkerma.core.tests.faults import WorkerProcess
from simkerma.intake.tests.conftest import TestMailbox as OfficeMailbox
from simkerma.intake.tests.mails import mail

SENDERS = ("Budi <budi@example.org>", "Sari <sari@example.com>", "Joko <joko@example.net>")

STATE = """
import json
from simkerma.servicedesk.messages import RequestMessage
from simkerma.servicedesk.models import ServiceRequest
print(json.dumps({
    "requests": sorted(ServiceRequest.objects.values_list("requester_email", flat=True)),
    "messages": RequestMessage.objects.count(),
    "ids": RequestMessage.objects.values("message_id").distinct().count(),
}))
"""

# What the passing of the mailbox lease does.
LEASE_PASSES = """
from django.utils import timezone
from simkerma.intake.models import MailboxState
assert MailboxState.objects.filter(lease_until__gt=timezone.now()).update(lease_until=timezone.now()) == 1
"""


@pytest.fixture
def office(dovecot_server, tmp_path):
    box = OfficeMailbox(dovecot_server)
    box.empty()
    worker = WorkerProcess(
        tmp_path,
        SIMKERMA_IMAP_HOST=dovecot_server.host,
        SIMKERMA_IMAP_PORT=str(dovecot_server.port),
        SIMKERMA_IMAP_SECURITY="none",
        SIMKERMA_IMAP_USER=dovecot_server.user,
        SIMKERMA_IMAP_PASSWORD=dovecot_server.password,
    )
    for n, sender in enumerate(SENDERS, start=1):
        box.deliver(mail(sender=sender, subject=f"Permohonan {n}", body=f"Isi permohonan {n}."))
    yield box, worker
    box.empty()


def state(worker):
    return json.loads(worker.python(STATE).strip().splitlines()[-1])


def receipts_to(worker):
    """Who got a receipt: every message the mail server got is one (the requests have no staff yet)."""
    return sorted(email.message_from_bytes(path.read_bytes())["To"] for path in worker.outbox.iterdir())


@pytest.mark.parametrize(
    ("point", "recorded_before_the_kill"),
    [("recording", ["budi@example.org"]), ("recorded", ["budi@example.org", "sari@example.com"])],
)
def test_an_intake_killed_in_the_middle_of_a_message_takes_each_message_once(office, point, recorded_before_the_kill):
    box, worker = office
    said = worker.kill_when_reached(
        point, module="simkerma.intake.tests.killable_worker", SIMKERMA_TEST_BLOCK_SUBJECT="Permohonan 2"
    )
    assert said == point
    killed = state(worker)
    assert killed["requests"] == recorded_before_the_kill
    # Only the first message was flagged as seen; the one in hand was not.
    assert [("\\Seen" in flags) for flags in box.flags()] == [True, False, False]

    # Restarted at once: the dead worker's lease on the mailbox still holds, so nothing is read.
    worker.run("simkerma_worker")
    assert state(worker) == killed

    worker.python(LEASE_PASSES)
    worker.run("simkerma_worker")
    worker.run("simkerma_worker")
    after = state(worker)
    assert after["requests"] == ["budi@example.org", "joko@example.net", "sari@example.com"]
    assert after["messages"] == after["ids"] == 3
    assert [("\\Seen" in flags) for flags in box.flags()] == [True, True, True]
    assert receipts_to(worker) == ["budi@example.org", "joko@example.net", "sari@example.com"]
