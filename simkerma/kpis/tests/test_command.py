"""`manage.py kpi`: the contract's JSON, the readable table, and plain refusals of a bad year."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import time_machine
from django.core.management import ManagementUtility, call_command

from simkerma.kpis.tests import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return data.build_all()


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(data.NOW, tick=False):
        call_command("kpi", *args, stdout=out)
    return out.getvalue()


def test_json_prints_the_contracts_report(world):
    assert json.loads(run("--year", "2025", "--json")) == data.EXPECTED_2025


def test_json_of_a_year_without_data_has_nulls(world):
    report = json.loads(run("--year", "2000", "--json"))
    assert report["aspects"]["benefit"] == {"met": 0, "percent": None}
    assert report["service_times"]["draft_1d"] == {"met": 0, "breached": 0, "pending": 0, "percent": None}


def test_the_table_speaks_the_default_language(world):
    text = run("--year", "2025")
    assert "Laporan IKU 2025" in text
    assert "3 dari 4 prodi aktif tercakup: 75,00% (target 80,00%), belum tercapai" in text
    assert "Belum tercakup: MB01" in text
    assert "Belum dievaluasi: MoA-2025-002" in text
    p3m = next(line for line in text.splitlines() if line.startswith("P3M"))
    assert p3m.split()[:4] == ["P3M", "0", "1", "1"]
    assert p3m.endswith("tercapai") and "belum" not in p3m


def test_the_table_in_english(world):
    text = run("--year", "2025", "--language", "en")
    assert "KPI report 2025" in text
    assert "3 of 4 active prodi covered: 75.00% (target 80.00%), not met" in text
    assert "Not evaluated: MoA-2025-002" in text
    p3m = next(line for line in text.splitlines() if line.startswith("P3M"))
    assert p3m.split()[:4] == ["P3M", "0", "1", "1"]
    assert p3m.endswith("met") and "not met" not in p3m


@pytest.mark.parametrize(
    ("year", "message"),
    [("abc", "'abc' is not a year; give one such as 2025."), ("1800", "1800 is outside 1990 to 2100.")],
)
def test_a_bad_year_exits_with_status_2_and_a_plain_message(year, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "kpi", "--year", year]).execute()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument --year: {message}" in err
    assert "Traceback" not in err
