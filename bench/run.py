"""Every benchmark, and docs/performance.md written from what they measured (`make bench`).

    .venv/bin/python bench/run.py                     # everything (about an hour the first time)
    .venv/bin/python bench/run.py --steps pages,docs  # some steps only

On SQLite, and on PostgreSQL when BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432)
answers, in order:

1. seed: `manage.py seed_benchmark --scale small` and `--scale large`, each into its own database
   (SQLite under var/bench/<database>-<scale>/, PostgreSQL simkerma_bench_<scale>); kept and reused
   while the seeding module is unchanged, new migrations applied (`--reseed` builds them again);
2. pages: every main page, API list and the KPI computation at both scales (bench/bench_pages.py);
3. load: Locust against gunicorn (bench/load.py): 100 users for 60 s, the large data on PostgreSQL
   and the small data on SQLite;
4. workbook: the 10,000-row workbook imported and exported (bench/bench_workbook.py; `--full` adds
   the 600,000-row one, about 40 minutes on SQLite), and the export of each seeded database;
5. reports: the LKPS export in the large seeded data (bench/bench_reports.py);
6. docs: the sections "Targets", "Pages, API and KPIs", "Under load" and "Export of the seeded
   data" of docs/performance.md, and the two benchmarks' own sections.

Figures are kept under var/bench/results/ and never committed; `--steps docs` writes the page
again from them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_workbook import machine  # noqa: E402 (after the path is set)
from bench.docs_sections import CAPACITY_USERS, RESULTS, SCALES, VAR, docs  # noqa: E402

PYTHON = sys.executable
STEPS = ("seed", "pages", "load", "workbook", "reports", "docs")
LOCUST = os.environ.get("BENCH_LOCUST", str(ROOT / "var" / "bench-venv" / "bin" / "locust"))


def _postgres() -> str:
    """The PostgreSQL server's URL (without a database), or "" when none answers."""
    url = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    try:
        import psycopg

        with psycopg.connect(f"{url}/postgres", connect_timeout=5):
            return url
    except Exception as error:
        print(f"PostgreSQL at {url} does not answer ({error}); measuring SQLite only.", flush=True)
        return ""


def engines() -> list[str]:
    return ["sqlite", "postgresql"] if _postgres() else ["sqlite"]


def env_for(engine: str, scale: str) -> dict[str, str]:
    directory = VAR / f"{engine}-{scale}"
    directory.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SIMKERMA_VAR_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    if engine == "postgresql":
        env["DATABASE_URL"] = f"{_postgres()}/simkerma_bench_{scale}"
    return env


def _fingerprint() -> str:
    """What the seeded data depends on: the seeding module. Migrations added since are applied
    to the kept database, as on a deployment."""
    return hashlib.sha256((ROOT / "simkerma" / "site" / "seeding.py").read_bytes()).hexdigest()[:16]


def _analyze(env: dict[str, str]) -> None:
    """On PostgreSQL, what a running server's autovacuum does in time after a bulk load: the
    planner's statistics."""
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def seed(engine: str, scale: str, *, again: bool) -> dict[str, Any]:
    env = env_for(engine, scale)
    directory = Path(env["SIMKERMA_VAR_DIR"])
    stamp = directory / "seeded.json"
    if stamp.exists() and not again:
        known = json.loads(stamp.read_text())
        if known.get("fingerprint") == _fingerprint():
            print(f"{engine} {scale}: seeded before, reused (migrations applied)", flush=True)
            _manage(env, "migrate", "--noinput", "--verbosity", "0")
            _analyze(env)
            _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
            return known
    if engine == "postgresql":
        import psycopg

        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        with psycopg.connect(f"{_postgres()}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        for path in directory.glob("simkerma.sqlite3*"):
            path.unlink()
    stamp.unlink(missing_ok=True)
    print(f"{engine} {scale}: migrating and seeding", flush=True)
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    start = time.monotonic()
    _manage(env, "seed_benchmark", "--scale", scale)
    seconds = time.monotonic() - start
    _analyze(env)
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    known = {"fingerprint": _fingerprint(), "seconds": round(seconds), "at": dt.datetime.now(dt.UTC).isoformat()}
    stamp.write_text(json.dumps(known))
    return known


def pages(engine: str, scale: str, repeat: int) -> None:
    out = RESULTS / f"pages-{engine}-{scale}.json"
    print(f"{engine} {scale}: pages", flush=True)
    subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "bench" / "bench_pages.py"), "--out", str(out), "--repeat", str(repeat)],
        cwd=ROOT,
        env=env_for(engine, scale),
        check=True,
    )
    data = json.loads(out.read_text())
    data["machine"] = machine()
    data["measured"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out.write_text(json.dumps(data, indent=1))


def load(engine: str, scale: str, users: int, seconds: int, *, name: str = "", workers: int = 2) -> None:
    out = RESULTS / f"load-{engine}-{scale}{name}.json"
    print(f"{engine} {scale}: load, {users} users for {seconds} s", flush=True)
    before = machine()
    subprocess.run(  # noqa: S603
        [
            PYTHON,
            str(ROOT / "bench" / "load.py"),
            "--locust",
            LOCUST,
            "--out",
            str(out),
            "--users",
            str(users),
            "--seconds",
            str(seconds),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env_for(engine, scale),
        check=True,
    )
    data = json.loads(out.read_text())
    data["machine"] = before
    data["scale"] = scale
    data["measured"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out.write_text(json.dumps(data, indent=1))


def export(engine: str, scale: str) -> None:
    """`manage.py export_workbook` of a seeded database, in a process of its own: wall and CPU
    time and peak resident memory (wait4's ru_maxrss; this process never loads Django)."""
    env = env_for(engine, scale)
    path = Path(env["SIMKERMA_VAR_DIR"]) / "export.xlsx"
    print(f"{engine} {scale}: workbook export", flush=True)
    start = time.monotonic()
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "export_workbook", str(path), "--force", "--no-progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"export_workbook failed ({engine} {scale})")
    result = {
        "seconds": round(time.monotonic() - start, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mib": round(usage.ru_maxrss / 1024),
        "bytes": path.stat().st_size,
        "machine": machine(),
        "measured": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    (RESULTS / f"export-{engine}-{scale}.json").write_text(json.dumps(result, indent=1))


def workbook(engine: str, full: bool) -> None:
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    if engine == "postgresql":
        env["DATABASE_URL"] = f"{_postgres()}/simkerma_bench_workbook"
    sizes = "10k,600k" if full else "10k"
    subprocess.run([PYTHON, str(ROOT / "bench" / "bench_workbook.py"), "--sizes", sizes], env=env, check=True)  # noqa: S603


def reports(engine: str) -> None:
    """The LKPS export in the large seeded database."""
    env = env_for(engine, "large")
    env["BENCH_SEEDED"] = env["SIMKERMA_VAR_DIR"]
    subprocess.run([PYTHON, str(ROOT / "bench" / "bench_reports.py")], env=env, check=True)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default=",".join(STEPS), help="Comma-separated: " + ", ".join(STEPS))
    parser.add_argument("--reseed", action="store_true", help="Build the seeded databases again.")
    parser.add_argument("--full", action="store_true", help="Also import the 600,000-row workbook.")
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page.")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--capacity-users",
        type=int,
        default=CAPACITY_USERS,
        help="A second PostgreSQL run with this many users (0: none): users waiting 1 s can ask fewer "
        "than `users` requests a second, so the 100 requests/s target needs more users than 100.",
    )
    parser.add_argument("--engines", default="", help="Comma-separated: sqlite, postgresql (default: both)")
    parser.add_argument("--scales", default=",".join(SCALES), help="Comma-separated: small, large")
    args = parser.parse_args()
    steps = args.steps.split(",")
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    found = engines()
    if args.engines:
        found = [engine for engine in found if engine in args.engines.split(",")]
    scales = [scale for scale in SCALES if scale in args.scales.split(",")]
    started = time.monotonic()
    for engine in found:
        for scale in scales:
            if "seed" in steps:
                seed(engine, scale, again=args.reseed)
            if "pages" in steps:
                pages(engine, scale, args.repeat)
    if "load" in steps:
        if "postgresql" in found:
            # As deployed on PostgreSQL (docs/deployment.md): 2 x cores + 1 sync workers.
            workers = 2 * (os.cpu_count() or 1) + 1
            load("postgresql", "large", args.users, args.seconds, workers=workers)
            if args.capacity_users:
                load("postgresql", "large", args.capacity_users, args.seconds, name="-capacity", workers=workers)
        load("sqlite", "small", args.users, args.seconds)
    for engine in found:
        if "workbook" in steps:
            workbook(engine, args.full)
            for scale in SCALES:
                export(engine, scale)
        if "reports" in steps:
            reports(engine)
    if "docs" in steps:
        docs(found)
    print(f"done in {(time.monotonic() - started) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
