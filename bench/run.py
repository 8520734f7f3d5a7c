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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_workbook import machine, replace_docs_section  # noqa: E402 (after the path is set)

PYTHON = sys.executable
VAR = ROOT / "var" / "bench"
RESULTS = VAR / "results"
SCALES = ("small", "large")
STEPS = ("seed", "pages", "load", "workbook", "reports", "docs")
LOCUST = os.environ.get("BENCH_LOCUST", str(ROOT / "var" / "bench-venv" / "bin" / "locust"))
# The targets.
RATIO, QUERIES, LOAD_P95_MS, LOAD_RPS, KPI_MS, IMPORT_S, LKPS_S, LKPS_MIB = 1.5, 20, 300, 100, 1000, 30, 5, 300
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Users waiting 1 s after each response ask at most `users / (1 s + response time)` requests a
# second: 100 users can never reach 100 requests/s. The second run's users are enough to ask 100.
CAPACITY_USERS = 120
LOAD_RUNS = (("postgresql", "large", ""), ("postgresql", "large", "-capacity"), ("sqlite", "small", ""))


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


# The page, from the stored results.


def _read(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def _read_var(name: str) -> dict[str, Any] | None:
    """The results the workbook and LKPS benchmarks keep beside their databases."""
    path = VAR / name
    return json.loads(path.read_text()) if path.exists() else None


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def _machine_line(results: Iterable[dict[str, Any]]) -> str:
    seen = [r["machine"] for r in results if r and "machine" in r]
    if not seen:
        return ""
    first = seen[0]
    loads = ", ".join(f"{m['load'][0]:.1f}" for m in seen)
    return (
        f"Machine: {first['cpu']}, {first['cores']} cores, {first['memory_gib']} GiB RAM, Python {first['python']}; "
        f"load average before each run: {loads}."
    )


def pages_section(found: list[str]) -> str:
    lines = [
        "## Pages, API and KPIs at two scales",
        "",
        "`bench/bench_pages.py` requests each page through the Django test client with DEBUG off, as the role",
        'that uses it, in the databases `manage.py seed_benchmark` filled (small and large, "Generated data"):',
        "two warm-up requests, one whose queries are counted, then the timed ones (median and p95). The",
        "ratio is the large scale's median over the small's (target ≤ 1.5); queries are per request",
        "(target ≤ 20). Pages built on cached figures are measured warm (the figures cached, as on every",
        "request but the first after a write) and cold (the data versions bumped, untimed, before each",
        "request: the figures computed and stored in the database cache). `kpi_report(2025)` is the KPI",
        "engine's call for one year, as `manage.py kpi`, the dashboard and the API make it.",
        "",
    ]
    for engine in found:
        small, large = _read(f"pages-{engine}-small.json"), _read(f"pages-{engine}-large.json")
        if not small or not large:
            continue
        counts = large["counts"]
        lines += [
            f"### {large['database']}",
            "",
            f"Large: {counts['partners']:,} partners, {counts['agreements']:,} agreements, "
            f"{counts['activities']:,} activities, {counts['service requests']:,} service requests; "
            f"small: {small['counts']['agreements']:,} agreements, {small['counts']['activities']:,} activities. "
            f"{large['repeat']} timed requests each. Measured {large['measured']}. {_machine_line([small, large])}",
            "",
            "| page | small ms (median / p95) | large ms (median / p95) | ratio | queries small / large "
            "| cold large ms | cold queries | cold ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, entry in large["results"].items():
            other = small["results"].get(label)
            if not other:
                continue
            lw, sw = entry["warm"], other["warm"]
            ratio = lw["median_ms"] / sw["median_ms"] if sw["median_ms"] else float("nan")
            flag = "**" if ratio > RATIO else ""
            qflag = "**" if lw["queries"] > QUERIES else ""
            cold = entry.get("cold")
            cold_cells = " | | "
            if cold and other.get("cold"):
                cold_ratio = cold["median_ms"] / other["cold"]["median_ms"]
                cq = f"**{cold['queries']}**" if cold["queries"] > QUERIES else str(cold["queries"])
                cold_cells = f" {_ms(cold['median_ms'])} | {cq} | {cold_ratio:.2f} "
            lines.append(
                f"| {label} | {_ms(sw['median_ms'])} / {_ms(sw['p95_ms'])} | {_ms(lw['median_ms'])} / "
                f"{_ms(lw['p95_ms'])} | {flag}{ratio:.2f}{flag} | {sw['queries']} / {qflag}{lw['queries']}{qflag} |"
                f"{cold_cells}|"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def load_section(found: list[str]) -> str:
    lines = [
        "## Under load",
        "",
        "`bench/load.py` starts gunicorn with DEBUG off and sync workers on a seeded database: on PostgreSQL",
        "as docs/deployment.md deploys it (2 × cores + 1 workers), on SQLite as `make run` does (2 workers);",
        "it runs Locust headless on loopback on the same machine (bench/locustfile.py): every user arrives",
        "with a live session, waits 1 s after each response and picks the next request from the office's",
        "mix (lists, details, searches, the home page, the service desk, the KPI dashboard, the public",
        "page, the API); one of the users instead logs in through the form every 10 s, hashing the",
        "password with Django's default hasher. Targets: p95 ≤ 300 ms, no errors, ≥ 100 requests/s. Users who wait",
        "1 s after each response ask at most users / (1 s + response time) requests a second, so 100 users",
        f"cannot ask 100 a second; a second run with {CAPACITY_USERS} users on PostgreSQL shows whether the server",
        "serves 100. Each user comes through one trusted proxy with an address of its own (X-Forwarded-For),",
        "as behind the reverse proxy of docs/deployment.md, so the public pages' per-address limits count",
        "each user apart. Server CPU is the gunicorn processes' CPU seconds per second of the run (2 would",
        "be both cores).",
        "",
    ]
    for engine, scale, name in LOAD_RUNS:
        run = _read(f"load-{engine}-{scale}{name}.json")
        if not run:
            continue
        total = run["total"]
        lines += [
            f"### {NAMES[engine]}, {scale} data, {run['users']} users",
            "",
            f"{run['users']} users for {run['seconds']} s, gunicorn with {run['workers']} workers. "
            f"Measured {run['measured']}; load average {run['load_before']} before, {run['load_after']} after.",
            "",
            f"- requests: {total['requests']:,}, failed: {total['failures']} "
            f"(error rate {run['error_rate'] * 100:.2f} %)",
            f"- throughput: {total['per_s']} requests/s (target ≥ {LOAD_RPS})",
            f"- response time: median {total['median_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms "
            f"(target ≤ {LOAD_P95_MS}), p99 {total['p99_ms']:.0f} ms",
            f"- server CPU: {run['server_cpu_s_per_s']} cores busy on average",
            "",
            "| request | count | median ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, row in sorted(run["requests"].items(), key=lambda item: -item[1]["requests"]):
            lines.append(
                f"| {name} | {row['requests']} | {row['median_ms']:.0f} | {row['p95_ms']:.0f} | {row['max_ms']:.0f} |"
            )
        for failure in run["failures"][:5]:
            lines.append(f"\nFailed: {failure['count']} × {failure['name']}: {failure['error']}")
        lines.append("")
    return "\n".join(lines) + "\n"


def export_section(found: list[str]) -> str:
    lines = [
        "## Export of the seeded data",
        "",
        "`manage.py export_workbook` of each seeded database (every sheet, all years), in a process of its",
        "own: wall time, CPU time and peak resident memory. One run each.",
        "",
        "| database | scale | seconds | CPU s | peak RSS MiB | XLSX MiB | measured |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for engine in found:
        for scale in SCALES:
            run = _read(f"export-{engine}-{scale}.json")
            if run:
                lines.append(
                    f"| {NAMES[engine]} | {scale} | {run['seconds']:,} | {run['cpu_seconds']:,} | {run['peak_mib']} "
                    f"| {run['bytes'] / 2**20:.1f} | {run['measured']} |"
                )
    return "\n".join(lines) + "\n\n"


def _worst(engine: str) -> tuple[float, str, float, str]:
    """The worst warm ratio and the most queries (warm or cold) over the pages of an engine."""
    small, large = _read(f"pages-{engine}-small.json"), _read(f"pages-{engine}-large.json")
    if not small or not large:
        return (float("nan"), "", 0, "")
    ratios, queries = [], []
    for label, entry in large["results"].items():
        if entry["kind"] == "kpi" or label not in small["results"]:
            continue
        ratios.append((entry["warm"]["median_ms"] / small["results"][label]["warm"]["median_ms"], label))
        for mode in ("warm", "cold"):
            if mode in entry:
                queries.append((entry[mode]["queries"], f"{label}, {mode}"))
    ratio, ratio_label = max(ratios)
    count, count_label = max(queries)
    over = sum(1 for r, _label in ratios if r > RATIO)
    return ratio, f"{ratio_label}; {over} of {len(ratios)} over", count, count_label


def targets_section(found: list[str]) -> str:
    def met(ok: bool | None) -> str:
        return "" if ok is None else ("met" if ok else "**missed**")

    rows: list[tuple[str, str, str]] = []

    def add(target: str, figure: str, ok: bool | None) -> None:
        rows.append((target, figure, met(ok)))

    for engine in found:
        name = NAMES[engine]
        ratio, ratio_label, count, count_label = _worst(engine)
        if ratio_label:
            add(
                f"large/small time ratio ≤ {RATIO} for every page",
                f"{name}: worst {ratio:.2f} ({ratio_label})",
                ratio <= RATIO,
            )
            add(f"≤ {QUERIES} queries per page", f"{name}: most {count} ({count_label})", count <= QUERIES)
        large = _read(f"pages-{engine}-large.json")
        kpi = large and large["results"].get("kpi_report(2025)")
        if kpi:
            cold, warm = kpi["cold"]["median_ms"], kpi["warm"]["median_ms"]
            figure = f"{name}: {cold:,.0f} ms computed, {warm:,.1f} ms cached"
            add(f"one year's KPIs at large scale ≤ {KPI_MS / 1000:g} s", figure, max(cold, warm) <= KPI_MS)
    for engine, scale, name in LOAD_RUNS:
        run = _read(f"load-{engine}-{scale}{name}.json")
        if not run:
            continue
        where = f"{NAMES[engine]}, {scale} data, {run['users']} users"
        total = run["total"]
        add(
            f"under load: p95 ≤ {LOAD_P95_MS} ms", f"{where}: {total['p95_ms']:,.0f} ms", total["p95_ms"] <= LOAD_P95_MS
        )
        add("under load: no errors", f"{where}: {total['failures']} of {total['requests']:,}", total["failures"] == 0)
        add(f"under load: ≥ {LOAD_RPS} requests/s", f"{where}: {total['per_s']}/s", total["per_s"] >= LOAD_RPS)
        login = run["requests"].get("login (password hashed)")
        if login:
            figure = f"{where}: median {login['median_ms']:,.0f} ms, p95 {login['p95_ms']:,.0f} ms"
            add("logins under load take less than a second", figure, login["p95_ms"] < 1000)
    for engine in found:
        result = _read_var(f"results-{engine}-10k.json")
        if result:
            step = result["steps"]["import into an empty database"]
            figure = f"{NAMES[engine]}: {step['median_s']:.1f} s"
            add(f"10,000 workbook rows imported in ≤ {IMPORT_S} s", figure, step["median_s"] <= IMPORT_S)
        lkps = _read_var(f"results-reports-{engine}.json")
        if lkps:
            one = lkps["subjects"]["jurusan"]
            figure = f"{NAMES[engine]}: one jurusan {one['median_s']:.2f} s, {one['peak_mib']:.0f} MiB"
            ok = one["median_s"] <= LKPS_S and one["peak_mib"] <= LKPS_MIB
            add(f"LKPS export at large scale ≤ {LKPS_S} s, ≤ {LKPS_MIB} MB", figure, ok)
    lines = [
        "## Targets",
        "",
        "Each target beside the figure `make bench` measured (the sections below give every figure; a",
        'missed target\'s cause is under "Where the time goes").',
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {target} | {figure} | {verdict} |" for target, figure, verdict in rows],
        "",
    ]
    return "\n".join(lines) + "\n"


def docs(found: list[str]) -> None:
    subprocess.run([PYTHON, str(ROOT / "bench" / "bench_workbook.py"), "--docs-only"], check=True)  # noqa: S603
    subprocess.run([PYTHON, str(ROOT / "bench" / "bench_reports.py"), "--write-docs"], check=True)  # noqa: S603
    # These sections' own subsections are measured too: only "Where the time goes" is kept.
    for heading, block in (
        ("## Targets", targets_section(found)),
        ("## Pages, API and KPIs at two scales", pages_section(found)),
        ("## Under load", load_section(found)),
        ("## Export of the seeded data", export_section(found)),
    ):
        replace_docs_section(heading, block, kept="\n### Where the time goes")


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
