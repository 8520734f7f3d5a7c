"""PR.28.3 in a real browser: Staf Kerjasama plans an activity, the Kapokja records a coordination
meeting with a follow-up task and marks the plan coordinated, staff carry it out, file the report
with a photo and archive it, and an auditor opens the archived report read-only.

Elements are found by id and name, never by visible text: the UI speaks Indonesian by default and
its translations change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest

from e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from PIL import Image
from playwright.sync_api import Page, expect

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.activities.models import Activity, CoordinationRecord, FollowUpTask
from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.archive.models import CooperationReport
from simkerma.org.tests.factories import ProdiFactory, UnitFactory
from simkerma.partners.tests.factories import PartnerFactory

PASSWORD = "correct-horse-battery-42"
# In the past, so that the activity may be marked as carried out (not before its start date).
START = dt.date(2026, 11, 10)
TITLE = "Kuliah tamu keamanan siber industri galangan"


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".usermenu .who")).to_be_visible()


def photo_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (120, 80), "navy")
    for x in range(0, 120, 2):
        image.putpixel((x, 40), (255, 200, 0))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def status_of(page: Page, status: str) -> None:
    expect(page.locator("#activity-status")).to_have_attribute("data-status", status)


@pytest.mark.e2e
def test_it_runs_the_procedure_from_plan_to_archived_report(page: Page, transactional_db, live_server):
    staf = UserFactory(username="staf", role=Role.STAF)
    kapokja = UserFactory(username="kapokja", role=Role.KAPOKJA)
    auditor = UserFactory(username="auditor", role=Role.AUDITOR)
    jurusan = UnitFactory(code="IF", name="Teknik Informatika")
    prodi = ProdiFactory(code="IF01", name="Teknik Informatika", level="D3", unit=jurusan)
    partner = PartnerFactory(name="PT Galangan Kapal Nusantara")
    agreement = AgreementFactory(
        kind=Kind.MOA,
        number="001/PKS.PL29/I/2025",
        partners=[partner],
        prodi=[prodi],
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2029, 12, 31),
        scope="Kuliah tamu\nMagang",
    )

    # 1. Staf Kerjasama prepares the plan, starting from the agreement.
    log_in(page, "staf")
    page.goto(f"/kegiatan/baru/?agreement={agreement.pk}")
    expect(page.locator(f"#id_agreement_chosen input[name=agreement][value='{agreement.pk}']")).to_have_count(1)
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "kuliah_tamu")
    page.select_option("#id_field", "pendidikan")
    page.fill("#id_start_date", START.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "11:30")
    page.fill("#id_place", "Gedung Utama Polibatam, Ruang 701")
    page.fill("#id_expected_students", "45")
    page.locator("#activity-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kegiatan/\d+/$"))
    activity = Activity.objects.get(title=TITLE)
    assert page.url.endswith(activity.get_absolute_url())
    assert (activity.code, activity.status, activity.agreement, activity.created_by) == (
        "K2026-00001",
        "rencana",
        agreement,
        staf,
    )
    assert activity.start_time == dt.time(9, 0)
    status_of(page, "rencana")
    # Staff may not mark it coordinated: that is the Kapokja's step.
    expect(page.locator("#transition-dikoordinasikan")).to_have_count(0)
    expect(page.locator("#add-coordination")).to_be_visible()

    # 2. The Kapokja records the coordination meeting with a follow-up task, then marks it coordinated.
    log_in(page, "kapokja")
    page.goto(activity.get_absolute_url())
    page.locator("#add-coordination").click()
    expect(page).to_have_url(re.compile(r"/koordinasi/baru/$"))
    page.select_option("#id_kind", "rapat")
    page.select_option("#id_mode", "hybrid")
    page.fill("#id_held_at", "2026-12-01T09:00")
    page.fill("#id_ends_at", "2026-12-01T10:00")
    page.check(f"input[name=internal_attendees][value='{kapokja.pk}']")
    page.check(f"input[name=internal_attendees][value='{staf.pk}']")
    page.fill("#id_partner_attendees", "Rina Marlina (HR Manager)")
    page.fill("#id_agenda", "Jadwal dan pembicara kuliah tamu")
    page.fill("#id_minutes", "Mitra mengirim dua pembicara.")
    page.fill("#id_decisions", "Kuliah tamu 10 Desember pukul 09.00.")
    page.fill("#id_tasks-0-title", "Kirim surat undangan ke mitra")
    page.select_option("#id_tasks-0-assignee", str(staf.pk))
    page.fill("#id_tasks-0-due_date", "2026-12-03")
    page.locator("#coordination-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(activity.get_absolute_url())}$"))
    record = CoordinationRecord.objects.get(activity=activity)
    assert (record.kind, record.mode, record.created_by) == ("rapat", "hybrid", kapokja)
    assert set(record.internal_attendees.all()) == {kapokja, staf}
    task = FollowUpTask.objects.get(record=record)
    assert (task.title, task.assignee, task.due_date, task.done_at) == (
        "Kirim surat undangan ke mitra",
        staf,
        dt.date(2026, 12, 3),
        None,
    )
    expect(page.locator("#coordinations tbody tr")).to_have_count(1)
    page.locator("#transition-dikoordinasikan button[type=submit]").click()
    status_of(page, "dikoordinasikan")
    activity.refresh_from_db()
    assert activity.status == "dikoordinasikan"

    # 3. Staff do the task, carry the activity out, file the report with a photo and archive it.
    log_in(page, "staf")
    page.goto("/kegiatan/tugas/")
    expect(page.locator(f"#task-{task.pk}")).to_be_visible()
    page.locator(f"#done-{task.pk}").click()
    expect(page.locator(f"#task-{task.pk} .done")).to_be_visible()
    task.refresh_from_db()
    assert task.done_by == staf

    page.goto(activity.get_absolute_url())
    page.locator("#transition-terlaksana button[type=submit]").click()
    status_of(page, "terlaksana")
    page.locator("#file-report").click()
    expect(page).to_have_url(re.compile(r"/arsip/laporan/baru/\?activity=\d+$"))
    expect(page.locator(f"#id_activities_chosen input[name=activities][value='{activity.pk}']")).to_have_count(1)
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.fill("#id_summary", "Kuliah tamu tentang keamanan siber di industri galangan kapal.")
    page.fill("#id_outputs", "Materi kuliah dan rekaman")
    page.fill("#id_performance", "Kehadiran 45 mahasiswa")
    page.fill("#id_participants_students", "45")
    page.fill("#id_participants_lecturers", "3")
    page.fill("#id_benefit_learning", "Materi masuk mata kuliah Keamanan Jaringan")
    page.fill("#id_lead_name", "Andi Pratama")
    page.fill("#id_lead_position", "Koordinator Prodi IF01")
    page.fill("#id_acknowledged_by_name", "Rahmat Hidayat")
    page.fill("#id_acknowledged_by_position", "Kapokja Humas dan Kerjasama")
    photo = photo_png()
    page.select_option("#id_evidence-0-kind", "photo")
    page.set_input_files(
        "#id_evidence-0-file", files=[{"name": "dokumentasi.png", "mimeType": "image/png", "buffer": photo}]
    )
    page.locator("#report-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/arsip/laporan/\d+/$"))
    report = CooperationReport.objects.get()
    assert page.url.endswith(report.get_absolute_url())
    assert (report.status, report.title, report.agreement, report.lead_name) == (
        "draft",
        TITLE,
        agreement,
        "Andi Pratama",
    )
    evidence = report.evidence.get()
    assert (evidence.original_name, evidence.content_type, evidence.sha256) == (
        "dokumentasi.png",
        "image/png",
        hashlib.sha256(photo).hexdigest(),
    )
    activity.refresh_from_db()
    assert activity.status == "dilaporkan"

    page.locator("#archive-report").click()
    expect(page.locator("#archive-warning")).to_be_visible()  # archiving cannot be undone: confirm first
    page.locator("#confirm-archive").click()
    expect(page.locator("#report-status")).to_have_attribute("data-status", "archived")
    expect(page.locator("#led-badge")).to_be_visible()
    report.refresh_from_db()
    activity.refresh_from_db()
    assert (report.status, report.is_led_data, report.archived_by) == ("archived", True, staf)
    assert report.retention_until is not None
    assert activity.status == "diarsipkan"

    # 4. The auditor opens the archived report: read-only, and a forged edit is refused.
    log_in(page, "auditor")
    page.goto(report.get_absolute_url())
    expect(page.locator("#report-status")).to_have_attribute("data-status", "archived")
    for control in ("#edit-report", "#archive-report", "#correct-report", "#request-disposal"):
        expect(page.locator(control)).to_have_count(0)
    expect(page.locator("#report-pdf")).to_be_visible()
    expect(page.locator("#evidence tbody tr")).to_have_count(1)
    page.goto(activity.get_absolute_url())
    expect(page.locator("#edit-activity")).to_have_count(0)
    expect(page.locator("#transitions")).to_have_count(0)

    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/arsip/laporan/{report.pk}/ubah/",
        form={"title": "Diubah oleh auditor", "summary": "x", "lead_name": "x"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status == 403
    assert 'class="topbar"' in response.text()  # the application's refusal, not a CSRF failure
    report.refresh_from_db()
    assert report.title == TITLE
    assert auditor.pk != staf.pk
