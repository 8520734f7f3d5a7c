"""The ministry-ready export: its rows, the Permendikbud 14/2014 checks for foreign partners, and
marking agreements as reported to the ministry, one on its page or the year's in one press."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from simkerma.activities.models import ActivityStatus
from simkerma.activities.reporting import ActivityOutput, CooperationForm
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Agreement, Kind, Signatory
from simkerma.agreements.services import agreement_mark_reported
from simkerma.agreements.tests.factories import AgreementFactory, SignatoryFactory
from simkerma.core.choices import Level
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.reports.framework import ReportParams, get_exporter
from simkerma.reports.ministry import NOTE_APPROVAL, NOTE_LANGUAGE, NOTE_LEVEL, ministry_report

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(report, key):
    return list(next(t for t in report.tables if t.key == key).iter_rows())


@pytest.fixture
def ministry_data(jurusan_if, prodi_if, media):
    home = AgreementFactory(
        number="001/MOU/2025",
        kind=Kind.MOU,
        partner_number="PKS-77/ALFA",
        title="Kerja sama pendidikan vokasi",
        partners=[PartnerFactory(name="PT Alfa")],
        units=[jurusan_if],
        level=Level.NASIONAL,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 12, 31),
        ministry_reported_on=dt.date(2025, 2, 1),
    )
    home.signed_scan.save("scan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    SignatoryFactory(agreement=home, side=Signatory.Side.INSTITUTION, name="Uuf Brajawidagda", position="Direktur")
    SignatoryFactory(agreement=home, side=Signatory.Side.PARTNER, name="Budi", position="")
    foreign_national = AgreementFactory(
        number="002/MOA/2025",
        kind=Kind.MOA,
        partners=[PartnerFactory(name="Universiti Beta", country="MY"), PartnerFactory(name="PT Gamma")],
        prodi=[prodi_if],
        level=Level.NASIONAL,
        start_date=dt.date(2025, 3, 1),
    )
    foreign_international = AgreementFactory(
        number="003/IA/2025",
        kind=Kind.IA,
        partners=[PartnerFactory(name="Singapore Poly", country="SG")],
        level=Level.INTERNASIONAL,
        start_date=dt.date(2025, 4, 1),
    )
    AgreementFactory(number="009/MOU/2020", start_date=dt.date(2020, 1, 1), end_date=dt.date(2024, 12, 31))
    form = CooperationForm.objects.order_by("order").first()
    done = ActivityStatus.TERLAKSANA
    k1 = ActivityFactory(
        code="K1",
        title="Magang industri",
        agreement=home,
        status=done,
        start_date=dt.date(2025, 5, 5),
        evidence="https://bukti.test/k1",
        cooperation_form=form,
        prodi=[prodi_if],
    )
    ActivityOutput.objects.create(
        activity=k1,
        title="Modul magang",
        kind="produk",
        evidence_link="https://bukti.test/modul",
        used_on=dt.date(2025, 6, 1),
    )
    ActivityFactory(code="K2", title="Riset", agreement=foreign_national, status=done, start_date=dt.date(2025, 6, 1))
    ActivityFactory(
        code="K3", title="Batal", agreement=home, status=ActivityStatus.BATAL, start_date=dt.date(2025, 7, 1)
    )
    return {
        "home": home,
        "foreign_national": foreign_national,
        "foreign_international": foreign_international,
        "form": form,
    }


def test_it_lists_the_years_documents_in_the_ministrys_fields(ministry_data, settings):
    found = rows(ministry_report(2025), "Dokumen")
    assert [row[2] for row in found] == ["001/MOU/2025", "002/MOA/2025", "003/IA/2025"]
    home = ministry_data["home"]
    assert found[0] == [
        1,
        "MoU",
        "001/MOU/2025",
        "PKS-77/ALFA",
        "Kerja sama pendidikan vokasi",
        "PT Alfa",
        "Indonesia",
        "Nasional",
        dt.date(2025, 1, 1),
        dt.date(2027, 12, 31),
        "Uuf Brajawidagda (Direktur); Budi",
        settings.SIMKERMA_BASE_URL.rstrip("/") + reverse("agreements:scan", args=[home.pk]),
        "Sudah dilaporkan",
        dt.date(2025, 2, 1),
        "",
    ]
    assert found[1][5:7] == ["PT Gamma; Universiti Beta", "Indonesia, Malaysia"]
    assert found[1][11:13] == ["", "Belum dilaporkan"]


def test_it_lists_the_implementation_carried_out_in_the_year(ministry_data):
    found = rows(ministry_report(2025), "Implementasi")
    assert found == [
        [
            1,
            "001/MOU/2025",
            "Magang industri",
            ministry_data["form"].name,
            "IF01 D3 Teknik Informatika",
            dt.date(2025, 5, 5),
            "https://bukti.test/k1",
            "Modul magang (https://bukti.test/modul)",
        ],
        [2, "002/MOA/2025", "Riset", "", "IF01 D3 Teknik Informatika", dt.date(2025, 6, 1), "", ""],
    ]


def test_a_foreign_partner_needs_international_level_approval_and_a_foreign_language_version(ministry_data):
    report = ministry_report(2025)
    notes = {row[2]: row[14] for row in rows(report, "Dokumen")}
    assert notes["001/MOU/2025"] == ""
    assert notes["002/MOA/2025"] == f"{NOTE_LEVEL}; {NOTE_APPROVAL}; {NOTE_LANGUAGE}"
    assert notes["003/IA/2025"] == f"{NOTE_APPROVAL}; {NOTE_LANGUAGE}"
    messages = [(w.message, w.url) for w in report.warnings]
    national = reverse("agreements:detail", args=[ministry_data["foreign_national"].pk])
    international = reverse("agreements:detail", args=[ministry_data["foreign_international"].pk])
    assert len(messages) == 5
    assert sum("002/MOA/2025" in m and url == national for m, url in messages) == 3
    assert sum("003/IA/2025" in m and url == international for m, url in messages) == 2
    assert dict(report.summary)["Dokumen dengan mitra luar negeri"] == 2


def test_it_is_marked_unverified_and_counts_what_is_reported(ministry_data):
    report = get_exporter("ministry").build(ReportParams(year=2025))
    assert report.all_notices[0] == "format belum terverifikasi"
    summary = dict(report.summary)
    assert (summary["Dokumen berlaku"], summary["Sudah dilaporkan"], summary["Belum dilaporkan"]) == (3, 1, 2)


def test_a_year_without_data_gives_empty_tables(db):
    report = ministry_report(1990)
    assert [list(t.iter_rows()) for t in report.tables] == [[], []]
    assert report.warnings == []


def _consume(report):
    for table in report.tables:
        list(table.iter_rows())


def test_it_costs_the_same_queries_for_few_and_many_rows(ministry_data, prodi_if, django_assert_num_queries):
    with django_assert_num_queries(9) as few:
        _consume(ministry_report(2025))
    for n in range(5):
        agreement = AgreementFactory(partners=[PartnerFactory(country="JP"), PartnerFactory()], prodi=[prodi_if])
        SignatoryFactory(agreement=agreement)
        activity = ActivityFactory(
            agreement=agreement, status=ActivityStatus.TERLAKSANA, start_date=dt.date(2025, 9, n + 1), prodi=[prodi_if]
        )
        ActivityOutput.objects.create(
            activity=activity,
            title=f"Output {n}",
            kind="produk",
            evidence_link="https://x.test",
            used_on=dt.date(2025, 10, 1),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        _consume(ministry_report(2025))


# --- marking as reported --------------------------------------------------------------------------


def test_the_team_marks_an_agreement_reported_with_a_history_reason(staff):
    agreement = AgreementFactory(signed_on=dt.date(2025, 1, 5))
    agreement_mark_reported(agreement=agreement, on=dt.date(2026, 2, 1), user=staff)
    agreement.refresh_from_db()
    assert agreement.ministry_reported_on == dt.date(2026, 2, 1)
    assert agreement.history.first().history_change_reason == "reported to the ministry on 2026-02-01"


@pytest.mark.parametrize("role", ["coordinator", "pimpinan", "auditor", "outsider"])
def test_only_the_team_marks_an_agreement_reported(role, request, jurusan_if):
    agreement = AgreementFactory(units=[jurusan_if])
    with pytest.raises(PermissionDenied):
        agreement_mark_reported(agreement=agreement, on=TODAY, user=request.getfixturevalue(role))
    agreement.refresh_from_db()
    assert agreement.ministry_reported_on is None


def test_a_day_in_the_future_or_before_signing_is_refused(kapokja):
    agreement = AgreementFactory(signed_on=dt.date(2025, 1, 5))
    with pytest.raises(ValidationError) as future:
        agreement_mark_reported(agreement=agreement, on=TODAY + dt.timedelta(days=1), user=kapokja)
    assert list(future.value.message_dict) == ["ministry_reported_on"]
    with pytest.raises(ValidationError) as early:
        agreement_mark_reported(agreement=agreement, on=dt.date(2025, 1, 4), user=kapokja)
    assert list(early.value.message_dict) == ["ministry_reported_on"]
    agreement.refresh_from_db()
    assert agreement.ministry_reported_on is None
    assert agreement_mark_reported(agreement=agreement, on=TODAY, user=kapokja).ministry_reported_on == TODAY


def test_the_agreement_page_marks_it_for_the_team(client_for, staff):
    agreement = AgreementFactory()
    client = client_for(staff)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert reverse("agreements:mark_reported", args=[agreement.pk]) in page
    response = client.post(
        reverse("agreements:mark_reported", args=[agreement.pk]), {"ministry_reported_on": "2026-02-27"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.ministry_reported_on == dt.date(2026, 2, 27)
    assert "27 Februari 2026" in client.get(agreement.get_absolute_url()).content.decode()


def test_the_agreement_page_refuses_a_bad_day_and_others(client_for, staff, coordinator, jurusan_if):
    agreement = AgreementFactory(units=[jurusan_if])
    url = reverse("agreements:mark_reported", args=[agreement.pk])
    client = client_for(staff)
    client.post(url, {"ministry_reported_on": "2099-01-01"})
    client.post(url, {"ministry_reported_on": "not a date"})
    agreement.refresh_from_db()
    assert agreement.ministry_reported_on is None
    assert client.get(url).status_code == 405
    coordinator_client = client_for(coordinator)
    assert url not in coordinator_client.get(agreement.get_absolute_url()).content.decode()
    assert coordinator_client.post(url, {"ministry_reported_on": "2026-02-27"}).status_code == 403


def test_the_bulk_press_marks_the_years_unreported_agreements(ministry_data, client_for, staff):
    client = client_for(staff)
    url = reverse("reports:ministry_mark")
    page = client.get(url, {"year": 2025})
    assert [a.number for a in page.context["waiting"]] == ["002/MOA/2025", "003/IA/2025"]
    response = client.post(url, {"year": "2025", "on": "2026-03-01"})
    assert response.status_code == 302
    marked = dict(Agreement.objects.values_list("number", "ministry_reported_on"))
    assert marked["001/MOU/2025"] == dt.date(2025, 2, 1)  # already marked: kept
    assert marked["002/MOA/2025"] == marked["003/IA/2025"] == dt.date(2026, 3, 1)
    assert marked["009/MOU/2020"] is None  # not in force in 2025


def test_the_bulk_press_is_bounded(client_for, staff, monkeypatch):
    monkeypatch.setattr("simkerma.reports.led_views.MARK_LIMIT", 2)
    for n in range(3):
        AgreementFactory(number=f"{n:03d}/MOU/2025")
    client_for(staff).post(reverse("reports:ministry_mark"), {"year": "2025", "on": "2026-03-01"})
    assert Agreement.objects.filter(ministry_reported_on__isnull=True).count() == 1


def test_the_bulk_press_refuses_bad_input_and_other_roles(ministry_data, client_for, staff, pimpinan):
    url = reverse("reports:ministry_mark")
    response = client_for(staff).post(url, {"year": "2025", "on": "2026-03-03"})
    assert response.status_code == 400
    assert response.context["form"].errors["on"]
    assert client_for(staff).post(url, {"year": "1800", "on": "2026-03-01"}).status_code == 400
    assert client_for(pimpinan).get(url, {"year": 2025}).status_code == 200
    assert client_for(pimpinan).post(url, {"year": "2025", "on": "2026-03-01"}).status_code == 403
    assert Agreement.objects.filter(ministry_reported_on__isnull=False).count() == 1


def test_the_reports_page_downloads_the_ministry_workbook(ministry_data, client_for, staff):
    client = client_for(staff)
    page = client.get(reverse("reports:detail", args=["ministry"]), {"year": 2025})
    assert page.status_code == 200
    assert "persetujuan Direktur Jenderal" in page.content.decode()
    assert 'id="ministry-mark-form"' in page.content.decode()
    response = client.get(reverse("reports:download", args=["ministry", "xlsx"]), {"year": 2025})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [cell for row in book["Dokumen"].iter_rows(values_only=True) for cell in row]
    assert "002/MOA/2025" in values
    assert f"{NOTE_LEVEL}; {NOTE_APPROVAL}; {NOTE_LANGUAGE}" in values
    implementation = [row for row in book["Implementasi"].iter_rows(values_only=True)]
    assert any(row and "Magang industri" in row for row in implementation)


def test_the_ministry_report_page_marks_the_years_agreements_for_the_team_only(
    ministry_data, client_for, staff, auditor
):
    page = client_for(auditor).get(reverse("reports:detail", args=["ministry"]), {"year": 2025}).content.decode()
    assert reverse("reports:ministry_mark") + "?year=2025" in page
    assert 'id="ministry-mark-form"' not in page
    client_for(staff).post(reverse("reports:ministry_mark"), {"year": "2025", "on": "2026-03-02"})
    assert Agreement.objects.filter(ministry_reported_on=TODAY).count() == 2
