"""The web import page: upload a workbook, see the check, confirm ("Simpan"), follow the import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import require
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.imports import jobs
from simkerma.imports.forms import WorkbookUploadForm
from simkerma.imports.models import ImportJob

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@require(jobs.can_import)
def import_page(request: AuthedHttpRequest) -> HttpResponse:
    form = WorkbookUploadForm(request.POST, request.FILES) if request.method == "POST" else WorkbookUploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_upload(user=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "imports/import_page.html",
        {
            "form": form,
            "jobs": jobs.import_job_list(request.user),
            "template_url": _url("imports:template_download"),
            "export_url": _url("imports:export"),
        },
    )


def _job(request: AuthedHttpRequest, pk: int) -> ImportJob:
    try:
        return jobs.import_job_get(request.user, pk)
    except ImportJob.DoesNotExist as missing:
        raise Http404 from missing


def _safe_link(request: AuthedHttpRequest, link: str) -> str:
    """A warning's link, only when it points into this site."""
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return ""


def _job_context(request: AuthedHttpRequest, job: ImportJob) -> dict[str, Any]:
    result = job.result
    sheets: list[tuple[str, list[Any]]] = []
    if result is not None:
        grouped: dict[str, list[Any]] = {}
        for problem in result.problems:
            grouped.setdefault(problem.sheet, []).append(problem)
        sheets = list(grouped.items())
    warnings = [
        {"warning": warning, "link": _safe_link(request, warning.link)}
        for warning in (result.warnings if result else [])
    ]
    return {
        "job": job,
        "result": result,
        "problem_sheets": sheets,
        "warnings": warnings,
        "progress": jobs.job_progress(job),
        "polling": job.is_running,
    }


@require(jobs.can_import)
def job_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "imports/import_job.html", _job_context(request, job))


@require(jobs.can_import)
def job_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The part of the job page that changes, polled every second while the job runs."""
    job = _job(request, pk)
    return render(request, "imports/import_job_body.html", _job_context(request, job))


@require_POST
@require(jobs.can_import)
def job_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        job = jobs.import_job_confirm(job=job, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("imports:job", pk=job.pk)
    if job.status == ImportJob.Status.DONE:
        messages.success(request, _("The workbook was imported."))
    return redirect("imports:job", pk=job.pk)


@require(jobs.can_import)
@private_download
def job_file(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The uploaded workbook as it was received, under the name it was uploaded with."""
    job = _job(request, pk)
    if not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    response = FileResponse(job.file.open("rb"), content_type=XLSX_MIME, as_attachment=True, filename=job.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
