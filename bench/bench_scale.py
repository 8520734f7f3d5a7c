"""Benchmark of the activity and KPI reads at a large university's scale.

    .venv/bin/python bench/bench_scale.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simkerma_bench .venv/bin/python bench/bench_scale.py

Runs the large scale (200 prodi, 60,000 agreements, 600,000 activities) and a small one (1/20 of
the agreements and activities, the same organisation), each in a fresh database (SQLite in a
temporary directory, or the named PostgreSQL database recreated), and prints for each read the
median time, the queries one run makes, the target and the large/small ratio. Reads served from
cached figures are measured warm (the figures cached, as on every request but the first after a
write) and cold (the first request after a write: the data versions bumped before each run).
`--fraction F` measures one scale only and prints its figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGREEMENTS = 60_000
ACTIVITIES = 600_000
JURUSAN = 40
PRODI = 200
YEAR = 2024
SERVICE_REQUESTS = 20_000
# Targets in ms (docs/performance.md), and queries where the issue fixes a ceiling.
TARGETS: dict[str, tuple[float, int | None]] = {
    "activity list, filtered by unit": (300, None),
    "coordinator's home page": (300, None),
    "carried out in Y for a unit (count)": (300, None),
    "kpi_report(Y)": (1000, None),
    "dashboard": (300, 20),
}


def _setup(reuse: str = "") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SIMKERMA_VAR_DIR"] = reuse or tempfile.mkdtemp(prefix="simkerma-bench-")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and not reuse:
                conn.execute(f'DROP DATABASE "{name}"')
            if not exists or not reuse:
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


def build(*, agreements: int, activities: int, seed: int = 11) -> None:
    """Units (40 jurusan, P3M, two other units), 200 prodi (some inactive), partners, agreements
    naming one or two units and prodi, activities of which a third name their own prodi and a
    tenth their own units, service requests; bulk-created by the product's seeding module
    (simkerma/site/seeding.py), the scope table rebuilt at the end."""
    from django.db import transaction

    from simkerma.activities.models import ActivityStatus
    from simkerma.activities.scope import rebuild_scope
    from simkerma.org.models import Unit
    from simkerma.site import seeding

    rng = random.Random(seed)
    with transaction.atomic():
        jurusan, p3m, prodi = seeding.build_org(jurusan=JURUSAN, prodi=PRODI, others=2, closed_in=2021)
        units = [*jurusan, p3m, *Unit.objects.filter(kind=Unit.Kind.UNIT).order_by("code")]
        partner_ids = seeding.build_partners(2000)
        rows = seeding.build_agreements(
            rng, agreements, partner_ids, units, prodi, 2018, 2025, unit_counts=(1, 1, 2), partner_counts=(1,)
        )
        for _written in seeding.build_activities(
            rng, activities, rows, prodi, units=units, after_end=200, statuses=ActivityStatus.values
        ):
            pass
        seeding.build_service_requests(rng, int(SERVICE_REQUESTS * activities / ACTIVITIES), 2023, 2025)
    rebuild_scope()
    _settle()


def _settle() -> None:
    """After the bulk load, what a running PostgreSQL's autovacuum does in time: planner statistics
    and the visibility map (so that counts over an index need not visit the table)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _page(client: Any, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # figures cached: the warm path
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, count


def _call(func: Callable[[], Any], repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    func()  # figures cached: the warm path
    with CaptureQueriesContext(connection) as queries:
        func()
    count = len(queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, count


def _cold(func: Callable[[], Any], versions: list[str], repeat: int) -> tuple[float, int]:
    """The first call after a write: the data versions bumped (in their own transaction, not timed)
    before each run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from simkerma.core.versions import bump

    def write() -> None:
        for name in versions:
            bump(name)

    write()
    with CaptureQueriesContext(connection) as queries:
        func()
    count = len(queries)
    timings = []
    for _ in range(repeat):
        write()
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, count


def measure(fraction: float, repeat: int, reuse: str = "") -> dict[str, Any]:
    _setup(reuse)
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from simkerma.accounts.models import Role, User
    from simkerma.activities.models import Activity
    from simkerma.org.models import Unit

    settings.DEBUG = False
    agreements, activities = int(AGREEMENTS * fraction), int(ACTIVITIES * fraction)
    start = time.perf_counter()
    if not (reuse and Activity.objects.exists()):
        build(agreements=agreements, activities=activities)
    built = time.perf_counter() - start
    unit = Unit.objects.get(code="J07")
    staff, _ = User.objects.get_or_create(username="bench-staf", role=Role.STAF)
    coordinator, _ = User.objects.get_or_create(username="bench-koordinator", role=Role.KOORDINATOR, unit=unit)
    leader, _ = User.objects.get_or_create(username="bench-pimpinan", role=Role.PIMPINAN)
    as_staff, as_coordinator, as_leader = Client(), Client(), Client()
    as_staff.force_login(staff)
    as_coordinator.force_login(coordinator)
    as_leader.force_login(leader)
    results: dict[str, Any] = {}
    results["activity list, filtered by unit"] = _page(as_staff, f"/kegiatan/?unit={unit.pk}", repeat)
    results["coordinator's home page"] = _page(as_coordinator, "/", repeat)
    results["coordinator's home page"] += _cold(lambda: as_coordinator.get("/"), ["agreements", "partners"], repeat)
    results["carried out in Y for a unit (count)"] = _call(
        lambda: Activity.objects.carried_out_in(YEAR, unit=unit).count(), repeat
    )
    try:
        from simkerma.kpis.engine import kpi_report  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        pass
    else:
        results["kpi_report(Y)"] = _call(lambda: kpi_report(YEAR), repeat)
        results["kpi_report(Y)"] += _cold(lambda: kpi_report(YEAR), ["kpi-inputs"], repeat)
    try:
        dashboard = reverse("kpis:dashboard")
    except NoReverseMatch:
        dashboard = ""
    if dashboard:
        results["dashboard"] = _page(as_leader, dashboard, repeat)
        results["dashboard"] += _cold(lambda: as_leader.get(dashboard), ["kpi-inputs"], repeat)
    return {
        "fraction": fraction,
        "agreements": agreements,
        "activities": activities,
        "built_s": round(built, 1),
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fraction", type=float, help="Measure this scale only and print JSON.")
    parser.add_argument("--small", type=float, default=0.05, help="The small scale, a fraction of the large.")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--reuse",
        default="",
        help="With --fraction: a directory to keep the SQLite database in and reuse (or, "
        "with DATABASE_URL, keep the PostgreSQL database as built).",
    )
    args = parser.parse_args()
    if args.fraction is not None:
        print(json.dumps(measure(args.fraction, args.repeat, args.reuse)))
        return
    runs = {}
    for name, fraction in (("small", args.small), ("large", 1.0)):
        out = subprocess.run(  # noqa: S603 (this script, with its own arguments)
            [sys.executable, __file__, "--fraction", str(fraction), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs[name] = json.loads(out.strip().splitlines()[-1])
        run = runs[name]
        print(f"{name}: {run['agreements']} agreements, {run['activities']} activities, built in {run['built_s']} s")
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"\n{engine}")
    print(
        f"{'read':40} {'median ms':>10} {'queries':>8} {'target':>14} {'small ms':>9} {'ratio':>6}"
        f" {'cold ms':>8} {'cold q':>7} {'small cold':>10} {'cold ratio':>10}"
    )
    for label, (target_ms, target_queries) in TARGETS.items():
        large = runs["large"]["results"].get(label)
        small = runs["small"]["results"].get(label)
        if large is None:
            print(f"{label:40} {'(not built yet)':>10}")
            continue
        target = f"≤ {target_ms:g} ms" + (f", ≤ {target_queries} q" if target_queries else "")
        ratio = large[0] / small[0] if small and small[0] else float("nan")
        line = f"{label:40} {large[0]:10.1f} {large[1]:8d} {target:>14} {small[0]:9.1f} {ratio:6.2f}"
        if len(large) > 2 and small:
            line += f" {large[2]:8.1f} {large[3]:7d} {small[2]:10.1f} {large[2] / small[2]:10.2f}"
        print(line)


if __name__ == "__main__":
    main()
