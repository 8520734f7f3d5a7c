import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from simkerma.core.concurrency import submission_tokens_purge
from simkerma.core.notices import notices_prune, run_once
from simkerma.core.staging import staging_sweep

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


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
        self.stop = threading.Event()
        if not loop:
            self.run_step()
            return
        previous = {number: signal.signal(number, self.on_signal) for number in STOP_SIGNALS}
        try:
            while not self.stop.is_set():
                self.run_step()
                close_old_connections()
                # Returns at once when a stop signal sets the event.
                self.stop.wait(interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write("stopped")

    def run_step(self) -> None:
        planned, sent = run_once(stop=self.stop)
        self.stdout.write(f"planned {planned} notice(s), sent {sent}")
        for tidy in (submission_tokens_purge, staging_sweep, notices_prune):
            if self.stop.is_set():
                return
            tidy()

    def on_signal(self, number: int, frame: FrameType | None) -> None:
        # Set from another thread: the handler runs in the main thread, which may hold the event's
        # lock at that moment (inside wait()), and setting it here could then never return.
        threading.Thread(target=self.stop.set, daemon=True).start()
