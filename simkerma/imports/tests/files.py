"""Workbooks built for tests: valid ones in the contract's format, and hostile files of every kind."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook

from simkerma.imports.format import SHEETS_BY_NAME, normalise_header

Rows = Sequence[Sequence[Any]]


def workbook_bytes(sheets: Mapping[str, Rows], *, headers: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """An .xlsx with one sheet per entry: the format's headers (or `headers[name]`), then the rows."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        known = SHEETS_BY_NAME.get(normalise_header(name))
        header = list((headers or {}).get(name) or (known.headers if known else []))
        if header:
            sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def upload(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def rows_as_dicts(name: str, rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Rows given by column name, in the format's column order (missing columns empty)."""
    headers = SHEETS_BY_NAME[normalise_header(name)].headers
    return [[row.get(header) for header in headers] for row in rows]


def unit_row(**values: Any) -> dict[str, Any]:
    return {"kode": "IF", "nama": "Jurusan Teknik Informatika", "jenis": "jurusan", **values}


def prodi_row(**values: Any) -> dict[str, Any]:
    return {"kode": "IF01", "nama": "Teknologi Rekayasa Perangkat Lunak", "jenjang": "D4", "unit_kode": "IF", **values}


def partner_row(**values: Any) -> dict[str, Any]:
    return {
        "kode": "M0001",
        "nama": "PT Contoh Teknologi Batam",
        "jenis": "industri",
        "negara": "ID",
        "kota": "Batam",
        **values,
    }


def agreement_row(**values: Any) -> dict[str, Any]:
    return {
        "nomor": "001/PL29/KS/2025",
        "jenis": "MoU",
        "judul": "Kerja sama pendidikan",
        "mitra_kode": "M0001",
        "tingkat": "nasional",
        "bidang": "pendidikan;penelitian",
        "unit_kode": "IF",
        "prodi_kode": "IF01",
        "tanggal_mulai": dt.date(2025, 1, 15),
        "tanggal_berakhir": dt.date(2030, 1, 14),
        **values,
    }


def activity_row(**values: Any) -> dict[str, Any]:
    return {
        "kode": "K2025-00001",
        "dokumen_nomor": "001/PL29/KS/2025",
        "judul": "Magang mahasiswa",
        "bidang": "pendidikan",
        "tanggal_mulai": dt.date(2025, 8, 1),
        "tanggal_selesai": dt.date(2025, 12, 31),
        "status": "terlaksana",
        "manfaat": "Pengalaman kerja",
        "jenis_kegiatan": "magang",
        **values,
    }


def request_row(**values: Any) -> dict[str, Any]:
    return {
        "kode": "L2025-00001",
        "kanal": "email",
        "jenis": "informasi",
        "dari_mitra": "ya",
        "mitra_kode": "M0001",
        "diterima": "2025-03-03 09:15",
        "direspons": "2025-03-03 09:25",
        "ditindaklanjuti": "2025-03-04 10:00",
        **values,
    }


def evaluation_row(**values: Any) -> dict[str, Any]:
    return {
        "dokumen_nomor": "001/PL29/KS/2025",
        "tahun": 2025,
        "manfaat": "ya",
        "kinerja": "ya",
        "kepuasan": 4,
        "keberlanjutan": "ya",
        "catatan": "Baik",
        **values,
    }


def full_sheets(*, activities: int = 1, requests: int = 1) -> dict[str, list[list[Any]]]:
    """Every sheet: two units, a prodi, a partner, an MoU with an MoA under it (written first: a
    parent may be defined later in the sheet), `activities` activities, `requests` requests and an
    evaluation."""
    moa = agreement_row(nomor="002/PL29/KS/2025", jenis="MoA", judul="Magang industri", induk_nomor="001/PL29/KS/2025")
    return {
        "Unit": rows_as_dicts("Unit", [unit_row(), unit_row(kode="P3M", nama="P3M", jenis="p3m")]),
        "Prodi": rows_as_dicts("Prodi", [prodi_row(aktif_mulai=2015)]),
        "Mitra": rows_as_dicts("Mitra", [partner_row()]),
        "Dokumen": rows_as_dicts("Dokumen", [moa, agreement_row()]),
        "Kegiatan": rows_as_dicts(
            "Kegiatan",
            [
                activity_row(kode=f"K2025-{n:05d}", dokumen_nomor=("002" if n % 2 else "001") + "/PL29/KS/2025")
                for n in range(1, activities + 1)
            ],
        ),
        "Layanan": rows_as_dicts("Layanan", [request_row(kode=f"L2025-{n:05d}") for n in range(1, requests + 1)]),
        "Evaluasi": rows_as_dicts("Evaluasi", [evaluation_row()]),
    }


def full_workbook(*, activities: int = 1, requests: int = 1) -> bytes:
    """A workbook with every sheet (full_sheets)."""
    return workbook_bytes(full_sheets(activities=activities, requests=requests))


# Hostile files.


def csv_as_xlsx() -> bytes:
    return b"kode,nama,jenis\nIF,Teknik Informatika,jurusan\n"


def png_image() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def password_protected() -> bytes:
    """What Excel writes for a workbook with a password: an OLE compound file (as an old .xls is)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zip_bomb(inflated_mb: int = 300) -> bytes:
    """A package whose one member inflates to `inflated_mb` MB of zeros."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(inflated_mb):
                member.write(chunk)
    return stream.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return stream.getvalue()


def million_empty_rows(rows: int = 1_000_000) -> bytes:
    """A Unit sheet whose XML has `rows` empty row elements after one data row, and a last cell at
    the bottom, with a dimension that claims the sheet is one cell: written as XML directly."""
    data = workbook_bytes({"Unit": rows_as_dicts("Unit", [unit_row()])})
    source = zipfile.ZipFile(io.BytesIO(data))
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    empty = "".join(f'<row r="{n}"/>' for n in range(3, rows + 3))
    last = f'<row r="{rows + 3}"><c r="A{rows + 3}" t="inlineStr"><is><t>LAST</t></is></c></row>'
    sheet = sheet.replace("</sheetData>", empty + last + "</sheetData>")
    return _replace_member(data, "xl/worksheets/sheet1.xml", sheet.encode())


def long_cell(length: int = 100_000) -> bytes:
    """A Mitra row whose alamat holds `length` characters (more than Excel itself writes, 32,767)."""
    data = workbook_bytes({"Mitra": rows_as_dicts("Mitra", [partner_row(alamat="LONGCELL")])})
    package = zipfile.ZipFile(io.BytesIO(data))
    name = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in package.namelist() else "xl/worksheets/sheet1.xml"
    return _replace_member(data, name, package.read(name).decode().replace("LONGCELL", "x" * length).encode())


def many_columns(count: int = 200) -> bytes:
    headers = [*SHEETS_BY_NAME["unit"].headers, *[f"extra{n}" for n in range(count)]]
    return workbook_bytes({"Unit": [[*unit_row().values(), None, *range(count)]]}, headers={"Unit": headers})
