"""A bad workbook is reported all at once, by sheet, row and column, and nothing at all is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.agreements.models import Agreement
from simkerma.imports.results import ImportResult
from simkerma.imports.services import workbook_import
from simkerma.imports.tests import files
from simkerma.org.models import Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared as their English msgids."""
    with translation.override("en"):
        yield


def run(data: bytes, user, **kwargs) -> ImportResult:
    return workbook_import(file=files.upload(data), user=user, **kwargs)


def places(result: ImportResult) -> dict[tuple[str, int | None, str | None], str]:
    return {(p.sheet, p.row, p.column): p.message for p in result.problems}


def with_sheets(**sheets) -> bytes:
    return files.workbook_bytes({**files.full_sheets(), **sheets})


def test_many_bad_rows_across_sheets_are_all_reported_and_nothing_is_saved(staff):
    data = with_sheets(
        Unit=files.rows_as_dicts("Unit", [files.unit_row(), files.unit_row(kode="P3M", jenis="pusat")]),
        Mitra=files.rows_as_dicts("Mitra", [files.partner_row(), files.partner_row(kode="M0002", email="bukan-email")]),
        Dokumen=files.rows_as_dicts(
            "Dokumen",
            [
                files.agreement_row(),
                files.agreement_row(
                    nomor="003", jenis="MoA", induk_nomor="001/PL29/KS/2025", tanggal_berakhir=dt.date(2024, 1, 1)
                ),
                files.agreement_row(nomor="004", mitra_kode="M0099"),
            ],
        ),
        Kegiatan=files.rows_as_dicts(
            "Kegiatan",
            [
                files.activity_row(),
                files.activity_row(kode="K2", status="selesai"),
                files.activity_row(kode="K3", tanggal_mulai="15/08/2025"),
                files.activity_row(kode="K1-dup", dokumen_nomor="NOPE"),
                files.activity_row(),  # the first row's code again
            ],
        ),
        Layanan=files.rows_as_dicts("Layanan", [files.request_row(diterima="2099-01-01 10:00")]),
        Evaluasi=files.rows_as_dicts("Evaluasi", [files.evaluation_row(kepuasan=7)]),
    )

    result = run(data, staff)

    assert not result.ok and not result.saved
    found = places(result)
    assert set(found) == {
        ("Unit", 3, "jenis"),
        ("Mitra", 3, "email"),
        ("Dokumen", 3, "tanggal_berakhir"),
        ("Dokumen", 4, "mitra_kode"),
        ("Kegiatan", 3, "status"),
        ("Kegiatan", 4, "tanggal_mulai"),
        ("Kegiatan", 5, "dokumen_nomor"),
        ("Kegiatan", 6, "kode"),
        ("Layanan", 2, "diterima"),
        ("Evaluasi", 2, "kepuasan"),
    }
    assert found[("Dokumen", 4, "mitra_kode")] == "mitra_kode M0099 is not in sheet Mitra nor in Simkerma."
    assert found[("Kegiatan", 5, "dokumen_nomor")] == "dokumen_nomor NOPE is not in sheet Dokumen nor in Simkerma."
    assert "YYYY-MM-DD" in found[("Kegiatan", 4, "tanggal_mulai")]
    assert "first in row 2" in found[("Kegiatan", 6, "kode")]
    assert found[("Layanan", 2, "diterima")] == "This moment is in the future."
    assert not any(model.objects.exists() for model in (Unit, Partner, Agreement, Activity, ServiceRequest))


def test_problem_place_names_sheet_row_and_column(staff):
    data = with_sheets(Kegiatan=files.rows_as_dicts("Kegiatan", [files.activity_row(status="selesai")]))

    [problem] = run(data, staff).problems

    assert problem.place == "Kegiatan, row 2, column status"
    assert "rencana, terlaksana, batal" in problem.message


def test_an_unknown_code_names_the_sheet_where_it_should_be_defined(staff):
    data = files.workbook_bytes(
        {
            "Prodi": files.rows_as_dicts("Prodi", [files.prodi_row(unit_kode="XX")]),
            "Kegiatan": files.rows_as_dicts("Kegiatan", [files.activity_row(prodi_kode="IF01;ZZ01", unit_kode="QQ")]),
        }
    )

    found = places(run(data, staff))

    assert found[("Prodi", 2, "unit_kode")] == "unit_kode XX is not in sheet Unit nor in Simkerma."
    assert found[("Kegiatan", 2, "dokumen_nomor")] == (
        "dokumen_nomor 001/PL29/KS/2025 is not in sheet Dokumen nor in Simkerma."
    )
    assert found[("Kegiatan", 2, "unit_kode")] == "unit_kode QQ is not in sheet Unit nor in Simkerma."
    # IF01 is defined in the Prodi sheet (its own row is refused), so only ZZ01 is unknown.
    assert [p.message for p in run(data, staff).problems if p.column == "prodi_kode"] == [
        "prodi_kode ZZ01 is not in sheet Prodi nor in Simkerma."
    ]


def test_codes_defined_in_simkerma_are_found(staff):
    assert run(files.full_workbook(), staff).saved
    data = files.workbook_bytes(
        {
            "Kegiatan": files.rows_as_dicts(
                "Kegiatan", [files.activity_row(kode="K9", prodi_kode="IF01", unit_kode="P3M")]
            )
        }
    )

    result = run(data, staff)

    assert result.saved, result.problems
    assert {u.code for u in Activity.objects.get(code="K9").units.all()} == {"P3M"}


def test_an_ia_under_an_ia_is_refused_with_the_models_message(staff):
    data = with_sheets(
        Dokumen=files.rows_as_dicts(
            "Dokumen",
            [
                files.agreement_row(),
                files.agreement_row(nomor="IA-1", jenis="IA", induk_nomor="001/PL29/KS/2025"),
                files.agreement_row(nomor="IA-2", jenis="IA", induk_nomor="IA-1"),
                files.agreement_row(nomor="MOU-2", jenis="MoU", induk_nomor="001/PL29/KS/2025"),
            ],
        ),
        Kegiatan=[],
        Evaluasi=[],
    )

    found = places(run(data, staff))

    assert found == {
        ("Dokumen", 4, "induk_nomor"): "A IA cannot hang under a IA; its parent must be: MoA/PKS, MoU.",
        ("Dokumen", 5, "induk_nomor"): "An MoU is the top of the tree and has no parent agreement.",
    }


def test_an_unknown_parent_is_named(staff):
    data = with_sheets(
        Dokumen=files.rows_as_dicts("Dokumen", [files.agreement_row(nomor="X", jenis="MoA", induk_nomor="999")]),
        Kegiatan=[],
        Evaluasi=[],
    )

    assert places(run(data, staff)) == {
        ("Dokumen", 2, "induk_nomor"): "induk_nomor 999 is not in sheet Dokumen nor in Simkerma."
    }


def test_an_end_before_the_start_is_refused_with_the_models_message(staff):
    data = with_sheets(
        Kegiatan=files.rows_as_dicts(
            "Kegiatan", [files.activity_row(tanggal_mulai=dt.date(2025, 9, 1), tanggal_selesai=dt.date(2025, 8, 1))]
        )
    )

    found = places(run(data, staff))

    assert list(found) == [("Kegiatan", 2, "tanggal_selesai")]
    message = found[("Kegiatan", 2, "tanggal_selesai")]
    assert message.startswith("The end date (") and "2025) is before the start date (" in message


def test_a_prodi_under_a_unit_that_is_not_a_jurusan_is_refused(staff):
    data = files.workbook_bytes(
        {
            "Unit": files.rows_as_dicts("Unit", [files.unit_row(kode="LPM", nama="LPM", jenis="unit")]),
            "Prodi": files.rows_as_dicts("Prodi", [files.prodi_row(unit_kode="LPM")]),
        }
    )

    assert places(run(data, staff)) == {
        ("Prodi", 2, "unit_kode"): "A study programme belongs to a department (jurusan)."
    }


def test_an_activity_carried_out_cannot_go_back_to_a_plan(staff):
    run(files.full_workbook(), staff)
    data = files.workbook_bytes({"Kegiatan": files.rows_as_dicts("Kegiatan", [files.activity_row(status="rencana")])})

    [problem] = run(data, staff).problems

    assert (problem.sheet, problem.row, problem.column) == ("Kegiatan", 2, "status")
    assert "one step at a time" in problem.message
    assert Activity.objects.get().status == ActivityStatus.TERLAKSANA


def test_a_missing_required_header_is_a_problem_and_unknown_columns_and_sheets_are_warnings(staff):
    data = files.workbook_bytes(
        {"Mitra": [["M1", "PT A", "ID", "x"]], "Catatan": [["apa saja"]]},
        headers={"Mitra": ["KODE ", " Nama", "negara", "warna"], "Catatan": ["isi"]},
    )

    result = run(data, staff)

    assert places(result) == {("Mitra", 1, "jenis"): "The required column jenis is missing."}
    assert {(w.sheet, w.column) for w in result.warnings} == {("Mitra", "warna"), ("Catatan", None)}


def test_an_empty_required_cell_is_named(staff):
    data = files.workbook_bytes({"Mitra": files.rows_as_dicts("Mitra", [files.partner_row(nama=" ")])})

    assert places(run(data, staff)) == {("Mitra", 2, "nama"): "This column is required; the cell is empty."}


def test_an_archived_evaluation_cannot_be_changed(staff):
    run(files.full_workbook(), staff)
    from simkerma.evaluations.models import Evaluation

    Evaluation.objects.update(archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), retention_until=dt.date(2031, 1, 1))
    data = files.workbook_bytes({"Evaluasi": files.rows_as_dicts("Evaluasi", [files.evaluation_row(kepuasan=1)])})

    assert places(run(data, staff)) == {("Evaluasi", 2, None): "An archived evaluation cannot be changed."}


def test_an_evaluation_for_a_year_the_agreement_was_not_in_force(staff):
    data = with_sheets(Evaluasi=files.rows_as_dicts("Evaluasi", [files.evaluation_row(tahun=2040)]))

    assert places(run(data, staff)) == {("Evaluasi", 2, "tahun"): "The agreement was not in force in 2040."}


def test_places_and_messages_are_in_indonesian_for_the_office(staff):
    from simkerma.imports.results import Problem

    with translation.override("id"):
        assert Problem("Dokumen", 7, "tanggal_berakhir", "x").place == "Dokumen, baris 7, kolom tanggal_berakhir"
        assert Problem("", None, None, "x").place == "Berkas"
        data = with_sheets(Kegiatan=files.rows_as_dicts("Kegiatan", [files.activity_row(dokumen_nomor="NOPE")]))
        [problem] = run(data, staff).problems
    assert problem.message == "dokumen_nomor NOPE tidak ada di lembar Dokumen maupun di Simkerma."


def test_a_refused_row_is_reported_once_not_again_by_the_rows_naming_it(staff):
    data = with_sheets(
        Unit=files.rows_as_dicts("Unit", [files.unit_row(jenis="fakultas")]),
        Mitra=files.rows_as_dicts("Mitra", [files.partner_row(negara="XX")]),
    )

    found = places(run(data, staff))

    assert set(found) == {("Unit", 2, "jenis"), ("Mitra", 2, "negara")}


def test_codes_excel_stored_as_numbers_are_matched_as_text(staff):
    data = files.workbook_bytes(
        {
            "Mitra": files.rows_as_dicts("Mitra", [files.partner_row(kode=2015.0)]),
            "Dokumen": files.rows_as_dicts(
                "Dokumen", [files.agreement_row(mitra_kode=2015, unit_kode=None, prodi_kode=None)]
            ),
        }
    )

    result = run(data, staff)

    assert result.saved, result.problems
    assert [p.code for p in Agreement.objects.get().partners.all()] == ["2015"]
