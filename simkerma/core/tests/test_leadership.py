"""The worker lock on PostgreSQL: one worker leads, another stands by until the lock is free."""

import contextlib
import datetime as dt
import email
import io
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from simkerma.core import notices
from simkerma.core.leadership import LOCK_KEY, Leadership
from simkerma.core.models import Notice
from simkerma.core.notices import notice_plan
from simkerma.core.registry import Registry

ROOT = Path(__file__).resolve().parents[3]

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")


@pytest.fixture
def holders():
    made = []

    def holder():
        made.append(Leadership())
        return made[-1]

    yield holder
    for each in made:
        each.release()


def lock_holders():
    """The backend pids that hold the worker lock, as pg_locks shows them."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((classid::bigint << 32) | objid::bigint) = %s",
            [LOCK_KEY],
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_pid(holder):
    with holder.connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@postgresql
@pytest.mark.django_db(transaction=True)
def test_one_holder_gets_the_lock_and_the_other_only_once_it_is_released(holders):
    first, second = holders(), holders()
    assert first.exclusive is True

    assert first.acquire() is True
    assert second.acquire() is False
    assert (first.held(), second.held()) == (True, False)
    assert second.connection is None  # a standby keeps no connection open between its tries
    assert lock_holders() == [backend_pid(first)]

    first.release()
    assert first.held() is False
    assert second.acquire() is True
    assert second.held() is True
    assert lock_holders() == [backend_pid(second)]
    assert first.acquire() is False


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_lock_is_free_once_its_connection_is_closed(holders):
    first, second = holders(), holders()
    assert first.acquire() is True
    first.connection.close()  # what the end of the process does to its session

    assert second.acquire() is True
    assert first.held() is False
    assert first.connection is None


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_leader_whose_lock_connection_died_finds_out_at_its_next_check(holders):
    leader, standby = holders(), holders()
    assert leader.acquire() is True
    pid = backend_pid(leader)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True

    assert leader.held() is False
    assert leader.connection is None
    # Its session is gone with its lock: another worker takes it, and the old leader is the standby.
    deadline = time.monotonic() + 10
    while not standby.acquire():
        assert time.monotonic() < deadline, "the terminated session still holds the lock"
    assert leader.acquire() is False


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite case")
@pytest.mark.django_db
def test_sqlite_has_no_lock_and_every_worker_leads(holders):
    first, second = holders(), holders()
    assert first.exclusive is False
    assert (first.acquire(), second.acquire()) == (True, True)
    assert (first.held(), second.held()) == (True, True)
    assert (first.connection, second.connection) == (None, None)


class Lines:
    """What a process writes to its stdout, read line by line with a deadline."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.fd = process.stdout.fileno()
        self.buffer = b""
        self.seen: list[str] = []

    def until(self, wanted, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                self.seen.append(line.decode())
                if wanted(self.seen[-1]):
                    return self.seen[-1]
            left = deadline - time.monotonic()
            assert left > 0, f"not seen in time; the worker said {self.seen}"
            readable, _, _ = select.select([self.fd], [], [], left)
            if readable:
                chunk = os.read(self.fd, 4096)
                assert chunk, f"the worker ended; it said {self.seen}"
                self.buffer += chunk


def database_url() -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


@contextlib.contextmanager
def loop_worker(
    tmp_path: Path, *args: str, settings_module: str, **env: str
) -> Iterator[tuple[subprocess.Popen, Lines]]:
    """`manage.py simkerma_worker --loop *args` on the test database, with its output as Lines;
    killed at the end if it is still running."""
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "simkerma_worker", "--loop", *args],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url(),
            "SIMKERMA_VAR_DIR": str(tmp_path),
            "PYTHONUNBUFFERED": "1",
            **env,
        },
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker, Lines(worker)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        assert worker.stdout is not None
        worker.stdout.close()


def delivered(outbox: Path) -> list[str]:
    """The first line of every notice body the mail server got, sorted."""
    bodies = []
    for path in outbox.iterdir():
        message = email.message_from_bytes(path.read_bytes())
        part = message.get_payload(0) if message.is_multipart() else message
        bodies.append(part.get_payload(decode=True).decode().splitlines()[0])
    return sorted(body for body in bodies if body.startswith("body "))


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_second_worker_stands_by_while_the_lock_is_held_and_takes_over_once_it_is_free(holders, tmp_path):
    notice_plan(
        key="lead-1",
        kind="test",
        subject="Notice 1",
        body="body lead-1",
        due_at=timezone.now() - dt.timedelta(minutes=1),
        email="lead@mitra.id",
        office_hours=False,
    )
    leader = holders()
    assert leader.acquire() is True
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    with loop_worker(
        tmp_path,
        "--interval",
        "1",
        settings_module="simkerma.core.tests.settings_fault",
        SIMKERMA_TEST_OUTBOX=str(outbox),
        SIMKERMA_WORKER_STANDBY_SECONDS="0.2",
    ) as (worker, lines):
        said = lines.until(lambda line: line.startswith("standby:"))
        assert said == "standby: another worker holds the worker lock; asking again every 0.2 s"
        # It runs nothing while it stands by.
        assert lines.seen == [said]
        assert delivered(outbox) == []
        assert Notice.objects.get(key="lead-1").claimed_at is None

        leader.release()
        assert lines.until(lambda line: line.startswith("leader:")) == "leader: holds the worker lock"
        ran = lines.until(lambda line: line.startswith("planned "))
        assert ran.endswith(", sent 1")
        assert lines.seen.count(said) == 1  # it said once that it stood by
        assert delivered(outbox) == ["body lead-1"]
        assert Notice.objects.get(key="lead-1").sent_at is not None
        assert len(lock_holders()) == 1
        assert leader.acquire() is False

        worker.send_signal(signal.SIGTERM)
        assert lines.until(lambda line: line == "stopped") == "stopped"
        assert worker.wait(timeout=10) == 0
        assert lock_holders() == []


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_standby_worker_stops_at_once_on_sigterm(holders, tmp_path):
    leader = holders()
    assert leader.acquire() is True
    with loop_worker(tmp_path, settings_module="config.settings_test", SIMKERMA_WORKER_STANDBY_SECONDS="600") as (
        worker,
        lines,
    ):
        assert lines.until(lambda line: line.startswith("standby:")).endswith("every 600 s")
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert lines.until(lambda line: line == "stopped") == "stopped"
        assert worker.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
        assert lines.seen[-2:] == ["standby: another worker holds the worker lock; asking again every 600 s", "stopped"]


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_lost_its_lock_connection_stops_and_asks_for_the_lock_again(monkeypatch, settings):
    monkeypatch.setattr(notices, "_planners", Registry("planner"))
    settings.SIMKERMA_WORKER_JOB_POLL_SECONDS = 0.05
    runs = []

    def planner(now):
        runs.append(lock_holders())
        if len(runs) == 1:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", runs[0])
        else:
            os.kill(os.getpid(), signal.SIGTERM)

    notices.register_planner(planner)
    out = io.StringIO()
    call_command("simkerma_worker", "--loop", "--interval", "60", stdout=out)

    # The job poll found the lock connection dead, ended the wait, and the worker took the lock
    # again on a new session before its next run.
    assert len(runs) == 2
    assert len(runs[0]) == 1 and len(runs[1]) == 1
    assert runs[0] != runs[1]
    assert out.getvalue().splitlines() == [
        "leader: holds the worker lock",
        "planned 0 notice(s), sent 0",
        "leader: holds the worker lock",
        "planned 0 notice(s), sent 0",
        "stopped",
    ]
    assert lock_holders() == []
