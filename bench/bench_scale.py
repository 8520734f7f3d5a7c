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
import datetime as dt
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
    tenth their own units; the scope table rebuilt at the end."""
    from django.db import transaction

    from simkerma.activities.models import Activity, ActivityKind, ActivityStatus
    from simkerma.activities.scope import rebuild_scope
    from simkerma.agreements.models import Agreement, Kind
    from simkerma.core.choices import Field, Level
    from simkerma.org.models import Prodi, Unit
    from simkerma.partners.models import Partner

    rng = random.Random(seed)
    with transaction.atomic():
        jurusan = [
            Unit.objects.create(code=f"J{i:02d}", name=f"Jurusan {i}", kind=Unit.Kind.JURUSAN, expected_fields=[])
            for i in range(JURUSAN)
        ]
        others = [
            Unit.objects.create(code="P3M", name="P3M", kind=Unit.Kind.P3M, expected_fields=[]),
            Unit.objects.create(code="U1", name="Unit 1", kind=Unit.Kind.UNIT, expected_fields=[]),
            Unit.objects.create(code="U2", name="Unit 2", kind=Unit.Kind.UNIT, expected_fields=[]),
        ]
        units = jurusan + others
        prodi = [
            Prodi.objects.create(
                code=f"P{i:03d}",
                name=f"Prodi {i}",
                level="D4",
                unit=jurusan[i % JURUSAN],
                active_until=2021 if i % 17 == 0 else None,
            )
            for i in range(PRODI)
        ]
        Partner.objects.bulk_create(
            [
                Partner(code=f"B{i:07d}", name=f"PT Mitra {i}", name_key=f"mitra {i}", kind="industri")
                for i in range(2000)
            ]
        )
        partner_ids = list(Partner.objects.values_list("pk", flat=True))
        rows = []
        for i in range(agreements):
            start = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 2900))
            kind = (Kind.MOU, Kind.MOA, Kind.IA)[i % 3]
            end = start + dt.timedelta(days=rng.choice([365, 1095, 1825]))
            terminated = start + dt.timedelta(days=200) if i % 29 == 0 else None
            rows.append(
                Agreement(
                    kind=kind,
                    number=f"{i:06d}/{kind.upper()}.PL29/I/{start.year}",
                    title=f"Kerja sama {i}",
                    level=rng.choice(Level.values),
                    fields=rng.sample(Field.values, rng.randint(1, 3)),
                    start_date=start,
                    end_date=end,
                    terminated_on=terminated,
                )
            )
        Agreement.objects.bulk_create(rows, batch_size=5000)
        agreement_rows = list(Agreement.objects.order_by("pk").values_list("pk", "start_date", "end_date"))
        Agreement.partners.through.objects.bulk_create(
            [
                Agreement.partners.through(agreement_id=pk, partner_id=rng.choice(partner_ids))
                for pk, *_ in agreement_rows
            ],
            batch_size=10000,
        )
        a_units, a_prodi = Agreement.units.through, Agreement.prodi.through
        unit_links, prodi_links = [], []
        for pk, *_ in agreement_rows:
            for unit in rng.sample(units, rng.choice([1, 1, 2])):
                unit_links.append(a_units(agreement_id=pk, unit_id=unit.pk))
            for one in rng.sample(prodi, rng.choice([0, 1, 2])):
                prodi_links.append(a_prodi(agreement_id=pk, prodi_id=one.pk))
        a_units.objects.bulk_create(unit_links, batch_size=10000)
        a_prodi.objects.bulk_create(prodi_links, batch_size=10000)

        statuses = ActivityStatus.values
        kinds = ActivityKind.values
        own_units, own_prodi = Activity.units.through, Activity.prodi.through
        for first in range(0, activities, 50_000):
            batch = []
            for n in range(first, min(first + 50_000, activities)):
                pk, start, end = agreement_rows[n % len(agreement_rows)]
                # Most inside the agreement's period, some after it.
                day = start + dt.timedelta(days=rng.randrange(0, (end - start).days + 200))
                batch.append(
                    Activity(
                        agreement_id=pk,
                        code=f"K{day.year}-{n:07d}",
                        title=f"Kegiatan {n}",
                        kind=rng.choice(kinds),
                        field=rng.choice(Field.values),
                        start_date=day,
                        status=rng.choice(statuses),
                    )
                )
            made = Activity.objects.bulk_create(batch, batch_size=5000)
            if made and made[0].pk is None:  # back ends that give no primary keys back
                made = list(Activity.objects.filter(code__in=[a.code for a in batch]).only("pk"))
            u_links, p_links = [], []
            for activity in made:
                draw = rng.random()
                if draw < 0.1:
                    u_links.append(own_units(activity_id=activity.pk, unit_id=rng.choice(units).pk))
                if draw < 0.33:
                    for one in rng.sample(prodi, rng.choice([1, 1, 2])):
                        p_links.append(own_prodi(activity_id=activity.pk, prodi_id=one.pk))
            own_units.objects.bulk_create(u_links, batch_size=10000)
            own_prodi.objects.bulk_create(p_links, batch_size=10000)
        _service_requests(rng, int(SERVICE_REQUESTS * activities / ACTIVITIES))
    rebuild_scope()
    _settle()


def _service_requests(rng: random.Random, count: int) -> None:
    """Requests received over 2023 to 2025 in office and night hours; most answered within minutes,
    some late, some never; drafts and follow-ups for a part of them."""
    from simkerma.core.dates import WIB
    from simkerma.servicedesk.clocks import clocks_compute
    from simkerma.servicedesk.models import Channel, RequestKind, ServiceRequest

    rows = []
    for n in range(count):
        received = dt.datetime(2023, 1, 1, tzinfo=WIB) + dt.timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        draft = n % 5 == 0
        request = ServiceRequest(
            code=f"LYN-B-{n:06d}",
            token=f"bench{n:058d}",
            channel=Channel.EMAIL,
            kind=RequestKind.NEW_DRAFT if draft else RequestKind.INFORMATION,
            document_kind="mou" if draft else "",
            subject=f"Permintaan {n}",
            requester_name=f"Pemohon {n}",
            from_partner=n % 3 == 0,
            received_at=received,
        )
        clocks_compute(request)
        if rng.random() < 0.9:
            request.responded_at = received + dt.timedelta(minutes=rng.choice([5, 10, 14, 30, 600]))
        if draft and rng.random() < 0.8:
            request.draft_sent_at = received + dt.timedelta(hours=rng.choice([4, 20, 50]))
        if request.from_partner and rng.random() < 0.7:
            request.followed_up_at = received + dt.timedelta(hours=rng.choice([5, 22, 70]))
        rows.append(request)
    ServiceRequest.objects.bulk_create(rows, batch_size=5000)


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
