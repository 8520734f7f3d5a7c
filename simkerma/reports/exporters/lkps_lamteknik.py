"""LAM Teknik (IAPS 2025), the cooperation tables 2a1 Pendidikan, 2a2 Penelitian and 2a3 PkM: one
row per activity carried out in TS-2..TS. The full column list is not confirmed against the
official text, so the report is marked unverified."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from simkerma.core.choices import Field
from simkerma.org.models import Instrument
from simkerma.reports.framework import Column, Kind, ReportParams, Table, register
from simkerma.reports.lkps import LkpsExporter, LkpsRow, level_ticks

COLUMNS = (
    Column("mitra", "Lembaga Mitra", width=30),
    Column("internasional", "Internasional", Kind.TICK, group="Tingkat", width=8),
    Column("nasional", "Nasional", Kind.TICK, group="Tingkat", width=8),
    Column("lokal", "Lokal", Kind.TICK, group="Tingkat", width=8),
    Column("judul", "Judul Kegiatan Kerja Sama", width=36),
    Column("manfaat", "Manfaat bagi PS", width=36),
    Column("waktu", "Waktu dan Durasi", width=28),
    Column("bukti", "Bukti Kerja Sama", width=40),
    Column("berakhir", "Tahun Berakhirnya Kerja Sama", width=12),
)


def cells(rows: Iterable[LkpsRow]) -> Iterator[list[Any]]:
    for row in rows:
        yield [row.partners, *level_ticks(row), row.title, row.benefit, row.period, row.evidence, row.end_year]


class LamTeknik(LkpsExporter):
    key = "lkps_lamteknik"
    label = _("LKPS LAM Teknik: Tables 2a1–2a3, cooperation")
    description = _(
        "LAM Teknik (IAPS 2025) Tables 2a1 (education), 2a2 (research) and 2a3 (community service): "
        "the activities carried out in TS-2..TS for a prodi or a jurusan."
    )
    verified = False
    instrument = Instrument.LAM_TEKNIK
    tables = (
        ("Tabel 2a1", "Kerja Sama Pendidikan", Field.PENDIDIKAN),
        ("Tabel 2a2", "Kerja Sama Penelitian", Field.PENELITIAN),
        ("Tabel 2a3", "Kerja Sama Pengabdian kepada Masyarakat", Field.PKM),
    )

    def table(self, key: str, title: str, rows: Iterable[LkpsRow], params: ReportParams) -> Table:
        return Table(key, title, COLUMNS, cells(rows), numbered=True)


register(LamTeknik, order=12)
