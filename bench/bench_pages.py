"""Server time and queries of every main page, API list and KPI computation, in a seeded database.

    .venv/bin/python bench/bench_pages.py --out var/bench/results/pages-sqlite-small.json

Reads the database the settings name (DATABASE_URL, or SQLite under SIMKERMA_VAR_DIR), which
`manage.py seed_benchmark` filled; `bench/run.py` (`make bench`) runs it once per database and scale.
Each page is requested through the Django test client with DEBUG off, as the role that uses it:
two warm-up requests, one whose queries are counted, then `--repeat` timed ones (median and p95).
Pages built on cached figures are also measured cold: the data versions bumped (untimed) before
each request, as on the first request after a write.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025


@dataclass(frozen=True)
class Page:
    label: str
    role: str  # a Role value, "api" (a staff token) or "" (anonymous)
    url: Callable[[dict[str, Any]], str]
    cold: tuple[str, ...] = ()  # the data versions whose bump makes the request cold
    kind: str = "page"


def _pages() -> list[Page]:
    from django.urls import reverse

    def r(name: str, **kwargs: Any) -> Callable[[dict[str, Any]], str]:
        return lambda ctx: reverse(name, kwargs={k: ctx[v] for k, v in kwargs.items()})

    def q(name: str, query: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], str]:
        return lambda ctx: reverse(name) + "?" + query(ctx)

    home_versions = ("agreements", "partners", "service-requests", "activity-scope")
    kpi_versions = ("kpi-inputs", "activity-scope")
    return [
        Page("home, staff", "staf", r("home"), home_versions),
        Page("home, coordinator", "koordinator", r("home"), home_versions),
        Page("home, leadership", "pimpinan", r("home"), home_versions),
        Page("notices", "staf", r("notices")),
        Page("partner list", "staf", r("partners:list")),
        Page("partner search (two words)", "staf", q("partners:list", lambda c: f"q=Mitra+{c['partner_n']}")),
        Page("partner detail", "staf", r("partners:detail", pk="partner")),
        Page("near-duplicate check", "staf", q("partners:check_name", lambda c: f"name=PT+Mitra+{c['partner_n']}")),
        Page("agreement list", "staf", r("agreements:list")),
        Page("agreement list, filtered", "staf", q("agreements:list", lambda c: "status=aktif&level=nasional")),
        Page(
            "agreement list, partner-name filter",
            "staf",
            q("agreements:list", lambda c: f"partner=Mitra+{c['partner_n']}"),
        ),
        Page("agreement search (word)", "staf", q("agreements:list", lambda c: "q=kerja")),
        Page("agreement detail", "staf", r("agreements:detail", pk="agreement")),
        Page("activity list", "staf", r("activities:list")),
        Page("activity list, filtered by unit", "staf", q("activities:list", lambda c: f"unit={c['unit']}")),
        Page("activity search (word)", "staf", q("activities:list", lambda c: "q=kegiatan")),
        Page("activity detail", "staf", r("activities:detail", pk="activity")),
        Page("activity calendar", "staf", r("activities:calendar")),
        Page("my tasks, coordinator", "koordinator", r("activities:my_tasks")),
        Page("report archive", "staf", r("archive:report_list")),
        Page("service desk list", "staf", r("servicedesk:list")),
        Page("service desk queue", "staf", r("servicedesk:queue")),
        Page("service request detail", "staf", r("servicedesk:detail", pk="request")),
        Page("service desk report", "kapokja", r("servicedesk:report")),
        Page("evaluations", "staf", r("evaluations:index")),
        Page("organisation", "staf", r("org:list")),
        Page("official reports", "staf", r("reports:index")),
        Page("KPI dashboard", "pimpinan", q("kpis:dashboard", lambda c: f"year={YEAR}"), kpi_versions),
        Page("KPI prodi coverage", "pimpinan", q("kpis:coverage", lambda c: f"year={YEAR}"), kpi_versions),
        Page(
            "KPI unit by field",
            "pimpinan",
            lambda c: reverse("kpis:unit_field", kwargs={"unit": c["unit"], "field": "pendidikan"}) + f"?year={YEAR}",
            kpi_versions,
        ),
        Page("KPI quality aspects", "pimpinan", q("kpis:aspects", lambda c: f"year={YEAR}"), kpi_versions),
        Page("public page", "", r("public"), kpi_versions),
        Page("public request form", "", r("servicedesk:public_form")),
        Page("API: partners", "api", lambda c: "/api/v1/partners", kind="api"),
        Page("API: agreements", "api", lambda c: "/api/v1/agreements", kind="api"),
        Page("API: activities", "api", lambda c: "/api/v1/activities", kind="api"),
        Page("API: activities of a unit", "api", lambda c: f"/api/v1/activities?unit={c['unit_code']}", kind="api"),
        Page("API: service requests", "api", lambda c: "/api/v1/service-requests", kind="api"),
        Page("API: KPIs of a year", "api", lambda c: f"/api/v1/kpi/{YEAR}", kpi_versions, kind="api"),
    ]


def _middle(model: Any) -> Any:
    count = model.objects.count()
    return model.objects.order_by("pk")[count // 2]


def _context() -> dict[str, Any]:
    from simkerma.activities.models import Activity
    from simkerma.agreements.models import Agreement
    from simkerma.org.models import Unit
    from simkerma.partners.models import Partner
    from simkerma.servicedesk.models import ServiceRequest

    partner = _middle(Partner)
    unit = Unit.objects.filter(kind=Unit.Kind.JURUSAN).order_by("code")[1]
    return {
        "unit": unit.pk,
        "unit_code": unit.code,
        "partner": partner.pk,
        "partner_n": partner.name.rsplit(" ", 1)[-1],
        "agreement": _middle(Agreement).pk,
        "activity": _middle(Activity).pk,
        "request": _middle(ServiceRequest).pk,
    }


def _clients() -> dict[str, Any]:
    from django.test import Client

    from simkerma.accounts.models import Role, User
    from simkerma.api.data import TokenData
    from simkerma.api.services import token_create
    from simkerma.org.models import Unit

    unit = Unit.objects.filter(kind=Unit.Kind.JURUSAN).order_by("code")[1]
    clients: dict[str, Any] = {"": Client()}
    for role in ("staf", "kapokja", "koordinator", "pimpinan"):
        user, _ = User.objects.get_or_create(
            username=f"bench-{role}",
            defaults={"role": role, "unit": unit if role == Role.KOORDINATOR else None},
        )
        clients[role] = Client()
        clients[role].force_login(user)
    staff = User.objects.get(username="bench-staf")
    issued = token_create(user=staff, data=TokenData(name=f"bench {time.time_ns()}", read_only=True))
    clients["api"] = Client(headers={"authorization": f"Bearer {issued.secret}"})
    return clients


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _timed(func: Callable[[], Any], before: Callable[[], None], repeat: int) -> dict[str, Any]:
    from django.db import connection

    for _ in range(2):
        before()
        func()
    before()
    queries = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        func()
    timings = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_p95(timings), 2),
        "queries": len(queries),
    }


def _database(connection: Any) -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150020
        return f"PostgreSQL {version // 10000}.{version % 100}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def measure(repeat: int, only: str = "") -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    django.setup()
    from django.conf import settings
    from django.db import connection

    from simkerma.core.versions import bump
    from simkerma.kpis.engine import kpi_report
    from simkerma.site.seeding import counts

    settings.DEBUG = False
    ctx = _context()
    clients = _clients()
    results: dict[str, Any] = {}

    def nothing() -> None:
        pass

    for page in _pages():
        if only and only not in page.label:
            continue
        url = page.url(ctx)
        client = clients[page.role]

        def get(client: Any = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        entry = {"kind": page.kind, "url": url, "warm": _timed(get, nothing, repeat)}
        if page.cold:

            def write(names: tuple[str, ...] = page.cold) -> None:
                for name in names:
                    bump(name)

            entry["cold"] = _timed(get, write, repeat)
        results[page.label] = entry
        print(f"  {page.label}: {entry['warm']}", file=sys.stderr, flush=True)
    if not only or "kpi" in only:

        def kpis() -> None:
            kpi_report(YEAR)

        def kpi_write() -> None:
            bump("kpi-inputs")

        results[f"kpi_report({YEAR})"] = {
            "kind": "kpi",
            "warm": _timed(kpis, nothing, repeat),
            "cold": _timed(kpis, kpi_write, repeat),
        }
    return {
        "engine": connection.vendor,
        "database": _database(connection),
        "counts": counts(),
        "repeat": repeat,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="Write the results here (JSON).")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="Measure only the pages whose label contains this.")
    args = parser.parse_args()
    result = measure(args.repeat, args.only)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
