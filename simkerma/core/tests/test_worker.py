"""The worker: a failing planner, pruning, stop signals, a flat number of queries and the job runners."""

import datetime as dt
import io
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from simkerma.core import jobs as core_jobs
from simkerma.core import notices
from simkerma.core.management.commands import simkerma_worker as worker_command
from simkerma.core.models import Notice
from simkerma.core.registry import Registry

ROOT = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def own_planners(monkeypatch):
    """Only the planners a test registers."""
    monkeypatch.setattr(notices, "_planners", Registry("planner"))


def plan(key, *, now=NOW):
    return notices.notice_plan(key=key, kind="test", subject=key, body="Isi", due_at=now, email="a@b.id")


def sent_notice(key, *, sent_days_ago):
    sent_at = timezone.now() - dt.timedelta(days=sent_days_ago)
    return Notice.objects.create(key=key, kind="test", subject=key, body="", due_at=sent_at, sent_at=sent_at)


@pytest.mark.django_db
def test_a_failing_planner_is_logged_and_the_others_still_run(own_planners, caplog):
    def plan_first(now):
        plan("first")

    def broken(now):
        raise RuntimeError("planner broke")

    def plan_last(now):
        plan("last")

    notices.register_planner(plan_first)
    notices.register_planner(broken)
    notices.register_planner(plan_last)

    with caplog.at_level(logging.ERROR, logger="simkerma.core.notices"):
        planned, sent = notices.run_once(now=NOW)

    assert (planned, sent) == (2, 2)
    assert set(Notice.objects.values_list("key", flat=True)) == {"first", "last"}
    [record] = [r for r in caplog.records if r.exc_info]
    assert "broken" in record.getMessage()
    assert str(record.exc_info[1]) == "planner broke"


@pytest.mark.django_db
@override_settings(SIMKERMA_NOTICE_KEEP_DAYS=90)
def test_pruning_removes_only_old_sent_notices_a_batch_at_a_time():
    for n in range(3):
        sent_notice(f"old-{n}", sent_days_ago=91 + n)
    sent_notice("recent", sent_days_ago=89)
    Notice.objects.create(
        key="unsent", kind="test", subject="s", body="", due_at=timezone.now() - dt.timedelta(days=400)
    )

    assert notices.notices_prune(batch=2) == 2
    assert set(Notice.objects.values_list("key", flat=True)) == {"old-0", "recent", "unsent"}
    assert notices.notices_prune(batch=2) == 1
    assert notices.notices_prune(batch=2) == 0
    assert set(Notice.objects.values_list("key", flat=True)) == {"recent", "unsent"}


def test_notices_are_kept_at_least_as_long_as_the_longest_reminder(settings):
    longest = max(settings.SIMKERMA_AGREEMENT_REMINDER_DAYS + settings.SIMKERMA_ACTIVITY_REMINDER_DAYS)
    assert longest <= settings.SIMKERMA_NOTICE_KEEP_DAYS


@pytest.mark.django_db
def test_the_worker_prunes_old_sent_notices_on_each_run():
    sent_notice("old", sent_days_ago=800)
    sent_notice("recent", sent_days_ago=1)
    call_command("simkerma_worker", stdout=io.StringIO())
    assert list(Notice.objects.values_list("key", flat=True)) == ["recent"]


@pytest.mark.django_db
def test_one_run_takes_as_many_queries_with_many_sent_notices_as_with_few():
    def queries_for_one_run():
        with CaptureQueriesContext(connection) as captured:
            call_command("simkerma_worker", stdout=io.StringIO())
        return len(captured)

    for n in range(2):
        sent_notice(f"few-{n}", sent_days_ago=1)
    few = queries_for_one_run()
    for n in range(40):
        sent_notice(f"many-{n}", sent_days_ago=1)
    assert queries_for_one_run() == few


@pytest.mark.django_db
def test_sigterm_during_a_run_ends_the_loop_after_that_run(own_planners):
    runs = []

    def signalling_planner(now):
        runs.append(now)
        os.kill(os.getpid(), signal.SIGTERM)

    notices.register_planner(signalling_planner)
    handler_before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()
    started = time.monotonic()
    call_command("simkerma_worker", "--loop", "--interval", "60", stdout=out)

    assert time.monotonic() - started < 10
    assert len(runs) == 1
    assert out.getvalue().splitlines()[-1] == "stopped"
    assert signal.getsignal(signal.SIGTERM) == handler_before


@pytest.mark.django_db
def test_sigint_interrupts_the_wait_between_runs(own_planners, monkeypatch):
    waiting = threading.Event()

    def closed_then_waiting():
        waiting.set()  # what the loop does next is wait for the interval

    monkeypatch.setattr(worker_command, "close_old_connections", closed_then_waiting)

    main_thread = threading.get_ident()

    def interrupt_once_waiting():
        waiting.wait(10)
        # To the main thread, as a terminal's Ctrl-C reaches the single-threaded worker: a signal
        # the kernel hands to this thread would not wake the main thread's wait.
        signal.pthread_kill(main_thread, signal.SIGINT)

    threading.Thread(target=interrupt_once_waiting, daemon=True).start()
    out = io.StringIO()
    started = time.monotonic()
    call_command("simkerma_worker", "--loop", "--interval", "60", stdout=out)

    assert time.monotonic() - started < 10
    assert out.getvalue().splitlines()[-1] == "stopped"


def test_sigterm_stops_the_worker_process_cleanly(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "SIMKERMA_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    worker = subprocess.Popen(  # noqa: S603
        [*manage, "simkerma_worker", "--loop", "--interval", "60"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert worker.stdout.readline().startswith("planned 0 notice(s)")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0
        assert worker.stdout.read().strip().splitlines()[-1] == "stopped"
    finally:
        if worker.poll() is None:
            worker.kill()


@pytest.mark.django_db
def test_a_signal_just_before_the_wait_ends_it_too(own_planners, monkeypatch):
    def signalled_then_waiting():
        os.kill(os.getpid(), signal.SIGTERM)  # arrives as the loop is about to wait

    monkeypatch.setattr(worker_command, "close_old_connections", signalled_then_waiting)
    out = io.StringIO()
    started = time.monotonic()
    call_command("simkerma_worker", "--loop", "--interval", "60", stdout=out)

    assert time.monotonic() - started < 10
    assert out.getvalue().splitlines()[-2:] == ["planned 0 notice(s), sent 0", "stopped"]


@pytest.fixture
def own_runners(monkeypatch):
    """Only the job runners a test registers."""
    monkeypatch.setattr(core_jobs, "_runners", Registry("job runner"))


def queue_of(count, ran):
    """A runner with `count` jobs waiting: it runs one per call and records the worker's name."""
    left = [count]

    def runner(worker):
        if not left[0]:
            return False
        left[0] -= 1
        ran.append(worker)
        return True

    return runner


@pytest.mark.django_db
def test_every_runner_is_asked_until_none_has_a_job_left(own_runners, caplog):
    ran_a, ran_b = [], []
    core_jobs.register_job_runner("a", queue_of(3, ran_a))

    def broken(worker):
        raise RuntimeError("runner broke")

    core_jobs.register_job_runner("broken", broken)
    core_jobs.register_job_runner("b", queue_of(1, ran_b))

    with caplog.at_level(logging.ERROR, logger="simkerma.core.jobs"):
        assert core_jobs.run_jobs("w1") == 4

    assert (ran_a, ran_b) == (["w1"] * 3, ["w1"])
    [record] = [r for r in caplog.records if r.exc_info]
    assert "broken" in record.getMessage()
    assert core_jobs.run_jobs("w1") == 0


@pytest.mark.django_db
def test_a_stop_ends_the_jobs_after_the_one_in_hand(own_runners):
    stop = worker_command.StopFlag()
    ran = []
    queued = queue_of(5, ran)

    def run_then_stop(worker):
        stop.set()
        return queued(worker)

    core_jobs.register_job_runner("stopping", run_then_stop)
    assert core_jobs.run_jobs("w1", stop=stop) == 1
    assert len(ran) == 1


@pytest.mark.django_db
def test_one_run_runs_the_queued_jobs_too(own_planners, own_runners):
    ran = []
    core_jobs.register_job_runner("queue", queue_of(2, ran))
    out = io.StringIO()
    call_command("simkerma_worker", stdout=out)
    assert len(ran) == 2
    assert "ran 2 job(s)" in out.getvalue()


@pytest.mark.django_db
def test_the_wait_between_runs_runs_a_job_queued_meanwhile(own_planners, own_runners, settings):
    """The notices wait for the interval (60 s); a job queued after the run starts at the next poll."""
    settings.SIMKERMA_WORKER_JOB_POLL_SECONDS = 0
    asked = []

    def queued_during_the_wait(worker):
        asked.append(worker)
        if len(asked) == 1:  # asked by the run itself: nothing queued yet
            return False
        os.kill(os.getpid(), signal.SIGTERM)  # the job ran; end the loop here
        return len(asked) == 2

    core_jobs.register_job_runner("queue", queued_during_the_wait)
    out = io.StringIO()
    started = time.monotonic()
    call_command("simkerma_worker", "--loop", "--interval", "60", stdout=out)

    assert time.monotonic() - started < 10
    assert len(asked) == 2
    assert out.getvalue().splitlines()[-2:] == ["ran 1 job(s)", "stopped"]
