"""BAN-PT IAPS 4.0, LKPS Tabel 1 "Kerjasama Tridharma": Tabel 1-1 Pendidikan, 1-2 Penelitian and
1-3 Pengabdian kepada Masyarakat, one row per activity carried out in TS-2..TS."""

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
    Column("lokal", "Wilayah/Lokal", Kind.TICK, group="Tingkat", width=8),
    Column("judul", "Judul Kegiatan Kerjasama", width=36),
    Column("manfaat", "Manfaat bagi PS yang Diakreditasi", width=36),
    Column("waktu", "Waktu dan Durasi", width=28),
    Column("bukti", "Bukti Kerjasama", width=40),
    Column("berakhir", "Tahun Berakhirnya Kerjasama", width=12),
)


def cells(rows: Iterable[LkpsRow]) -> Iterator[list[Any]]:
    for row in rows:
        yield [row.partners, *level_ticks(row), row.title, row.benefit, row.period, row.evidence, row.end_year]


class Iaps4(LkpsExporter):
    key = "lkps_iaps4"
    label = _("LKPS IAPS 4.0: Table 1, tridharma cooperation")
    description = _(
        "BAN-PT IAPS 4.0 Tables 1-1 (education), 1-2 (research) and 1-3 (community service): the "
        "activities carried out in TS-2..TS for a prodi or a jurusan."
    )
    verified = True
    instrument = Instrument.IAPS4
    tables = (
        ("Tabel 1-1", "Kerjasama Pendidikan", Field.PENDIDIKAN),
        ("Tabel 1-2", "Kerjasama Penelitian", Field.PENELITIAN),
        ("Tabel 1-3", "Kerjasama Pengabdian kepada Masyarakat", Field.PKM),
    )

    def table(self, key: str, title: str, rows: Iterable[LkpsRow], params: ReportParams) -> Table:
        return Table(key, title, COLUMNS, cells(rows), numbered=True)


register(Iaps4, order=10)
