"""Benchmark of the LKPS export (IAPS 4.0, XLSX) at a large university's scale.

    .venv/bin/python bench/bench_reports.py                 # build once (reused), then measure, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simkerma_bench_reports .venv/bin/python bench/bench_reports.py
    .venv/bin/python bench/bench_reports.py --build-only    # only build the database
    .venv/bin/python bench/bench_reports.py --write-docs    # the section in docs/performance.md

The database holds 20 jurusan with 200 prodi, 20,000 partners, 60,000 agreements and 600,000
activities over ten years (2016..2025), written with bulk_create and the scope table rebuilt with
the project's `rebuild_scope()`. A tenth of the activities have an archived report, a fifth an
evidence text, a third funding rows. It is built once under var/bench/reports-<database>/ (on
PostgreSQL: the database DATABASE_URL names) and reused while its marker file is there.

Each run exports the IAPS 4.0 tables (TS = 2025) for one prodi and for one jurusan as XLSX in a
fresh process, which reports its wall time, CPU time (user and system), the queries the export
made and its peak resident memory (VmHWM, Django's start included).
With BENCH_SEEDED naming the var directory of a database `manage.py seed_benchmark --scale large`
filled (`make bench` does), it measures there and builds nothing. The figures (median of five
runs) are kept in var/bench/results-reports-<database>.json; `--write-docs` writes the section
"LKPS export" of docs/performance.md from every stored result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_workbook import _database_version, _engine, machine, replace_docs_section  # noqa: E402 (after the path is set)

DOCS = ROOT / "docs" / "performance.md"
HEADING = "## LKPS export"
CACHE = ROOT / "var" / "bench"
JURUSAN = 20
PRODI = 200
PARTNERS = 20_000
AGREEMENTS = 60_000
ACTIVITIES = 600_000
FIRST_YEAR, TS = 2016, 2025
REPEAT = 5
# The targets for one export.
TARGET_SECONDS, TARGET_MIB = 5.0, 300.0
SUBJECTS = {"prodi": ("--prodi", "P007"), "jurusan": ("--unit", "J07")}


def _seeded() -> Path | None:
    """The var directory of a database `manage.py seed_benchmark --scale large` filled, when
    BENCH_SEEDED names it (as `make bench` does): measured there instead of building one."""
    value = os.environ.get("BENCH_SEEDED")
    return Path(value) if value else None


def _directory() -> Path:
    return _seeded() or CACHE / f"reports-{_engine()}"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SIMKERMA_VAR_DIR=str(_directory()), DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0")
    env.setdefault("SECRET_KEY", "bench-reports-" + "k" * 40)
    return env


def _setup() -> None:
    os.environ.update(_env())
    import django

    django.setup()


def _create_pg_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(seed: int = 17) -> None:
    """The organisation, partners, agreements and activities, bulk-created by the product's seeding
    module (simkerma/site/seeding.py); the scope table rebuilt."""
    from django.core.management import call_command
    from django.db import transaction

    from simkerma.activities.scope import rebuild_scope
    from simkerma.site import seeding

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    with transaction.atomic():
        jurusan, p3m, prodi = seeding.build_org(jurusan=JURUSAN, prodi=PRODI)
        partner_ids = seeding.build_partners(PARTNERS)
        agreements = seeding.build_agreements(rng, AGREEMENTS, partner_ids, [*jurusan, p3m], prodi, FIRST_YEAR, TS)
        for _written in seeding.build_activities(rng, ACTIVITIES, agreements, prodi, funding=True, reports=0.1):
            pass
    rebuild_scope()
    (_directory() / "built").write_text(dt.datetime.now(dt.UTC).isoformat())


def one_run(subject: str) -> dict[str, Any]:
    """One export in this process: wall and CPU seconds, queries and rows (printed as JSON)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    option, code = SUBJECTS[subject]
    output = _directory() / f"lkps-{subject}.xlsx"
    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        call_command("lkps", option, code, "--ts", str(TS), "--instrument", "iaps4", "--output", str(output))
    return {
        "seconds": round(time.perf_counter() - wall, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "queries": len(queries),
        "bytes": output.stat().st_size,
        "peak_mib": round(_high_water_kib() / 1024, 1),
    }


def _high_water_kib() -> int:
    """This process's peak resident memory (VmHWM), counted from its own start. The rusage figure
    (ru_maxrss) is not used: Linux carries the parent's peak over into a forked child, so a parent
    that had just built the database would make every export look as large as itself."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit("no VmHWM in /proc/self/status: the peak memory needs Linux")


def _measure_subject(subject: str, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        process = subprocess.Popen(  # noqa: S603 (this script, with its own arguments)
            [sys.executable, __file__, "--one", subject], env=_env(), stdout=subprocess.PIPE, cwd=ROOT
        )
        assert process.stdout is not None
        out = process.stdout.read().decode()
        if process.wait():
            raise SystemExit(f"the {subject} export failed:\n{out}")
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {
        "runs": len(runs),
        "median_s": statistics.median(r["seconds"] for r in runs),
        "all_s": [r["seconds"] for r in runs],
        "median_cpu_s": statistics.median(r["cpu_seconds"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "queries": runs[-1]["queries"],
        "xlsx_kib": round(runs[-1]["bytes"] / 1024),
    }


def _rows(subject: str) -> int:
    """Rows of the subject's three tables (what the export lists)."""
    from simkerma.org.models import Prodi, Unit
    from simkerma.reports.framework import ReportParams
    from simkerma.reports.lkps import LkpsSelection

    option, code = SUBJECTS[subject]
    params = (
        ReportParams(TS, prodi=Prodi.objects.get(code=code))
        if option == "--prodi"
        else ReportParams(TS, unit=Unit.objects.get(code=code))
    )
    return LkpsSelection(params).count()


def _counts() -> dict[str, int]:
    from simkerma.activities.models import Activity, ActivityProdiScope, ActivityUnitScope
    from simkerma.agreements.models import Agreement
    from simkerma.partners.models import Partner

    return {
        "partners": Partner.objects.count(),
        "agreements": Agreement.objects.count(),
        "activities": Activity.objects.count(),
        "prodi scope rows": ActivityProdiScope.objects.count(),
        "unit scope rows": ActivityUnitScope.objects.count(),
    }


def _results_path() -> Path:
    return CACHE / f"results-reports-{_engine()}.json"


def measure(repeat: int) -> dict[str, Any]:
    before = machine()
    results = {subject: _measure_subject(subject, repeat) for subject in SUBJECTS}
    for subject in SUBJECTS:
        results[subject]["rows"] = _rows(subject)
    return {
        "database_version": _database_version(),
        "data": "seed_benchmark --scale large" if _seeded() else "built by bench_reports.py",
        "measured": dt.date.today().isoformat(),
        "size": _counts(),
        "before": before,
        "machine": machine(),
        "subjects": results,
    }


def section(results: list[dict[str, Any]]) -> str:
    machines = sorted(
        {
            (r["machine"]["cpu"], r["machine"]["cores"], r["machine"]["memory_gib"], r["machine"]["python"])
            for r in results
        }
    )
    described = "; ".join(f"{cpu}, {cores} cores, {mem} GiB RAM, Python {py}" for cpu, cores, mem, py in machines)
    loads = "; ".join(
        f"{r['database_version']}: load average {r['before']['load'][0]:.1f} before, {r['machine']['load'][0]:.1f} "
        f"after, {max(r['before']['others'], r['machine']['others'])} other busy processes"
        for r in results
    )
    sizes = "; ".join(
        f"{r['database_version']}, {r.get('data', 'built by bench_reports.py')}: "
        + ", ".join(f"{value:,} {name}" for name, value in r["size"].items())
        for r in results
    )
    paragraphs = [
        "`bench/bench_reports.py` (`make bench-reports`) exports the IAPS 4.0 LKPS tables (Tabel 1-1, 1-2, "
        f"1-3; TS = {TS}) as XLSX with `manage.py lkps`, for one prodi and for one jurusan, each run in a fresh "
        "process: the wall and CPU time and the queries of the export itself, and the process's peak resident "
        f"memory (VmHWM, Django's start included). Median of {REPEAT} runs. The database: {JURUSAN} jurusan, "
        f"{PRODI} prodi, ten years of activities ({FIRST_YEAR}..{TS}), bulk-created by the seeding module, the "
        f"scope table rebuilt with `rebuild_scope()`; `make bench` measures in the large seeded data ({sizes}). "
        f"Target: at most {TARGET_SECONDS:g} s and {TARGET_MIB:g} MB.",
        f"Machine: {described}. While measuring: {loads} (the machine was shared with other work when that "
        f"count is not 0). Measured {', '.join(sorted({r['measured'] for r in results}))}.",
    ]
    lines = [HEADING, ""]
    for paragraph in paragraphs:
        lines += [textwrap.fill(paragraph, width=100, break_on_hyphens=False), ""]
    lines += [
        "| database | subject | rows | runs | median s | each run s | median CPU s | peak RSS MiB | queries "
        "| XLSX KiB |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for result in results:
        for subject, f in result["subjects"].items():
            lines.append(
                f"| {result['database_version']} | one {subject} | {f['rows']:,} | {f['runs']} | {f['median_s']:.2f} "
                f"| {', '.join(f'{s:.2f}' for s in f['all_s'])} | {f['median_cpu_s']:.2f} | {f['peak_mib']:.0f} "
                f"| {f['queries']} | {f['xlsx_kib']:,} |"
            )
    return "\n".join([*lines, "", ""])


def write_docs(results: list[dict[str, Any]]) -> None:
    """The section from the stored results; with none stored, the section is left as it is."""
    if not results:
        print(f"no stored results of the LKPS export: {HEADING!r} left as it is")
        return
    replace_docs_section(HEADING, section(results))


def stored_results() -> list[dict[str, Any]]:
    paths = [CACHE / f"results-reports-{engine}.json" for engine in ("sqlite", "postgresql")]
    return [json.loads(path.read_text()) for path in paths if path.exists()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", choices=sorted(SUBJECTS), help=argparse.SUPPRESS)
    parser.add_argument("--build-only", action="store_true", help="Build the database (if not built) and stop.")
    parser.add_argument("--rebuild", action="store_true", help="Build the database again.")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--write-docs", action="store_true", help="Write the section of docs/performance.md.")
    args = parser.parse_args()
    if args.write_docs:
        write_docs(stored_results())
        return
    _directory().mkdir(parents=True, exist_ok=True)
    if args.one:
        _setup()
        print(json.dumps(one_run(args.one)))
        return
    marker = _directory() / "built"
    if _seeded():
        if not (_directory() / "seeded.json").exists():
            raise SystemExit(f"{_directory()} holds no seeded database (bench/run.py --steps seed)")
        _setup()
    elif args.rebuild or not marker.exists():
        marker.unlink(missing_ok=True)
        if _engine() == "sqlite":
            (_directory() / "simkerma.sqlite3").unlink(missing_ok=True)
        else:
            _create_pg_database()
        _setup()
        start = time.perf_counter()
        build()
        print(f"built in {time.perf_counter() - start:.0f} s")
    else:
        _setup()
    if args.build_only:
        return
    result = measure(args.repeat)
    _results_path().write_text(json.dumps(result, indent=2))
    for subject, figures in result["subjects"].items():
        print(f"{subject}: {json.dumps(figures)}")


if __name__ == "__main__":
    main()
