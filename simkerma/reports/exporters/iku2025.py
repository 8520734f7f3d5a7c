"""IKU 2025 (Kepmendiktisaintek 358/M/KEP/2025): IKU 5, the cooperations whose output the partner
uses over all cooperations, per quarter (TW) and year to date; IKU 7, the agreements tagged SDG 17."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from simkerma.agreements.models import SDG
from simkerma.reports.framework import Column, Exporter, Kind, Period, Report, ReportParams, Scope, Table, register
from simkerma.reports.iku import Iku5, Iku7, Ratio, iku5, iku7, outputs, quarter_of

RATIO_COLUMNS = (
    Column("period", "Periode", width=14),
    Column("first", "Dari", Kind.DATE, width=12),
    Column("last", "Sampai", Kind.DATE, width=12),
    Column("all", "Jumlah Kerja Sama", Kind.INT, width=12),
    Column("used", "Luaran Dimanfaatkan Mitra", Kind.INT, width=14),
    Column("percent", "Persentase", Kind.PERCENT, width=12),
)
OUTPUT_COLUMNS = (
    Column("code", "Kode Kegiatan", width=14),
    Column("activity", "Kegiatan", width=36),
    Column("activity_tw", "TW Kegiatan", width=8),
    Column("partner", "Mitra", width=30),
    Column("title", "Luaran", width=36),
    Column("kind", "Jenis", width=20),
    Column("evidence", "Tautan Bukti", Kind.URL, width=40),
    Column("used_on", "Tanggal Dimanfaatkan", Kind.DATE, width=12),
    Column("tw", "TW", width=6),
)
SDG_COLUMNS = (
    Column("code", "Kode", width=8),
    Column("goal", "Tujuan (SDG)", width=50),
    Column("count", "Jumlah Dokumen", Kind.INT, width=12),
)
SDG17_COLUMNS = (
    Column("number", "Nomor Dokumen", width=30),
    Column("title", "Judul", width=50),
    Column("start", "Mulai", Kind.DATE, width=12),
    Column("end", "Berakhir", Kind.DATE, width=12),
)


def ratio_row(ratio: Ratio) -> list[Any]:
    return [ratio.label, ratio.first, ratio.last, ratio.cooperations, ratio.used, ratio.percentage]


def ratio_rows(data: Iku5) -> Iterator[list[Any]]:
    for ratio in data.quarters:
        yield ratio_row(ratio)
    for ratio in data.to_date:
        yield ratio_row(ratio)


def output_rows(data: Iku5) -> Iterator[list[Any]]:
    for output, partners in outputs(data.year, data.end):
        activity = output.activity
        yield [
            activity.code,
            activity.title,
            f"TW{quarter_of(activity.start_date)}",
            "; ".join(partners),
            output.title,
            output.get_kind_display(),
            output.evidence_link,
            output.used_on,
            f"TW{output.quarter}",
        ]


def sdg_rows(data: Iku7) -> Iterator[list[Any]]:
    labels = dict(SDG.choices)
    for code, count in data.per_sdg.items():
        yield [code.upper(), str(labels[code]), count]


class Iku2025Exporter(Exporter):
    key = "iku2025"
    label = _("IKU 2025: outputs used by partners (IKU 5) and SDG 17 (IKU 7)")
    group = "IKU (Kementerian)"
    description = _(
        "Kepmendiktisaintek 358/M/KEP/2025: cooperations whose output the partner uses, per quarter and year "
        "to date, with the outputs; agreements in force tagged with each SDG."
    )
    scope = Scope.INSTITUTION
    period = Period.YEAR_QUARTER

    def build(self, params: ReportParams) -> Report:
        quarter = params.quarter if params.quarter in (1, 2, 3, 4) else None
        five, seven = iku5(params.year, quarter), iku7(params.year)
        period = f"TW{quarter} {params.year}" if quarter else f"Tahun {params.year}"
        main, to_date = five.period, five.to_date[-1]
        return Report(
            title="IKU 2025: IKU 5 (luaran kerja sama dimanfaatkan mitra) dan IKU 7 (SDG 17)",
            subtitle=period,
            exporter=self.key,
            tables=[
                Table(
                    "IKU 5",
                    "Kerja sama yang luarannya dimanfaatkan mitra, per TW dan kumulatif",
                    RATIO_COLUMNS,
                    ratio_rows(five),
                ),
                Table(
                    "Luaran",
                    "Luaran kerja sama yang dimanfaatkan mitra",
                    OUTPUT_COLUMNS,
                    output_rows(five),
                    numbered=True,
                ),
                Table(
                    "IKU 7 SDG", f"Dokumen kerja sama berlaku pada {params.year}, per SDG", SDG_COLUMNS, sdg_rows(seven)
                ),
                Table(
                    "IKU 7 SDG 17",
                    "Dokumen kerja sama berlaku yang mendukung SDG 17",
                    SDG17_COLUMNS,
                    seven.sdg17,
                    numbered=True,
                ),
            ],
            summary=[
                (f"IKU 5 {main.label}: kerja sama", main.cooperations),
                (f"IKU 5 {main.label}: luaran dimanfaatkan mitra", main.used),
                (f"IKU 5 {main.label} (%)", main.percentage),
                (f"IKU 5 {to_date.label} (%)", to_date.percentage),
                ("IKU 7: dokumen berlaku", seven.agreements),
                ("IKU 7: dokumen SDG 17", seven.sdg17_count),
            ],
            notices=[
                "IKU 5: kerja sama = kegiatan terlaksana yang mulai dalam periode (dokumen berlaku pada tanggal "
                "mulai); terhitung bila ada luaran yang dimanfaatkan mitra paling lambat pada akhir periode. "
                "Tiap TW dihitung sendiri, dan kumulatif dari Januari.",
                "IKU 7: dokumen yang berlaku pada suatu saat dalam tahun itu dan tidak diakhiri sebelumnya.",
            ],
        )


register(Iku2025Exporter, order=41)
