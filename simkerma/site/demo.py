"""The demo institution: Politeknik Negeri Batam's jurusan, prodi and units as publicly listed,
with sample partners, agreements and one account per role. Every record is marked as demo data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from simkerma.accounts.models import Role, User
from simkerma.activities.models import Activity, ActivityKind, ActivityStatus
from simkerma.agreements.models import Agreement, Kind, Signatory
from simkerma.core.choices import Field, Level
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner, PartnerContact
from simkerma.servicedesk.models import Channel, RequestKind
from simkerma.servicedesk.services import ServiceRequestData, service_request_create

DEMO_PASSWORD = "demo-kerjasama-2025"  # noqa: S105 (published demo login)

JURUSAN = [
    ("IF", "Teknik Informatika"),
    ("EL", "Teknik Elektro"),
    ("TM", "Teknik Mesin"),
    ("MB", "Manajemen dan Bisnis"),
]
PRODI = [
    ("IF01", "Teknik Informatika", "D3", "IF"),
    ("IF02", "Teknologi Rekayasa Multimedia", "D4", "IF"),
    ("IF03", "Animasi", "D4", "IF"),
    ("IF04", "Rekayasa Keamanan Siber", "D4", "IF"),
    ("IF05", "Rekayasa Perangkat Lunak", "D4", "IF"),
    ("IF06", "Teknologi Geomatika", "D3", "IF"),
    ("MB01", "Akuntansi", "D3", "MB"),
    ("MB02", "Akuntansi Manajerial", "D4", "MB"),
    ("MB03", "Administrasi Bisnis Terapan", "D4", "MB"),
    ("MB04", "Logistik Perdagangan Internasional", "D4", "MB"),
    ("MB05", "Administrasi Bisnis Terapan (International)", "D4", "MB"),
    ("EL01", "Teknik Elektronika Manufaktur", "D3", "EL"),
    ("EL02", "Teknologi Rekayasa Elektronika", "D4", "EL"),
    ("EL03", "Teknik Instrumentasi", "D3", "EL"),
    ("EL04", "Teknik Mekatronika", "D4", "EL"),
    ("EL05", "Teknologi Rekayasa Pembangkit Energi", "D4", "EL"),
    ("EL06", "Teknik Robotika", "D4", "EL"),
    ("TM01", "Teknik Mesin", "D3", "TM"),
    ("TM02", "Teknik Perawatan Pesawat Udara", "D3", "TM"),
    ("TM03", "Teknologi Rekayasa Konstruksi Perkapalan", "D4", "TM"),
    ("TM04", "Teknologi Rekayasa Pengelasan dan Fabrikasi", "D4", "TM"),
]
OTHER_UNITS = [
    ("P3M", "Pusat Penelitian dan Pengabdian kepada Masyarakat", Unit.Kind.P3M),
    ("HUMAS", "Pokja Humas dan Kerjasama", Unit.Kind.UNIT),
    ("P4M", "Pusat Penjaminan Mutu dan Pengembangan Pembelajaran", Unit.Kind.UNIT),
    ("SHILAU", "Satuan Hilirisasi Inovasi dan Layanan Usaha", Unit.Kind.UNIT),
    ("UPA-PKK", "UPA Pengembangan Karier dan Kewirausahaan", Unit.Kind.UNIT),
    ("UPA-TIK", "UPA Teknologi Informasi dan Komunikasi", Unit.Kind.UNIT),
]
# username, first name, last name, role, unit code
USERS = [
    ("admin", "Admin", "Simkerma", Role.ADMIN, None),
    ("staf", "Dewi", "Staf Kerjasama", Role.STAF, "HUMAS"),
    ("kapokja", "Rahmat", "Kapokja Humas", Role.KAPOKJA, "HUMAS"),
    ("koord.if", "Andi", "Koordinator IF", Role.KOORDINATOR, "IF"),
    ("koord.mb", "Sari", "Koordinator MB", Role.KOORDINATOR, "MB"),
    ("p3m", "Budi", "P3M", Role.P3M, "P3M"),
    ("direktur", "Pimpinan", "Direktur", Role.PIMPINAN, None),
    ("auditor", "Auditor", "SPMI", Role.AUDITOR, None),
]
PARTNERS = [
    ("M00001", "PT Contoh Elektronik Batam", Partner.Kind.INDUSTRI, "ID", "Batam", "Budi Santoso", "HR Manager"),
    ("M00002", "PT Galangan Kapal Nusantara (demo)", Partner.Kind.INDUSTRI, "ID", "Batam", "Siti Aminah", "Direktur"),
    (
        "M00003",
        "Dinas Pendidikan Kota Contoh",
        Partner.Kind.PEMERINTAH,
        "ID",
        "Batam",
        "Hendra Wijaya",
        "Kepala Bidang",
    ),
    (
        "M00004",
        "Example Polytechnic Singapore",
        Partner.Kind.PERGURUAN_TINGGI,
        "SG",
        "Singapore",
        "Tan Wei Ling",
        "Director, Partnerships",
    ),
    (
        "M00005",
        "Asosiasi Industri Digital Kepri (demo)",
        Partner.Kind.ASOSIASI,
        "ID",
        "Tanjungpinang",
        "Rina Marlina",
        "Ketua",
    ),
]


def demo_is_needed() -> bool:
    return not Unit.objects.exists() and not User.objects.exists()


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Create the demo institution. Returns the (username, role) pairs of the demo logins."""
    units = {
        code: Unit.objects.create(
            code=code,
            name=name,
            kind=Unit.Kind.JURUSAN,
            expected_fields=Unit.default_expected_fields(Unit.Kind.JURUSAN),
            is_demo=True,
        )
        for code, name in JURUSAN
    }
    for code, name, kind in OTHER_UNITS:
        units[code] = Unit.objects.create(
            code=code, name=name, kind=kind, expected_fields=Unit.default_expected_fields(kind), is_demo=True
        )
    prodi = {
        code: Prodi.objects.create(code=code, name=name, level=level, unit=units[unit], is_demo=True)
        for code, name, level, unit in PRODI
    }
    logins = []
    users = {}
    for username, first, last, role, unit in USERS:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            unit=units[unit] if unit else None,
            email=f"{username}@simkerma.invalid",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
        logins.append((username, str(Role(role).label)))
    partners = {}
    for code, name, partner_kind, country, city, contact, position in PARTNERS:
        partner = Partner.objects.create(
            code=code, name=name, kind=partner_kind, country=country, city=city, is_demo=True
        )
        PartnerContact.objects.create(
            partner=partner, name=contact, position=position, email=f"kontak.{code.lower()}@mitra.invalid"
        )
        partners[code] = partner
    agreements = _demo_agreements(units, prodi, partners)
    _demo_activities(agreements, prodi, users)
    _demo_requests(partners)
    return logins


def _agreement(
    number: str,
    kind: str,
    title: str,
    partners: list[Partner],
    start: dt.date,
    years: int,
    fields: list[str],
    level: str = Level.NASIONAL,
    parent: Agreement | None = None,
    units: Sequence[Unit] = (),
    prodi: Sequence[Prodi] = (),
    scope: str = "",
) -> Agreement:
    end = dt.date(start.year + years, start.month, min(start.day, 28)) - dt.timedelta(days=1)
    agreement = Agreement.objects.create(
        number=number,
        kind=kind,
        title=title,
        parent=parent,
        level=level,
        fields=fields,
        start_date=start,
        end_date=end,
        signed_on=start,
        scope=scope,
        is_demo=True,
    )
    agreement.partners.set(partners)
    agreement.units.set(units)
    agreement.prodi.set(prodi)
    Signatory.objects.create(
        agreement=agreement,
        side=Signatory.Side.INSTITUTION,
        name="Direktur (demo)",
        position="Direktur Politeknik Negeri Batam",
    )
    return agreement


def _demo_agreements(
    units: dict[str, Unit], prodi: dict[str, Prodi], partners: dict[str, Partner]
) -> dict[str, Agreement]:
    today = timezone.localdate()
    this_year = today.year
    mou = _agreement(
        f"001/MOU.PL29/III/{this_year - 1}",
        Kind.MOU,
        "Pengembangan Sumber Daya Manusia",
        [partners["M00001"]],
        dt.date(this_year - 1, 3, 3),
        5,
        [Field.PENDIDIKAN, Field.PENELITIAN, Field.PKM],
        units=[units["EL"], units["IF"]],
        scope="Program magang\nKuliah tamu praktisi\nPengembangan kurikulum bersama",
    )
    moa = _agreement(
        f"001/PKS.PL29/IV/{this_year - 1}",
        Kind.MOA,
        "Praktik Kerja Industri dan Rekrutmen Kerja",
        [partners["M00001"]],
        dt.date(this_year - 1, 4, 1),
        3,
        [Field.PENDIDIKAN],
        parent=mou,
        units=[units["EL"]],
        prodi=[prodi["EL01"], prodi["EL04"]],
        scope="Program Praktik Kerja Industri\nKesempatan bekerja bagi lulusan",
    )
    _agreement(
        f"001/IA.PL29/IX/{this_year - 1}",
        Kind.IA,
        "Magang mahasiswa Teknik Mekatronika",
        [partners["M00001"]],
        dt.date(this_year - 1, 9, 1),
        1,
        [Field.PENDIDIKAN],
        parent=moa,
        prodi=[prodi["EL04"]],
    )
    _agreement(
        f"002/MOU.PL29/I/{this_year - 4}",
        Kind.MOU,
        "Kerja sama galangan kapal",
        [partners["M00002"]],
        dt.date(this_year - 4, 1, 10),
        4,
        [Field.PENDIDIKAN, Field.PENELITIAN],
        units=[units["TM"]],
        prodi=[prodi["TM03"]],
    )
    soon = today + dt.timedelta(days=45)
    literacy = _agreement(
        f"003/MOU.PL29/II/{soon.year - 2}",
        Kind.MOU,
        "Penguatan literasi digital sekolah",
        [partners["M00003"], partners["M00005"]],
        dt.date(soon.year - 2, soon.month, min(soon.day, 28)) + dt.timedelta(days=1),
        2,
        [Field.PKM],
        level=Level.WILAYAH,
        units=[units["P3M"], units["IF"]],
    )
    exchange = _agreement(
        f"004/MOU.PL29/V/{this_year}",
        Kind.MOU,
        "Student and staff exchange",
        [partners["M00004"]],
        dt.date(this_year, 5, 20),
        5,
        [Field.PENDIDIKAN, Field.PENELITIAN],
        level=Level.INTERNASIONAL,
        units=[units["MB"], units["IF"]],
        prodi=[prodi["MB04"], prodi["IF05"]],
    )
    return {"mou": mou, "moa": moa, "literacy": literacy, "exchange": exchange}


def _demo_activities(agreements: dict[str, Agreement], prodi: dict[str, Prodi], users: dict[str, User]) -> None:
    """A few activities at different steps of the procedure, relative to today."""
    today = timezone.localdate()
    rows = [
        # agreement, title, kind, field, days from today, status, prodi codes
        (
            "moa",
            "Kuliah tamu otomasi industri",
            ActivityKind.KULIAH_TAMU,
            Field.PENDIDIKAN,
            -40,
            ActivityStatus.TERLAKSANA,
            ["EL04"],
        ),
        (
            "literacy",
            "Pelatihan literasi digital guru SMK",
            ActivityKind.PKM,
            Field.PKM,
            -20,
            ActivityStatus.TERLAKSANA,
            [],
        ),
        (
            "mou",
            "Rapat perencanaan magang semester genap",
            ActivityKind.RAPAT,
            Field.PENDIDIKAN,
            6,
            ActivityStatus.DIKOORDINASIKAN,
            ["EL01"],
        ),
        (
            "exchange",
            "Kunjungan dosen tamu dari Singapura",
            ActivityKind.KUNJUNGAN,
            Field.PENELITIAN,
            21,
            ActivityStatus.RENCANA,
            ["IF05"],
        ),
    ]
    for n, (key, title, kind, field, offset, status, prodi_codes) in enumerate(rows, start=1):
        start = today + dt.timedelta(days=offset)
        activity = Activity.create_imported(
            agreement=agreements[key],
            code=f"K{start.year}-D{n:04d}",
            title=title,
            kind=kind,
            field=field,
            start_date=start,
            end_date=start,
            place="Politeknik Negeri Batam",
            pic=users["staf"],
            expected_students=30 if field == Field.PENDIDIKAN else 0,
            expected_lecturers=3,
        )
        activity.prodi.set([prodi[code] for code in prodi_codes])
        if status != ActivityStatus.RENCANA:
            # Demo data joins the procedure part-way, through the path the workbook importer takes.
            activity.move(status, user=users["staf"], imported=True)


def _demo_requests(partners: dict[str, Partner]) -> None:
    """Two requests on the service desk: one from the public form, one logged by staff."""
    now = timezone.now()
    service_request_create(
        data=ServiceRequestData(
            channel=Channel.WEB,
            kind=RequestKind.NEW_DRAFT,
            document_kind="moa",
            from_partner=True,
            partner=partners["M00002"],
            subject="Draf MoA praktik kerja industri",
            requester_name="Siti Aminah",
            requester_position="Direktur",
            requester_organisation=partners["M00002"].name,
            requester_email="siti.aminah@mitra.invalid",
            scope="Praktik kerja industri\nRekrutmen lulusan",
            received_at=now - dt.timedelta(hours=2),
        )
    )
    service_request_create(
        data=ServiceRequestData(
            channel=Channel.WHATSAPP,
            kind=RequestKind.INFORMATION,
            subject="Informasi prosedur kerja sama",
            requester_name="Hendra Wijaya",
            requester_organisation=partners["M00003"].name,
            received_at=now - dt.timedelta(minutes=5),
        )
    )
