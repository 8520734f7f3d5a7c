"""Import jobs: upload, check, confirm and import; the worker's claim, its lease, progress and failures."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.core import jobs as core_jobs
from simkerma.imports import jobs
from simkerma.imports.models import ImportJob
from simkerma.org.models import Prodi, Unit

# Real transactions: the uploaded file moves into place when its row commits, and the import's own
# transaction is the one that commits or rolls back.
# Each test has its own MEDIA_ROOT, so it sees only the files (staged or stored) it made itself.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

S = ImportJob.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_HEADERS = ["kode", "nama", "jenis"]
PRODI_HEADERS = ["kode", "nama", "jenjang", "unit_kode"]


def workbook(units=(("IF", "Jurusan Teknik Informatika", "jurusan"),), prodi=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Unit"
    sheet.append(UNIT_HEADERS)
    for row in units:
        sheet.append(list(row))
    if prodi:
        second = book.create_sheet("Prodi")
        second.append(PRODI_HEADERS)
        for row in prodi:
            second.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


GOOD_PRODI = (("IF01", "Teknologi Rekayasa Perangkat Lunak", "D4", "IF"),)
# The second prodi names a level the format does not know, the third a jurusan that does not exist.
BAD_PRODI = (*GOOD_PRODI, ("IF02", "Rekayasa Keamanan Siber", "D9", "IF"), ("MB01", "Manajemen Bisnis", "D4", "ZZ"))


def xlsx(data: bytes, name: str = "data kerjasama.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.fixture
def staff():
    return UserFactory(username="staf", role=Role.STAF)


@pytest.fixture
def background(settings):
    """Every file goes to the worker, however small."""
    settings.SIMKERMA_IMPORT_INLINE_MAX_BYTES = 0


def test_the_team_imports_and_no_one_else():
    for role in (Role.KOORDINATOR, Role.P3M, Role.PIMPINAN, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            jobs.import_job_upload(user=UserFactory(role=role), upload=xlsx(workbook()))
    assert not ImportJob.objects.exists()
    for role in (Role.STAF, Role.KAPOKJA, Role.ADMIN):
        assert jobs.can_import(UserFactory(role=role))
    assert not jobs.can_import(UserFactory(role=Role.STAF, is_active=False))


def test_a_small_file_is_recorded_and_checked_at_once_without_saving_anything(staff):
    data = workbook(prodi=GOOD_PRODI)

    job = jobs.import_job_upload(user=staff, upload=xlsx(data, "../../etc/Data\x07 2025.xlsx"))

    assert job.status == S.CHECKED
    assert job.user == staff
    assert job.original_name == "Data 2025.xlsx"
    assert job.size == len(data)
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert job.file.name == f"imports/{job.uuid.hex}.xlsx"
    assert default_storage.open(job.file.name).read() == data
    assert not default_storage.listdir(".staging")[1]
    result = job.checked
    assert result is not None and result.ok and not result.saved
    assert [(c.sheet, c.created, c.updated, c.unchanged) for c in result.counts] == [
        ("Unit", 1, 0, 0),
        ("Prodi", 1, 0, 0),
    ]
    assert job.started_at is not None and job.finished_at is not None
    assert job.can_confirm
    assert not Unit.objects.exists() and not Prodi.objects.exists()


def test_a_workbook_with_problems_is_rejected_and_cannot_be_confirmed(staff):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook(prodi=BAD_PRODI)))

    assert job.status == S.REJECTED
    problems = job.checked.problems
    assert {(p.sheet, p.row, p.column) for p in problems} >= {("Prodi", 3, "jenjang"), ("Prodi", 4, "unit_kode")}
    assert not job.can_confirm
    with pytest.raises(ValidationError):
        jobs.import_job_confirm(job=job, user=staff)
    assert ImportJob.objects.get(pk=job.pk).status == S.REJECTED
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("data.csv", b"kode,nama\nIF,Informatika\n", "not_xlsx"),
        ("data.xlsx", b"kode,nama\nIF,Informatika\n", "not_ooxml"),
        ("data.xlsx", b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_and_nothing_is_kept(staff, name, data, code):
    with pytest.raises(ValidationError) as refused:
        jobs.import_job_upload(user=staff, upload=SimpleUploadedFile(name, data))
    assert refused.value.code == code
    assert not ImportJob.objects.exists()


def test_a_word_document_named_xlsx_is_refused(staff):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    with pytest.raises(ValidationError) as refused:
        jobs.import_job_upload(user=staff, upload=xlsx(stream.getvalue()))
    assert refused.value.code == "not_xlsx"


def test_a_file_over_the_limit_is_refused(staff, settings):
    data = workbook()
    settings.SIMKERMA_IMPORT_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ValidationError) as refused:
        jobs.import_job_upload(user=staff, upload=xlsx(data))
    assert refused.value.code == "too_large"
    assert not ImportJob.objects.exists()


def test_the_worker_checks_then_imports_a_large_file(staff, background):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook(prodi=GOOD_PRODI)))
    assert job.status == S.UPLOADED

    assert jobs.run_next_import_job("worker-1") is True
    job.refresh_from_db()
    assert job.status == S.CHECKED and job.claimed_by == "worker-1"
    assert not Unit.objects.exists()

    kapokja = UserFactory(role=Role.KAPOKJA)
    job = jobs.import_job_confirm(job=job, user=kapokja)
    assert job.status == S.QUEUED and job.confirmed_by == kapokja
    with pytest.raises(ValidationError):
        jobs.import_job_confirm(job=job, user=kapokja)  # no second import

    assert jobs.run_next_import_job("worker-2") is True
    job.refresh_from_db()
    assert job.status == S.DONE
    assert [(c.sheet, c.created) for c in job.imported.counts] == [("Unit", 1), ("Prodi", 1)]
    assert job.imported.saved
    assert Unit.objects.get(code="IF").name == "Jurusan Teknik Informatika"
    assert Prodi.objects.get(code="IF01").unit.code == "IF"
    assert (job.stage, job.done, job.total) == ("write", 2, 2)
    assert jobs.run_next_import_job("worker-2") is False


def test_the_runner_is_registered_for_the_worker():
    assert jobs.run_next_import_job in core_jobs.job_runners()


def test_the_worker_loop_runs_a_queued_import(staff, background):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))
    assert core_jobs.run_jobs("worker-1") == 1
    job.refresh_from_db()
    assert job.status == S.CHECKED


def test_of_two_claims_one_wins(staff, background):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))

    first = jobs.job_claim(job.pk, worker="worker-a")
    second = jobs.job_claim(job.pk, worker="worker-b")

    assert first is not None and first.status == S.CHECKING and first.claimed_by == "worker-a"
    assert second is None
    assert jobs.run_next_import_job("worker-b") is False  # nothing left waiting
    assert ImportJob.objects.get(pk=job.pk).claimed_by == "worker-a"


def test_a_job_whose_worker_died_is_failed_once_its_lease_runs_out(staff, background, settings):
    settings.SIMKERMA_IMPORT_LEASE_SECONDS = 60
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))
    claimed_at = timezone.now() - dt.timedelta(seconds=61)
    dead = jobs.job_claim(job.pk, worker="worker-dead", now=claimed_at)
    assert jobs.jobs_expire(now=claimed_at + dt.timedelta(seconds=59)) == 0

    assert jobs.run_next_import_job("worker-2") is False
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert job.error == jobs.STOPPED
    with translation.override("en"):
        assert "stopped before it finished; nothing was saved" in job.error_message

    jobs.job_run(dead)  # the dead worker comes back: its late outcome does not overwrite the record
    job.refresh_from_db()
    assert job.status == S.FAILED and job.check_result is None


def test_an_exception_inside_the_import_leaves_the_data_as_it_was(staff, background, monkeypatch):
    Unit.objects.create(code="IF", name="Teknik Informatika (lama)", kind="jurusan")
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook(prodi=GOOD_PRODI)))
    jobs.run_next_import_job("worker-1")
    job = jobs.import_job_confirm(job=ImportJob.objects.get(pk=job.pk), user=staff)
    written = jobs.ProgressWriter.__call__

    def fail_after_the_first_sheet(self, stage, done, total):
        written(self, stage, done, total)
        if stage == "write" and done == 1:  # the Unit sheet is written, inside the transaction
            raise RuntimeError("disk full")

    monkeypatch.setattr(jobs.ProgressWriter, "__call__", fail_after_the_first_sheet)
    assert jobs.run_next_import_job("worker-1") is True

    job.refresh_from_db()
    assert job.status == S.FAILED
    assert job.error == jobs.CRASHED and job.error_params == {"error": "RuntimeError: disk full"}
    with translation.override("id"):  # stored in English, shown in the reader's language
        assert job.error_message == "Impor berhenti karena galat; tidak ada yang disimpan. (RuntimeError: disk full)"
    assert job.import_result is None
    assert Unit.objects.get(code="IF").name == "Teknik Informatika (lama)"
    assert not Prodi.objects.exists()
    assert jobs.progress_cache().get(jobs.progress_key(job.pk)) is None


def test_an_import_that_finds_new_problems_saves_nothing(staff, background):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook(units=(), prodi=GOOD_PRODI)))
    Unit.objects.create(code="IF", name="Teknik Informatika", kind="jurusan")
    jobs.run_next_import_job("worker-1")
    job = jobs.import_job_confirm(job=ImportJob.objects.get(pk=job.pk), user=staff)
    Unit.objects.filter(code="IF").delete()  # the data changes after the check

    jobs.run_next_import_job("worker-1")
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert job.error == jobs.CHANGED
    assert [(p.sheet, p.row, p.column) for p in job.imported.problems] == [("Prodi", 2, "unit_kode")]
    assert not Prodi.objects.exists()


def test_progress_goes_to_the_cache_at_a_bounded_rate(staff, background):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))
    job = jobs.job_claim(job.pk, worker="worker-1")
    clock = [100.0]
    writer = jobs.ProgressWriter(job.pk, clock=lambda: clock[0])

    for done in range(0, 5000, 10):
        clock[0] += 0.0001  # 500 calls within 0.05 s: only the first reaches the cache
        writer("read", done, 10_000)
    assert writer.writes == 1
    assert jobs.job_progress(job) == jobs.Progress("read", 0, 10_000)

    clock[0] += jobs.PROGRESS_INTERVAL
    writer("read", 6000, 10_000)
    writer("check", 1, 10_000)  # a new stage is written at once
    assert writer.writes == 3
    progress = jobs.job_progress(ImportJob.objects.get(pk=job.pk))
    assert (progress.stage, progress.done, progress.total, progress.percent) == ("check", 1, 10_000, 0)
    with translation.override("en"):
        assert progress.label == "Checking the rows"


def test_a_finished_job_shows_the_progress_on_its_row(staff):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook()))
    jobs.progress_cache().set(jobs.progress_key(job.pk), {"stage": "read", "done": 1, "total": 9})
    assert jobs.job_progress(job) == jobs.Progress(job.stage, job.done, job.total)
    assert job.stage == "read" and job.done == job.total


def test_the_stored_file_has_no_part_of_the_name_given(staff):
    job = jobs.import_job_upload(user=staff, upload=xlsx(workbook(), "<script>.xlsx"))
    assert Path(job.file.name).name == f"{job.uuid.hex}.xlsx"
    assert job.original_name == "<script>.xlsx"
