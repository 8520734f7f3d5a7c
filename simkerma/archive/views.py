from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.activities.models import Activity
from simkerma.archive import services
from simkerma.archive.data import CONTENT_FIELDS
from simkerma.archive.forms import (
    CorrectionForm,
    DisposalDecisionForm,
    DisposalRequestForm,
    EvidenceFormSet,
    ReportFileForm,
    ReportFilterForm,
    ReportForm,
)
from simkerma.archive.models import CooperationReport, DisposalRecord, EvidenceFile, retention_years
from simkerma.archive.pdf import report_pdf
from simkerma.archive.permissions import (
    can_archive,
    can_decide_disposal,
    can_file_reports,
    can_request_disposal,
    can_write_report,
)
from simkerma.archive.selectors import report_list as reports_for
from simkerma.core.concurrency import AlreadySubmitted, StaleEdit, already_submitted_response
from simkerma.core.dates import add_years
from simkerma.core.downloads import private_download
from simkerma.core.history import history_page
from simkerma.core.http import AuthedHttpRequest

R = CooperationReport.Status


def get_report_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> CooperationReport:
    """The one place that decides whether this user may see (or work on) this report."""
    if not can_read(request.user):
        raise PermissionDenied
    report = get_object_or_404(
        CooperationReport.objects.select_related("agreement", "previous", "archived_by", "created_by").prefetch_related(
            "activities__units", "activities__prodi", "activities__agreement__units", "activities__agreement__prodi"
        ),
        pk=pk,
    )
    if write and not can_write_report(request.user, report):
        raise PermissionDenied
    return report


@require(can_read)
def report_list(request: AuthedHttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    reports = reports_for(user=request.user, filters=form.to_filters()).only(
        "pk",
        "code",
        "version",
        "title",
        "status",
        "created_at",
        "archived_at",
        "retention_until",
        "is_led_data",
        "agreement__id",
        "agreement__number",
        "agreement__kind",
    )
    page = Paginator(reports, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "archive/_report_results.html" if request.htmx else "archive/report_list.html"
    return render(request, template, {"form": form, "page_obj": page, "can_file": can_file_reports(request.user)})


def _evidence_forms(request: HttpRequest) -> Any:
    return EvidenceFormSet(request.POST or None, request.FILES or None, prefix="evidence")


def _refuse(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form: beside the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@require(can_file_reports)
def report_create(request: AuthedHttpRequest) -> HttpResponse:
    """File a report; ?activity=<pk> (repeatable) chooses the activities it reports on."""
    initial: dict[str, Any] = {}
    picked = [pk for pk in request.GET.getlist("activity") if pk.isascii() and pk.isdigit()]
    if picked:
        activities = list(Activity.objects.filter(pk__in=picked).select_related("agreement"))
        initial["activities"] = [a.pk for a in activities]
        if len(activities) == 1:
            initial["title"] = activities[0].title
    form = ReportFileForm(request.POST or None, initial=initial, user=request.user)
    evidence = _evidence_forms(request)
    if request.method == "POST" and (done := form.replayed()) is not None:
        return already_submitted_response(request, done)
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        try:
            report = services.report_file(
                data=form.to_data(), evidence=evidence.to_data(), user=request.user, token=form.submission_token
            )
        except AlreadySubmitted as error:
            return already_submitted_response(request, error.obj)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Report filed: %(id)s") % {"id": report.identifier})
            return redirect(report)
    return render(request, "archive/report_form.html", {"form": form, "evidence": evidence, "report": None})


@require(can_read)
def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    user = request.user
    writer = can_write_report(user, report)
    context = {
        "report": report,
        "evidence": report.evidence.all(),
        "versions": CooperationReport.objects.filter(code=report.code)
        .only("pk", "code", "version", "status")
        .order_by("version"),
        "disposals": report.disposals.select_related("requested_by", "decided_by"),
        "can_edit": writer and not report.is_locked,
        "can_correct": writer and report.status == R.ARCHIVED,
        "can_archive": can_archive(user) and not report.is_locked,
        "can_request_disposal": can_request_disposal(user) and report.is_due_for_disposal(timezone.localdate()),
        "today": timezone.localdate(),
    }
    return render(request, "archive/report_detail.html", context)


def _locked(request: HttpRequest, report: CooperationReport) -> HttpResponse:
    return render(request, "archive/report_locked.html", {"report": report}, status=409)


@require(can_file_reports)
def report_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    if report.is_locked:
        return _locked(request, report)
    form = ReportForm(request.POST or None, instance=report)
    evidence = _evidence_forms(request)
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        try:
            services.report_update(
                report=report,
                data=form.to_data(),
                evidence=evidence.to_data(),
                user=request.user,
                opened_version=form.opened_version,
            )
        except services.ReportLocked:
            return _locked(request, report)
        except StaleEdit as error:
            form.refuse_stale(error)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Report saved."))
            return redirect(report)
    return render(
        request,
        "archive/report_form.html",
        {"form": form, "evidence": evidence, "report": report, "stored": report.evidence.all()},
    )


@require(can_read)
def report_archive(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Archiving cannot be undone, so it takes a confirmation: GET (or a POST without it) shows what will happen."""
    report = get_report_for_user(request, pk)
    if not can_archive(request.user):
        raise PermissionDenied
    if report.is_locked:
        messages.error(request, _("This report is archived already."))
        return redirect(report)
    if request.method != "POST" or request.POST.get("confirm") != "1":
        keep_until = add_years(timezone.localdate(), retention_years("report"))
        context = {"report": report, "keep_until": keep_until, "activities": report.activities.all()}
        return render(request, "archive/report_archive_confirm.html", context)
    try:
        report = services.report_archive(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(
        request,
        _("Report %(id)s archived as LED data; kept until %(date)s.")
        % {"id": report.identifier, "date": report.retention_until},
    )
    return redirect(report)


@require(can_file_reports)
def report_correct(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    old = get_report_for_user(request, pk, write=True)
    if old.status != R.ARCHIVED:
        messages.error(request, _("Only the archived, current version of a report can be corrected."))
        return redirect(old)
    initial = {name: getattr(old, name) for name in CONTENT_FIELDS}
    form = CorrectionForm(request.POST or None, initial=initial, instance=CooperationReport(), correcting=old)
    evidence = _evidence_forms(request)
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        try:
            new = services.report_correct(
                report=old,
                data=form.to_data(),
                evidence=evidence.to_data(),
                reason=form.cleaned_data["correction_reason"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(old)
        messages.success(request, _("Correction filed as %(id)s.") % {"id": new.identifier})
        return redirect(new)
    return render(
        request, "archive/report_form.html", {"form": form, "evidence": evidence, "report": None, "correcting": old}
    )


@require(can_read)
@private_download
def report_pdf_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    filename = "".join(ch if ch.isalnum() else "-" for ch in report.identifier)
    response["Content-Disposition"] = f'inline; filename="laporan-{filename}.pdf"'
    return response


@require(can_read)
def report_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    return history_page(request, report)


@require(can_read)
@private_download
def evidence_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(EvidenceFile.objects.select_related("report"), pk=pk)
    inline = evidence.content_type in ("image/jpeg", "image/png", "application/pdf")
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=evidence.download_name,
        as_attachment=not inline,
    )


@require_POST
@require(can_file_reports)
def evidence_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(EvidenceFile.objects.select_related("report"), pk=pk)
    report = get_report_for_user(request, evidence.report_id, write=True)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except services.ReportLocked:
        return _locked(request, report)
    messages.success(request, _("File removed."))
    return redirect("archive:report_edit", pk=report.pk)


# --- retention and disposal -------------------------------------------------------------------


@require(can_read)
def retention(request: AuthedHttpRequest) -> HttpResponse:
    """Records whose retention date has come, open disposal requests and the tombstones."""
    today = timezone.localdate()
    due = (
        CooperationReport.objects.due_for_disposal(today)
        .select_related("agreement")
        .only("pk", "code", "version", "title", "status", "archived_at", "retention_until", "agreement__number")
        .order_by("retention_until", "pk")
    )
    page = Paginator(due, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    open_requests = DisposalRecord.objects.filter(status=DisposalRecord.Status.REQUESTED).select_related("requested_by")
    context = {
        "page_obj": page,
        "today": today,
        "open_requests": open_requests.order_by("requested_at", "pk")[:100],
        "pending_ids": set(open_requests.values_list("report_id", flat=True)),
        "decided": DisposalRecord.objects.exclude(status=DisposalRecord.Status.REQUESTED)
        .select_related("requested_by", "decided_by")
        .order_by("-decided_at", "-pk")[:50],
        "can_request": can_request_disposal(request.user),
        "can_decide": can_decide_disposal(request.user),
    }
    return render(request, "archive/retention.html", context)


@require(can_request_disposal)
def disposal_request(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    form = DisposalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disposal = services.disposal_request(report=report, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Disposal requested; it waits for the Kapokja's approval."))
            return redirect(disposal)
    status = 400 if form.errors else 200
    return render(request, "archive/disposal_request.html", {"form": form, "report": report}, status=status)


@require(can_read)
def disposal_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    disposal = get_object_or_404(DisposalRecord.objects.select_related("requested_by", "decided_by", "report"), pk=pk)
    form = DisposalDecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide_disposal(request.user, disposal):
            raise PermissionDenied
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    services.disposal_approve(disposal=disposal, user=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("Disposal approved: the record's content and files were removed."))
                else:
                    services.disposal_reject(disposal=disposal, user=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("Disposal rejected."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(disposal)
    return render(
        request,
        "archive/disposal_detail.html",
        {
            "disposal": disposal,
            "form": form,
            "can_decide": disposal.status == DisposalRecord.Status.REQUESTED
            and can_decide_disposal(request.user, disposal),
        },
    )
