import contextlib
import os
import select
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from simkerma.core.concurrency import submission_tokens_purge
from simkerma.core.jobs import poll_seconds, run_jobs
from simkerma.core.leadership import Leadership
from simkerma.core.notices import notices_prune, run_once, worker_id
from simkerma.core.staging import staging_sweep

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopFlag:
    """Whether a stop signal came. A plain flag: the signal handler may set it while the main
    thread is anywhere, and no lock can be held at that moment (an Event could deadlock)."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


class Command(BaseCommand):
    help = (
        "Plan and send every reminder and notice that is due, run the queued background jobs (workbook "
        "imports), then tidy up (expired form tokens, staged uploads, old sent notices). With --loop, keep "
        "doing so until SIGTERM or SIGINT, which end it after the notice, job or step in hand; between "
        "runs it looks for queued jobs every SIMKERMA_WORKER_JOB_POLL_SECONDS. On PostgreSQL a --loop worker works "
        "only while it holds the worker lock; without it, it stands by and asks again every "
        "SIMKERMA_WORKER_STANDBY_SECONDS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs in --loop mode.")

    def handle(self, *args: Any, loop: bool = False, interval: int = 60, **options: Any) -> None:
        self.stop = StopFlag()
        if not loop:
            self.run_step()
            return
        # The wait between runs watches a pipe that the interpreter writes to the moment a signal
        # arrives, so a signal just before the wait begins ends it too.
        self.wakeup, wakeup_in = os.pipe()
        for fd in (self.wakeup, wakeup_in):
            os.set_blocking(fd, False)
        previous_fd = signal.set_wakeup_fd(wakeup_in)
        previous = {number: signal.signal(number, self.on_signal) for number in STOP_SIGNALS}
        self.leadership = Leadership()
        try:
            while self.lead():
                self.run_step()
                close_old_connections()
                self.wait(interval)
        finally:
            self.leadership.release()
            for number, handler in previous.items():
                signal.signal(number, handler)
            signal.set_wakeup_fd(previous_fd)
            os.close(self.wakeup)
            os.close(wakeup_in)
        self.stdout.write("stopped")

    def lead(self) -> bool:
        """Whether to run now: True while this worker holds the worker lock (or the database has
        none); otherwise it stands by, asking for the lock again every SIMKERMA_WORKER_STANDBY_SECONDS
        until it gets it (True) or a stop signal comes (False)."""
        if self.stop.is_set():
            return False
        if self.leadership.held():
            return True
        standing_by = False
        while not self.stop.is_set():
            if self.leadership.acquire():
                if self.leadership.exclusive:
                    self.stdout.write("leader: holds the worker lock")
                return True
            if not standing_by:
                seconds = settings.SIMKERMA_WORKER_STANDBY_SECONDS
                self.stdout.write(f"standby: another worker holds the worker lock; asking again every {seconds:g} s")
                standing_by = True
            self.wait(settings.SIMKERMA_WORKER_STANDBY_SECONDS, jobs=False)
        return False

    def wait(self, seconds: float, *, jobs: bool = True) -> None:
        """Wait until the next run, running queued jobs every poll_seconds() while the worker still
        holds its lock (once it does not, the wait ends); a stop signal ends the wait at once (a job in
        hand runs to its end first). With jobs=False, only wait."""
        deadline = time.monotonic() + seconds
        poll = poll_seconds() if jobs else seconds
        next_poll = time.monotonic() + poll
        while not self.stop.is_set() and (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.wakeup], [], [], max(0.0, min(left, next_poll - time.monotonic())))
            if readable:
                with contextlib.suppress(BlockingIOError):
                    # The interpreter writes each signal's number as it arrives, before its handler runs.
                    if any(number in STOP_SIGNALS for number in os.read(self.wakeup, 512)):
                        self.stop.set()
            elif jobs and time.monotonic() >= next_poll and not self.stop.is_set():
                if not self.leadership.held():
                    return
                self.run_jobs()
                close_old_connections()
                next_poll = time.monotonic() + poll

    def run_jobs(self) -> None:
        if ran := run_jobs(worker_id(), stop=self.stop):
            self.stdout.write(f"ran {ran} job(s)")

    def run_step(self) -> None:
        planned, sent = run_once(stop=self.stop)
        self.stdout.write(f"planned {planned} notice(s), sent {sent}")
        if not self.stop.is_set():
            self.run_jobs()
        for tidy in (submission_tokens_purge, staging_sweep, notices_prune):
            if self.stop.is_set():
                return
            tidy()

    def on_signal(self, number: int, frame: FrameType | None) -> None:
        self.stop.set()
