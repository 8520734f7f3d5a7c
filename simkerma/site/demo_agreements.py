"""The demo's agreements: MoU -> MoA -> IA trees over the three years, some ended early, some
expiring soon, a few shown on the public page. Dates are set relative to today."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from simkerma.agreements.models import Agreement, Kind, Signatory
from simkerma.agreements.numbering import format_number
from simkerma.core.choices import Field, Level
from simkerma.core.dates import add_years
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner


@dataclass(frozen=True)
class AgreementSpec:
    """One demo agreement; `start` is (years before this one, month, day)."""

    key: str
    kind: str
    title: str
    partners: tuple[str, ...]
    start: tuple[int, int, int]
    years: int
    fields: tuple[str, ...]
    level: str = Level.NASIONAL
    parent: str = ""
    units: tuple[str, ...] = ()
    prodi: tuple[str, ...] = ()
    scope: str = ""
    # Ended early: (years before this one, month, day) and the reason.
    terminated: tuple[tuple[int, int, int], str] | None = None
    public: bool = False


ALL_FIELDS = (Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM)
EDU, RES, PKM = Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM
INTL, NAT, REG = Level.INTERNASIONAL, Level.NASIONAL, Level.WILAYAH
# MoU -> MoA -> IA trees across the three years; the literacy MoU and one MoA expire soon (set from today).
AGREEMENTS = [
    AgreementSpec(
        key="elektronik",
        kind=Kind.MOU,
        title="Pengembangan Sumber Daya Manusia",
        partners=("M00001",),
        start=(3, 3, 3),
        years=5,
        fields=ALL_FIELDS,
        units=("EL", "IF"),
        scope="Program magang\nKuliah tamu praktisi\nPengembangan kurikulum bersama",
        public=True,
    ),
    AgreementSpec(
        key="elektronik-pkl",
        kind=Kind.MOA,
        parent="elektronik",
        title="Praktik Kerja Industri dan Rekrutmen Kerja",
        partners=("M00001",),
        start=(3, 4, 1),
        years=3,
        fields=(EDU,),
        units=("EL",),
        prodi=("EL01", "EL02", "EL04"),
        scope="Program Praktik Kerja Industri\nKesempatan bekerja bagi lulusan",
    ),
    AgreementSpec(
        key="elektronik-magang",
        kind=Kind.IA,
        parent="elektronik-pkl",
        title="Magang mahasiswa Teknik Mekatronika",
        partners=("M00001",),
        start=(2, 9, 1),
        years=1,
        fields=(EDU,),
        prodi=("EL04",),
    ),
    AgreementSpec(
        key="elektronik-riset",
        kind=Kind.MOA,
        parent="elektronik",
        title="Riset terapan dan magang elektronika",
        partners=("M00001",),
        start=(0, 4, 1),
        years=3,
        fields=(EDU, RES),
        units=("EL",),
        prodi=("EL01", "EL02", "EL03", "EL04", "EL05", "EL06"),
    ),
    AgreementSpec(
        key="elektronik-robotika",
        kind=Kind.IA,
        parent="elektronik-riset",
        title="Kompetisi dan magang robotika",
        partners=("M00001",),
        start=(0, 8, 1),
        years=1,
        fields=(EDU,),
        prodi=("EL06",),
    ),
    AgreementSpec(
        key="galangan",
        kind=Kind.MOU,
        title="Kerja sama galangan kapal",
        partners=("M00002",),
        start=(4, 1, 10),
        years=4,
        fields=(EDU, RES),
        units=("TM",),
        prodi=("TM03",),
    ),
    AgreementSpec(
        key="galangan-las",
        kind=Kind.MOA,
        parent="galangan",
        title="Sertifikasi pengelasan dan magang perkapalan",
        partners=("M00002",),
        start=(3, 6, 1),
        years=3,
        fields=(EDU, RES),
        units=("TM",),
        prodi=("TM03", "TM04"),
        terminated=((1, 6, 30), "Mitra menghentikan program magang karena restrukturisasi galangan."),
    ),
    AgreementSpec(
        key="galangan-baru",
        kind=Kind.MOU,
        title="Kerja sama galangan kapal (pembaruan)",
        partners=("M00002",),
        start=(0, 1, 15),
        years=5,
        fields=ALL_FIELDS,
        units=("TM",),
        public=True,
    ),
    AgreementSpec(
        key="galangan-baru-pks",
        kind=Kind.MOA,
        parent="galangan-baru",
        title="Magang dan riset konstruksi kapal",
        partners=("M00002",),
        start=(0, 2, 1),
        years=2,
        fields=(EDU, RES, PKM),
        units=("TM",),
        prodi=("TM01", "TM03", "TM04"),
    ),
    AgreementSpec(
        key="literasi",
        kind=Kind.MOU,
        title="Penguatan literasi digital sekolah",
        partners=("M00003", "M00005"),
        start=(0, 0, 0),  # set from today: expires in 45 days
        years=2,
        fields=(PKM,),
        level=REG,
        units=("P3M", "IF"),
        public=True,
    ),
    AgreementSpec(
        key="literasi-pkm",
        kind=Kind.MOA,
        parent="literasi",
        title="Program PkM literasi digital guru",
        partners=("M00003",),
        start=(0, 0, 0),  # the literacy MoU's period
        years=2,
        fields=(PKM,),
        level=REG,
        units=("P3M",),
    ),
    AgreementSpec(
        key="exchange",
        kind=Kind.MOU,
        title="Student and staff exchange",
        partners=("M00004",),
        start=(2, 5, 20),
        years=5,
        fields=(EDU, RES),
        level=INTL,
        units=("MB", "IF"),
        prodi=("MB04", "IF05"),
        public=True,
    ),
    AgreementSpec(
        key="exchange-pks",
        kind=Kind.MOA,
        parent="exchange",
        title="Joint teaching and research in software and security",
        partners=("M00004",),
        start=(2, 8, 1),
        years=3,
        fields=(EDU, RES),
        level=INTL,
        prodi=("IF02", "IF04", "IF05"),
    ),
    AgreementSpec(
        key="exchange-ia",
        kind=Kind.IA,
        parent="exchange-pks",
        title="Cyber security summer school",
        partners=("M00004",),
        start=(1, 2, 1),
        years=1,
        fields=(EDU,),
        level=INTL,
        prodi=("IF04",),
    ),
    AgreementSpec(
        key="otomasi",
        kind=Kind.MOU,
        title="Otomasi industri dan perawatan mesin",
        partners=("M00006",),
        start=(3, 10, 1),
        years=5,
        fields=ALL_FIELDS,
        units=("EL", "TM"),
    ),
    AgreementSpec(
        key="otomasi-pks",
        kind=Kind.MOA,
        parent="otomasi",
        title="Teaching factory instrumentasi dan pembangkit energi",
        partners=("M00006",),
        start=(2, 1, 15),
        years=2,
        fields=(EDU, RES),
        prodi=("EL03", "EL05", "TM01"),
    ),
    AgreementSpec(
        key="kreatif",
        kind=Kind.MOU,
        title="Industri kreatif digital",
        partners=("M00007",),
        start=(2, 2, 1),
        years=3,
        fields=(EDU, PKM),
        units=("IF",),
    ),
    AgreementSpec(
        key="kreatif-pks",
        kind=Kind.MOA,
        parent="kreatif",
        title="Magang animasi dan multimedia",
        partners=("M00007",),
        start=(2, 3, 1),
        years=2,
        fields=(EDU,),
        prodi=("IF01", "IF02", "IF03"),
    ),
    AgreementSpec(
        key="kreatif-pks-2",
        kind=Kind.MOA,
        parent="kreatif",
        title="Proyek aplikasi dan pemetaan digital",
        partners=("M00007",),
        start=(0, 0, 0),  # set from today: expires in 20 days
        years=1,
        fields=(EDU, PKM),
        prodi=("IF01", "IF02", "IF03", "IF06"),
    ),
    AgreementSpec(
        key="utcm",
        kind=Kind.MOU,
        title="Research and community engagement collaboration",
        partners=("M00008",),
        start=(2, 4, 1),
        years=5,
        fields=(RES, PKM),
        level=INTL,
        units=("P3M", "EL", "IF"),
        public=True,
    ),
    AgreementSpec(
        key="utcm-riset",
        kind=Kind.MOA,
        parent="utcm",
        title="Joint applied research grants",
        partners=("M00008",),
        start=(2, 6, 1),
        years=3,
        fields=(RES,),
        level=INTL,
        units=("P3M",),
    ),
    AgreementSpec(
        key="pemkot",
        kind=Kind.MOU,
        title="Pembangunan daerah dan UMKM",
        partners=("M00009",),
        start=(3, 7, 1),
        years=4,
        fields=(EDU, PKM),
        level=REG,
        units=("P3M", "MB"),
    ),
    AgreementSpec(
        key="pemkot-pks",
        kind=Kind.MOA,
        parent="pemkot",
        title="Pendampingan akuntansi dan administrasi UMKM",
        partners=("M00009",),
        start=(2, 1, 10),
        years=3,
        fields=(EDU, PKM),
        level=REG,
        units=("MB",),
        prodi=("MB01", "MB02", "MB03"),
    ),
    AgreementSpec(
        key="logistik",
        kind=Kind.MOU,
        title="Logistik dan perdagangan internasional",
        partners=("M00010",),
        start=(2, 3, 15),
        years=4,
        fields=(EDU, RES),
        units=("MB",),
        prodi=("MB04",),
    ),
    AgreementSpec(
        key="logistik-pks",
        kind=Kind.MOA,
        parent="logistik",
        title="Magang dan riset rantai pasok",
        partners=("M00010",),
        start=(2, 5, 1),
        years=2,
        fields=(EDU, RES),
        prodi=("MB03", "MB04"),
        terminated=((0, 3, 31), "Mitra menutup kantor cabang Batam."),
    ),
    AgreementSpec(
        key="bank",
        kind=Kind.MOU,
        title="Literasi keuangan syariah",
        partners=("M00011",),
        start=(1, 1, 20),
        years=3,
        fields=(EDU, PKM),
        units=("MB",),
        prodi=("MB01", "MB02"),
    ),
    AgreementSpec(
        key="bank-pks",
        kind=Kind.MOA,
        parent="bank",
        title="Magang perbankan dan edukasi keuangan",
        partners=("M00011",),
        start=(1, 2, 1),
        years=2,
        fields=(EDU, PKM),
        prodi=("MB01", "MB02", "MB05"),
    ),
    AgreementSpec(
        key="bank-ia",
        kind=Kind.IA,
        parent="bank-pks",
        title="Sertifikasi akuntansi manajerial",
        partners=("M00011",),
        start=(0, 9, 1),
        years=1,
        fields=(EDU,),
        prodi=("MB02",),
    ),
    AgreementSpec(
        key="desa",
        kind=Kind.MOU,
        title="Desa digital pesisir",
        partners=("M00012",),
        start=(1, 8, 17),
        years=2,
        fields=(PKM,),
        level=REG,
        units=("P3M", "TM"),
    ),
    AgreementSpec(
        key="asosiasi",
        kind=Kind.MOU,
        title="Penyelarasan kurikulum industri digital",
        partners=("M00005",),
        start=(0, 10, 1),
        years=3,
        fields=(EDU,),
        units=("IF",),
    ),
]
EXPIRING = {"literasi": 45, "literasi-pkm": 45, "kreatif-pks-2": 20}


def _period(spec: AgreementSpec, today: dt.date) -> tuple[dt.date, dt.date]:
    if spec.key in EXPIRING:
        end = today + dt.timedelta(days=EXPIRING[spec.key])
        return add_years(end, -spec.years) + dt.timedelta(days=1), end
    back, month, day = spec.start
    start = dt.date(today.year - back, month, day)
    return start, add_years(start, spec.years) - dt.timedelta(days=1)


def demo_agreements(
    units: dict[str, Unit], prodi: dict[str, Prodi], partners: dict[str, Partner], today: dt.date
) -> dict[str, Agreement]:
    agreements: dict[str, Agreement] = {}
    sequence: Counter[tuple[str, int]] = Counter()
    for spec in AGREEMENTS:
        start, end = _period(spec, today)
        sequence[spec.kind, start.year] += 1
        terminated_on, reason = None, ""
        if spec.terminated:
            (back, month, day), reason = spec.terminated
            terminated_on = dt.date(today.year - back, month, day)
        agreement = Agreement(
            number=format_number(sequence[spec.kind, start.year], spec.kind, start),
            kind=spec.kind,
            title=spec.title,
            parent=agreements[spec.parent] if spec.parent else None,
            level=spec.level,
            fields=list(spec.fields),
            start_date=start,
            end_date=end,
            signed_on=start,
            terminated_on=terminated_on,
            termination_reason=reason,
            scope=spec.scope,
            is_public=spec.public,
            is_demo=True,
        )
        agreement.full_clean()
        agreement.save()
        agreement.partners.set([partners[code] for code in spec.partners])
        agreement.units.set([units[code] for code in spec.units])
        agreement.prodi.set([prodi[code] for code in spec.prodi])
        Signatory.objects.create(
            agreement=agreement,
            side=Signatory.Side.INSTITUTION,
            name="Direktur (demo)",
            position="Direktur Politeknik Negeri Batam",
        )
        agreements[spec.key] = agreement
    return agreements
