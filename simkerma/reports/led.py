"""The cooperation part of a unit's LED (Laporan Evaluasi Diri, form FO.2.3.1, criterion C.2) for a year.

The summary carries the unit's KPI figures: the fields it covered (B.1.2.9.7), its prodi coverage
against the target (B.1.2.9.11) and the three aspects over its agreements (B.1.2.9.8). The tables
list the agreements in force, the activities carried out, the C.2 score of each agreement from its
evaluation for the year, and the archived cooperation reports that are the LED's evidence.

The headings are the form's Indonesian wording. A year without data gives the tables empty, with
their headings. The report costs the same dozen queries however many rows it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Prefetch, Value, When
from django.utils import timezone

from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement, Status, status_condition
from simkerma.archive.models import CooperationReport
from simkerma.core.choices import Field, Level
from simkerma.evaluations.selectors import Judgement, aspect_judgements
from simkerma.kpis import engine
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.reports.framework import Column, Kind, Report, Table

NOT_EVALUATED = "belum dievaluasi"
FIELD_NAMES: dict[str, str] = {Field.PENDIDIKAN: "Pendidikan", Field.PENELITIAN: "Penelitian", Field.PKM: "PkM"}
LEVEL_NAMES: dict[str, str] = {
    Level.INTERNASIONAL: "Internasional",
    Level.NASIONAL: "Nasional",
    Level.WILAYAH: "Wilayah/Lokal",
}
KIND_NAMES: dict[str, str] = {"mou": "MoU", "moa": "MoA/PKS", "ia": "IA"}
STATUS_NAMES: dict[str, str] = {
    Status.DRAFT: "Belum berlaku",
    Status.ACTIVE: "Aktif",
    Status.EXPIRING: "Segera berakhir",
    Status.EXPIRED: "Berakhir",
    Status.TERMINATED: "Diakhiri lebih awal",
}
# The order in which the statuses are decided: the same as Agreement.status_on.
STATUS_ORDER = (Status.TERMINATED, Status.DRAFT, Status.EXPIRED, Status.EXPIRING, Status.ACTIVE)
PARTNER_NAMES = Prefetch("partners", queryset=Partner.objects.only("pk", "name", "country").order_by("name"))

AGREEMENT_COLUMNS = (
    Column("number", "Nomor Dokumen", width=28),
    Column("kind", "Jenis", width=10),
    Column("partners", "Mitra", width=30),
    Column("level", "Tingkat", width=14),
    Column("start", "Mulai", Kind.DATE, width=12),
    Column("end", "Berakhir", Kind.DATE, width=12),
    Column("status", "Status", width=16),
)
ACTIVITY_COLUMNS = (
    Column("code", "Kode", width=14),
    Column("title", "Judul Kegiatan", width=36),
    Column("field", "Bidang", width=12),
    Column("partners", "Mitra", width=28),
    Column("date", "Tanggal", Kind.DATE, width=12),
    Column("evidence", "Bukti", width=30),
)
SCORE_COLUMNS = (
    Column("number", "Nomor Dokumen", width=28),
    Column("benefit", "Manfaat", Kind.TICK, group="Aspek terpenuhi", width=10),
    Column("performance", "Kinerja", Kind.TICK, group="Aspek terpenuhi", width=10),
    Column("satisfaction", "Kepuasan dan keberlanjutan", Kind.TICK, group="Aspek terpenuhi", width=14),
    Column("score", "Skor", Kind.DECIMAL, width=8),
    Column("note", "Keterangan", width=20),
)
EVIDENCE_COLUMNS = (
    Column("code", "Kode Laporan", width=16),
    Column("version", "Versi", Kind.INT, width=8),
    Column("title", "Judul Laporan", width=40),
    Column("agreement", "Nomor Dokumen", width=28),
    Column("archived", "Diarsipkan", Kind.DATE, width=14),
    Column("keep", "Disimpan sampai", Kind.DATE, width=14),
)


@dataclass(frozen=True)
class AgreementScore:
    """One agreement's C.2 result for the year; `score` is None when it has no evaluation."""

    number: str
    met: engine.AspectsMet | None
    score: int | None


def reference_day(year: int) -> dt.date:
    """The day an agreement's status is read on: the year's last day, or today while the year runs."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def unit_agreements(unit: Unit, year: int) -> list[Agreement]:
    """The unit's agreements in force at some point of the year, each with its status on the reference day."""
    on = reference_day(year)
    status = Case(*(When(status_condition(s, on), then=Value(str(s))) for s in STATUS_ORDER), default=Value(""))
    return list(
        Agreement.objects.in_year(year)
        .for_unit(unit)
        .annotate(status_then=status)
        .prefetch_related(PARTNER_NAMES)
        .order_by("start_date", "number")
    )


def partner_names(agreement: Agreement) -> str:
    return "; ".join(partner.name for partner in agreement.partners.all())


def agreement_scores(agreements: Sequence[Agreement], judgements: dict[int, Judgement]) -> list[AgreementScore]:
    scores = []
    for agreement in agreements:
        found = judgements.get(agreement.pk)
        if found is None:
            scores.append(AgreementScore(agreement.number, None, None))
        else:
            scores.append(AgreementScore(agreement.number, engine.aspects_met(found), engine.led_quality_score(found)))
    return scores


def average_score(scores: Sequence[AgreementScore]) -> Decimal | None:
    """The unit's mean C.2 score over its evaluated agreements, to two places; None when none is evaluated."""
    values = [score.score for score in scores if score.score is not None]
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _unit_coverage(unit: Unit, year: int) -> dict[str, Any]:
    coverage = engine.prodi_coverage(year)
    uncovered = set(coverage["uncovered"])
    codes = list(Prodi.objects.active_in(year).filter(unit=unit).order_by("code").values_list("code", flat=True))
    covered = [code for code in codes if code not in uncovered]
    percent = engine.rounded_percent(len(covered), len(codes))
    return {
        "active": len(codes),
        "covered": len(covered),
        "percent": percent,
        "target": coverage["target"],
        "met": percent is not None and percent >= coverage["target"],
        "uncovered": [code for code in codes if code in uncovered],
    }


def _aspect_counts(unit: Unit, year: int, judgements: dict[int, Judgement]) -> tuple[int, dict[str, int]]:
    """The unit's counted agreements (an activity carried out for it in the year) and how many meet each aspect."""
    counted = set(Activity.objects.carried_out_in(year, unit=unit).values_list("agreement_id", flat=True))
    met = dict.fromkeys(engine.ASPECTS, 0)
    for agreement_id in counted:
        flags = engine.aspects_met(judgements.get(agreement_id))
        for aspect in engine.ASPECTS:
            met[aspect] += getattr(flags, aspect)
    return len(counted), met


def _yes(flag: bool) -> str:
    return "Ya" if flag else "Tidak"


def led_summary(
    unit: Unit, year: int, scores: Sequence[AgreementScore], judgements: dict[int, Judgement]
) -> list[tuple[str, Any]]:
    fields = engine.unit_fields(year).get(unit.code)
    per_field = {field: (fields or {}).get(field, 0) for field in Field.values}
    expected = fields["expected"] if fields else sorted(unit.expected_fields)
    fields_met = all(per_field[field] > 0 for field in expected)
    coverage = _unit_coverage(unit, year)
    counted, met = _aspect_counts(unit, year, judgements)
    average = average_score(scores)
    summary: list[tuple[str, Any]] = [
        *((f"Kegiatan terlaksana bidang {FIELD_NAMES[field]}", per_field[field]) for field in Field.values),
        ("Bidang yang diharapkan", ", ".join(FIELD_NAMES[field] for field in expected) or "-"),
        ("B.1.2.9.7 tercapai", _yes(fields_met)),
        ("Prodi aktif", coverage["active"]),
        ("Prodi yang bekerja sama", coverage["covered"]),
        ("Cakupan prodi (%)", "-" if coverage["percent"] is None else coverage["percent"]),
        ("Target cakupan prodi (%)", coverage["target"]),
        ("B.1.2.9.11 tercapai", _yes(coverage["met"])),
        ("Prodi belum bekerja sama", ", ".join(coverage["uncovered"]) or "-"),
        ("Kerja sama yang dihitung (B.1.2.9.8)", counted),
        ("Aspek manfaat terpenuhi", met["benefit"]),
        ("Aspek kinerja terpenuhi", met["performance"]),
        ("Aspek kepuasan dan keberlanjutan terpenuhi", met["satisfaction"]),
        ("Skor rata-rata C.2", "-" if average is None else average),
    ]
    return summary


def _agreement_rows(agreements: Sequence[Agreement]) -> Iterator[list[Any]]:
    for agreement in agreements:
        yield [
            agreement.number,
            KIND_NAMES.get(agreement.kind, agreement.kind),
            partner_names(agreement),
            LEVEL_NAMES.get(agreement.level, agreement.level),
            agreement.start_date,
            agreement.end_date,
            STATUS_NAMES.get(getattr(agreement, "status_then", ""), ""),
        ]


def _activity_rows(unit: Unit, year: int) -> Iterator[list[Any]]:
    activities = (
        Activity.objects.carried_out_in(year, unit=unit)
        .select_related("agreement")
        .prefetch_related(Prefetch("agreement__partners", queryset=Partner.objects.only("pk", "name").order_by("name")))
        .order_by("start_date", "code")
    )
    for activity in activities:
        yield [
            activity.code,
            activity.title,
            FIELD_NAMES.get(activity.field, activity.field),
            partner_names(activity.agreement),
            activity.start_date,
            activity.evidence,
        ]


def _score_rows(scores: Sequence[AgreementScore]) -> Iterator[list[Any]]:
    for score in scores:
        if score.met is None:
            yield [score.number, None, None, None, None, NOT_EVALUATED]
        else:
            yield [score.number, score.met.benefit, score.met.performance, score.met.satisfaction, score.score, ""]


def archived_reports(agreements: Sequence[Agreement], year: int) -> Any:
    """The archived cooperation reports (LED data) of the agreements, archived in the year (WIB)."""
    zone = timezone.get_current_timezone()
    first = dt.datetime(year, 1, 1, tzinfo=zone)
    last = dt.datetime(year + 1, 1, 1, tzinfo=zone) if year < 9999 else None
    reports = CooperationReport.objects.led_data().filter(
        status=CooperationReport.Status.ARCHIVED,
        agreement_id__in=[agreement.pk for agreement in agreements],
        archived_at__gte=first,
    )
    if last is not None:
        reports = reports.filter(archived_at__lt=last)
    return (
        reports.select_related("agreement")
        .only("code", "version", "title", "archived_at", "retention_until", "agreement__number")
        .order_by("archived_at", "code")
    )


def _evidence_rows(agreements: Sequence[Agreement], year: int) -> Iterator[list[Any]]:
    for report in archived_reports(agreements, year):
        archived = timezone.localdate(report.archived_at) if report.archived_at else None
        yield [report.code, report.version, report.title, report.agreement.number, archived, report.retention_until]


def led_report(unit: Unit, year: int) -> Report:
    """The LED's cooperation part for the unit and year, as a `Report` the renderers write."""
    agreements = unit_agreements(unit, year)
    judgements = aspect_judgements(year)
    scores = agreement_scores(agreements, judgements)
    average = average_score(scores)
    tables = [
        Table(
            "Dokumen", "Dokumen kerja sama yang berlaku", AGREEMENT_COLUMNS, _agreement_rows(agreements), numbered=True
        ),
        Table(
            "Kegiatan",
            "Kegiatan kerja sama yang terlaksana",
            ACTIVITY_COLUMNS,
            _activity_rows(unit, year),
            numbered=True,
        ),
        Table(
            "Skor C.2",
            "Skor mutu kerja sama per dokumen (kriteria C.2)",
            SCORE_COLUMNS,
            _score_rows(scores),
            footer=[["Rata-rata unit", None, None, None, average, "" if average is not None else NOT_EVALUATED]],
            notes=[
                "Skor 4: ketiga aspek terpenuhi; 3: aspek manfaat dan kinerja; 2: aspek manfaat saja; 1: tidak ada.",
                "Dokumen tanpa evaluasi tahun ini tidak diberi skor dan tidak masuk rata-rata.",
            ],
            numbered=True,
        ),
        Table(
            "Bukti",
            "Laporan kerja sama yang diarsipkan sebagai data LED",
            EVIDENCE_COLUMNS,
            _evidence_rows(agreements, year),
            numbered=True,
        ),
    ]
    return Report(
        title="Laporan Evaluasi Diri (FO.2.3.1) – Kerja Sama",
        subtitle=f"{unit.code} {unit.name}, tahun {year}",
        tables=tables,
        exporter="led",
        # The form FO.2.3.1 itself was not available: its layout here follows the procedure and criterion C.2.
        verified=False,
        summary=led_summary(unit, year, scores, judgements),
    )
