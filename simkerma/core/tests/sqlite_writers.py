"""Twenty writers and one workbook import at once on an SQLite file, run as its own process.

    SIMKERMA_VAR_DIR=/tmp/x DJANGO_SETTINGS_MODULE=config.settings python -m simkerma.core.tests.sqlite_writers ROWS

It migrates a new database under SIMKERMA_VAR_DIR with the production settings, writes a generated
workbook of about ROWS rows, then starts the import and twenty threads that each save partners
through `partner_save` until the import has finished (and at least WRITES_EACH each). It prints
one JSON line: the errors met, the partner codes each writer saved, and the import's outcome.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

WRITERS = 20
WRITES_EACH = 3


def main(rows: int) -> dict[str, Any]:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench.workbook_data import TEN_THOUSAND, workbook_path
    from simkerma.accounts.models import Role, User
    from simkerma.imports.services import workbook_import
    from simkerma.partners.data import PartnerData
    from simkerma.partners.models import Partner
    from simkerma.partners.services import partner_save

    call_command("migrate", verbosity=0)
    user = User.objects.create(username="staf", role=Role.STAF)
    workbook = workbook_path(TEN_THOUSAND.scaled(rows), Path(settings.VAR_DIR))

    start = threading.Barrier(WRITERS + 1)
    import_done = threading.Event()
    errors: list[str] = []
    saved: dict[int, list[str]] = {}
    longest: dict[int, float] = {}  # each writer's slowest save, in seconds: the time it queued
    outcome: dict[str, Any] = {}

    def run_import() -> None:
        try:
            start.wait()
            began = time.monotonic()
            result = workbook_import(file=workbook, user=None)
            outcome.update(
                saved=result.saved,
                problems=[str(problem.message) for problem in result.problems],
                seconds=time.monotonic() - began,
                partners=sum(count.created for count in result.counts if count.sheet == "Mitra"),
            )
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            import_done.set()
            connections.close_all()

    def write(writer: int) -> None:
        codes = saved.setdefault(writer, [])
        try:
            start.wait()
            while len(codes) < WRITES_EACH or not import_done.is_set():
                code = f"W{writer:02d}-{len(codes):04d}"
                began = time.monotonic()
                partner_save(
                    partner=None, data=PartnerData(code=code, name=f"Writer {code}", kind="industri"), user=user
                )
                longest[writer] = max(longest.get(writer, 0.0), time.monotonic() - began)
                codes.append(code)
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_import)] + [
        threading.Thread(target=write, args=(n,)) for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = sorted(Partner.objects.filter(code__startswith="W").values_list("code", flat=True))
    return {
        "errors": errors,
        "saved": {str(writer): codes for writer, codes in saved.items()},
        "stored": stored,
        "import": outcome,
        "longest_write": max(longest.values(), default=0.0),
        "options": settings.DATABASES["default"]["OPTIONS"],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1])), default=str))
