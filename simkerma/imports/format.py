"""The data workbook's format (CONTRACTS.md §1, docs/workbook.md): sheets, columns and their values.

The importer reads by it, the exporter writes by it, and the blank template's instructions sheet
is written from it, so the three cannot drift apart. The format is a contract: sheets and columns
may be added, never renamed or removed, and the order below is the order in the file. The
columns Simkerma adds come after the contract's and are optional, so a file written to the
contract alone still imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a cell holds."""

    TEXT = "text"
    CODE = "code"  # a natural key, matched exactly
    CODES = "codes"  # a list of codes separated by ";"
    CHOICE = "choice"  # one of `choices`
    CHOICES = "choices"  # a list of `choices` separated by ";"
    DATE = "date"  # an Excel date or YYYY-MM-DD
    DATETIME = "datetime"  # an Excel datetime or YYYY-MM-DD HH:MM, read as WIB
    YEAR = "year"
    YES_NO = "yes_no"  # ya / tidak
    SCALE = "scale"  # 1 to 4


LIST_SEPARATOR = ";"
YES, NO = "ya", "tidak"
FIELDS = ("pendidikan", "penelitian", "pkm")
# The accreditation instruments (org.models.Instrument) and the SDG goals (agreements.models.SDG).
INSTRUMENTS = ("iaps4", "laminfokom", "lamteknik")
SDGS = tuple(f"sdg{number}" for number in range(1, 18))
# The lists Simkerma keeps whose codes a lookup column takes.
PARTNER_CATEGORY = "partner_category"
COOPERATION_FORM = "cooperation_form"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    # For the instructions sheet of the blank template, in Indonesian.
    help: str = ""
    example: str = ""
    # A code from a list Simkerma keeps (LOOKUPS): the allowed values are read from the database.
    lookup: str = ""

    @property
    def is_list(self) -> bool:
        return self.kind in (Kind.CODES, Kind.CHOICES)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key: a row whose key exists updates that record
    help: str = ""

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def normalise_header(value: object) -> str:
    """Headers are matched without regard to case or surrounding spaces."""
    return str(value if value is not None else "").strip().lower()


UNIT = Sheet(
    "Unit",
    (
        Column("kode", Kind.CODE, True, help="Kode unit, unik.", example="IF"),
        Column("nama", Kind.TEXT, True, help="Nama unit.", example="Jurusan Teknik Informatika"),
        Column(
            "jenis",
            Kind.CHOICE,
            True,
            ("jurusan", "p3m", "unit"),
            "Jurusan, P3M, atau unit lain.",
            "jurusan",
        ),
        Column(
            "bidang_wajib",
            Kind.CHOICES,
            choices=FIELDS,
            help=(
                "Bidang yang wajib dikerjasamakan setiap tahun (IKU B.1.2.9.7). Kosong: ketiganya untuk "
                "jurusan, penelitian;pkm untuk P3M, tidak ada untuk unit lain."
            ),
            example="pendidikan;penelitian;pkm",
        ),
    ),
    key=("kode",),
    help="Jurusan, P3M dan unit lain.",
)

PRODI = Sheet(
    "Prodi",
    (
        Column("kode", Kind.CODE, True, help="Kode program studi, unik.", example="IF01"),
        Column("nama", Kind.TEXT, True, help="Nama program studi.", example="Teknologi Rekayasa Perangkat Lunak"),
        Column("jenjang", Kind.CHOICE, True, ("D2", "D3", "D4", "S2"), "Jenjang pendidikan.", "D4"),
        Column(
            "unit_kode",
            Kind.CODE,
            True,
            help="Kode jurusan yang menaungi prodi (lembar Unit atau data yang sudah ada).",
            example="IF",
        ),
        Column("aktif_mulai", Kind.YEAR, help="Tahun pertama prodi aktif. Kosong: selalu aktif.", example="2015"),
        Column("aktif_sampai", Kind.YEAR, help="Tahun terakhir prodi aktif. Kosong: masih aktif.", example=""),
        # Simkerma's own columns, after the contract's.
        Column(
            "instrumen",
            Kind.CHOICE,
            choices=INSTRUMENTS,
            help="Instrumen akreditasi tempat prodi melaporkan kerja samanya (LKPS). Kosong: tetap seperti "
            "yang tersimpan (iaps4 untuk prodi baru).",
            example="iaps4",
        ),
    ),
    key=("kode",),
    help="Program studi dan jurusannya.",
)

MITRA = Sheet(
    "Mitra",
    (
        Column("kode", Kind.CODE, True, help="Kode mitra, unik.", example="M0001"),
        Column("nama", Kind.TEXT, True, help="Nama lembaga mitra.", example="PT Contoh Teknologi Batam"),
        Column(
            "jenis",
            Kind.CHOICE,
            True,
            ("industri", "pemerintah", "perguruan_tinggi", "asosiasi", "lainnya"),
            "Jenis lembaga mitra.",
            "industri",
        ),
        Column("negara", Kind.CODE, True, help="Kode negara ISO 3166-1 alpha-2.", example="ID"),
        Column("kota", Kind.TEXT, help="Kota.", example="Batam"),
        Column("alamat", Kind.TEXT, help="Alamat lengkap.", example="Jl. Ahmad Yani, Batam Centre"),
        Column("email", Kind.TEXT, help="Alamat e-mail lembaga.", example="info@contoh.co.id"),
        Column("telepon", Kind.TEXT, help="Nomor telepon.", example="+62 778 123456"),
        Column("situs", Kind.TEXT, help="Alamat situs web, dengan https://.", example="https://contoh.co.id"),
        # Simkerma's own columns, after the contract's.
        Column(
            "kategori_mitra",
            Kind.CODE,
            help="Kode kategori mitra IKU (daftar Kategori mitra di Simkerma). Kosong: tanpa kategori. "
            "Tanpa kolom ini, kategori yang tersimpan tetap.",
            example="multinasional",
            lookup=PARTNER_CATEGORY,
        ),
    ),
    key=("kode",),
    help="Lembaga mitra kerja sama.",
)

DOKUMEN = Sheet(
    "Dokumen",
    (
        Column("nomor", Kind.CODE, True, help="Nomor dokumen, unik.", example="001/PL29/KS/2025"),
        Column("jenis", Kind.CHOICE, True, ("MoU", "MoA", "IA"), "Jenis dokumen.", "MoA"),
        Column("judul", Kind.TEXT, True, help="Judul dokumen kerja sama.", example="Kerja sama magang industri"),
        Column(
            "mitra_kode",
            Kind.CODES,
            True,
            help="Kode mitra (lembar Mitra atau data yang sudah ada), dipisah ;.",
            example="M0001",
        ),
        Column(
            "induk_nomor",
            Kind.CODE,
            help="Nomor dokumen induk: MoA di bawah MoU, IA di bawah MoU atau MoA. Kosong untuk MoU.",
            example="",
        ),
        Column(
            "tingkat",
            Kind.CHOICE,
            True,
            ("internasional", "nasional", "wilayah"),
            "Tingkat kerja sama.",
            "nasional",
        ),
        Column("bidang", Kind.CHOICES, True, FIELDS, "Bidang tridharma, dipisah ;.", "pendidikan;penelitian"),
        Column("unit_kode", Kind.CODES, help="Kode unit yang terlibat, dipisah ;.", example="IF"),
        Column("prodi_kode", Kind.CODES, help="Kode prodi yang terlibat, dipisah ;.", example="IF01;IF02"),
        Column("tanggal_mulai", Kind.DATE, True, help="Tanggal mulai berlaku (YYYY-MM-DD).", example="2025-01-15"),
        Column(
            "tanggal_berakhir",
            Kind.DATE,
            True,
            help="Tanggal berakhir (YYYY-MM-DD), tidak sebelum tanggal mulai.",
            example="2030-01-14",
        ),
        Column(
            "diakhiri_pada",
            Kind.DATE,
            help="Tanggal pengakhiran lebih awal, bila ada (YYYY-MM-DD).",
            example="",
        ),
        # Simkerma's own columns, after the contract's.
        Column(
            "sdg",
            Kind.CHOICES,
            choices=SDGS,
            help="Tujuan Pembangunan Berkelanjutan (SDG) yang dilayani, dipisah ;. Kosong: tidak ada. "
            "Tanpa kolom ini, SDG yang tersimpan tetap.",
            example="sdg4;sdg17",
        ),
    ),
    key=("nomor",),
    help="Dokumen kerja sama: MoU, MoA dan IA. Induk ditulis sebelum anaknya.",
)

KEGIATAN = Sheet(
    "Kegiatan",
    (
        Column("kode", Kind.CODE, True, help="Kode kegiatan, unik.", example="K2025-00001"),
        Column(
            "dokumen_nomor",
            Kind.CODE,
            True,
            help="Nomor dokumen dasar kegiatan (lembar Dokumen atau data yang sudah ada).",
            example="001/PL29/KS/2025",
        ),
        Column("judul", Kind.TEXT, True, help="Judul kegiatan.", example="Magang mahasiswa semester ganjil"),
        Column("bidang", Kind.CHOICE, True, FIELDS, "Satu bidang tridharma.", "pendidikan"),
        Column("prodi_kode", Kind.CODES, help="Kode prodi. Kosong: prodi dokumennya.", example="IF01"),
        Column("unit_kode", Kind.CODES, help="Kode unit. Kosong: unit dokumennya.", example=""),
        Column("tanggal_mulai", Kind.DATE, True, help="Tanggal mulai (YYYY-MM-DD).", example="2025-08-01"),
        Column(
            "tanggal_selesai",
            Kind.DATE,
            help="Tanggal selesai (YYYY-MM-DD), tidak sebelum tanggal mulai.",
            example="2025-12-31",
        ),
        Column(
            "status",
            Kind.CHOICE,
            True,
            ("rencana", "terlaksana", "batal"),
            "rencana, terlaksana, atau batal.",
            "terlaksana",
        ),
        Column("manfaat", Kind.TEXT, help="Manfaat bagi program studi.", example="Mahasiswa mendapat pengalaman kerja"),
        Column(
            "bukti", Kind.TEXT, help="Bukti pelaksanaan, misalnya tautan laporan.", example="https://contoh/laporan"
        ),
        # Simkerma's own columns, after the contract's.
        Column(
            "jenis_kegiatan",
            Kind.CHOICE,
            choices=(
                "rapat",
                "penjadwalan",
                "kunjungan",
                "kuliah_tamu",
                "magang",
                "penelitian_bersama",
                "pkm",
                "pelatihan",
                "sertifikasi",
                "lainnya",
            ),
            help="Jenis kegiatan. Kosong: lainnya.",
            example="magang",
        ),
        Column(
            "bentuk_kerjasama",
            Kind.CODE,
            help="Kode bentuk kerja sama IKU (daftar Bentuk kerja sama di Simkerma). Kosong: tanpa bentuk. "
            "Tanpa kolom ini, bentuk yang tersimpan tetap.",
            example="magang_1_semester",
            lookup=COOPERATION_FORM,
        ),
    ),
    key=("kode",),
    help="Kegiatan pelaksanaan kerja sama.",
)

LAYANAN = Sheet(
    "Layanan",
    (
        Column("kode", Kind.CODE, True, help="Kode permintaan layanan, unik.", example="L2025-00001"),
        Column(
            "kanal",
            Kind.CHOICE,
            True,
            ("web", "email", "whatsapp", "telepon", "langsung", "surat"),
            "Pintu layanan tempat permintaan masuk.",
            "email",
        ),
        Column(
            "jenis",
            Kind.CHOICE,
            True,
            ("draf_dokumen", "informasi", "lainnya"),
            "Jenis permintaan.",
            "draf_dokumen",
        ),
        Column("dari_mitra", Kind.YES_NO, choices=(YES, NO), help="ya bila dari mitra. Kosong: tidak.", example=NO),
        Column("mitra_kode", Kind.CODE, help="Kode mitra pengirim, bila ada.", example=""),
        Column(
            "diterima",
            Kind.DATETIME,
            True,
            help="Waktu permintaan diterima (YYYY-MM-DD HH:MM, WIB).",
            example="2025-03-03 09:15",
        ),
        Column("direspons", Kind.DATETIME, help="Waktu respons pertama (WIB).", example="2025-03-03 09:25"),
        Column("draf_dikirim", Kind.DATETIME, help="Waktu draf dokumen dikirim (WIB).", example="2025-03-03 14:00"),
        Column("ditindaklanjuti", Kind.DATETIME, help="Waktu permintaan mitra ditindaklanjuti (WIB).", example=""),
        # Simkerma's own columns, after the contract's.
        Column("perihal", Kind.TEXT, help="Perihal permintaan. Kosong: dibuat dari kode dan jenisnya.", example=""),
        Column("pemohon", Kind.TEXT, help="Nama pemohon. Kosong: nama mitra, atau tidak diketahui.", example=""),
    ),
    key=("kode",),
    help="Permintaan layanan dengan waktu-waktunya (jam kerja dihitung oleh Simkerma).",
)

EVALUASI = Sheet(
    "Evaluasi",
    (
        Column("dokumen_nomor", Kind.CODE, True, help="Nomor dokumen yang dievaluasi.", example="001/PL29/KS/2025"),
        Column("tahun", Kind.YEAR, True, help="Tahun evaluasi.", example="2025"),
        Column("manfaat", Kind.YES_NO, choices=(YES, NO), help="Aspek manfaat terpenuhi.", example=YES),
        Column("kinerja", Kind.YES_NO, choices=(YES, NO), help="Aspek kinerja terpenuhi.", example=YES),
        Column("kepuasan", Kind.SCALE, choices=("1", "2", "3", "4"), help="Kepuasan mitra, 1 sampai 4.", example="4"),
        Column(
            "keberlanjutan",
            Kind.YES_NO,
            choices=(YES, NO),
            help="Kerja sama dilanjutkan.",
            example=YES,
        ),
        Column("catatan", Kind.TEXT, help="Catatan evaluasi.", example=""),
    ),
    key=("dokumen_nomor", "tahun"),
    help="Evaluasi tahunan tiga aspek mutu kerja sama, satu baris per dokumen per tahun.",
)

SHEETS: tuple[Sheet, ...] = (UNIT, PRODI, MITRA, DOKUMEN, KEGIATAN, LAYANAN, EVALUASI)
SHEETS_BY_NAME = {normalise_header(sheet.name): sheet for sheet in SHEETS}

# Where each code is defined, for "unknown code" messages that name the sheet to look in.
DEFINED_IN = {
    "unit_kode": UNIT.name,
    "prodi_kode": PRODI.name,
    "mitra_kode": MITRA.name,
    "induk_nomor": DOKUMEN.name,
    "dokumen_nomor": DOKUMEN.name,
}

# The workbook's names for values the models store otherwise.
AGREEMENT_KIND = {"MoU": "mou", "MoA": "moa", "IA": "ia"}
