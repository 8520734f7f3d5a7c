"""IKU 2023 (Kepmendikbudristek 210/M/2023): "Persentase program studi S1 dan D4/D3/D2 yang
melaksanakan kerja sama dengan mitra", per prodi, with the activities behind each prodi."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simkerma.reports.framework import (
    Column,
    Exporter,
    Kind,
    Period,
    Report,
    ReportParams,
    Scope,
    Table,
    Warning,
    register,
)
from simkerma.reports.iku import IKU_LEVELS, Cooperation, Iku2023, iku2023

WARNING_CAP = 20

PRODI_COLUMNS = (
    Column("code", "Kode PS", width=10),
    Column("level", "Jenjang", width=8),
    Column("name", "Program Studi", width=30),
    Column("unit", "Jurusan", width=26),
    Column("counted", "Terhitung", width=10),
    Column("cooperations", "Jumlah Kerja Sama Memenuhi", Kind.INT, width=12),
    Column("category", "Kategori Mitra Terbaik", width=30),
    Column("value", "Nilai", Kind.DECIMAL, width=8),
)
EVIDENCE_COLUMNS = (
    Column("prodi", "Program Studi", width=24),
    Column("code", "Kode Kegiatan", width=14),
    Column("title", "Judul Kegiatan", width=40),
    Column("date", "Tanggal", Kind.DATE, width=12),
    Column("partner", "Mitra", width=30),
    Column("category", "Kategori Mitra", width=30),
    Column("form", "Bentuk Kerja Sama", width=30),
    Column("evidence", "Bukti", Kind.URL, width=40),
)
INCOMPLETE_COLUMNS = (
    Column("code", "Kode Kegiatan", width=14),
    Column("title", "Judul Kegiatan", width=40),
    Column("date", "Tanggal", Kind.DATE, width=12),
    Column("partner", "Mitra", width=30),
    Column("missing", "Perlu Dilengkapi", width=40),
)


def missing(cooperation: Cooperation) -> str:
    needs = []
    if not cooperation.form:
        needs.append("bentuk kerja sama")
    if not cooperation.qualifying_partners:
        names = [p.name for p in cooperation.partners if not p.category]
        needs.append("kategori mitra: " + ", ".join(names))
    return "; ".join(needs)


def prodi_rows(data: Iku2023) -> Iterator[list[Any]]:
    for result in data.prodi:
        prodi, best = result.prodi, result.best
        category = best.best.category if best and best.best else ""
        yield [
            prodi.code,
            prodi.level,
            prodi.name,
            prodi.unit.name,
            "Ya" if result.counted else "Tidak",
            len(result.qualifying),
            category,
            result.value(data.weighted),
        ]


def evidence_rows(data: Iku2023) -> Iterator[list[Any]]:
    for result in data.prodi:
        for cooperation in result.qualifying:
            best = cooperation.best
            yield [
                f"{result.prodi.level} {result.prodi.name}",
                cooperation.code,
                cooperation.title,
                cooperation.start_date,
                "; ".join(p.name for p in cooperation.qualifying_partners),
                best.category if best else "",
                cooperation.form,
                cooperation.evidence,
            ]


def missing_label(cooperation: Cooperation) -> str:
    """What to fill in, in the reader's language."""
    needs = []
    if not cooperation.form:
        needs.append(gettext("the form of cooperation"))
    if not cooperation.qualifying_partners:
        names = ", ".join(p.name for p in cooperation.partners if not p.category)
        needs.append(gettext("the partner category of %(names)s") % {"names": names})
    return "; ".join(needs)


def incomplete_warnings(items: list[Cooperation]) -> list[Warning]:
    warnings = [
        Warning(
            gettext("%(code)s would count for the IKU once %(missing)s is filled in.")
            % {"code": c.code, "missing": missing_label(c)},
            reverse("activities:edit", args=[c.activity_id]),
        )
        for c in items[:WARNING_CAP]
    ]
    if len(items) > WARNING_CAP:
        warnings.append(
            Warning(
                gettext("And %(count)s more activities; see the table “Perlu dilengkapi”.")
                % {"count": len(items) - WARNING_CAP}
            )
        )
    return warnings


class Iku2023Exporter(Exporter):
    key = "iku2023"
    label = _("IKU 2023: prodi cooperating with partners")
    group = "IKU (Kementerian)"
    description = _(
        "Kepmendikbudristek 210/M/2023: the share of D2/D3/D4 and S1 study programmes with a cooperation "
        "carried out in the year, with a qualifying partner category and form."
    )
    scope = Scope.INSTITUTION
    period = Period.YEAR

    def build(self, params: ReportParams) -> Report:
        data = iku2023(params.year)
        mode = "berbobot (bobot kategori mitra tertinggi per PS)" if data.weighted else "tanpa bobot (PS terhitung = 1)"
        incomplete = data.incomplete()
        return Report(
            title="IKU 2023: Persentase program studi S1 dan D4/D3/D2 yang melaksanakan kerja sama dengan mitra",
            subtitle=f"Tahun {params.year}",
            exporter=self.key,
            tables=[
                Table(
                    "IKU per PS", "Program studi yang memenuhi syarat", PRODI_COLUMNS, prodi_rows(data), numbered=True
                ),
                Table(
                    "Bukti",
                    "Kegiatan kerja sama yang memenuhi, per program studi",
                    EVIDENCE_COLUMNS,
                    evidence_rows(data),
                    numbered=True,
                ),
                Table(
                    "Perlu dilengkapi",
                    "Kegiatan yang memenuhi bila bentuk atau kategori mitranya diisi",
                    INCOMPLETE_COLUMNS,
                    incomplete_rows(incomplete),
                    numbered=True,
                ),
            ],
            summary=[
                ("Program studi memenuhi syarat (" + "/".join(IKU_LEVELS) + ")", data.qualifying_count),
                ("Program studi terhitung", data.counted_count),
                ("Persentase IKU (%)", data.percentage),
                ("Cara hitung", mode),
            ],
            notices=[
                "Dihitung dari kegiatan terlaksana pada tahun itu (dokumen berlaku pada tanggal mulai), termasuk "
                "PS yang diwarisi dari dokumen; PS jenjang S2 tidak dihitung.",
                f"Cara hitung: {mode}. Tabel bobot resmi kementerian tidak ditemukan.",
            ],
            warnings=incomplete_warnings(incomplete),
        )


def incomplete_rows(items: list[Cooperation]) -> Iterator[list[Any]]:
    for c in items:
        yield [c.code, c.title, c.start_date, "; ".join(p.name for p in c.partners), missing(c)]


register(Iku2023Exporter, order=40)
