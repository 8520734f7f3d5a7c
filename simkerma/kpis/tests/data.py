"""A small institution built by hand, with the KPIs of 2025 and 2026 worked out in the comments.

Units: jurusan IF and MB, P3M (expects penelitian and PkM), Humas (a unit expecting nothing).
Prodi: IF01 always active; IF02 active from 2026; IF03 active until 2025; MB01, MB02 always active.

Agreements:
  MoA-2025-001  2025-01-01 … 2029-12-31, units IF, prodi IF01, nasional
  MoA-2025-002  2025-01-01 … 2029-12-31, prodi MB02 (no units), internasional
  MoU-2024-003  2024-01-01 … 2028-12-31, ended early on 2025-06-01, no units or prodi, wilayah
  MoA-2025-004  2025-03-01 … 2025-12-31, nasional

Activities of 2025 (✓ counts):
  K1 ✓ 001 pendidikan terlaksana 2025-03-10, names nothing → IF, IF01
  K2 ✓ 001 penelitian dilaporkan 2025-04-01, prodi IF02 → IF once (its units and IF02's jurusan);
       IF02 is not active in 2025, so no coverage
  K3 ✗ 001 pkm batal 2025-05-01, units P3M (cancelled)
  K4 ✓ 002 pendidikan terlaksana 2025-07-01, names nothing → prodi MB02, so jurusan MB
  K5 ✓ 003 penelitian terlaksana 2025-05-31, units P3M, prodi IF03 → P3M, IF, IF03
  K6 ✗ 003 pkm terlaksana 2025-06-01, units P3M (the agreement ended that day)
  K7 ✗ 004 pkm terlaksana 2025-02-15, units P3M (before the agreement starts)
  K8 ✓ 001 pkm diarsipkan 2025-08-01, units P3M, names no prodi → P3M, and IF through 001's IF01
  K9 ✗ 004 pkm rencana 2025-04-01, units P3M (only planned)
Activities of other years:
  K10 ✓ 003 pendidikan terlaksana 2024-11-01, names nothing (no scope row at all): counted for 2024
  K11 ✓ 001 pendidikan terlaksana 2026-02-02, prodi IF03 (inactive in 2026) → IF only
  K12 ✓ 001 penelitian terlaksana 2026-03-03, prodi IF02 → IF, IF02

Evaluations of 2025: 001 all yes, kepuasan 4 → LED 4; 003 benefit yes, performance no, kepuasan
empty with two answered surveys (3 and 2: mean 2.5 → 3) and keberlanjutan yes → LED 2; 002 none;
004 (not counted) all yes. 2024: 003 benefit yes only, kepuasan 2.

Service requests of 2025, read on Tuesday 2025-12-30 at 10:00 WIB:
  R1 information, Friday 2025-11-14 15:55, answered Monday 08:05 (due 08:10 across the weekend): met
  R2 MoU draft, Wednesday 2025-12-24 10:00, answered 10:10; the draft (due Monday 29 at 10:00 over
     Christmas and the joint leave day) sent Monday 29 at 09:00: both met
  R3 partner, Monday 2025-11-17 20:00 (night), answered Tuesday 08:10 (due 08:15): met; followed
     up Wednesday 08:30 (due Tuesday 16:00): breached
  R4 information, Tuesday 2025-12-30 09:50, not answered (due 10:05): pending
  R5 information, Tuesday 2025-11-18 09:00, answered 09:20: breached
  R6 information, discarded as spam: left out
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field, Level
from simkerma.core.dates import WIB
from simkerma.evaluations.tests.factories import EvaluationFactory, answered
from simkerma.org.models import Unit
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.servicedesk.models import RequestKind
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

NOW = dt.datetime(2025, 12, 30, 10, 0, tzinfo=WIB)
S = ActivityStatus


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def build_org() -> dict[str, Any]:
    if_ = UnitFactory(code="IF", name="Teknik Informatika")
    mb = UnitFactory(code="MB", name="Manajemen dan Bisnis")
    p3m = UnitFactory(code="P3M", name="P3M", kind=Unit.Kind.P3M)
    humas = UnitFactory(code="HUMAS", name="Humas", kind=Unit.Kind.UNIT)
    prodi = {
        "IF01": ProdiFactory(code="IF01", unit=if_),
        "IF02": ProdiFactory(code="IF02", unit=if_, active_from=2026),
        "IF03": ProdiFactory(code="IF03", unit=if_, active_from=2020, active_until=2025),
        "MB01": ProdiFactory(code="MB01", unit=mb),
        "MB02": ProdiFactory(code="MB02", unit=mb),
    }
    return {"IF": if_, "MB": mb, "P3M": p3m, "HUMAS": humas, **prodi}


def build_agreements(org: dict[str, Any]) -> dict[str, Any]:
    a1 = AgreementFactory(
        number="MoA-2025-001", kind="moa", level=Level.NASIONAL, units=[org["IF"]], prodi=[org["IF01"]]
    )
    a2 = AgreementFactory(number="MoA-2025-002", kind="moa", level=Level.INTERNASIONAL, prodi=[org["MB02"]])
    a3 = AgreementFactory(
        number="MoU-2024-003",
        level=Level.WILAYAH,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2028, 12, 31),
        terminated_on=dt.date(2025, 6, 1),
    )
    a4 = AgreementFactory(
        number="MoA-2025-004", kind="moa", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 12, 31)
    )
    return {"A1": a1, "A2": a2, "A3": a3, "A4": a4}


def activity(code: str, agreement: Any, field: str, status: str, day: dt.date, **links: Any) -> Any:
    return ActivityFactory(code=code, agreement=agreement, field=field, status=status, start_date=day, **links)


def build_activities(org: dict[str, Any], ag: dict[str, Any]) -> None:
    F = Field
    activity("K1", ag["A1"], F.PENDIDIKAN, S.TERLAKSANA, dt.date(2025, 3, 10))
    activity("K2", ag["A1"], F.PENELITIAN, S.DILAPORKAN, dt.date(2025, 4, 1), prodi=[org["IF02"]])
    activity("K3", ag["A1"], F.PKM, S.BATAL, dt.date(2025, 5, 1), units=[org["P3M"]])
    activity("K4", ag["A2"], F.PENDIDIKAN, S.TERLAKSANA, dt.date(2025, 7, 1))
    activity("K5", ag["A3"], F.PENELITIAN, S.TERLAKSANA, dt.date(2025, 5, 31), units=[org["P3M"]], prodi=[org["IF03"]])
    activity("K6", ag["A3"], F.PKM, S.TERLAKSANA, dt.date(2025, 6, 1), units=[org["P3M"]])
    activity("K7", ag["A4"], F.PKM, S.TERLAKSANA, dt.date(2025, 2, 15), units=[org["P3M"]])
    activity("K8", ag["A1"], F.PKM, S.DIARSIPKAN, dt.date(2025, 8, 1), units=[org["P3M"]])
    activity("K9", ag["A4"], F.PKM, S.RENCANA, dt.date(2025, 4, 1), units=[org["P3M"]])
    activity("K10", ag["A3"], F.PENDIDIKAN, S.TERLAKSANA, dt.date(2024, 11, 1))
    activity("K11", ag["A1"], F.PENDIDIKAN, S.TERLAKSANA, dt.date(2026, 2, 2), prodi=[org["IF03"]])
    activity("K12", ag["A1"], F.PENELITIAN, S.TERLAKSANA, dt.date(2026, 3, 3), prodi=[org["IF02"]])


def build_evaluations(ag: dict[str, Any]) -> None:
    EvaluationFactory(agreement=ag["A1"], year=2025, benefit=True, performance=True, kepuasan=4, keberlanjutan=True)
    EvaluationFactory(agreement=ag["A3"], year=2025, benefit=True, performance=False, kepuasan=None, keberlanjutan=True)
    answered(ag["A3"], 2025, 3)
    answered(ag["A3"], 2025, 2)
    EvaluationFactory(agreement=ag["A4"], year=2025, benefit=True, performance=True, kepuasan=4, keberlanjutan=True)
    EvaluationFactory(agreement=ag["A3"], year=2024, benefit=True, performance=False, kepuasan=2, keberlanjutan=True)


def build_requests() -> None:
    ServiceRequestFactory(code="R1", received_at=wib(2025, 11, 14, 15, 55), responded_at=wib(2025, 11, 17, 8, 5))
    ServiceRequestFactory(
        code="R2",
        kind=RequestKind.NEW_DRAFT,
        document_kind="mou",
        received_at=wib(2025, 12, 24, 10, 0),
        responded_at=wib(2025, 12, 24, 10, 10),
        draft_sent_at=wib(2025, 12, 29, 9, 0),
    )
    ServiceRequestFactory(
        code="R3",
        from_partner=True,
        received_at=wib(2025, 11, 17, 20, 0),
        responded_at=wib(2025, 11, 18, 8, 10),
        followed_up_at=wib(2025, 11, 19, 8, 30),
    )
    ServiceRequestFactory(code="R4", received_at=wib(2025, 12, 30, 9, 50))
    ServiceRequestFactory(code="R5", received_at=wib(2025, 11, 18, 9, 0), responded_at=wib(2025, 11, 18, 9, 20))
    ServiceRequestFactory(code="R6", received_at=wib(2025, 11, 18, 9, 0), discarded_at=timezone.now())


def build_all() -> dict[str, Any]:
    org = build_org()
    ag = build_agreements(org)
    build_activities(org, ag)
    build_evaluations(ag)
    build_requests()
    return {**org, **ag}


def levels(**counts: int) -> dict[str, int]:
    return {level: counts.get(level, 0) for level in Level.values}


NO_LEVELS = {"pendidikan": levels(), "penelitian": levels(), "pkm": levels()}

EXPECTED_2025 = {
    "year": 2025,
    # Active: IF01, IF03, MB01, MB02 (IF02 only from 2026). Covered: IF01 (K1), IF03 (K5), MB02 (K4).
    "prodi_coverage": {
        "active": 4,
        "covered": 3,
        "percent": 75.0,
        "target": 80.0,
        "met": False,
        "uncovered": ["MB01"],
    },
    "unit_fields": {
        "IF": {
            "pendidikan": 1,
            "penelitian": 2,
            "pkm": 1,
            "expected": ["pendidikan", "penelitian", "pkm"],
            "met": True,
            "levels": {
                "pendidikan": levels(nasional=1),
                "penelitian": levels(nasional=1, wilayah=1),
                "pkm": levels(nasional=1),
            },
        },
        "MB": {
            "pendidikan": 1,
            "penelitian": 0,
            "pkm": 0,
            "expected": ["pendidikan", "penelitian", "pkm"],
            "met": False,
            "levels": {"pendidikan": levels(internasional=1), "penelitian": levels(), "pkm": levels()},
        },
        "P3M": {
            "pendidikan": 0,
            "penelitian": 1,
            "pkm": 1,
            "expected": ["penelitian", "pkm"],
            "met": True,
            "levels": {"pendidikan": levels(), "penelitian": levels(wilayah=1), "pkm": levels(nasional=1)},
        },
    },
    "service_times": {
        "draft_1d": {"met": 1, "breached": 0, "pending": 0, "percent": 100.0},
        "response_15m": {"met": 3, "breached": 1, "pending": 1, "percent": 75.0},
        "followup_1d": {"met": 0, "breached": 1, "pending": 0, "percent": 0.0},
    },
    # Counted: 001, 002, 003 (004's only carried-out activity falls before it starts).
    "aspects": {
        "counted": 3,
        "not_evaluated": ["MoA-2025-002"],
        "benefit": {"met": 2, "percent": 66.67},
        "performance": {"met": 1, "percent": 33.33},
        "satisfaction": {"met": 2, "percent": 66.67},
    },
}


def build_agreements_many(org: dict[str, Any], count: int) -> int:
    """More rows of every kind: `count` agreements, each with two activities carried out in 2025 for
    a new prodi, an evaluation and a survey. Gives the number of agreements added to aspects.counted."""
    for index in range(count):
        prodi = ProdiFactory(code=f"X{index:03d}", unit=org["MB"])
        agreement = AgreementFactory(number=f"MoA-X-{index:03d}", kind="moa", prodi=[prodi])
        activity(f"KX{index}a", agreement, Field.PKM, S.TERLAKSANA, dt.date(2025, 9, 1))
        activity(f"KX{index}b", agreement, Field.PENELITIAN, S.TERLAKSANA, dt.date(2025, 9, 2), units=[org["P3M"]])
        if index % 2:
            EvaluationFactory(agreement=agreement, year=2025, kepuasan=None, keberlanjutan=None)
            answered(agreement, 2025, 4)
    return count
