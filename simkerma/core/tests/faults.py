"""A worker process that a fault test runs on its own SQLite file, stops in the middle of a step
(simkerma.core.tests.blocking_mail) and kills with SIGKILL."""

from __future__ import annotations

import email
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


class WorkerProcess:
    def __init__(self, tmp_path: Path, **extra: str) -> None:
        self.outbox = tmp_path / "outbox"
        self.outbox.mkdir()
        self.reached = tmp_path / "reached"
        self.release = tmp_path / "release"
        os.mkfifo(self.reached)
        os.mkfifo(self.release)
        self.log = tmp_path / "worker.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "simkerma.core.tests.settings_fault",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'fault.sqlite3'}",
            "SIMKERMA_VAR_DIR": str(tmp_path),
            "SIMKERMA_TEST_OUTBOX": str(self.outbox),
            "SIMKERMA_TEST_REACHED": str(self.reached),
            "SIMKERMA_TEST_RELEASE": str(self.release),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
        self.manage("migrate", "-v0")

    def manage(self, *args: str, **extra: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**self.env, **extra},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def python(self, code: str) -> str:
        """Run `code` in a shell on the worker's database; returns what it prints."""
        return self.manage("shell", "-c", code)

    def run(self, *args: str, **extra: str) -> str:
        """One worker run to its end."""
        return self.manage(*args, **extra)

    def kill_when_reached(self, *args: str, module: str = "", timeout: float = 60, **extra: str) -> str:
        """Start the worker (`manage.py args`, or `python -m module args`), wait until it says it is
        in the middle of its step, and SIGKILL it. Returns what it said it reached."""
        reader = os.open(self.reached, os.O_RDONLY | os.O_NONBLOCK)
        with open(self.log, "w") as log:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, *(["-m", module] if module else [str(ROOT / "manage.py")]), *args],
                env={**self.env, **extra},
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        try:
            said = b""
            while not said.endswith(b"\n"):
                readable, _, _ = select.select([reader], [], [], timeout)
                assert readable, f"the worker never got there: {self.log.read_text()}"
                chunk = os.read(reader, 512)
                assert chunk or process.poll() is None, f"the worker ended first: {self.log.read_text()}"
                said += chunk
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.close(reader)
        return said.decode().strip()

    def delivered(self) -> list[str]:
        """The first line of the body of every message the mail server got, sorted."""
        bodies = []
        for path in self.outbox.iterdir():
            message = email.message_from_bytes(path.read_bytes())
            part = next(iter(message.walk())) if not message.is_multipart() else message.get_payload(0)
            payload = part.get_payload(decode=True).decode()
            bodies.append(payload.splitlines()[0])
        return sorted(bodies)
