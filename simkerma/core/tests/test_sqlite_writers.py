"""On SQLite, twenty people saving at once, while a workbook import writes, never see "database is
locked": with WAL and IMMEDIATE transactions each writer queues for the lock instead of failing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from simkerma.core.tests.sqlite_writers import WRITERS, WRITES_EACH

ROOT = Path(settings.BASE_DIR)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the write lock and its queue are SQLite's")
def test_twenty_writers_and_an_import_at_once_meet_no_locked_database(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SIMKERMA_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "simkerma.core.tests.sqlite_writers", "2000"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])

    assert outcome["options"]["transaction_mode"] == "IMMEDIATE"
    assert outcome["errors"] == []
    assert outcome["import"]["saved"] is True and outcome["import"]["problems"] == []
    assert outcome["import"]["partners"] > 100
    assert len(outcome["saved"]) == WRITERS
    assert all(len(codes) >= WRITES_EACH for codes in outcome["saved"].values())
    assert outcome["stored"] == sorted(code for codes in outcome["saved"].values() for code in codes)
    # Some writer queued behind the import's transaction rather than writing beside it.
    assert outcome["longest_write"] > 0.2
