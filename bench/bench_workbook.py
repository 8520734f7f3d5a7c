"""Benchmark of the data workbook's import and export: wall time and peak memory of each run.

    .venv/bin/python bench/bench_workbook.py                    # 10k (3 runs) and 600k (1 run), SQLite
    .venv/bin/python bench/bench_workbook.py --sizes 10k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simkerma_bench_workbook .venv/bin/python bench/bench_workbook.py
    .venv/bin/python bench/bench_workbook.py --write-docs       # the section in docs/performance.md

Each step runs the project's own command (`manage.py import_workbook`, `manage.py export_workbook`)
in a fresh process, so the peak resident memory reported (the process's ru_maxrss from wait4) is
that run's alone. Every run starts from an empty database migrated once per invocation: a copy of
the migrated SQLite file under var/bench/, or on PostgreSQL a database created from a migrated
template (DATABASE_URL names the database; it and "<name>_template" are dropped and created).

Per run, in order: the dry run (check only) into the empty database, the import, a second import of
the same file (every row unchanged), and the export of what was imported. The workbooks come from
bench/workbook_data.py (cached under var/bench/). The figures of each size and database are kept in
var/bench/results-<database>-<size>.json; `--write-docs` writes the section "Workbook import and
export" of docs/performance.md from every stored result, with the machine they were measured on.
`--profile` also runs one import of the first size under pyinstrument (installed separately) and
writes its report beside the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.workbook_data import CACHE_DIR, SIZES, Size, workbook_path  # noqa: E402 (after the path is set)

MANAGE = str(ROOT / "manage.py")
DOCS = ROOT / "docs" / "performance.md"
HEADING = "## Workbook import and export"
STEPS = ("dry run (check only)", "import into an empty database", "second import (all unchanged)", "export")
DATABASES = (
    "SQLite with the project's settings (WAL, synchronous NORMAL); PostgreSQL on the same machine, default settings."
)
# The target for 10,000 rows, in seconds.
TARGETS = {("10k", "import into an empty database"): 30.0}
DEFAULT_REPEAT = {"10k": 3, "600k": 1}
# The 600,000-activity workbook inflates to about 364 MB of XML (inline strings, as the exporter
# writes them), above the default bound on an upload's inflated size (SIMKERMA_OOXML_MAX_INFLATED_MB,
# 64): its runs raise the bound, unless the environment sets it.
DEFAULT_ENV = {"600k": {"SIMKERMA_OOXML_MAX_INFLATED_MB": "512"}}
# At 600,000 activities one run of every step takes over an hour: the import and the export by default.
DEFAULT_STEPS = {"600k": (STEPS[1], STEPS[3])}
COUNTED = (
    ("Unit", "simkerma.org.models", "Unit"),
    ("Prodi", "simkerma.org.models", "Prodi"),
    ("Mitra", "simkerma.partners.models", "Partner"),
    ("Dokumen", "simkerma.agreements.models", "Agreement"),
    ("Kegiatan", "simkerma.activities.models", "Activity"),
    ("Layanan", "simkerma.servicedesk.models", "ServiceRequest"),
    ("Evaluasi", "simkerma.evaluations.models", "Evaluation"),
)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user and system time of the process: what the run costs, however busy the machine
    peak_mib: float
    status: int
    output: str  # the last lines the command printed


def _engine() -> str:
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def _command(args: list[str], env: dict[str, str], log: Path, prefix: list[str] | None = None) -> Run:
    """Run manage.py with `args` in its own process; its wall time and its own peak RSS."""
    argv = [sys.executable, *(prefix or []), MANAGE, *args]
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    # The progress bar rewrites its line with carriage returns: keep the last state of each line.
    lines = [line.rsplit("\r", 1)[-1] for line in text.splitlines() if line.strip()]
    cpu = usage.ru_utime + usage.ru_stime
    peak = round(usage.ru_maxrss / 1024, 1)
    return Run(round(seconds, 2), round(cpu, 2), peak, process.returncode, "\n".join(lines[-15:]))


class Databases:
    """Empty, migrated databases, one per run: copies of a migrated SQLite file, or PostgreSQL
    databases created from a migrated template."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.url = os.environ.get("DATABASE_URL", "")
        self.template = work / "template"
        self.count = 0
        if self.url.startswith("postgres"):
            self.base, self.name = self.url.rsplit("/", 1)
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}_template"', f'CREATE DATABASE "{self.name}_template"')
        shutil.rmtree(self.template, ignore_errors=True)
        self.template.mkdir(parents=True)
        env = self._env(self.template, f"{self.base}/{self.name}_template" if self.url else "")
        run = _command(["migrate", "--noinput"], env, self.template / "migrate.log")
        if run.status:
            raise SystemExit(f"migrate failed:\n{run.output}")

    def _pg(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def _env(self, directory: Path, url: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(SIMKERMA_VAR_DIR=str(directory), DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0")
        env.setdefault("SECRET_KEY", "bench-workbook-" + "k" * 40)
        if url:
            env["DATABASE_URL"] = url
        return env

    def fresh(self) -> tuple[Path, dict[str, str]]:
        """A new empty database and the environment that points the commands at it."""
        self.count += 1
        directory = self.work / f"run-{self.count}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        if self.url:
            self._pg(
                f'DROP DATABASE IF EXISTS "{self.name}"',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.name}_template"',
            )
            return directory, self._env(directory, self.url)
        source = sqlite3.connect(self.template / "simkerma.sqlite3")
        target = sqlite3.connect(directory / "simkerma.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        return directory, self._env(directory, "")

    def drop(self) -> None:
        shutil.rmtree(self.template, ignore_errors=True)
        if self.url:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}"', f'DROP DATABASE IF EXISTS "{self.name}_template"')


# Up to this many rows, the export is compared cell by cell with the workbook imported (in memory).
COMPARE_ROWS = 50_000


def _cells(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """Each sheet's data rows as text, trailing empty cells dropped, sorted (the export orders by key)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {}
        for worksheet in workbook.worksheets:
            rows = []
            for row in worksheet.iter_rows(min_row=2, values_only=True):
                cells = ["" if value is None else str(value) for value in row]
                while cells and cells[-1] == "":
                    cells.pop()
                if cells:
                    rows.append(tuple(cells))
            sheets[worksheet.title] = sorted(rows)
        return sheets
    finally:
        workbook.close()


def compare(imported: Path, exported: Path) -> str:
    """ "same" when the export holds the cells of the workbook imported, else what differs first."""
    source, export = _cells(imported), _cells(exported)
    if list(source) != list(export):
        return f"sheets differ: {list(source)} against {list(export)}"
    differences = []
    for sheet, rows in source.items():
        if rows != export[sheet]:
            missing = sorted(set(rows) - set(export[sheet]))
            extra = sorted(set(export[sheet]) - set(rows))
            differences.append(
                f"{sheet}: {len(missing)} rows not exported ({missing[:1]}), {len(extra)} others ({extra[:1]})"
            )
    return "; ".join(differences) or "same"


def _counts(env: dict[str, str], directory: Path) -> dict[str, int]:
    """The records of each sheet's kind in the database, to show what the import wrote."""
    code = (
        "import json, importlib\n"
        + "print(json.dumps({"
        + ", ".join(
            f"{sheet!r}: importlib.import_module({module!r}).{model}.objects.count()"
            for sheet, module, model in COUNTED
        )
        + "}))"
    )
    run = _command(["shell", "-c", code], env, directory / "counts.log")
    if run.status:
        return {}
    return dict(json.loads(run.output.splitlines()[-1]))


def measure(label: str, size: Size, repeat: int, work: Path, steps: tuple[str, ...] = STEPS) -> dict[str, Any]:
    extra = {key: value for key, value in DEFAULT_ENV.get(label, {}).items() if key not in os.environ}
    before = machine()
    start = time.perf_counter()
    path = workbook_path(size, CACHE_DIR)
    written = time.perf_counter() - start
    print(f"{label}: {size.rows:,} rows, {path.stat().st_size / 2**20:.1f} MiB ({path.name}, ready in {written:.1f} s)")
    databases = Databases(work / f"{_engine()}-{label}")
    runs: dict[str, list[dict[str, Any]]] = {step: [] for step in STEPS}
    imported: dict[str, int] = {}
    same = ""
    failure = ""
    try:
        for attempt in range(repeat):
            directory, env = databases.fresh()
            env.update(extra)
            commands = (
                (STEPS[0], ["import_workbook", str(path), "--dry-run"]),
                (STEPS[1], ["import_workbook", str(path)]),
                (STEPS[2], ["import_workbook", str(path)]),
                (STEPS[3], ["export_workbook", str(directory / "export.xlsx")]),
            )
            for step, args in commands:
                if step not in steps:
                    continue
                run = _command(args, env, directory / f"{step.split()[0]}-{len(runs[step])}.log")
                print(
                    f"  run {attempt + 1}, {step}: {run.seconds:.1f} s, CPU {run.cpu_seconds:.1f} s, "
                    f"{run.peak_mib:.0f} MiB, exit {run.status}"
                )
                if run.status:
                    failure = f"{step}: exit {run.status}\n{run.output}"
                    print("    " + run.output.replace("\n", "\n    "))
                    if step != STEPS[3]:
                        break
                    continue
                runs[step].append(asdict(run) | {"output": run.output})
                if step == STEPS[1] and not imported:
                    imported = _counts(env, directory)
                    print(f"    in the database: {imported}")
                if step == STEPS[3] and not same and size.rows <= COMPARE_ROWS:
                    same = compare(path, directory / "export.xlsx")
                    print(f"    the export against the workbook imported: {same}")
            else:
                shutil.rmtree(directory, ignore_errors=True)
                continue
            break
    finally:
        databases.drop()
    return {
        "label": label,
        "size": asdict(size),
        "rows": size.rows,
        "engine": _engine(),
        "database_version": _database_version(),
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "imported": imported,
        "export_matches": same,
        "steps": {
            step: {
                "runs": len(done),
                "median_s": statistics.median(r["seconds"] for r in done) if done else None,
                "all_s": [r["seconds"] for r in done],
                "median_cpu_s": statistics.median(r["cpu_seconds"] for r in done) if done else None,
                "peak_mib": max(r["peak_mib"] for r in done) if done else None,
                "output": done[-1]["output"] if done else "",
            }
            for step, done in runs.items()
            if step in steps
        },
        "failure": failure,
        "environment": extra,
        "machine": machine(),
        "before": {"load": before["load"], "others": before["others"]},
        "measured": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def profile(size: Size, work: Path) -> Path:
    """One import under pyinstrument (python -m pyinstrument); the text report's path."""
    path = workbook_path(size, CACHE_DIR)
    databases = Databases(work / f"{_engine()}-profile")
    try:
        directory, env = databases.fresh()
        report = CACHE_DIR / f"profile-import-{_engine()}-{size.rows}.txt"
        prefix = ["-m", "pyinstrument", "--renderer", "text", "--outfile", str(report)]
        run = _command(["import_workbook", str(path)], env, directory / "profile.log", prefix=prefix)
        print(f"profiled import: {run.seconds:.1f} s (exit {run.status}), report in {report}")
        return report
    finally:
        databases.drop()


def _database_version() -> str:
    if _engine() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres") as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return {
        "cpu": model.group(1).strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(total.group(1)) / 2**20, 1) if total else None,
        "python": platform.python_version(),
        "load": [round(x, 2) for x in os.getloadavg()],
        "others": _busy_processes(),
    }


def _busy_processes() -> int:
    """Other processes using a CPU at the moment (a rough sign of shared machine)."""
    out = subprocess.run(["ps", "-eo", "pid,pcpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    own = os.getpid()
    busy = 0
    for line in out.splitlines()[1:]:
        pid, cpu = line.split()
        if int(pid) != own and float(cpu) >= 10:
            busy += 1
    return busy


def _results_path(engine: str, label: str) -> Path:
    return CACHE_DIR / f"results-{engine}-{label}.json"


def table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| database | workbook | step | runs | median s | each run s | median CPU s | peak RSS MiB | target |",
        "|---|---|---|---:|---:|---|---:|---:|---|",
    ]
    for result in results:
        for step, figures in result["steps"].items():
            target = TARGETS.get((result["label"], step))
            cpu = f"{figures['median_cpu_s']:.1f}" if figures.get("median_cpu_s") is not None else ""
            if figures["median_s"] is None:
                lines.append(f"| {result['database_version']} | {result['label']} | {step} | 0 | (failed) | | | | |")
                continue
            lines.append(
                f"| {result['database_version']} | {result['label']} ({result['rows']:,} rows) | {step} "
                f"| {figures['runs']} | {figures['median_s']:.1f} | {', '.join(f'{s:.1f}' for s in figures['all_s'])} "
                f"| {cpu} | {figures['peak_mib']:.0f} | {f'≤ {target:g} s' if target else ''} |"
            )
    return lines


def section(results: list[dict[str, Any]]) -> str:
    machines = {
        (r["machine"]["cpu"], r["machine"]["cores"], r["machine"]["memory_gib"], r["machine"]["python"])
        for r in results
    }
    described = "; ".join(
        f"{cpu}, {cores} cores, {memory} GiB RAM, Python {python}" for cpu, cores, memory, python in sorted(machines)
    )
    loads = "; ".join(
        f"{r['database_version']} {r['label']}: load average {r['before']['load'][0]:.1f} before, "
        f"{r['machine']['load'][0]:.1f} after, "
        f"{max(r['before']['others'], r['machine']['others'])} other busy processes"
        for r in results
        if "before" in r
    )
    notes = [
        f"{r['database_version']} {r['label']}: run with "
        + ", ".join(f"{key}={value}" for key, value in r["environment"].items())
        + " (the workbook inflates beyond the default bound on an upload's inflated size)."
        for r in results
        if r.get("environment")
    ]
    notes += [
        f"{r['database_version']} {r['label']}: the export against the workbook imported, cell by cell: "
        f"{r['export_matches']}."
        for r in results
        if r.get("export_matches")
    ]
    sizes = "; ".join(
        f"{r['label']}: " + ", ".join(f"{value:,} {name}" for name, value in r["size"].items() if name != "seed")
        for r in {r["label"]: r for r in results}.values()
    )
    paragraphs = [
        "`bench/bench_workbook.py` runs `manage.py import_workbook` and `manage.py export_workbook`, each in "
        "a fresh process, and reports the wall time, the CPU time (user and system: what the run costs, "
        "however busy the machine) and the process's peak resident memory (ru_maxrss from wait4). Each run "
        "starts from an empty, freshly migrated database; in order: the dry run (check only), the import, a "
        "second import of the same file (every row unchanged) and the export of what was imported. The "
        "workbooks are written by `bench/workbook_data.py` (deterministic, valid by the models' rules; "
        f"{sizes}). The runs column says how many runs each median is of.",
        f"Machine: {described}. {DATABASES} While measuring: {loads} (the machine was shared with other "
        f"work when that count is not 0). Measured {', '.join(sorted({r['measured'] for r in results}))}.",
    ]
    lines = [HEADING, ""]
    for paragraph in paragraphs:
        lines += [textwrap.fill(paragraph, width=100, break_on_hyphens=False), ""]
    lines += [*table(results), ""]
    for note in notes:
        lines.append(textwrap.fill(note, width=100, initial_indent="- ", subsequent_indent="  "))
    return "\n".join([*lines, *([""] if notes else []), ""])


def write_docs(results: list[dict[str, Any]]) -> None:
    """The section from the stored results; with none stored, the section is left as it is."""
    if not results:
        print(f"no stored results of the workbook benchmark: {HEADING!r} left as it is")
        return
    replace_docs_section(HEADING, section(results))


def replace_docs_section(heading: str, block: str, *, kept: str = "\n### ") -> None:
    """Write a section's measured part in docs/performance.md: from its heading to its first
    subsection starting with `kept` (which is kept: the notes on where the time goes are written by
    hand), or to the next section; a section not there yet goes before "Running it"."""
    text = DOCS.read_text()
    start = text.find(heading + "\n")
    if start >= 0:
        ends = [i for i in (text.find("\n## ", start + 1), text.find(kept, start + 1)) if i >= 0]
        end = min(ends) + 1 if ends else len(text)
        text = text[:start] + block + text[end:]
    else:
        anchor = text.find("## Running it")
        anchor = len(text) if anchor < 0 else anchor
        text = text[:anchor] + block + text[anchor:]
    DOCS.write_text(text)


def stored_results() -> list[dict[str, Any]]:
    found = []
    for engine in ("sqlite", "postgresql"):
        for label in SIZES:
            path = _results_path(engine, label)
            if path.exists():
                found.append(json.loads(path.read_text()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,600k", help="Comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, help="Runs per size (default: 3 for 10k, 1 for 600k).")
    parser.add_argument("--write-docs", action="store_true", help="Write the section of docs/performance.md.")
    parser.add_argument(
        "--docs-only", action="store_true", help="Write the section from stored results; measure nothing."
    )
    parser.add_argument("--all-steps", action="store_true", help="Every step at every size (600k: import, export).")
    parser.add_argument("--profile", action="store_true", help="Profile one import of the first size (pyinstrument).")
    args = parser.parse_args()
    work = CACHE_DIR / "db"
    labels = [label.strip() for label in args.sizes.split(",") if label.strip()]
    if not args.docs_only:
        for label in labels:
            steps = STEPS if args.all_steps else DEFAULT_STEPS.get(label, STEPS)
            result = measure(label, SIZES[label], args.repeat or DEFAULT_REPEAT.get(label, 1), work, steps)
            _results_path(result["engine"], label).write_text(json.dumps(result, indent=1))
            print("\n".join(table([result])))
        if args.profile:
            profile(SIZES[labels[0]], work)
    if args.write_docs or args.docs_only:
        results = stored_results()
        write_docs(results)
        if results:
            print(f"wrote {HEADING!r} to {DOCS.relative_to(ROOT)} from {len(results)} stored results")
    print(f"(this runner's own peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
