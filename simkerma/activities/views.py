from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.activities import selectors, services
from simkerma.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    CoordinationForm,
    CoordinationTaskFormSet,
    SingleTaskForm,
    TransitionForm,
)
from simkerma.activities.models import Activity, ActivityQuerySet, ActivityStatus, CoordinationRecord, FollowUpTask
from simkerma.activities.permissions import (
    allowed_buttons,
    can_complete_task,
    can_coordinate,
    can_edit_activity,
    can_file_reports,
    can_plan,
    can_plan_under,
    can_report_on,
    held_moves,
)
from simkerma.activities.reporting_forms import funding_formset
from simkerma.activities.services import activity_save, activity_transition, coordination_save, task_complete
from simkerma.agreements.models import Agreement, AgreementQuerySet
from simkerma.core.concurrency import AlreadySubmitted, StaleEdit, already_submitted_response
from simkerma.core.history import history_page
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.pagination import CountedPaginator
from simkerma.core.widgets import render_picker_results
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner

S = ActivityStatus
UNIT_CODES = Prefetch("units", queryset=Unit.objects.only("pk", "code"))
PRODI_CODES = Prefetch("prodi", queryset=Prodi.objects.only("pk", "code", "unit_id"))


def get_activity_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Activity:
    """The one place that decides whether this user may see or change this activity."""
    if not can_read(request.user):
        raise PermissionDenied
    activity = get_object_or_404(
        Activity.objects.select_related(
            "agreement", "pic", "partner_contact__partner", "created_by", "cooperation_form"
        ).prefetch_related(
            "units",
            "prodi",
            "funding",
            "agreement__units",
            "agreement__prodi",
            Prefetch("agreement__partners", queryset=Partner.objects.only("pk", "name")),
        ),
        pk=pk,
    )
    if write and not can_edit_activity(request.user, activity):
        raise PermissionDenied
    return activity


@require(can_read)
def activity_list(request: AuthedHttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None)
    filters = form.to_filters()
    activities = (
        selectors.activity_list(user=request.user, filters=filters)
        .select_related("agreement")
        .only(
            "pk",
            "code",
            "title",
            "kind",
            "field",
            "status",
            "start_date",
            "end_date",
            "agreement__id",
            "agreement__number",
            "agreement__kind",
        )
        .prefetch_related(
            UNIT_CODES, PRODI_CODES, Prefetch("agreement__units", queryset=Unit.objects.only("pk", "code"))
        )
    )
    count = selectors.activity_list_count(user=request.user, filters=filters)
    page = CountedPaginator(activities, settings.SIMKERMA_PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    agreement = form.cleaned_data.get("agreement") if form.is_valid() else None
    context = {"form": form, "page_obj": page, "agreement": agreement, "can_plan": can_plan(request.user)}
    template = "activities/_list_results.html" if request.htmx else "activities/activity_list.html"
    return render(request, template, context)


@require(can_read)
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    user = request.user
    coordinations = activity.coordinations.prefetch_related(
        "internal_attendees",
        Prefetch("tasks", queryset=FollowUpTask.objects.select_related("assignee")),
    ).order_by("-held_at", "-pk")
    context = {
        "activity": activity,
        "warning": activity.validity_warning(),
        "coordinations": coordinations,
        "tasks": activity.tasks.select_related("assignee", "record").order_by("done_at", "due_date", "pk"),
        "reports": activity.reports.order_by("-created_at", "-pk"),
        "outputs": activity.outputs.all(),
        "funding_total": sum(row.amount for row in activity.funding.all()),
        "transitions": activity.transitions.select_related("user"),
        "buttons": allowed_buttons(user, activity),
        "held_moves": held_moves(user, activity),
        "can_edit": can_edit_activity(user, activity),
        "can_coordinate": can_coordinate(user),
        "can_report": activity.status in (S.TERLAKSANA, S.DILAPORKAN)
        and can_file_reports(user)
        and can_report_on(user, [activity]),
        "today": timezone.localdate(),
    }
    return render(request, "activities/activity_detail.html", context)


def _form_page(request: AuthedHttpRequest, instance: Activity, *, initial: dict | None = None) -> HttpResponse:
    form = ActivityForm(request.POST or None, instance=instance, initial=initial, user=request.user)
    funding = funding_formset(request.POST or None, instance)
    sent = funding.is_bound  # else the post had no funds section: the stored funds stay
    if request.method == "POST" and (done := form.replayed()) is not None:
        return already_submitted_response(request, done)
    valid = request.method == "POST" and form.is_valid()
    if valid and (not sent or (funding.is_valid() and form.check_funding(funding))):
        try:
            saved = activity_save(
                activity=instance if instance.pk else None,
                data=form.to_data(funding if sent else None),
                user=request.user,
                opened_version=form.opened_version,
                token=form.submission_token,
            )
        except StaleEdit as error:
            form.refuse_stale(error)
        except AlreadySubmitted as error:
            return already_submitted_response(request, error.obj)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Activity saved: %(code)s") % {"code": saved.obj.code})
            for warning in saved.warnings:
                messages.warning(request, warning)
            return redirect(saved.obj)
    context = {"form": form, "funding": funding, "activity": instance}
    return render(request, "activities/activity_form.html", context)


def refuse(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field where the form has the field, else on top."""
    for name, messages_ in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(name if name in form.fields else None, messages_)


@require(can_plan)
def activity_create(request: AuthedHttpRequest) -> HttpResponse:
    """A new plan; ?agreement=<pk> (from an agreement's page) chooses the agreement."""
    initial: dict = {}
    pk = request.GET.get("agreement", "")
    if pk.isascii() and pk.isdigit():
        agreement = Agreement.objects.filter(pk=pk).prefetch_related("units", "prodi").first()
        if agreement is not None and can_plan_under(request.user, agreement):
            initial["agreement"] = agreement.pk
            initial["field"] = agreement.fields[0] if len(agreement.fields) == 1 else None
    return _form_page(request, Activity(), initial=initial)


@require(can_read)
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk, write=True)
    return _form_page(request, activity)


@require_POST
@require(can_read)
def activity_transition_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(activity)
    try:
        activity_transition(
            activity=activity, to=form.cleaned_data["to"], user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(activity)
    messages.success(request, _("Status changed to: %(status)s") % {"status": activity.status_label})
    return redirect(activity)


@require(can_read)
def activity_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    return history_page(
        request,
        activity,
        (CoordinationRecord, CoordinationRecord.history.filter(activity_id=activity.pk)),
        (FollowUpTask, FollowUpTask.history.filter(activity_id=activity.pk)),
    )


@require(can_read)
def pick_agreement(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: agreements matching the picker's search box (for unit roles: those naming their unit)."""

    def find(query: str) -> AgreementQuerySet:
        agreements = Agreement.objects.search(query)
        if request.user.is_unit_scoped:
            # User.clean() gives every unit-scoped account a unit.
            agreements = agreements.for_unit(cast(int, request.user.unit_id))
        return agreements.order_by("-start_date", "pk")

    return render_picker_results(request, "agreement__q", find)


@require(can_read)
def pick_reportable(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: carried-out activities to report on (for unit roles: those of their unit)."""

    def find(query: str) -> ActivityQuerySet:
        activities = Activity.objects.filter(status__in=[S.TERLAKSANA, S.DILAPORKAN]).search(query)
        if request.user.is_unit_scoped:
            # User.clean() gives every unit-scoped account a unit.
            activities = activities.for_unit(cast(int, request.user.unit_id))
        return activities.order_by("-start_date", "pk")

    return render_picker_results(request, "activities__q", find)


# --- coordination and tasks -------------------------------------------------------------------


def get_record_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> CoordinationRecord:
    if not can_read(request.user) or (write and not can_coordinate(request.user)):
        raise PermissionDenied
    return get_object_or_404(
        CoordinationRecord.objects.select_related("activity__agreement", "created_by").prefetch_related(
            "internal_attendees"
        ),
        pk=pk,
    )


@require(can_coordinate)
def coordination_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    if activity.status in (S.BATAL, S.DIARSIPKAN):
        raise PermissionDenied
    form = CoordinationForm(
        request.POST or None, initial={"held_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    tasks = CoordinationTaskFormSet(request.POST or None, prefix="tasks")
    if request.method == "POST" and (done := form.replayed()) is not None:
        return already_submitted_response(request, done)
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        try:
            record = coordination_save(
                activity=activity, data=form.to_data(tasks), user=request.user, token=form.submission_token
            )
        except AlreadySubmitted as error:
            return already_submitted_response(request, error.obj, activity)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Coordination recorded."))
            return redirect(record.activity)
    return render(
        request,
        "activities/coordination_form.html",
        {"form": form, "tasks": tasks, "activity": activity, "record": None},
    )


@require(can_read)
def coordination_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk)
    return render(
        request,
        "activities/coordination_detail.html",
        {
            "record": record,
            "activity": record.activity,
            "tasks": record.tasks.select_related("assignee").order_by("due_date", "pk"),
            "can_coordinate": can_coordinate(request.user),
            "today": timezone.localdate(),
        },
    )


@require(can_coordinate)
def coordination_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk, write=True)
    form = CoordinationForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            coordination_save(
                record=record,
                activity=record.activity,
                data=form.to_data(),
                user=request.user,
                opened_version=form.opened_version,
            )
        except StaleEdit as error:
            form.refuse_stale(error)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Coordination record saved."))
            return redirect(record)
    return render(
        request,
        "activities/coordination_form.html",
        {"form": form, "tasks": None, "activity": record.activity, "record": record},
    )


@require(can_coordinate)
def task_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    record = None
    record_pk = request.GET.get("record") or request.POST.get("record") or ""
    if record_pk.isascii() and record_pk.isdigit():
        record = get_object_or_404(CoordinationRecord, pk=record_pk, activity=activity)
    form = SingleTaskForm(request.POST or None)
    if request.method == "POST" and form.replayed() is not None:
        return already_submitted_response(request, None, record or activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(
                activity=activity, record=record, data=form.to_data(), user=request.user, token=form.submission_token
            )
        except AlreadySubmitted:
            return already_submitted_response(request, None, record or activity)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Task added."))
            return redirect(record or activity)
    return render(request, "activities/task_form.html", {"form": form, "activity": activity, "record": record})


@require_POST
@require(can_read)
def task_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(FollowUpTask.objects.select_related("activity"), pk=pk)
    if not can_complete_task(request.user, task):
        raise PermissionDenied
    task_complete(task=task, user=request.user)
    if request.htmx:
        return render(
            request, "activities/_task_row.html", {"task": task, "today": timezone.localdate(), "show_activity": True}
        )
    messages.success(request, _("Task marked as done."))
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "activities:my_tasks")


@require(can_read)
def my_tasks(request: AuthedHttpRequest) -> HttpResponse:
    """The user's follow-up tasks, open ones first and overdue ones marked; the team may see all open tasks."""
    show_all = request.GET.get("semua") == "1" and can_coordinate(request.user)
    tasks = FollowUpTask.objects.select_related("activity", "assignee", "record")
    tasks = tasks.filter(done_at__isnull=True) if show_all else tasks.filter(assignee=request.user)
    tasks = tasks.order_by(F("done_at").desc(nulls_first=True), "due_date", "pk")
    page = Paginator(tasks, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "today": timezone.localdate(),
        "show_all": show_all,
        "can_see_all": can_coordinate(request.user),
    }
    return render(request, "activities/my_tasks.html", context)
