"""The evaluation form as a PDF (laid out like the office's BO.28.1.2) and the year's evaluations as XLSX."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from simkerma.core.xlsx import append_row
from simkerma.evaluations.models import Evaluation, MonitoringRecord, last_valid_day
from simkerma.evaluations.selectors import survey_summaries


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("ya" if value else "tidak")


def evaluation_context(evaluation: Evaluation) -> dict[str, Any]:
    agreement = evaluation.agreement
    summary = survey_summaries(evaluation.year, [agreement.pk]).get(agreement.pk)
    return {
        "evaluation": evaluation,
        "agreement": agreement,
        "partners": list(agreement.partners.all()),
        "units": list(agreement.units.all()),
        "monitoring": list(
            agreement.monitoring_records.filter(year=evaluation.year).order_by("quarter", "pk")  # type: ignore[attr-defined]
        ),
        "survey": summary,
        "institution_name": settings.SIMKERMA_INSTITUTION_NAME,
        "city": settings.SIMKERMA_INSTITUTION_CITY,
        "printed_on": timezone.localdate(),
    }


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    from weasyprint import HTML

    html = render_to_string("evaluations/evaluation_pdf.html", evaluation_context(evaluation))
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


# The workbook's Evaluasi sheet columns first (docs/workbook.md), then what the form adds.
HEADERS = [
    "dokumen_nomor",
    "tahun",
    "manfaat",
    "kinerja",
    "kepuasan",
    "keberlanjutan",
    "catatan",
    "alasan_manfaat",
    "alasan_kinerja",
    "kepuasan_keberlanjutan",
    "alasan_kepuasan_keberlanjutan",
    "efektivitas",
    "rekomendasi",
    "penilai",
    "diarsipkan",
    "disimpan_sampai",
]


def evaluation_rows(evaluations: Iterable[Evaluation]) -> Iterator[list[Any]]:
    for e in evaluations:
        yield [
            e.agreement.number,
            e.year,
            _yes_no(e.benefit),
            _yes_no(e.performance),
            e.kepuasan,
            _yes_no(e.keberlanjutan),
            e.notes,
            e.benefit_reason,
            e.performance_reason,
            _yes_no(e.satisfaction),
            e.satisfaction_reason,
            e.effectiveness,
            e.recommendation,
            e.reviewer.display_name if e.reviewer else "",
            timezone.localtime(e.archived_at).strftime("%Y-%m-%d %H:%M") if e.archived_at else "",
            e.retention_until,
        ]


# The office's earlier monitoring log, column for column (DOMAIN.md, "What the office already has").
MONITORING_HEADERS = [
    "nomor",
    "mitra",
    "mulai",
    "berakhir",
    "unit",
    "ruang_lingkup",
    "tingkat",
    "periode",
    "judul_kegiatan",
    "manfaat",
    "bukti",
    "status",
    "pic",
    "tanggal_monitoring",
]


def monitoring_rows(records: Iterable[MonitoringRecord]) -> Iterator[list[Any]]:
    for m in records:
        a = m.agreement
        yield [
            a.number,
            "; ".join(p.name for p in a.partners.all()),
            a.start_date,
            last_valid_day(a),
            "; ".join(u.code for u in a.units.all()),
            "; ".join(a.scope_items),
            a.level,
            m.period_label,
            m.activity_title,
            m.benefit,
            m.evidence,
            m.status,
            m.pic,
            m.monitored_on,
        ]


def evaluations_xlsx(evaluations: QuerySet[Evaluation], monitoring: QuerySet[MonitoringRecord] | None = None) -> bytes:
    """The Evaluasi sheet (the workbook's columns first) and, when given, the Monitoring sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Evaluasi"
    append_row(sheet, HEADERS)
    for row in evaluation_rows(evaluations.select_related("agreement", "reviewer")):
        append_row(sheet, row)
    if monitoring is not None:
        log = workbook.create_sheet("Monitoring")
        append_row(log, MONITORING_HEADERS)
        records = monitoring.select_related("agreement").prefetch_related("agreement__partners", "agreement__units")
        for row in monitoring_rows(records):
            append_row(log, row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_filename(year: int | None) -> str:
    return f"evaluasi-{year}.xlsx" if year else "evaluasi.xlsx"
