"""LAM INFOKOM, the cooperation tables 3.C.1 Kerjasama Penelitian and 4.C.1 Kerjasama PkM: one row
per activity carried out in TS-2..TS, with its funding in each year of the window (Rp juta). The
two versions of the instrument word the Ciri Khas PS column differently, so the report is marked
unverified and each table says so."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simkerma.core.choices import Field, Level
from simkerma.org.models import Instrument
from simkerma.reports.framework import Column, Kind, ReportParams, Table, register
from simkerma.reports.lkps import LkpsExporter, LkpsRow

# Sumber: L(okal, wilayah), N(asional), I(nternasional).
SOURCE: dict[str, str] = {Level.WILAYAH: "L", Level.NASIONAL: "N", Level.INTERNASIONAL: "I"}
FUNDING = "Pendanaan (Rp juta)"

COLUMNS = (
    Column("judul", "Judul Kerja Sama", width=36),
    Column("mitra", "Mitra", width=30),
    Column("sumber", "Sumber (L/N/I)", width=9),
    Column("durasi", "Durasi (tahun)", Kind.INT, width=9),
    Column("ts2", "TS-2", Kind.DECIMAL, group=FUNDING, width=11),
    Column("ts1", "TS-1", Kind.DECIMAL, group=FUNDING, width=11),
    Column("ts", "TS", Kind.DECIMAL, group=FUNDING, width=11),
    Column("ciri_khas", "Ciri Khas PS (Ya/Tidak)", width=11),
    Column("bukti", "Link Bukti", width=40),
)


class LamInfokom(LkpsExporter):
    key = "lkps_laminfokom"
    label = _("LKPS LAM INFOKOM: Tables 3.C.1 and 4.C.1, research and community service cooperation")
    description = _(
        "LAM INFOKOM Tables 3.C.1 (research) and 4.C.1 (community service): the activities carried "
        "out in TS-2..TS for a prodi or a jurusan, with their funding per year."
    )
    verified = False
    instrument = Instrument.LAM_INFOKOM
    uses_funding = True
    tables = (
        ("3.C.1", "Kerjasama Penelitian", Field.PENELITIAN),
        ("4.C.1", "Kerjasama PkM", Field.PKM),
    )

    def table(self, key: str, title: str, rows: Iterable[LkpsRow], params: ReportParams) -> Table:
        note = gettext(
            "The two versions of the LAM INFOKOM instrument differ in the Ciri Khas PS column; check it "
            "against the version the prodi is assessed with."
        )
        return Table(key, title, COLUMNS, self.cells(rows, params.year), notes=[note], numbered=True)

    def cells(self, rows: Iterable[LkpsRow], ts: int) -> Iterator[list[Any]]:
        for row in rows:
            yield [
                row.title,
                row.partners,
                SOURCE.get(row.level, ""),
                row.duration,
                row.funding_in(ts - 2),
                row.funding_in(ts - 1),
                row.funding_in(ts),
                "Ya" if row.distinctive else "Tidak",
                row.evidence,
            ]


register(LamInfokom, order=11)
