"""Filing a cooperation report with evidence, checked by content, and printing it."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive.models import CooperationReport, EvidenceFile
from simkerma.archive.tests.factories import EvidenceFileFactory, ReportFactory
from simkerma.archive.tests.files import docx_bytes, image_bytes, upload, xlsx_bytes, zip_without_content_types
from simkerma.archive.uploads import check_evidence
from simkerma.core.tests.files import pdf_bytes

S = ActivityStatus
TYPED_SUMMARY = "Kuliah tamu keamanan siber diikuti 45 mahasiswa dan 3 dosen."

pytestmark = pytest.mark.django_db


@pytest.fixture
def carried_out(agreement_if):
    return ActivityFactory(agreement=agreement_if, title="Kuliah tamu keamanan siber", status=S.TERLAKSANA)


def report_data(activities, files=(), **overrides):
    data = {
        "activities": [a.pk for a in activities],
        "title": "Laporan kuliah tamu keamanan siber",
        "summary": TYPED_SUMMARY,
        "outputs": "Modul praktikum keamanan jaringan",
        "outcomes": "Mahasiswa memahami praktik SOC",
        "participants_students": "45",
        "participants_lecturers": "3",
        "participants_other": "",
        "performance": "Kehadiran 95 persen",
        "documentation_link": "https://drive.example.test/kuliah-tamu",
        "benefit_learning": "Materi masuk ke mata kuliah Keamanan Jaringan",
        "benefit_performance": "Laboratorium mendapat lisensi SIEM",
        "benefit_partner": "Mitra puas dan melanjutkan program magang",
        "lead_name": "Andi Pratama",
        "lead_position": "Koordinator Prodi IF01",
        "acknowledged_by_name": "Rahmat Hidayat",
        "acknowledged_by_position": "Kapokja Humas dan Kerjasama",
        "evidence-TOTAL_FORMS": str(max(len(files), 1)),
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "30",
    }
    for index, (kind, file) in enumerate(files):
        data[f"evidence-{index}-kind"] = kind
        data[f"evidence-{index}-file"] = file
    data.update(overrides)
    return data


def test_it_files_a_report_with_photos_and_moves_the_activity_to_reported(
    client_for, coordinator, carried_out, django_capture_on_commit_callbacks
):
    png, jpeg = image_bytes("PNG"), image_bytes("JPEG", color="orange")
    files = [
        ("photo", upload("kegiatan.png", png, "image/png")),
        ("attendance", upload("daftar-hadir.JPG", jpeg, "image/jpeg")),
    ]
    with django_capture_on_commit_callbacks(execute=True):  # the files move into place on commit
        response = client_for(coordinator).post(reverse("archive:report_create"), report_data([carried_out], files))

    report = CooperationReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert (report.code, report.version, report.status, report.agreement) == (
        f"L{report.created_at.year}-00001",
        1,
        "draft",
        carried_out.agreement,
    )
    assert list(report.activities.all()) == [carried_out]
    assert report.created_by == coordinator
    carried_out.refresh_from_db()
    assert carried_out.status == S.DILAPORKAN
    assert carried_out.transitions.get().reason == report.code
    stored = {e.original_name: e for e in report.evidence.all()}
    assert set(stored) == {"kegiatan.png", "daftar-hadir.JPG"}
    assert (stored["kegiatan.png"].content_type, stored["kegiatan.png"].size) == ("image/png", len(png))
    assert stored["daftar-hadir.JPG"].content_type == "image/jpeg"
    assert stored["daftar-hadir.JPG"].sha256 == hashlib.sha256(jpeg).hexdigest()
    with stored["kegiatan.png"].file.open("rb") as handle:
        assert handle.read() == png
    assert stored["kegiatan.png"].file.name.endswith(".png")
    assert "kegiatan" not in stored["kegiatan.png"].file.name  # the stored name never comes from the user


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", b"this is a text file pretending to be a PNG"),
        ("laporan.pdf", b"%PDF-1.7 but broken"),
        ("surat.docx", None),  # a ZIP without Office content types
        ("skrip.png", b"#!/bin/sh\necho hi\n"),
        ("gambar.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_an_accepted_kind_and_keeps_the_form(
    client_for, staff, carried_out, name, content
):
    content = content if content is not None else zip_without_content_types()
    files = [("photo", upload("ok.png", image_bytes())), ("document", upload(name, content, "image/png"))]
    response = client_for(staff).post(reverse("archive:report_create"), report_data([carried_out], files))

    assert response.status_code == 200
    assert not CooperationReport.objects.exists()
    assert not EvidenceFile.objects.exists()
    evidence = response.context["evidence"]
    assert [set(form.errors) for form in evidence.forms] == [set(), {"file"}]
    assert evidence.forms[1].errors.as_data()["file"][0].code == "file_type"
    html = response.content.decode()
    assert TYPED_SUMMARY in html
    assert "Kapokja Humas dan Kerjasama" in html
    carried_out.refresh_from_db()
    assert carried_out.status == S.TERLAKSANA


@override_settings(SIMKERMA_EVIDENCE_MAX_BYTES=500)
def test_it_refuses_an_oversized_file_and_keeps_the_form(client_for, staff, carried_out):
    big = image_bytes("PNG", size=(400, 400), color="white") + b"\0" * 1000
    response = client_for(staff).post(
        reverse("archive:report_create"), report_data([carried_out], [("photo", upload("besar.png", big))])
    )
    assert response.status_code == 200
    assert not CooperationReport.objects.exists()
    assert response.context["evidence"].forms[0].errors.as_data()["file"][0].code == "too_large"
    assert TYPED_SUMMARY in response.content.decode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (image_bytes("PNG"), "image/png"),
        (image_bytes("JPEG"), "image/jpeg"),
        (pdf_bytes(), "application/pdf"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_it_recognises_each_accepted_kind_by_content_whatever_the_name(content, expected):
    checked = check_evidence(upload("berkas.bin", content))
    assert checked.content_type == expected
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError):
        check_evidence(upload("kosong.png", b""))


def test_it_refuses_activities_not_carried_out_or_under_two_agreements(client_for, staff, agreement_if, agreement_mb):
    planned = ActivityFactory(agreement=agreement_if, status=S.RENCANA)
    here = ActivityFactory(agreement=agreement_if, status=S.TERLAKSANA)
    there = ActivityFactory(agreement=agreement_mb, status=S.TERLAKSANA)
    client = client_for(staff)

    not_done = client.post(reverse("archive:report_create"), report_data([planned]))
    assert set(not_done.context["form"].errors) == {"activities"}
    mixed = client.post(reverse("archive:report_create"), report_data([here, there]))
    assert set(mixed.context["form"].errors) == {"activities"}
    assert not CooperationReport.objects.exists()
    assert set(Activity.objects.values_list("status", flat=True)) == {S.RENCANA, S.TERLAKSANA}


def test_it_lets_a_coordinator_report_only_on_their_units_activities(client_for, other_coordinator, carried_out):
    response = client_for(other_coordinator).post(reverse("archive:report_create"), report_data([carried_out]))
    assert set(response.context["form"].errors) == {"activities"}
    assert not CooperationReport.objects.exists()


@pytest.mark.parametrize("role", ["pimpinan", "auditor", "outsider"])
def test_it_refuses_filing_to_readers(request, client_for, role, carried_out):
    client = client_for(request.getfixturevalue(role))
    assert client.post(reverse("archive:report_create"), report_data([carried_out])).status_code == 403
    assert not CooperationReport.objects.exists()


def test_it_prefills_the_activity_from_the_query(client_for, staff, carried_out):
    response = client_for(staff).get(reverse("archive:report_create") + f"?activity={carried_out.pk}")
    assert response.context["form"].initial["activities"] == [carried_out.pk]
    assert response.context["form"].initial["title"] == carried_out.title


def test_it_edits_a_draft_adding_and_removing_evidence(
    client_for, staff, carried_out, django_capture_on_commit_callbacks
):
    report = ReportFactory(agreement=carried_out.agreement, activities=[carried_out])
    old = EvidenceFileFactory(report=report)
    client = client_for(staff)
    data = report_data([], [("spk", upload("spk.pdf", pdf_bytes()))], title="Judul diperbaiki")
    del data["activities"]

    assert client.post(reverse("archive:report_edit", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    assert report.title == "Judul diperbaiki"
    assert report.evidence.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("archive:evidence_remove", args=[old.pk])).status_code == 302
    assert list(report.evidence.values_list("original_name", flat=True)) == ["spk.pdf"]
    assert not old.file.storage.exists(old.file.name)


def test_it_prints_the_report_with_its_fields(
    client_for, auditor, staff, carried_out, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            reverse("archive:report_create"),
            report_data([carried_out], [("photo", upload("foto.jpg", image_bytes("JPEG")))]),
        )
    report = CooperationReport.objects.get()

    response = client_for(auditor).get(reverse("archive:report_pdf", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for value in [
        report.title,
        report.code,
        carried_out.agreement.number,
        partner.name,
        carried_out.title,
        carried_out.code,
        "Kehadiran 95 persen",
        "Modul praktikum keamanan jaringan",
        "Kuliah tamu",  # a scope item of the agreement
        "https://drive.example.test/kuliah-tamu",
        "Materi masuk ke mata kuliah Keamanan Jaringan",
        "Mitra puas dan melanjutkan program magang",
        "Andi Pratama",
        "Koordinator Prodi IF01",
        "Rahmat Hidayat",
        "Kapokja Humas dan Kerjasama",
    ]:
        assert value in text, value


def test_it_serves_evidence_only_to_readers(client_for, auditor, outsider, client):
    evidence = EvidenceFileFactory()
    url = reverse("archive:evidence_download", args=[evidence.pk])
    response = client_for(auditor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for(outsider).get(url).status_code == 403
