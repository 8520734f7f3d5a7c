import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from simkerma.core.concurrency import submission_tokens_purge
from simkerma.core.notices import run_once
from simkerma.core.staging import staging_sweep


class Command(BaseCommand):
    help = "Plan and send every reminder and notice that is due. With --loop, keep doing so."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs in --loop mode.")

    def handle(self, *args: Any, loop: bool = False, interval: int = 60, **options: Any) -> None:
        while True:
            planned, sent = run_once()
            self.stdout.write(f"planned {planned} notice(s), sent {sent}")
            submission_tokens_purge()
            staging_sweep()
            if not loop:
                return
            close_old_connections()
            time.sleep(interval)
