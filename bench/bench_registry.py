"""Benchmark of the registry pages at scale.

    .venv/bin/python bench/bench_registry.py --partners 20000 --agreements 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simkerma_bench .venv/bin/python bench/bench_registry.py

On SQLite it builds a fresh database in a temporary directory; with DATABASE_URL it recreates the
named PostgreSQL database. It prints, for each page, the median time of several requests and the
number of queries one request makes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SIMKERMA_VAR_DIR"] = tempfile.mkdtemp(prefix="simkerma-bench-")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


def _measure(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    # Read now: the next request's request_started signal empties the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, query_count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=20000)
    parser.add_argument("--agreements", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _setup(args)

    from django.test import Client

    from bench.dataset import build
    from simkerma.accounts.models import Role, User
    from simkerma.agreements.models import Agreement
    from simkerma.partners.selectors import similar_partners

    start = time.perf_counter()
    build(partners=args.partners, agreements=args.agreements)
    print(f"built {args.partners} partners, {args.agreements} agreements in {time.perf_counter() - start:.1f} s")
    user = User.objects.create(username="bench", role=Role.STAF)
    client = Client()
    client.force_login(user)
    some = Agreement.objects.filter(kind="ia").order_by("pk").first()
    pages = {
        "agreement list": "/dokumen/",
        "agreement list, filtered": "/dokumen/?status=active&kind=moa&field=penelitian&unit=1",
        "agreement list, partner search": "/dokumen/?partner=Batam+Digital",
        "agreement list, page 200 sorted by number": "/dokumen/?sort=number&page=200",
        "agreement detail (tree)": f"/dokumen/{some.pk}/",
        "partner list": "/mitra/",
        "partner list, search": "/mitra/?q=Samudra",
        "home": "/",
    }
    print(f"{'page':45} {'median ms':>10} {'queries':>8}")
    for label, url in pages.items():
        ms, queries = _measure(client, url, args.repeat)
        print(f"{label:45} {ms:10.1f} {queries:8d}")
    start = time.perf_counter()
    for _ in range(args.repeat):
        similar_partners("PT. Batam Digital, Tbk")
    print(f"{'near-duplicate check':45} {(time.perf_counter() - start) / args.repeat * 1000:10.1f}")


if __name__ == "__main__":
    main()
