"""Importing the data workbook: every sheet created, updated by key, unchanged on a second import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import IMPORTED, Activity, ActivityStatus, ActivityTransition, ActivityUnitScope
from simkerma.activities.scope import computed_rows, stored_rows
from simkerma.agreements.models import Agreement
from simkerma.core.dates import WIB
from simkerma.core.versions import versions
from simkerma.evaluations.models import Evaluation
from simkerma.imports.results import ImportResult
from simkerma.imports.services import workbook_import
from simkerma.imports.tests import files
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import RequestKind, ServiceRequest, StageChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared as their English msgids."""
    with translation.override("en"):
        yield


def run(data: bytes, user, **kwargs) -> ImportResult:
    return workbook_import(file=files.upload(data), user=user, **kwargs)


def counts(result: ImportResult) -> dict[str, tuple[int, int, int]]:
    return {c.sheet: (c.created, c.updated, c.unchanged) for c in result.counts}


def history_rows() -> int:
    return sum(
        model.history.count()  # type: ignore[attr-defined]
        for model in (Partner, Agreement, Activity, ServiceRequest, Evaluation)
    )


def test_every_sheet_is_created(staff):
    result = run(files.full_workbook(activities=3, requests=2), staff)

    assert result.ok and result.saved, result.problems
    assert counts(result) == {
        "Unit": (2, 0, 0),
        "Prodi": (1, 0, 0),
        "Mitra": (1, 0, 0),
        "Dokumen": (2, 0, 0),
        "Kegiatan": (3, 0, 0),
        "Layanan": (2, 0, 0),
        "Evaluasi": (1, 0, 0),
    }
    jurusan = Unit.objects.get(code="IF")
    assert (jurusan.kind, jurusan.expected_fields) == ("jurusan", ["pendidikan", "penelitian", "pkm"])
    assert Unit.objects.get(code="P3M").expected_fields == ["penelitian", "pkm"]
    prodi = Prodi.objects.get(code="IF01")
    assert (prodi.unit, prodi.level, prodi.active_from, prodi.active_until) == (jurusan, "D4", 2015, None)
    partner = Partner.objects.get(code="M0001")
    assert (partner.name, partner.name_key, partner.city) == (
        "PT Contoh Teknologi Batam",
        "batam contoh teknologi",
        "Batam",
    )
    mou = Agreement.objects.get(number="001/PL29/KS/2025")
    moa = Agreement.objects.get(number="002/PL29/KS/2025")
    assert (mou.kind, moa.kind, moa.parent) == ("mou", "moa", mou)
    assert (moa.start_date, moa.end_date, moa.fields) == (
        dt.date(2025, 1, 15),
        dt.date(2030, 1, 14),
        ["pendidikan", "penelitian"],
    )
    assert list(moa.partners.all()) == [partner] and list(moa.units.all()) == [jurusan]
    assert list(moa.prodi.all()) == [prodi]
    activity = Activity.objects.get(code="K2025-00001")
    assert (activity.agreement, activity.status, activity.kind) == (moa, ActivityStatus.TERLAKSANA, "magang")
    assert (activity.start_date, activity.end_date, activity.benefit) == (
        dt.date(2025, 8, 1),
        dt.date(2025, 12, 31),
        "Pengalaman kerja",
    )
    assert activity.created_by == staff
    request = ServiceRequest.objects.get(code="L2025-00001")
    assert (request.channel, request.kind, request.from_partner, request.partner) == (
        "email",
        RequestKind.INFORMATION,
        True,
        partner,
    )
    assert request.received_at == dt.datetime(2025, 3, 3, 9, 15, tzinfo=WIB)
    assert request.responded_at == dt.datetime(2025, 3, 3, 9, 25, tzinfo=WIB)
    assert request.response_due_at == dt.datetime(2025, 3, 3, 9, 30, tzinfo=WIB)  # 15 working minutes
    assert request.followup_due_at is not None and request.draft_due_at is None
    assert (request.subject, request.requester_name, request.logged_by) == (
        "Informasi L2025-00001",
        partner.name,
        staff,
    )
    assert StageChange.objects.filter(request=request, to_stage="diterima").count() == 1
    evaluation = Evaluation.objects.get(agreement=mou, year=2025)
    assert (evaluation.benefit, evaluation.performance, evaluation.kepuasan, evaluation.keberlanjutan) == (
        True,
        True,
        4,
        True,
    )
    assert (evaluation.notes, evaluation.reviewer) == ("Baik", staff)


def test_the_activity_scope_is_built_for_imported_activities(staff):
    run(files.full_workbook(activities=4), staff)

    assert ActivityUnitScope.objects.count() == 4  # each counts for IF (its agreement's unit and prodi)
    assert stored_rows() == computed_rows()


def test_history_records_each_row_as_imported_by_the_user(staff):
    run(files.full_workbook(activities=2), staff)

    record = Activity.history.get(code="K2025-00001")
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", staff, IMPORTED)
    agreement = Agreement.history.get(number="002/PL29/KS/2025")
    assert (agreement.history_type, agreement.history_change_reason) == ("+", IMPORTED)
    assert [p.partner.code for p in agreement.partners.all()] == ["M0001"]  # the links as of the record
    assert Partner.history.get().history_change_reason == IMPORTED
    assert ServiceRequest.history.get().history_user == staff
    assert Evaluation.history.get().history_type == "+"


def test_command_line_import_records_no_user():
    result = run(files.full_workbook(), None)

    assert result.saved
    assert Activity.history.get().history_user is None
    assert Agreement.objects.get(number="001/PL29/KS/2025").created_by is None


def test_second_import_of_the_same_file_changes_nothing(staff):
    data = files.full_workbook(activities=3, requests=2)
    run(data, staff)
    before = history_rows()
    stamps = list(Activity.objects.order_by("pk").values_list("updated_at", flat=True))
    data_versions = versions(["kpi-inputs", "agreements", "partners", "service-requests", "activity-scope"])

    result = run(data, staff)

    assert result.saved and all(c.created == c.updated == 0 and c.unchanged for c in result.counts)
    assert history_rows() == before
    assert list(Activity.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert versions(["kpi-inputs", "agreements", "partners", "service-requests", "activity-scope"]) == data_versions


def test_a_row_whose_key_exists_updates_that_record(staff):
    run(files.full_workbook(), staff)
    changed = files.workbook_bytes(
        {
            "Mitra": files.rows_as_dicts("Mitra", [files.partner_row(kota="Tanjungpinang")]),
            "Dokumen": files.rows_as_dicts(
                "Dokumen",
                [files.agreement_row(judul="Kerja sama baru", mitra_kode="M0001", unit_kode="", prodi_kode="")],
            ),
            "Kegiatan": files.rows_as_dicts(
                "Kegiatan", [files.activity_row(judul="Magang diperpanjang", dokumen_nomor="001/PL29/KS/2025")]
            ),
            "Evaluasi": files.rows_as_dicts("Evaluasi", [files.evaluation_row(kepuasan=2)]),
        }
    )

    result = run(changed, staff)

    assert counts(result) == {"Mitra": (0, 1, 0), "Dokumen": (0, 1, 0), "Kegiatan": (0, 1, 0), "Evaluasi": (0, 1, 0)}
    assert Partner.objects.get(code="M0001").city == "Tanjungpinang"
    mou = Agreement.objects.get(number="001/PL29/KS/2025")
    assert (mou.title, list(mou.units.all()), list(mou.prodi.all())) == ("Kerja sama baru", [], [])
    activity = Activity.objects.get(code="K2025-00001")
    assert (activity.title, activity.agreement) == ("Magang diperpanjang", mou)
    assert Evaluation.objects.get().kepuasan == 2
    record = Agreement.history.filter(number="001/PL29/KS/2025").latest("history_date")
    assert (record.history_type, record.history_change_reason) == ("~", IMPORTED)
    assert list(record.units.all()) == [] and [p.partner.code for p in record.partners.all()] == ["M0001"]
    assert Activity.history.filter(code="K2025-00001", history_type="~").count() == 1
    assert stored_rows() == computed_rows()


def test_a_reported_activity_imported_as_carried_out_is_unchanged(staff):
    run(files.full_workbook(), staff)
    activity = Activity.objects.get()
    activity.move(ActivityStatus.DILAPORKAN, user=staff)

    result = run(files.full_workbook(), staff)

    assert counts(result)["Kegiatan"] == (0, 0, 1)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DILAPORKAN


def test_a_planned_activity_imported_as_carried_out_moves_with_the_reason_imported(staff):
    planned = files.workbook_bytes(
        {
            **files.full_sheets(),
            "Kegiatan": files.rows_as_dicts("Kegiatan", [files.activity_row(status="rencana")]),
        }
    )
    run(planned, staff)
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.RENCANA

    result = run(files.full_workbook(), staff)

    assert counts(result)["Kegiatan"] == (0, 1, 0)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.TERLAKSANA
    transition = ActivityTransition.objects.get()
    assert (transition.from_status, transition.to_status, transition.user, transition.reason) == (
        "rencana",
        "terlaksana",
        staff,
        IMPORTED,
    )
    assert Activity.history.filter(history_type="~").get().history_change_reason == IMPORTED


def test_dry_run_writes_nothing(staff):
    result = run(files.full_workbook(activities=2), staff, dry_run=True)

    assert result.ok and not result.saved
    assert counts(result)["Kegiatan"] == (2, 0, 0)
    assert not Unit.objects.exists() and not Activity.objects.exists() and not Partner.objects.exists()


@pytest.mark.parametrize("role", [Role.STAF, Role.KAPOKJA, Role.ADMIN])
def test_the_team_imports(role):
    assert run(files.full_workbook(), UserFactory(role=role)).saved


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.P3M, Role.PIMPINAN, Role.AUDITOR])
def test_anyone_else_is_refused(role, jurusan_if):
    user = UserFactory(role=role, unit=jurusan_if)
    with pytest.raises(PermissionDenied):
        run(files.full_workbook(), user)
    assert not Partner.objects.exists()


def test_result_round_trips_through_json(staff):
    result = run(files.full_workbook(), staff)

    again = ImportResult.from_json(result.to_json())

    assert again == result and again.ok and again.saved


def test_near_duplicate_partner_name_is_a_warning_with_a_link(staff):
    existing = Partner.objects.create(code="M0500", name="PT Contoh Teknologi Batam", kind="industri")
    data = files.workbook_bytes(
        {"Mitra": files.rows_as_dicts("Mitra", [files.partner_row(nama="Contoh Teknologi Batam, PT")])}
    )

    result = run(data, staff)

    assert result.saved
    [warning] = result.warnings
    assert (warning.sheet, warning.row, warning.column, warning.link) == (
        "Mitra",
        2,
        "nama",
        existing.get_absolute_url(),
    )
    assert "M0500" in warning.message


def test_empty_bidang_wajib_takes_the_default_and_a_given_one_is_kept(staff):
    data = files.workbook_bytes(
        {
            "Unit": files.rows_as_dicts(
                "Unit", [files.unit_row(), files.unit_row(kode="LPM", nama="LPM", jenis="unit", bidang_wajib="pkm")]
            )
        }
    )
    run(data, staff)

    assert Unit.objects.get(code="IF").expected_fields == ["pendidikan", "penelitian", "pkm"]
    assert Unit.objects.get(code="LPM").expected_fields == ["pkm"]
    assert counts(run(data, staff))["Unit"] == (0, 0, 2)


def test_a_document_draft_request_gets_its_draft_clock(staff):
    data = files.workbook_bytes(
        {
            "Layanan": files.rows_as_dicts(
                "Layanan",
                [
                    files.request_row(
                        jenis="draf_dokumen",
                        dari_mitra=None,
                        mitra_kode=None,
                        direspons=None,
                        ditindaklanjuti=None,
                        perihal="Draf MoA",
                        pemohon="Budi",
                    )
                ],
            )
        }
    )
    run(data, staff)

    request = ServiceRequest.objects.get()
    assert request.jenis == "draf_dokumen" and request.draft_due_at is not None and request.followup_due_at is None
    assert (request.subject, request.requester_name, request.from_partner) == ("Draf MoA", "Budi", False)
    assert request.next_due_at == request.response_due_at


def test_progress_reports_reading_and_writing_rows(staff):
    calls: list[tuple[str, int, int]] = []

    run(files.full_workbook(activities=3, requests=2), staff, progress=lambda *call: calls.append(call))

    assert calls[0] == ("read", 0, 12)  # the sheets' stated rows: 2 + 1 + 1 + 2 + 3 + 2 + 1
    assert ("read", 12, 12) in calls
    writes = [call for call in calls if call[0] == "write"]
    assert writes[0] == ("write", 0, 12) and writes[-1] == ("write", 12, 12)
    assert [done for _stage, done, _total in writes] == sorted(done for _stage, done, _total in writes)
