"""Import jobs: a workbook uploaded on the web import page, checked, confirmed and imported.

    uploaded → checking → checked | rejected → queued → importing → done | failed

`import_job_upload` records the file (stored as `imports/<uuid>.xlsx` and kept for the record);
the check is a dry run of `workbook_import`, the import the real run, which checks everything again
(the data may have changed since) and saves all or nothing. Files up to
SIMKERMA_IMPORT_INLINE_MAX_BYTES are checked and imported within the request; larger ones wait for
the worker, which asks `run_next_import_job` every couple of seconds (core/jobs.py).

A worker claims a job with a conditional update (waiting status → running status, its name and a
lease), so two workers never run the same job. A job still running when its lease has run out lost
its worker: it is failed with a message saying nothing was saved (the import is one transaction).

Progress. While an import runs, its transaction holds SQLite's write lock, and the job's row can
neither be updated from another connection nor seen from one if updated inside the transaction. So
progress goes to the cache SIMKERMA_IMPORT_PROGRESS_CACHE (files or Redis, shared by the web and the
worker, never the database), at most every PROGRESS_INTERVAL seconds and at each new stage; the page
reads the cache first and the row after. The row gets the last progress when the job ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from simkerma.core.notices import worker_id
from simkerma.core.ooxml import check_ooxml_package
from simkerma.core.staging import StagedFiles
from simkerma.imports.models import ImportJob
from simkerma.imports.services import can_import as may_import
from simkerma.imports.services import workbook_import

logger = logging.getLogger(__name__)

S = ImportJob.Status
PROGRESS_INTERVAL = 0.5  # seconds between progress writes (a new stage is written at once)
NAME_MAX = 255
# Why a job failed, stored as English msgids (the values apart) and translated as the page shows them.
STOPPED = N_("The worker running this job stopped before it finished; nothing was saved. Upload the workbook again.")
NOT_ALLOWED = N_("%(user)s may no longer import workbooks; nothing was saved.")
CRASHED = N_("The import stopped with an error; nothing was saved. (%(error)s)")
CHANGED = N_("The data changed since the check and the import found problems; nothing was saved.")
STAGES = {
    "read": gettext_lazy("Reading the file"),
    "check": gettext_lazy("Checking the rows"),
    "write": gettext_lazy("Saving"),
}


def can_import(user: Any) -> bool:
    """Staf Kerjasama, the Kapokja and the administrator; the import page refuses everyone else."""
    return user is not None and may_import(user)


def _require(user: Any) -> None:
    if not can_import(user):
        raise PermissionDenied


def max_upload_bytes() -> int:
    return int(settings.SIMKERMA_IMPORT_MAX_UPLOAD_BYTES)


def inline_max_bytes() -> int:
    return int(settings.SIMKERMA_IMPORT_INLINE_MAX_BYTES)


def lease_seconds() -> int:
    return int(settings.SIMKERMA_IMPORT_LEASE_SECONDS)


# Uploads ---------------------------------------------------------------------------------------


def validate_workbook_upload(upload: UploadedFile) -> None:
    """Refuse what is not an Excel workbook (.xlsx) within the size limit, by name and by content."""
    name = upload.name or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            _("Choose an Excel workbook (.xlsx). This file is not one: %(name)s.") % {"name": clean_name(name)},
            code="not_xlsx",
        )
    limit = max_upload_bytes()
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    members = check_ooxml_package(upload)
    upload.seek(0)
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise ValidationError(
            _("This file is not an Excel workbook (.xlsx), whatever its name. Save it from Excel as .xlsx."),
            code="not_xlsx",
        )


def clean_name(name: str) -> str:
    """The uploaded file's own name, as text to show: no folders, no control characters, bounded."""
    base = os.path.basename(name.replace("\\", "/"))
    text = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return text[:NAME_MAX] or "workbook.xlsx"


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def import_job_upload(*, user: Any, upload: UploadedFile) -> ImportJob:
    """Record an uploaded workbook and check it (within the request when small, else by the worker)."""
    _require(user)
    validate_workbook_upload(upload)
    job = ImportJob(
        user=user, original_name=clean_name(upload.name or ""), size=upload.size or 0, sha256=_sha256(upload)
    )
    with StagedFiles() as staged:
        staged.stage(job.file, "workbook.xlsx", upload)
        with transaction.atomic():
            job.save()
            staged.publish()
            # After the file has moved into place (callbacks run in order).
            transaction.on_commit(lambda: _run_inline(job.pk))
    job.refresh_from_db()
    return job


def import_job_confirm(*, job: ImportJob, user: Any) -> ImportJob:
    """Queue the import of a workbook whose check found no problems ("Simpan")."""
    _require(user)
    if not job.can_confirm:
        raise ValidationError(
            _("Only a checked workbook with no problems can be imported; this one is: %(status)s.")
            % {"status": job.get_status_display()},
            code="not_confirmable",
        )
    queued = ImportJob.objects.filter(pk=job.pk, status=S.CHECKED).update(
        status=S.QUEUED,
        confirmed_by=user,
        confirmed_at=timezone.now(),
        stage="",
        done=0,
        total=0,
        error="",
        error_params={},
    )
    if not queued:
        raise ValidationError(_("This import has been confirmed already."), code="confirmed")
    _run_inline(job.pk)
    job.refresh_from_db()
    return job


def _run_inline(job_id: int) -> None:
    """Run a small job within the request; a large one waits for the worker."""
    size = ImportJob.objects.filter(pk=job_id).values_list("size", flat=True).first()
    if size is not None and size <= inline_max_bytes() and (claimed := job_claim(job_id, worker=f"web:{worker_id()}")):
        job_run(claimed)


# Reading -----------------------------------------------------------------------------------------


def import_job_list(user: Any, *, limit: int = 50) -> QuerySet[ImportJob]:
    """The recorded imports, newest first: who, when, which file and what came of it."""
    _require(user)
    return ImportJob.objects.select_related("user", "confirmed_by").order_by("-created_at", "-pk")[:limit]


def import_job_get(user: Any, pk: int) -> ImportJob:
    _require(user)
    return ImportJob.objects.select_related("user", "confirmed_by").get(pk=pk)


@dataclass(frozen=True)
class Progress:
    stage: str
    done: int
    total: int

    @property
    def label(self) -> str:
        return str(STAGES.get(self.stage, self.stage))

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def progress_cache() -> BaseCache:
    alias = settings.SIMKERMA_IMPORT_PROGRESS_CACHE
    return caches[alias if alias in settings.CACHES else "default"]


def progress_key(job_id: int) -> str:
    return f"imports:job:{job_id}:progress"


def job_progress(job: ImportJob) -> Progress:
    """The cache first (written while the job runs), the row after."""
    if job.is_running and (cached := progress_cache().get(progress_key(job.pk))):
        return Progress(stage=str(cached["stage"]), done=int(cached["done"]), total=int(cached["total"]))
    return Progress(stage=job.stage, done=job.done, total=job.total)


class ProgressWriter:
    """The `progress` callback of one job: writes to the cache at a bounded rate."""

    def __init__(self, job_id: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.clock = clock
        self.last: Progress | None = None
        self.written: Progress | None = None
        self.written_at = 0.0
        self.writes = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.last = Progress(stage=stage, done=done, total=total)
        now = self.clock()
        new_stage = self.written is None or self.written.stage != stage
        if new_stage or done >= total or now - self.written_at >= PROGRESS_INTERVAL:
            progress_cache().set(
                progress_key(self.job_id), {"stage": stage, "done": done, "total": total}, timeout=lease_seconds()
            )
            self.written, self.written_at = self.last, now
            self.writes += 1

    def clear(self) -> None:
        progress_cache().delete(progress_key(self.job_id))


# Running -----------------------------------------------------------------------------------------


def job_claim(job_id: int, *, worker: str, now: dt.datetime | None = None) -> ImportJob | None:
    """Take a waiting job for `worker` with a conditional update; None when another has it (or none waits)."""
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=lease_seconds())
    for waiting, running in ImportJob.CLAIMS.items():
        claimed = ImportJob.objects.filter(pk=job_id, status=waiting).update(
            status=running, claimed_by=worker[:100], lease_until=lease, started_at=now, finished_at=None
        )
        if claimed:
            return ImportJob.objects.select_related("user", "confirmed_by").get(pk=job_id)
    return None


def jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Fail the jobs whose worker held them past the lease (it died); the number failed."""
    now = now or timezone.now()
    stale = list(
        ImportJob.objects.filter(status__in=ImportJob.RUNNING, lease_until__lt=now).values_list("pk", flat=True)
    )
    failed = 0
    for pk in stale:
        failed += ImportJob.objects.filter(pk=pk, status__in=ImportJob.RUNNING, lease_until__lt=now).update(
            status=S.FAILED,
            finished_at=now,
            lease_until=None,
            error=STOPPED,
            error_params={},
        )
        progress_cache().delete(progress_key(pk))
    return failed


def run_next_import_job(worker: str) -> bool:
    """The worker's runner (registered in apps.py): fail stale jobs, then run the oldest waiting one."""
    jobs_expire()
    waiting = ImportJob.objects.filter(status__in=ImportJob.WAITING).order_by("created_at", "pk")
    for pk in waiting.values_list("pk", flat=True)[:10]:
        if job := job_claim(pk, worker=worker):
            job_run(job)
            return True
    return False


def job_run(job: ImportJob) -> None:
    """Run a claimed job: the check (a dry run) or the import. Never raises; the outcome is on the row."""
    checking = job.status == S.CHECKING
    user = job.user if checking or job.confirmed_by is None else job.confirmed_by
    progress = ProgressWriter(job.pk)
    try:
        with job.file.open("rb") as handle:
            result = workbook_import(file=handle, user=user, dry_run=checking, progress=progress)
    except PermissionDenied:
        _finish(
            job,
            progress,
            status=S.FAILED,
            error=NOT_ALLOWED,
            error_params={"user": user.display_name},
        )
        return
    except Exception as error:  # anything at all: the job ends failed, the data as it was
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job,
            progress,
            status=S.FAILED,
            error=CRASHED,
            error_params={"error": f"{type(error).__name__}: {error}"[:1500]},
        )
        return
    if checking:
        _finish(job, progress, status=S.CHECKED if result.ok else S.REJECTED, check_result=result.to_json())
    elif result.saved:
        _finish(job, progress, status=S.DONE, import_result=result.to_json())
    else:
        _finish(
            job,
            progress,
            status=S.FAILED,
            import_result=result.to_json(),
            error=CHANGED,
        )


def _finish(
    job: ImportJob,
    progress: ProgressWriter,
    *,
    status: str,
    error: str = "",
    error_params: dict[str, str] | None = None,
    **results: Any,
) -> None:
    last = progress.last or Progress(stage="", done=0, total=0)
    ImportJob.objects.filter(pk=job.pk, claimed_by=job.claimed_by, status=job.status).update(
        status=status,
        finished_at=timezone.now(),
        lease_until=None,
        stage=last.stage,
        done=last.done,
        total=last.total,
        error=error,
        error_params=error_params or {},
        **results,
    )
    progress.clear()
