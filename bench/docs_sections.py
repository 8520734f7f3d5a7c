"""docs/performance.md's measured sections, written from the figures bench/run.py stored.

The sections "Targets", "Pages, API and KPIs at two scales", "Under load" and "Export of the
seeded data" come from var/bench/results/ (and the workbook and LKPS benchmarks' results under
var/bench/); each section's "Where the time goes" is written by hand and kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_workbook import replace_docs_section  # noqa: E402 (after the path is set)

PYTHON = sys.executable
VAR = ROOT / "var" / "bench"
RESULTS = VAR / "results"
SCALES = ("small", "large")
# The targets, as the Targets table states them.
RATIO, QUERIES, LOAD_P95_MS, LOAD_RPS, KPI_MS, IMPORT_S, LKPS_S, LKPS_MIB = 1.5, 20, 300, 100, 1000, 30, 5, 300
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Users waiting 1 s after each response ask at most `users / (1 s + response time)` requests a
# second: 100 users can never reach 100 requests/s. The second run's users are enough to ask 100.
CAPACITY_USERS = 120
LOAD_RUNS = (("postgresql", "large", ""), ("postgresql", "large", "-capacity"), ("sqlite", "small", ""))


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
