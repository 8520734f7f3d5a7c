"""The evaluation pages: thin views over the selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import require
from simkerma.agreements.models import Agreement
from simkerma.core.history import history_page
from simkerma.core.http import AuthedHttpRequest
from simkerma.evaluations import services
from simkerma.evaluations.exports import evaluation_pdf, evaluations_xlsx, xlsx_filename
from simkerma.evaluations.forms import EvaluationForm, MonitoringRecordForm, SurveyAnswerForm, SurveySendForm
from simkerma.evaluations.links import LinkProblem, invitation_for
from simkerma.evaluations.models import Evaluation, MonitoringRecord
from simkerma.evaluations.permissions import (
    can_archive_evaluation,
    can_send_surveys,
    can_view_evaluations,
    can_write_evaluation,
)
from simkerma.evaluations.selectors import (
    EvaluationFilters,
    agreement_evaluation_page,
    due_page,
    evaluation_list,
    evaluation_year,
    monitoring_list,
    survey_summaries,
)
from simkerma.servicedesk.ratelimit import hit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1900 <= year <= 2200 else default


def get_agreement_for_user(request: AuthedHttpRequest, pk: int, *, write: bool = False) -> Agreement:
    if not can_view_evaluations(request.user):
        raise PermissionDenied
    agreement = get_object_or_404(Agreement.objects.prefetch_related("units", "prodi", "partners"), pk=pk)
    if write and not can_write_evaluation(request.user, agreement):
        raise PermissionDenied
    return agreement


def get_evaluation_for_user(request: AuthedHttpRequest, pk: int, *, write: bool = False) -> Evaluation:
    if not can_view_evaluations(request.user):
        raise PermissionDenied
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("agreement", "reviewer", "archived_by").prefetch_related(
            "agreement__units", "agreement__prodi", "agreement__partners"
        ),
        pk=pk,
    )
    if write and not can_write_evaluation(request.user, evaluation.agreement):
        raise PermissionDenied
    return evaluation


@require(can_view_evaluations)
def evaluation_index(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request, evaluation_year())
    size = settings.SIMKERMA_PAGE_SIZE
    evaluations = evaluation_list(user=request.user, filters=EvaluationFilters(year=year))
    return render(
        request,
        "evaluations/list.html",
        {
            "year": year,
            "evaluations": Paginator(evaluations, size).get_page(request.GET.get("page")),
            "due": due_page(year, user=request.user, number=request.GET.get("due"), per_page=size),
        },
    )


@require(can_view_evaluations)
def evaluations_export(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request, evaluation_year())
    filters = EvaluationFilters(year=year)
    content = evaluations_xlsx(
        evaluation_list(user=request.user, filters=filters), monitoring_list(user=request.user, filters=filters)
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{xlsx_filename(year)}"'
    return response


@require(can_view_evaluations)
def agreement_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk)
    context = agreement_evaluation_page(agreement)
    context.update(
        agreement=agreement,
        year=_year(request, evaluation_year()),
        can_write=can_write_evaluation(request.user, agreement),
        can_send=can_send_surveys(request.user),
    )
    return render(request, "evaluations/agreement.html", context)


@require(can_view_evaluations)
def evaluation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    summary = survey_summaries(evaluation.year, [evaluation.agreement_id]).get(evaluation.agreement_id)
    context = {
        "evaluation": evaluation,
        "agreement": evaluation.agreement,
        "survey": summary,
        "can_edit": can_write_evaluation(request.user, evaluation.agreement) and not evaluation.is_archived,
        "can_archive": can_archive_evaluation(request.user) and not evaluation.is_archived,
    }
    return render(request, "evaluations/detail.html", context)


def _evaluation_form(
    request: AuthedHttpRequest, agreement: Agreement, year: int, evaluation: Evaluation | None
) -> HttpResponse:
    form = EvaluationForm(request.POST or None, instance=evaluation, agreement=agreement, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.evaluation_save(data=form.to_data(), user=request.user, evaluation=evaluation)
        except ValidationError as error:
            form.add_error(None, error) if not hasattr(error, "error_dict") else _add_errors(form, error)
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect(saved)
    return render(request, "evaluations/form.html", {"form": form, "agreement": agreement, "year": year})


def _add_errors(form: EvaluationForm | MonitoringRecordForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require(can_view_evaluations)
def evaluation_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, write=True)
    year = _year(request, evaluation_year())
    existing = agreement.evaluations.filter(year=year).first()  # type: ignore[attr-defined]
    if existing is not None:
        return redirect(existing)
    return _evaluation_form(request, agreement, year, None)


@require(can_view_evaluations)
def evaluation_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, write=True)
    if evaluation.is_archived:
        messages.error(request, _("An archived evaluation cannot be changed."))
        return redirect(evaluation)
    return _evaluation_form(request, evaluation.agreement, evaluation.year, evaluation)


@require(can_view_evaluations)
def evaluation_pdf_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    response = HttpResponse(evaluation_pdf(evaluation), content_type="application/pdf")
    number = "".join(ch if ch.isalnum() else "-" for ch in evaluation.agreement.number)
    response["Content-Disposition"] = f'inline; filename="evaluasi-{number}-{evaluation.year}.pdf"'
    return response


@require_POST
@require(can_archive_evaluation)
def evaluation_archive(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    try:
        services.evaluation_archive(evaluation=evaluation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evaluation is archived."))
    return redirect(evaluation)


@require(can_view_evaluations)
def evaluation_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_evaluation_for_user(request, pk))


@require(can_view_evaluations)
def monitoring_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _monitoring_form(request, get_agreement_for_user(request, pk, write=True), None)


@require(can_view_evaluations)
def monitoring_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(MonitoringRecord.objects.select_related("agreement"), pk=pk)
    return _monitoring_form(request, get_agreement_for_user(request, record.agreement_id, write=True), record)


def _monitoring_form(request: AuthedHttpRequest, agreement: Agreement, record: MonitoringRecord | None) -> HttpResponse:
    form = MonitoringRecordForm(request.POST or None, instance=record, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_record_save(data=form.to_data(), user=request.user, record=record)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The monitoring record is saved."))
            return redirect("evaluations:agreement", pk=agreement.pk)
    return render(request, "evaluations/monitoring_form.html", {"form": form, "agreement": agreement})


@require(can_send_surveys)
def survey_send(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk)
    form = SurveySendForm(
        request.POST or None, agreement=agreement, initial={"year": _year(request, evaluation_year())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.survey_send(
                agreement=agreement,
                year=form.cleaned_data["year"],
                contacts=list(form.cleaned_data["contacts"]),
                user=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Surveys sent: %(count)s.") % {"count": len(sent)})
            return redirect("evaluations:agreement", pk=agreement.pk)
    return render(request, "evaluations/survey_send.html", {"form": form, "agreement": agreement})


def _link_refused(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    response = render(request, "evaluations/survey_refused.html", {"problem": problem.kind}, status=problem.status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _allowed(request: HttpRequest, *, posting: bool) -> bool:
    if posting:
        limit, window = settings.SIMKERMA_PUBLIC_FORM_LIMIT, settings.SIMKERMA_PUBLIC_FORM_WINDOW
    else:
        limit, window = settings.SIMKERMA_PUBLIC_VIEW_LIMIT, settings.SIMKERMA_PUBLIC_VIEW_WINDOW
    return hit(request, scope="survey-post" if posting else "survey-view", limit=int(limit), window=int(window))


@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's survey page, opened from the e-mailed link; no account needed."""
    if not _allowed(request, posting=request.method == "POST"):
        return render(request, "429.html", status=429)
    try:
        invitation = invitation_for(token)
    except LinkProblem as problem:
        return _link_refused(request, problem)
    form = SurveyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(token=token, data=form.to_data())
        except LinkProblem as problem:
            return _link_refused(request, problem)
        return render(request, "evaluations/survey_thanks.html", {"invitation": invitation})
    response = render(request, "evaluations/survey_answer.html", {"form": form, "invitation": invitation})
    response["X-Robots-Tag"] = "noindex"
    # The link never leaves the site in a Referer; same-origin still lets the form post (CSRF origin check).
    response["Referrer-Policy"] = "same-origin"
    return response
