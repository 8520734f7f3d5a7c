"""The records the LKPS tests list, with the answers worked out by hand (TS = 2025: 2023..2025).

Jurusan IF with prodi IF01; jurusan MB with prodi MB01.
- Agreement A1 (internasional, 2022..2027, names IF01; partners "Alpha Corp" and a formula-like name):
  a1 pendidikan 12-14/03/2024 terlaksana, names no prodi (inherits IF01), benefit and evidence;
  a2 penelitian 01/05/2023 dilaporkan, 2 years, no evidence, an archived report with a link; funded
  Rp 15,000,000 in 2023, Rp 2,500,000 in 2024 and Rp 1,000,000 in 2022 (outside the window);
  a3 pendidikan 2024, cancelled; a4 pendidikan 31/12/2022 (TS-3); a5 pendidikan 05/01/2026 (TS+1);
  a6 pkm 2024 whose only report is superseded (so its evidence is only the agreement).
- Agreement A2 (wilayah, 2023..2030, terminated 01/07/2024, names jurusan IF, no prodi):
  b1 pkm 01/02/2024, names IF01, no evidence (flagged), ciri khas; b2 pkm 01/08/2024 names IF01
  (after the termination: not listed); b3 pendidikan 01/03/2024 names no prodi (the jurusan only).
- Agreement A3 (nasional, names MB01): c1 pendidikan 2025 — not IF's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.reporting import ActivityFunding
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.archive.models import CooperationReport
from simkerma.archive.tests.factories import ReportFactory
from simkerma.core.choices import Field, Level
from simkerma.partners.tests.factories import PartnerFactory

FORMULA = '=HYPERLINK("http://evil.example","klik")'
TS = 2025


@dataclass
class Data:
    a1: Activity
    a2: Activity
    a6: Activity
    b1: Activity
    b3: Activity
    extra: list[Activity]


def build(prodi_if: Any, jurusan_if: Any, prodi_mb: Any) -> Data:
    alpha, formula = PartnerFactory(name="Alpha Corp"), PartnerFactory(name=FORMULA)
    a = AgreementFactory(
        number="001/MOU.PL29/I/2022",
        level=Level.INTERNASIONAL,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2027, 12, 31),
        partners=[alpha, formula],
        prodi=[prodi_if],
    )
    common = {"agreement": a, "status": "terlaksana", "field": Field.PENDIDIKAN}
    a1 = ActivityFactory(
        **common,
        code="K-A1",
        title="Kuliah tamu keamanan siber",
        start_date=dt.date(2024, 3, 12),
        end_date=dt.date(2024, 3, 14),
        benefit="Materi kuliah diperbarui",
        evidence="https://bukti.example.id/a1",
    )
    a2 = ActivityFactory(
        **{**common, "status": "dilaporkan", "field": Field.PENELITIAN},
        code="K-A2",
        title="Riset bersama sensor",
        start_date=dt.date(2023, 5, 1),
        duration_years=2,
    )
    ReportFactory(
        code="LPK-0001",
        agreement=a,
        activities=[a2],
        status=CooperationReport.Status.ARCHIVED,
        documentation_link="https://dok.example.id/1",
        benefit_learning="Bahan riset mahasiswa",
    )
    for year, amount in ((2022, 1_000_000), (2023, 15_000_000), (2024, 2_500_000)):
        ActivityFunding.objects.create(activity=a2, year=year, amount=Decimal(amount))
    a3 = ActivityFactory(**{**common, "status": "rencana"}, code="K-A3", start_date=dt.date(2024, 6, 1))
    a3.move(ActivityStatus.BATAL, user=None, reason="Narasumber berhalangan")
    ActivityFactory(**common, code="K-A4", start_date=dt.date(2022, 12, 31))
    ActivityFactory(**common, code="K-A5", start_date=dt.date(2026, 1, 5))
    a6 = ActivityFactory(
        **{**common, "field": Field.PKM}, code="K-A6", title="Pelatihan UMKM", start_date=dt.date(2024, 9, 2)
    )
    ReportFactory(code="LPK-0002", agreement=a, activities=[a6], status=CooperationReport.Status.SUPERSEDED)

    b = AgreementFactory(
        number="002/MOA.PL29/I/2023",
        level=Level.WILAYAH,
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2030, 12, 31),
        terminated_on=dt.date(2024, 7, 1),
        partners=[PartnerFactory(name="PT Lokal Batam")],
        units=[jurusan_if],
    )
    common = {"agreement": b, "status": "terlaksana", "field": Field.PKM}
    b1 = ActivityFactory(
        **common, code="K-B1", title="Servis gratis", start_date=dt.date(2024, 2, 1), prodi=[prodi_if], distinctive=True
    )
    ActivityFactory(**common, code="K-B2", start_date=dt.date(2024, 8, 1), prodi=[prodi_if])
    b3 = ActivityFactory(
        **{**common, "field": Field.PENDIDIKAN}, code="K-B3", title="Magang jurusan", start_date=dt.date(2024, 3, 1)
    )

    c = AgreementFactory(number="003/IA.PL29/I/2025", level=Level.NASIONAL, prodi=[prodi_mb])
    ActivityFactory(agreement=c, status="terlaksana", code="K-C1", start_date=dt.date(2025, 2, 1))
    return Data(a1=a1, a2=a2, a6=a6, b1=b1, b3=b3, extra=[])


def add_many(data: Data, count: int) -> None:
    """More listed activities under A1 (penelitian, each with a report and funding), for the
    queries' count with many rows."""
    a = data.a1.agreement
    for n in range(count):
        activity = ActivityFactory(
            agreement=a,
            status="terlaksana",
            field=(Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM)[n % 3],
            code=f"K-M{n:03d}",
            start_date=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        )
        ReportFactory(code=f"LPK-M{n:03d}", agreement=a, activities=[activity])
        ActivityFunding.objects.create(activity=activity, year=2025, amount=Decimal(1_000_000))
        data.extra.append(activity)


PARTNERS_A = f"{FORMULA}; Alpha Corp"
A1_IAPS = [PARTNERS_A, True, False, False, "Kuliah tamu keamanan siber", "Materi kuliah diperbarui"]
A1_IAPS += ["12/03/2024 – 14/03/2024 (1 tahun)", "https://bukti.example.id/a1", 2027]
A2_IAPS = [PARTNERS_A, True, False, False, "Riset bersama sensor", "Bahan riset mahasiswa", "01/05/2023 (2 tahun)"]
A2_IAPS += ["Laporan LPK-0001; https://dok.example.id/1", 2027]
A6_IAPS = [PARTNERS_A, True, False, False, "Pelatihan UMKM", "", "02/09/2024 (1 tahun)"]
A6_IAPS += ["Hanya dokumen kerja sama 001/MOU.PL29/I/2022 (bukan bukti pelaksanaan)", 2027]
B1_IAPS = ["PT Lokal Batam", False, False, True, "Servis gratis", "", "01/02/2024 (1 tahun)"]
B1_IAPS += ["Hanya dokumen kerja sama 002/MOA.PL29/I/2023 (bukan bukti pelaksanaan)", 2024]
B3_IAPS = ["PT Lokal Batam", False, False, True, "Magang jurusan", "", "01/03/2024 (1 tahun)"]
B3_IAPS += ["Hanya dokumen kerja sama 002/MOA.PL29/I/2023 (bukan bukti pelaksanaan)", 2024]
