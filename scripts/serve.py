"""Run the web server and the worker together and stop them together.

Usage: serve.py -- WEB_COMMAND... -- WORKER_COMMAND...

Both commands start as child processes. SIGINT or SIGTERM is passed on to both;
when either child exits, the other is stopped. The exit status is the first
non-zero status of a child (0 when both ended cleanly).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

STOP_TIMEOUT = 10.0


def split_commands(argv: list[str]) -> list[list[str]]:
    commands: list[list[str]] = []
    for arg in argv:
        if arg == "--":
            commands.append([])
        elif commands:
            commands[-1].append(arg)
    commands = [c for c in commands if c]
    if len(commands) != 2:
        raise SystemExit("usage: serve.py -- WEB_COMMAND... -- WORKER_COMMAND...")
    return commands


def stop(children: list[subprocess.Popen[bytes]], sig: int = signal.SIGTERM) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(sig)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main(argv: list[str]) -> int:
    commands = split_commands(argv)
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)

    first_status: int | None = None
    while first_status is None:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            break
        for child in children:
            if child.pid == pid:
                child.returncode = os.waitstatus_to_exitcode(wait_status)
                first_status = child.returncode
    stop(children)
    # A child ended by a signal we sent (forwarded, or the stop after its partner
    # exited) stopped cleanly; any other non-zero status is the answer.
    if first_status and not (received and first_status < 0):
        return first_status if first_status > 0 else 128 - first_status
    for child in children:
        if child.returncode and child.returncode > 0:
            return child.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
