"""The load run: gunicorn serving a seeded database, Locust's users against it, headless on loopback.

    .venv/bin/python bench/load.py --locust var/bench-venv/bin/locust --out var/bench/results/load-sqlite-small.json

Reads the database the settings name (DATABASE_URL, or SQLite under SIMKERMA_VAR_DIR), filled by
`manage.py seed_benchmark`. Prepares what the users need (accounts of each role with a live session,
one account to log in with, an API token, ids to visit: bench/locustfile.py), starts gunicorn as
`make run` does (DEBUG off, the sync workers), runs Locust for `--seconds` with `--users` users
each waiting 1 s between requests, and writes the error rate, the response times and the
throughput, overall and per request, with the server's CPU time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(path: Path) -> dict[str, Any]:
    """The plan file bench/locustfile.py reads: sessions by role, a login, a token and ids."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.test import Client

    from simkerma.accounts.models import Role, User
    from simkerma.activities.models import Activity
    from simkerma.agreements.models import Agreement
    from simkerma.api.data import TokenData
    from simkerma.api.services import token_create
    from simkerma.org.models import Unit
    from simkerma.partners.models import Partner
    from simkerma.servicedesk.models import ServiceRequest

    unit = Unit.objects.filter(kind=Unit.Kind.JURUSAN).order_by("code")[1]
    sessions: dict[str, list[str]] = {}
    for role, count in ((Role.STAF, 20), (Role.KOORDINATOR, 10), (Role.PIMPINAN, 5)):
        sessions[role] = []
        for i in range(count):
            user, _ = User.objects.get_or_create(
                username=f"load-{role}-{i}",
                defaults={"role": role, "unit": unit if role == Role.KOORDINATOR else None},
            )
            client = Client()
            client.force_login(user)
            sessions[role].append(client.cookies["sessionid"].value)
    password = secrets.token_urlsafe(16)
    login, _ = User.objects.get_or_create(username="load-login", defaults={"role": Role.STAF})
    login.set_password(password)
    login.save()
    staff = User.objects.get(username="load-staf-0")
    issued = token_create(user=staff, data=TokenData(name=f"load {time.time_ns()}", read_only=True))

    def sample(model: Any, count: int = 200) -> list[int]:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        step = max(1, len(ids) // count)
        return ids[::step][:count]

    plan = {
        "sessions": sessions,
        "login": {"username": login.username, "password": password},
        "token": issued.secret,
        "unit": unit.pk,
        "partners": Partner.objects.count(),
        "ids": {
            "agreement": sample(Agreement),
            "activity": sample(Activity),
            "partner": sample(Partner),
            "request": sample(ServiceRequest),
        },
    }
    path.write_text(json.dumps(plan))
    return plan


def _wait_until_up(url: str, server: subprocess.Popen[bytes], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within {limit:.0f} s")


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the processes, from /proc (clock ticks)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(path.parent.name))
    return found


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def run(*, locust: str, users: int, seconds: int, workers: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="simkerma-load-"))
    plan_file = work / "plan.json"
    prepare(plan_file)
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    # As behind the reverse proxy of docs/deployment.md: each user's address comes in
    # X-Forwarded-For, so the per-address limits of the public pages count each user apart.
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SIMKERMA_BASE_URL": host,
        "SIMKERMA_TRUSTED_PROXY_COUNT": "1",
    }
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn)
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("wb"),
    )
    try:
        _wait_until_up(host + "/publik/", server)
        pids = [server.pid, *_children(server.pid)]
        load_before = os.getloadavg()[0]
        cpu_before = _cpu_seconds(pids)
        started = time.monotonic()
        subprocess.run(  # noqa: S603 (Locust from the benchmark's environment)
            [
                locust,
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "BENCH_LOAD_FILE": str(plan_file)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(work / "locust.log").open("wb"),
        )
        wall = time.monotonic() - started
        server_cpu = _cpu_seconds(pids) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader((work / "load_stats.csv").open()))
    if not rows:
        raise SystemExit(f"Locust wrote no statistics; see {work / 'locust.log'}")
    requests = {}
    for row in rows:
        requests[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": _number(row["Median Response Time"]),
            "p95_ms": _number(row["95%"]),
            "p99_ms": _number(row["99%"]),
            "mean_ms": round(_number(row["Average Response Time"]), 1),
            "max_ms": round(_number(row["Max Response Time"]), 1),
            "per_s": round(_number(row["Requests/s"]), 1),
        }
    total = requests.pop("Aggregated")
    failed = work / "load_failures.csv"
    failures = list(csv.DictReader(failed.open())) if failed.exists() else []
    return {
        "users": users,
        "seconds": seconds,
        "workers": workers,
        "total": total,
        "error_rate": round(total["failures"] / total["requests"], 4) if total["requests"] else 1.0,
        "requests": requests,
        "failures": [{"name": f["Name"], "error": f["Error"][:200], "count": int(f["Occurrences"])} for f in failures],
        "server_cpu_s_per_s": round(server_cpu / wall, 2),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locust", required=True, help="The locust executable (bench/requirements.txt).")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers (make run: 2).")
    args = parser.parse_args()
    result = run(locust=args.locust, users=args.users, seconds=args.seconds, workers=args.workers)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: result[k] for k in ("total", "error_rate", "server_cpu_s_per_s")}))


if __name__ == "__main__":
    main()
