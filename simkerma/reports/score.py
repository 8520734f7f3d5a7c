"""The accreditation score estimate for cooperation (docs/reports-iku.md): pure arithmetic on
counts, with every step kept so that the report can show how the score came about.

IAPS 4.0 style: RK = (a·N1 + b·N2 + c·N3) / NDTPS and A = min(RK, 4); B from the international,
national and regional/local counts NI, NN, NW with the level thresholds ni, nn, nw; the score is
(2A + B) / 3, never above 4. An estimate, not the assessors' score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q

from simkerma.activities.models import ActivityProdiScope
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field, Level
from simkerma.evaluations.models import Evaluation
from simkerma.org.models import LecturerCount, Prodi

LAMDIK = "lamdik"


@dataclass(frozen=True)
class Factors:
    a: float
    b: float
    c: float
    ni: float
    nn: float
    nw: float
    source: str
    effectiveness: bool = False

    @classmethod
    def from_setting(cls, entry: Mapping[str, Any]) -> Factors:
        return cls(
            a=float(entry["a"]),
            b=float(entry["b"]),
            c=float(entry["c"]),
            ni=float(entry["ni"]),
            nn=float(entry["nn"]),
            nw=float(entry["nw"]),
            source=str(entry.get("source", "")),
            effectiveness=bool(entry.get("effectiveness", False)),
        )


def factors_for(instrument: str, level: str) -> Factors | None:
    """The factors set for an instrument and jenjang, or None when the setting has none."""
    entry = settings.SIMKERMA_ACCREDITATION_FACTORS.get(instrument, {}).get(level)
    return Factors.from_setting(entry) if entry else None


@dataclass(frozen=True)
class Inputs:
    n1: int  # pendidikan
    n2: int  # penelitian
    n3: int  # PkM
    ni: int  # internasional
    nn: int  # nasional
    nw: int  # wilayah/lokal
    ndtps: int | None
    effectiveness: float | None = None  # the mean 1-4 effectiveness of the evaluations (LAMDIK)
    evaluations: int = 0


@dataclass
class Estimate:
    inputs: Inputs
    factors: Factors
    weighted: tuple[float, float, float] = (0.0, 0.0, 0.0)  # a·N1, b·N2, c·N3
    rk: float | None = None
    score_a: float | None = None
    score_b: float = 0.0
    b_rule: str = ""
    score: float | None = None
    steps: list[tuple[str, str, Any]] = field(default_factory=list)


def score_b(ni: int, nn: int, nw: int, f: Factors) -> tuple[float, str]:
    """Score B of the IAPS 4.0 matriks, with the rule that applied.

    NI ≥ ni: 4. NN ≥ nn: 3 + NI/ni. NI or NN above 0: 2 + 2·NI/ni + NN/nn - NI·NN/(ni·nn).
    Neither, NW ≥ nw: 2. Else 2·NW/nw. The pieces meet at their borders (3 at NN = nn, 4 at NI = ni).
    """
    if ni >= f.ni:
        return 4.0, "NI ≥ a → 4"
    if nn >= f.nn:
        return 3 + ni / f.ni, "NN ≥ b → 3 + NI/a"
    if ni > 0 or nn > 0:
        value = 2 + 2 * ni / f.ni + nn / f.nn - (ni * nn) / (f.ni * f.nn)
        return value, "2 + 2·(NI/a) + NN/b − (NI·NN)/(a·b)"
    if nw >= f.nw:
        return 2.0, "NI = NN = 0, NW ≥ c → 2"
    return 2 * nw / f.nw, "NI = NN = 0 → 2·NW/c"


def estimate(inputs: Inputs, f: Factors) -> Estimate:
    """Every step of the estimate; RK, A and the score are None without NDTPS (or with 0)."""
    result = Estimate(inputs=inputs, factors=f)
    result.weighted = (f.a * inputs.n1, f.b * inputs.n2, f.c * inputs.n3)
    result.score_b, result.b_rule = score_b(inputs.ni, inputs.nn, inputs.nw, f)
    if inputs.ndtps:
        result.rk = sum(result.weighted) / inputs.ndtps
        result.score_a = min(result.rk, 4.0)
        result.score = min((2 * result.score_a + result.score_b) / 3, 4.0)
    result.steps = _steps(result)
    return result


def _steps(r: Estimate) -> list[tuple[str, str, Any]]:
    i, f = r.inputs, r.factors
    steps: list[tuple[str, str, Any]] = [
        ("NDTPS", "Dosen tetap PS pada TS", i.ndtps),
        ("N1", "Kerja sama pendidikan, TS-2 s.d. TS", i.n1),
        ("N2", "Kerja sama penelitian, TS-2 s.d. TS", i.n2),
        ("N3", "Kerja sama PkM, TS-2 s.d. TS", i.n3),
        ("NI", "Kerja sama internasional", i.ni),
        ("NN", "Kerja sama nasional", i.nn),
        ("NW", "Kerja sama wilayah/lokal", i.nw),
        ("a, b, c (RK)", "Faktor jenis kerja sama", f"{f.a:g}, {f.b:g}, {f.c:g}"),
        ("a·N1", f"{f.a:g} × {i.n1}", r.weighted[0]),
        ("b·N2", f"{f.b:g} × {i.n2}", r.weighted[1]),
        ("c·N3", f"{f.c:g} × {i.n3}", r.weighted[2]),
        ("RK", "(a·N1 + b·N2 + c·N3) / NDTPS", r.rk),
        ("A", "min(RK, 4)", r.score_a),
        ("a, b, c (B)", "Faktor tingkat kerja sama", f"{f.ni:g}, {f.nn:g}, {f.nw:g}"),
        ("B", r.b_rule, r.score_b),
        ("Skor", "(2A + B) / 3, paling tinggi 4", r.score),
    ]
    if f.effectiveness:
        steps.append(
            ("E", f"Rata-rata efektivitas (1–4) dari {i.evaluations} evaluasi", i.effectiveness),
        )
    return steps


def window_dates(ts: int) -> tuple[dt.date, dt.date]:
    return dt.date(ts - 2, 1, 1), dt.date(ts, 12, 31)


def count_inputs(prodi: Prodi, ts: int) -> Inputs:
    """N1..N3 and NI, NN, NW: the prodi's carried-out activities (incl. those inherited from the
    agreement) started in TS-2..TS, in one query; NDTPS for TS; the mean effectiveness of the
    evaluations (years TS-2..TS) of the agreements the prodi's counted activities belong to or
    that name the prodi."""
    first, last = window_dates(ts)
    rows = ActivityProdiScope.objects.filter(prodi=prodi, counts=True, start_date__gte=first, start_date__lte=last)
    counts = rows.aggregate(
        n1=Count("pk", filter=Q(field=Field.PENDIDIKAN)),
        n2=Count("pk", filter=Q(field=Field.PENELITIAN)),
        n3=Count("pk", filter=Q(field=Field.PKM)),
        ni=Count("pk", filter=Q(level=Level.INTERNASIONAL)),
        nn=Count("pk", filter=Q(level=Level.NASIONAL)),
        nw=Count("pk", filter=Q(level=Level.WILAYAH)),
    )
    ndtps = LecturerCount.objects.filter(prodi=prodi, year=ts).values_list("ndtps", flat=True).first()
    agreements = Agreement.objects.for_prodi(prodi).values("pk")
    evaluated = Evaluation.objects.filter(
        Q(agreement__in=agreements) | Q(agreement__in=rows.values("agreement_id")),
        year__gte=ts - 2,
        year__lte=ts,
        effectiveness__isnull=False,
    ).aggregate(mean=Avg("effectiveness"), n=Count("pk"))
    mean = evaluated["mean"]
    return Inputs(
        **counts,
        ndtps=ndtps,
        effectiveness=float(mean) if mean is not None else None,
        evaluations=evaluated["n"],
    )
