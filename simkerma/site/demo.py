"""The demo institution: Politeknik Negeri Batam's jurusan, prodi and units as publicly listed,
with sample partners, MoU -> MoA -> IA trees, one account per role and three years of history
(demo_agreements, demo_history). Every record whose model has the mark is marked as demo data.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from simkerma.accounts.models import Role, User
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner, PartnerContact
from simkerma.site.demo_agreements import demo_agreements
from simkerma.site.demo_history import SEED, DemoHistory
from simkerma.site.demo_reports import enrich_for_reports

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
    ("M00006", "PT Batamindo Otomasi (demo)", Partner.Kind.INDUSTRI, "ID", "Batam", "Yusuf Hidayat", "Plant Manager"),
    ("M00007", "PT Digital Kreatif Riau (demo)", Partner.Kind.INDUSTRI, "ID", "Batam", "Maya Putri", "CEO"),
    (
        "M00008",
        "Universiti Teknologi Contoh Malaysia",
        Partner.Kind.PERGURUAN_TINGGI,
        "MY",
        "Johor Bahru",
        "Ahmad Faisal",
        "Dean, Engineering",
    ),
    ("M00009", "Pemerintah Kota Contoh", Partner.Kind.PEMERINTAH, "ID", "Batam", "Irwan Syah", "Kepala Bappeda"),
    ("M00010", "PT Logistik Samudra (demo)", Partner.Kind.INDUSTRI, "ID", "Batam", "Lina Kusuma", "GM Operasional"),
    ("M00011", "Bank Contoh Syariah (demo)", Partner.Kind.INDUSTRI, "ID", "Batam", "Fajar Ramadhan", "Kepala Cabang"),
    ("M00012", "Yayasan Desa Digital (demo)", Partner.Kind.LAINNYA, "ID", "Bintan", "Nur Aisyah", "Ketua Yayasan"),
]
# Prodi opened part-way through the demo's three years: code -> years before this one it opened.
PRODI_OPENED = {"EL06": 1}


def demo_is_needed() -> bool:
    return not Unit.objects.exists() and not User.objects.exists()


def load_demo() -> list[tuple[str, str]]:
    """Create the demo institution and three years of its history (this year and the two before).

    Returns the (username, role) pairs of the demo logins.
    """
    today = timezone.localdate()
    with transaction.atomic():
        units, prodi = _demo_org(today.year)
        users, logins = _demo_users(units)
        partners = _demo_partners()
        agreements = demo_agreements(units, prodi, partners, today)
        history = DemoHistory(today=today, units=units, prodi=prodi, users=users, agreements=agreements, seed=SEED)
        history.activities()
    # Each request is its own transaction in the service desk, like a request arriving.
    history.requests(partners)
    history.evaluations()
    enrich_for_reports(today=today, seed=SEED)
    return logins


def _demo_org(this_year: int) -> tuple[dict[str, Unit], dict[str, Prodi]]:
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
    prodi = {}
    for code, name, level, unit in PRODI:
        opened = PRODI_OPENED.get(code)
        prodi[code] = Prodi.objects.create(
            code=code,
            name=name,
            level=level,
            unit=units[unit],
            active_from=this_year - opened if opened is not None else None,
            is_demo=True,
        )
    return units, prodi


def _demo_users(units: dict[str, Unit]) -> tuple[dict[str, User], list[tuple[str, str]]]:
    logins = []
    users = {}
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo login has the same password
    for username, first, last, role, unit in USERS:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            unit=units[unit] if unit else None,
            email=f"{username}@simkerma.invalid",
        )
        user.password = password
        user.save()
        users[username] = user
        logins.append((username, str(Role(role).label)))
    return users, logins


def _demo_partners() -> dict[str, Partner]:
    partners = {}
    for code, name, partner_kind, country, city, contact, position in PARTNERS:
        partner = Partner.objects.create(
            code=code, name=name, kind=partner_kind, country=country, city=city, is_demo=True
        )
        PartnerContact.objects.create(
            partner=partner, name=contact, position=position, email=f"kontak.{code.lower()}@mitra.invalid"
        )
        partners[code] = partner
    return partners
