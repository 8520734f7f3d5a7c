"""A worker killed with SIGKILL in the middle of sending, then restarted, loses no notice and doubles none."""

import json

from simkerma.core.tests.faults import WorkerProcess

SETUP = """
import datetime as dt
from django.utils import timezone
from simkerma.accounts.models import Role, User
from simkerma.core.notices import notice_plan
User.objects.create(username="admin", email="admin@polibatam.ac.id", role=Role.ADMIN)
due = timezone.now() - dt.timedelta(minutes=1)
for n in range(1, 5):
    at = due + dt.timedelta(seconds=n)
    notice_plan(key=f"n{n}", kind="test", subject=f"Notice {n}", body=f"body n{n}", due_at=at, email=f"n{n}@mitra.id")
"""

STATE = """
import json
from simkerma.core.models import Notice
print(json.dumps({n.key: [n.sent_at is not None, n.attempts, n.last_error] for n in Notice.objects.order_by("key")}))
"""

# What the passing of the claim lease does: the claims that were made age past it.
LEASE_PASSES = """
from django.db.models import F
from simkerma.core.models import Notice
from simkerma.core.notices import CLAIM_LEASE
import datetime as dt
Notice.objects.exclude(claimed_at=None).update(claimed_at=F("claimed_at") - CLAIM_LEASE - dt.timedelta(seconds=1))
"""


def notice_mail(worker):
    return [body for body in worker.delivered() if body.startswith("body ")]


def state(worker):
    return json.loads(worker.python(STATE).strip().splitlines()[-1])


def test_a_worker_killed_while_sending_neither_loses_nor_doubles_a_notice(tmp_path):
    worker = WorkerProcess(tmp_path)
    worker.python(SETUP)

    said = worker.kill_when_reached("simkerma_worker", SIMKERMA_TEST_BLOCK_SUBJECT="Notice 2")
    assert said == "Notice 2"
    # The mail server has notice 1 (sent and marked) and notice 2 (handed over, never marked).
    assert worker.delivered() == ["body n1", "body n2"]
    before = state(worker)
    assert before["n1"][:2] == [True, 1]
    assert before["n2"][:2] == [False, 1]
    assert before["n3"] == [False, 0, ""] and before["n4"] == [False, 0, ""]

    # Restarted at once: the rest go, and the one in flight is left alone while its claim holds.
    worker.run("simkerma_worker")
    assert worker.delivered() == ["body n1", "body n2", "body n3", "body n4"]
    assert state(worker)["n2"][:2] == [False, 1]

    # Once the claim has run out, the notice whose outcome is unknown is held, not sent again.
    worker.python(LEASE_PASSES)
    worker.run("simkerma_worker")
    worker.run("simkerma_worker")
    # The notices' own mail; the administrators' alert keeps office hours (sent at once in working
    # time, at the next opening otherwise), so it is checked below as planned, whatever the hour.
    assert notice_mail(worker) == ["body n1", "body n2", "body n3", "body n4"]
    after = state(worker)
    assert [after[key][0] for key in ("n1", "n3", "n4")] == [True, True, True]
    sent, attempts, reason = after["n2"]
    assert (sent, attempts) == (False, 5)
    assert reason.startswith("outcome unknown: the worker ")
    # The administrator is told which notice to check.
    alerts = [key for key in after if key.startswith("core.notice_unknown:")]
    assert len(alerts) == 1


def test_a_notice_the_mail_server_refused_is_sent_after_the_lease(tmp_path):
    worker = WorkerProcess(tmp_path)
    worker.python(SETUP)
    worker.run("simkerma_worker", SIMKERMA_TEST_REFUSE="1")
    refused = state(worker)
    assert all(not refused[f"n{n}"][0] and refused[f"n{n}"][1] == 1 for n in range(1, 5))

    worker.python(LEASE_PASSES)
    worker.run("simkerma_worker")
    assert worker.delivered() == ["body n1", "body n2", "body n3", "body n4"]
    assert all(value[0] for key, value in state(worker).items() if key.startswith("n"))
