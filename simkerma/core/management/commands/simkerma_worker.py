import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from simkerma.core.concurrency import submission_tokens_purge
from simkerma.core.notices import notices_prune, run_once
from simkerma.core.staging import staging_sweep

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _WakeUp(Exception):
    """Raised by the signal handler to end the wait between runs at once."""


class Command(BaseCommand):
    help = (
        "Plan and send every reminder and notice that is due, then tidy up (expired form tokens, staged "
        "uploads, old sent notices). With --loop, keep doing so until SIGTERM or SIGINT, which end it "
        "after the notice or step in hand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs in --loop mode.")

    def handle(self, *args: Any, loop: bool = False, interval: int = 60, **options: Any) -> None:
        # Set by the signal handler and only read here (is_set takes no lock), so the handler can
        # never wait for a lock the interrupted main thread holds.
        self.stop = threading.Event()
        self.waiting = False
        if not loop:
            self.run_step()
            return
        previous = {number: signal.signal(number, self.on_signal) for number in STOP_SIGNALS}
        try:
            while not self.stop.is_set():
                try:
                    self.run_step()
                    close_old_connections()
                    self.wait(interval)
                except _WakeUp:  # a signal in the moment the wait ends
                    pass
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write("stopped")

    def wait(self, seconds: int) -> None:
        """Sleep until the next run; a stop signal ends the sleep at once.

        A sleep is interrupted by a signal, and the handler raises to end it; a wait on a lock is
        not reliably interrupted, so the loop does not wait on the event.
        """
        self.waiting = True
        try:
            if not self.stop.is_set():
                time.sleep(seconds)
        except _WakeUp:
            pass
        finally:
            self.waiting = False

    def run_step(self) -> None:
        planned, sent = run_once(stop=self.stop)
        self.stdout.write(f"planned {planned} notice(s), sent {sent}")
        for tidy in (submission_tokens_purge, staging_sweep, notices_prune):
            if self.stop.is_set():
                return
            tidy()

    def on_signal(self, number: int, frame: FrameType | None) -> None:
        self.stop.set()
        if self.waiting:
            raise _WakeUp
