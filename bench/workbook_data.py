"""A valid data workbook (CONTRACTS.md §1) of any size, written straight with openpyxl, for the
import and export benchmarks.

    .venv/bin/python bench/workbook_data.py 10k          # prints the cached file's path
    .venv/bin/python bench/workbook_data.py 600k
    .venv/bin/python bench/workbook_data.py --rows 500   # the 10k mix scaled to about 500 rows

The workbook is deterministic (one seeded random generator per size) and is written in openpyxl's
write-only mode, row by row with inline strings, so memory stays bounded by the agreements kept
for reference (number, period, fields, partners), never by the activities. Files are cached under
var/bench/ by their parameters and GENERATOR_VERSION, and are never committed.

What it holds, sheet by sheet, all of it valid by the models' rules:
- Unit: jurusan, one P3M and one other unit; some jurusan state their bidang_wajib.
- Prodi: each under a jurusan, D3/D4 mostly, some with aktif_mulai, one in 17 ended in 2021.
- Mitra: companies, government offices, universities and associations, most in Indonesia, with
  city, address, e-mail, phone and web site (some left empty).
- Dokumen: trees of six, parents before children: an MoU, two MoAs under it, two IAs under the
  first MoA and one IA directly under the MoU. Children run within their parent's period and
  name the MoU's partners; one in 29 ended early.
- Kegiatan: spread over the agreements, each within its agreement's period and in one of its
  fields; a third name their own prodi and a tenth their own units; terlaksana, rencana or batal
  (only activities that have started are terlaksana).
- Layanan: requests received in office hours over 2023 to 2025, most answered, drafts and
  follow-ups for a part of them, a third from partners.
- Evaluasi: one per agreement for a spread of agreements, in the agreement's first year.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simkerma.imports import format as fmt  # noqa: E402 (after the path is set)

# Bumped whenever the rows written change, so that a cached file is never stale.
GENERATOR_VERSION = 1
CACHE_DIR = ROOT / "var" / "bench"
# Activities that start after this day are planned, never carried out (a carried-out activity has started).
LAST_CARRIED_OUT = dt.date(2025, 12, 31)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

WORDS = (
    "Batam",
    "Nusantara",
    "Teknik",
    "Digital",
    "Maritim",
    "Energi",
    "Global",
    "Solusi",
    "Karya",
    "Mandiri",
    "Sejahtera",
    "Industri",
    "Elektronik",
    "Kepri",
    "Riau",
    "Logistik",
    "Samudra",
    "Presisi",
    "Inovasi",
    "Kreatif",
)
PARTNER_KINDS = (
    ("industri", "PT", 60),
    ("pemerintah", "Dinas", 12),
    ("perguruan_tinggi", "Universitas", 15),
    ("asosiasi", "Asosiasi", 8),
    ("lainnya", "Yayasan", 5),
)
COUNTRIES = (("ID", 85), ("SG", 5), ("MY", 4), ("JP", 3), ("DE", 2), ("AU", 1))
CITIES = {"ID": "Batam", "SG": "Singapore", "MY": "Johor Bahru", "JP": "Osaka", "DE": "Bremen", "AU": "Perth"}
ACTIVITY_KINDS = fmt.KEGIATAN.column("jenis_kegiatan").choices
ACTIVITY_TITLES = (
    "Magang mahasiswa",
    "Kuliah tamu",
    "Penelitian bersama",
    "Pelatihan dosen",
    "Sertifikasi kompetensi",
    "Pengabdian masyarakat",
    "Kunjungan industri",
    "Rapat koordinasi",
)
# The tree of six: (kind, index of the parent within the group, or None for the MoU).
TREE: tuple[tuple[str, int | None], ...] = (
    ("MoU", None),
    ("MoA", 0),
    ("IA", 1),
    ("IA", 1),
    ("MoA", 0),
    ("IA", 0),
)


@dataclass(frozen=True)
class Size:
    """How many rows each sheet holds."""

    units: int
    prodi: int
    partners: int
    agreements: int
    activities: int
    requests: int
    evaluations: int
    seed: int = 10

    def __post_init__(self) -> None:
        if self.units < 3 or self.prodi < 1 or self.partners < 1 or self.agreements < 1:
            raise ValueError(
                "A workbook needs at least 3 units (a jurusan, P3M, a unit), a prodi, a partner, an agreement."
            )
        if self.evaluations > self.agreements:
            raise ValueError("At most one evaluation per agreement.")

    @property
    def rows(self) -> int:
        return sum(getattr(self, name) for name in ROW_FIELDS)

    @property
    def key(self) -> str:
        return "-".join(f"{KEY_NAMES[name]}{getattr(self, name)}" for name in (*ROW_FIELDS, "seed"))

    def scaled(self, rows: int) -> Size:
        """The same mix with about `rows` rows in all (each sheet at least its minimum)."""
        factor = rows / self.rows
        minimum = {"units": 3, "prodi": 1, "partners": 1, "agreements": 1}
        counts = {name: max(minimum.get(name, 0), round(getattr(self, name) * factor)) for name in ROW_FIELDS}
        counts["evaluations"] = min(counts["evaluations"], counts["agreements"])
        return dataclasses.replace(self, **counts)


ROW_FIELDS = ("units", "prodi", "partners", "agreements", "activities", "requests", "evaluations")
# The cached file's name: the workbook's own sheet initials.
KEY_NAMES = {
    "units": "u",
    "prodi": "p",
    "partners": "m",
    "agreements": "d",
    "activities": "k",
    "requests": "l",
    "evaluations": "e",
    "seed": "s",
}

# 10,000 rows, in the proportions of an office with a few years of history.
TEN_THOUSAND = Size(units=8, prodi=30, partners=800, agreements=1500, activities=7000, requests=500, evaluations=162)
# A large university over many years: 600,000 activities under 60,000 agreements.
SIX_HUNDRED_THOUSAND = Size(
    units=20,
    prodi=200,
    partners=20_000,
    agreements=60_000,
    activities=600_000,
    requests=5_000,
    evaluations=5_000,
)
SIZES = {"10k": TEN_THOUSAND, "600k": SIX_HUNDRED_THOUSAND}


@dataclass(frozen=True)
class _Agreement:
    """What later rows need to know of an agreement."""

    number: str
    start: dt.date
    end: dt.date  # the last day in force: the end date, or the day it was ended early
    fields: tuple[str, ...]
    partners: str  # the mitra_kode cell


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(choices, weights=[choice[-1] for choice in choices])[0]


class _Writer:
    """Rows into one write-only sheet: dates and datetimes as Excel dates, the rest as given."""

    def __init__(self, workbook: Workbook, sheet: fmt.Sheet) -> None:
        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(sheet.name)
        self.width = len(sheet.columns)
        self.sheet.append(sheet.headers)
        self.rows = 0

    def append(self, values: Sequence[Any]) -> None:
        # Columns the format added later (all optional) are left empty.
        assert len(values) <= self.width, values
        values = [*values, *[None] * (self.width - len(values))]
        row: list[Any] = []
        for value in values:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
                row.append(cell)
            else:
                row.append(value)
        self.sheet.append(row)
        self.rows += 1


def _units(size: Size) -> tuple[list[list[Any]], list[str], list[str]]:
    jurusan = [f"J{i + 1:02d}" for i in range(size.units - 2)]
    rows: list[list[Any]] = []
    for i, code in enumerate(jurusan):
        wanted = "pendidikan;penelitian" if i % 4 == 3 else None
        rows.append([code, f"Jurusan {WORDS[i % len(WORDS)]} {i + 1}", "jurusan", wanted])
    rows.append(["P3M", "Pusat Penelitian dan Pengabdian kepada Masyarakat", "p3m", None])
    rows.append(["UPT-KS", "UPT Kerja Sama dan Hubungan Masyarakat", "unit", None])
    return rows, jurusan, [row[0] for row in rows]


def _prodi(size: Size, rng: random.Random, jurusan: list[str]) -> Iterator[list[Any]]:
    for i in range(size.prodi):
        level = rng.choices(("D3", "D4", "S2", "D2"), weights=(35, 55, 7, 3))[0]
        first = rng.choice((None, None, 2008, 2012, 2015))
        last = 2021 if i % 17 == 16 else None
        yield [
            f"PR{i + 1:03d}",
            f"Program Studi {WORDS[i % len(WORDS)]} {i + 1}",
            level,
            jurusan[i % len(jurusan)],
            first,
            last,
        ]


def _partners(size: Size, rng: random.Random) -> Iterator[list[Any]]:
    for i in range(size.partners):
        kind, prefix, _ = _weighted(rng, PARTNER_KINDS)
        country = _weighted(rng, COUNTRIES)[0]
        n = i + 1
        name = f"{prefix} {rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
        full = i % 5 != 4  # a fifth give only what is required and the city
        yield [
            f"M{n:06d}",
            name,
            kind,
            country,
            CITIES[country],
            f"Jl. {rng.choice(WORDS)} No. {rng.randrange(1, 200)}" if full else None,
            f"info{n}@mitra{n}.example.id" if full else None,
            f"+62 778 {rng.randrange(100000, 999999)}" if full else None,
            f"https://mitra{n}.example.id" if full else None,
        ]


def _agreements(
    size: Size, rng: random.Random, unit_codes: list[str], prodi_codes: list[str], kept: list[_Agreement]
) -> Iterator[list[Any]]:
    """Trees of six (TREE); `kept` receives each agreement for the activities and evaluations."""
    for i in range(size.agreements):
        place, (kind, parent_place) = i % len(TREE), TREE[i % len(TREE)]
        group = i - place
        if parent_place is None:
            start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(0, 3200))
            end = start + dt.timedelta(days=rng.choice((1095, 1825, 1825)) - 1)
            count = 2 if rng.random() < 0.12 else 1
            partners = ";".join(sorted(f"M{rng.randrange(size.partners) + 1:06d}" for _ in range(count)))
            parent = None
            fields = tuple(sorted(rng.sample(fmt.FIELDS, rng.randint(1, 3)), key=fmt.FIELDS.index))
        else:
            parent = kept[group + parent_place]
            start = parent.start + dt.timedelta(days=rng.randrange(0, min(120, (parent.end - parent.start).days + 1)))
            end = min(parent.end, start + dt.timedelta(days=rng.choice((364, 729, 1094))))
            partners = parent.partners
            fields = tuple(sorted(rng.sample(parent.fields, rng.randint(1, len(parent.fields))), key=fmt.FIELDS.index))
        number = f"{i + 1:06d}/PL29/{kind.upper()}/{start.year}"
        ended = start + dt.timedelta(days=min(200, (end - start).days)) if i % 29 == 28 else None
        kept.append(_Agreement(number, start, ended or end, fields, partners))
        units = ";".join(sorted(rng.sample(unit_codes, rng.choice((1, 1, 2))))) if i % 5 else None
        prodi = ";".join(sorted(rng.sample(prodi_codes, min(len(prodi_codes), rng.choice((0, 1, 2)))))) or None
        yield [
            number,
            kind,
            f"Kerja sama {rng.choice(ACTIVITY_TITLES).lower()} {i + 1}",
            partners,
            parent.number if parent else None,
            rng.choices(("internasional", "nasional", "wilayah"), weights=(15, 60, 25))[0],
            ";".join(fields),
            units,
            prodi,
            start,
            end,
            ended,
        ]


def _activities(
    size: Size, rng: random.Random, unit_codes: list[str], prodi_codes: list[str], agreements: list[_Agreement]
) -> Iterator[list[Any]]:
    for n in range(size.activities):
        agreement = agreements[(n * 7919) % len(agreements)]
        day = agreement.start + dt.timedelta(days=rng.randrange(0, (agreement.end - agreement.start).days + 1))
        if day > LAST_CARRIED_OUT:
            status = rng.choices(("rencana", "batal"), weights=(90, 10))[0]
        else:
            status = rng.choices(("terlaksana", "rencana", "batal"), weights=(75, 12, 13))[0]
        draw = rng.random()
        prodi = (
            ";".join(sorted(rng.sample(prodi_codes, min(len(prodi_codes), rng.choice((1, 1, 2))))))
            if draw < 0.33
            else None
        )
        units = rng.choice(unit_codes) if draw < 0.1 else None
        ends = day + dt.timedelta(days=rng.choice((0, 0, 1, 4, 30))) if rng.random() < 0.6 else None
        title = rng.choice(ACTIVITY_TITLES)
        carried_out = status == "terlaksana"
        yield [
            f"K{day.year}-{n + 1:07d}",
            agreement.number,
            f"{title} {n + 1}",
            rng.choice(agreement.fields),
            prodi,
            units,
            day,
            ends,
            status,
            f"{title} memberi pengalaman bagi mahasiswa" if carried_out and draw < 0.5 else None,
            f"https://simkerma.example.id/bukti/{n + 1}" if carried_out and draw < 0.4 else None,
            rng.choice(ACTIVITY_KINDS),
        ]


def _requests(size: Size, rng: random.Random) -> Iterator[list[Any]]:
    start = dt.datetime(2023, 1, 2, 8, 0)
    for n in range(size.requests):
        day = start + dt.timedelta(days=rng.randrange(0, 3 * 365))
        received = day.replace(hour=rng.randrange(8, 16), minute=rng.randrange(0, 60))
        jenis = rng.choices(("draf_dokumen", "informasi", "lainnya"), weights=(30, 50, 20))[0]
        from_partner = n % 3 == 0
        partner = f"M{rng.randrange(size.partners) + 1:06d}" if from_partner else None
        responded = received + dt.timedelta(minutes=rng.choice((5, 10, 14, 30, 600))) if rng.random() < 0.9 else None
        draft = (
            received + dt.timedelta(hours=rng.choice((4, 20, 50)))
            if jenis == "draf_dokumen" and rng.random() < 0.8
            else None
        )
        followed = (
            received + dt.timedelta(hours=rng.choice((5, 22, 70))) if from_partner and rng.random() < 0.7 else None
        )
        yield [
            f"L{received.year}-{n + 1:06d}",
            rng.choice(fmt.LAYANAN.column("kanal").choices),
            jenis,
            fmt.YES if from_partner else fmt.NO,
            partner,
            received,
            responded,
            draft,
            followed,
            f"Permintaan {jenis.replace('_', ' ')} {n + 1}",
            f"Pemohon {n + 1}",
        ]


def _evaluations(size: Size, rng: random.Random, agreements: list[_Agreement]) -> Iterator[list[Any]]:
    for n in range(size.evaluations):
        agreement = agreements[n * len(agreements) // size.evaluations]
        satisfaction = rng.choice((2, 3, 3, 4, 4))
        yield [
            agreement.number,
            agreement.start.year,
            rng.choice((fmt.YES, fmt.YES, fmt.NO)),
            rng.choice((fmt.YES, fmt.YES, fmt.NO)),
            satisfaction,
            fmt.YES if satisfaction > 2 else fmt.NO,
            "Evaluasi tahunan" if n % 3 == 0 else None,
        ]


def write_workbook(path: Path, size: Size) -> dict[str, int]:
    """Write the workbook of `size` to `path`; the data rows written per sheet."""
    rng = random.Random(size.seed)
    workbook = Workbook(write_only=True)
    counts: dict[str, int] = {}

    def sheet(spec: fmt.Sheet, rows: Iterator[list[Any]] | list[list[Any]]) -> None:
        writer = _Writer(workbook, spec)
        for row in rows:
            writer.append(row)
        counts[spec.name] = writer.rows

    unit_rows, jurusan, unit_codes = _units(size)
    sheet(fmt.UNIT, unit_rows)
    prodi_rows = list(_prodi(size, rng, jurusan))
    prodi_codes = [row[0] for row in prodi_rows]
    sheet(fmt.PRODI, prodi_rows)
    sheet(fmt.MITRA, _partners(size, rng))
    agreements: list[_Agreement] = []
    sheet(fmt.DOKUMEN, _agreements(size, rng, unit_codes, prodi_codes, agreements))
    sheet(fmt.KEGIATAN, _activities(size, rng, unit_codes, prodi_codes, agreements))
    sheet(fmt.LAYANAN, _requests(size, rng))
    sheet(fmt.EVALUASI, _evaluations(size, rng, agreements))
    workbook.save(path)
    return counts


def workbook_path(size: Size, directory: Path = CACHE_DIR) -> Path:
    """The workbook of `size`, written once and kept under `directory` by its parameters."""
    path = directory / f"workbook-v{GENERATOR_VERSION}-{size.key}.xlsx"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=directory, prefix=".workbook-", suffix=".xlsx")
    os.close(handle)
    try:
        write_workbook(Path(partial), size)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", choices=sorted(SIZES), default="10k")
    parser.add_argument("--rows", type=int, help="The 10k mix scaled to about this many rows.")
    args = parser.parse_args()
    size = TEN_THOUSAND.scaled(args.rows) if args.rows else SIZES[args.size]
    print(workbook_path(size))


if __name__ == "__main__":
    main()
