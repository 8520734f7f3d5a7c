"""The supervisor behind `make run`: web server and worker start and stop together."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

SERVE = Path(__file__).resolve().parents[3] / "scripts" / "serve.py"
# One write of a whole line, so the two children's lines never interleave in the shared pipe.
SLEEPER = [sys.executable, "-c", "import sys, time; sys.stdout.write('up\\n'); sys.stdout.flush(); time.sleep(60)"]


def start(*commands):
    argv = [sys.executable, str(SERVE)]
    for command in commands:
        argv += ["--", *command]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)  # noqa: S603


def children_of(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def gone(pid):
    return not Path(f"/proc/{pid}").exists()


def test_sigterm_stops_both_children_and_exits_cleanly():
    serve = start(SLEEPER, SLEEPER)
    assert serve.stdout.readline() == "up\n"
    assert serve.stdout.readline() == "up\n"
    kids = children_of(serve.pid)
    assert len(kids) == 2
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=15) == 0
    assert all(gone(pid) for pid in kids)


def test_a_failing_child_stops_the_other_and_gives_its_status():
    serve = start(SLEEPER, [sys.executable, "-c", "import sys; sys.exit(3)"])
    assert serve.wait(timeout=15) == 3


@pytest.mark.parametrize("argv", [[], ["--", "true"]])
def test_it_needs_two_commands(argv):
    result = subprocess.run([sys.executable, str(SERVE), *argv], capture_output=True, text=True)  # noqa: S603
    assert result.returncode != 0
    assert "usage" in result.stderr
