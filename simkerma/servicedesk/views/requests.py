"""The queue, the request pages and the actions on a request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.core.concurrency import AlreadySubmitted, StaleEdit, already_submitted_response
from simkerma.core.history import history_page
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.pagination import CountedPaginator
from simkerma.core.widgets import render_picker_results
from simkerma.partners.models import Partner
from simkerma.servicedesk.clocks import Calendars, clock_states
from simkerma.servicedesk.forms import (
    AssignForm,
    BreachReasonForm,
    MomentForm,
    RequestFilterForm,
    StaffRequestForm,
    StageForm,
)
from simkerma.servicedesk.forms.answers import AnswerForm
from simkerma.servicedesk.forms.discard import DiscardForm, RestoreForm
from simkerma.servicedesk.models import STAGE_ORDER, Breach, ServiceRequest, Stage
from simkerma.servicedesk.partner_link import partner_suggestion
from simkerma.servicedesk.permissions import (
    can_handle_requests,
    can_log_request,
    get_breach_for_user,
    get_request_for_user,
)
from simkerma.servicedesk.selectors import (
    breaches_without_reason,
    due_soon_requests,
    late_clocks_of,
    overdue_requests,
    queue_counts,
    queue_requests,
    queue_rows,
    request_list_count,
)
from simkerma.servicedesk.selectors import request_list as requests_listed
from simkerma.servicedesk.services import (
    breach_give_reason,
    service_request_assign,
    service_request_change_stage,
    service_request_create,
    service_request_follow_up,
    service_request_respond,
    service_request_update,
)

SIDE_LIST_SIZE = 50


@require(can_read)
def queue(request: AuthedHttpRequest) -> HttpResponse:
    now = timezone.now()
    counts = queue_counts(now)
    page = CountedPaginator(queue_requests(), settings.SIMKERMA_PAGE_SIZE, count=counts.open).get_page(
        request.GET.get("page")
    )
    soon = due_soon_requests(now)
    context = {
        "page_obj": page,
        "rows": queue_rows(list(page.object_list), now=now),
        "soon_rows": queue_rows(soon[:SIDE_LIST_SIZE], now=now),
        "soon_count": len(soon),
        "overdue_rows": queue_rows(list(overdue_requests(now)[:SIDE_LIST_SIZE]), now=now),
        "overdue_count": counts.overdue,
        "unexplained": list(breaches_without_reason()[:SIDE_LIST_SIZE]),
        "in_progress_count": counts.in_progress,
        "now": now,
        "can_log": can_log_request(request.user),
    }
    return render(request, "servicedesk/queue.html", context)


@require(can_read)
def request_list(request: AuthedHttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    filters = form.to_filters()
    requests = requests_listed(user=request.user, filters=filters)
    count = request_list_count(user=request.user, filters=filters)
    page = CountedPaginator(requests, settings.SIMKERMA_PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "can_log": can_log_request(request.user)}
    template = (
        "servicedesk/_request_list_results.html" if getattr(request, "htmx", False) else "servicedesk/request_list.html"
    )
    return render(request, template, context)


@require(can_log_request)
def request_create(request: AuthedHttpRequest) -> HttpResponse:
    form = StaffRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and (done := form.replayed()) is not None:
        return already_submitted_response(request, done)
    if request.method == "POST" and form.is_valid():
        try:
            service_request = service_request_create(
                data=form.to_data(), user=request.user, token=form.submission_token
            )
        except AlreadySubmitted as error:
            return already_submitted_response(request, error.obj)
        messages.success(request, _("Request %(code)s recorded.") % {"code": service_request.code})
        return redirect(service_request)
    return render(request, "servicedesk/request_form.html", {"form": form, "service_request": None})


@require(can_handle_requests)
def request_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    form = StaffRequestForm(request.POST or None, instance=service_request, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            service_request_update(
                request=service_request, data=form.to_data(), user=request.user, opened_version=form.opened_version
            )
        except StaleEdit as error:
            form.refuse_stale(error)
        else:
            messages.success(request, _("Request %(code)s saved.") % {"code": service_request.code})
            return redirect(service_request)
    return render(request, "servicedesk/request_form.html", {"form": form, "service_request": service_request})


def _stage_path(service_request: ServiceRequest) -> list[tuple[str, str]]:
    """Each stage with how far the request got: done, current or still ahead."""
    reached = STAGE_ORDER.index(service_request.stage) if service_request.stage in STAGE_ORDER else -1
    if service_request.stage == Stage.DITOLAK:
        reached = max(
            (
                STAGE_ORDER.index(c.from_stage)
                for c in service_request.stage_changes.all()
                if c.from_stage in STAGE_ORDER
            ),
            default=0,
        )
    path = []
    for index, value in enumerate(STAGE_ORDER):
        if index < reached or (index == reached and value != service_request.stage):
            css = "done"
        else:
            css = "current" if value == service_request.stage else ""
        path.append((str(Stage(value).label), css))
    if service_request.stage == Stage.DITOLAK:
        path.append((str(Stage.DITOLAK.label), "rejected"))
    return path


def _detail_context(request: HttpRequest, service_request: ServiceRequest, **forms: Any) -> dict[str, Any]:
    now = timezone.now()
    handle = can_handle_requests(request.user)
    late = late_clocks_of(service_request, now)
    breach_forms = forms.pop("breach_forms", {})
    next_stage = None
    if service_request.is_cooperation and not service_request.is_final:
        next_stage = Stage(STAGE_ORDER[STAGE_ORDER.index(service_request.stage) + 1])
    context = {
        "service_request": service_request,
        "stage_path": _stage_path(service_request),
        "clocks": clock_states(service_request, Calendars(now)),
        "stage_changes": service_request.stage_changes.select_related("changed_by"),
        "drafts": service_request.drafts.select_related("created_by").order_by("-number"),
        "breaches": [
            (
                item,
                (breach_forms.get(item.breach.pk) or BreachReasonForm(initial={"reason": item.breach.reason}))
                if item.breach
                else None,
            )
            for item in late
        ],
        "can_handle": handle,
        "next_stage": next_stage,
        "now": now,
        "tracking_url": request.build_absolute_uri(service_request.get_tracking_url()),
        "partner_suggestion": partner_suggestion(service_request) if handle else None,
        "conversation": service_request.conversation.select_related("sent_by").prefetch_related("attachments"),
    }
    if handle:
        context |= {
            "respond_form": forms.get("respond_form") or MomentForm(prefix="respond"),
            "followup_form": forms.get("followup_form") or MomentForm(prefix="followup"),
            "stage_form": forms.get("stage_form")
            or StageForm(request_obj=service_request, initial={"to_stage": next_stage}),
            "assign_form": AssignForm(initial={"assigned_to": service_request.assigned_to_id}),
            "discard_form": DiscardForm(),
            "restore_form": RestoreForm(),
            "answer_form": AnswerForm(request_obj=service_request, prefix="answer"),
        }
    return context


@require(can_read)
def request_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk)
    return render(request, "servicedesk/request_detail.html", _detail_context(request, service_request))


def _apply(form: Any, action: Any) -> bool:
    """Run a service with the form's data; its ValidationError lands on the form's fields."""
    try:
        action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, problems in error.error_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            form.add_error(None, error)
        return False
    return True


def _moment_action(request: HttpRequest, pk: int, *, prefix: str, service: Any, done: str) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    form = MomentForm(request.POST, prefix=prefix)
    if form.is_valid() and _apply(
        form,
        lambda: service(
            request=service_request, at=form.cleaned_data["at"], note=form.cleaned_data["note"], user=request.user
        ),
    ):
        messages.success(request, done)
        return redirect(service_request)
    service_request.refresh_from_db()
    context = _detail_context(request, service_request, **{f"{prefix}_form": form})
    return render(request, "servicedesk/request_detail.html", context, status=400)


@require(can_handle_requests)
@require_POST
def request_respond(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _moment_action(
        request, pk, prefix="respond", service=service_request_respond, done=_("The first response is recorded.")
    )


@require(can_handle_requests)
@require_POST
def request_follow_up(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _moment_action(
        request, pk, prefix="followup", service=service_request_follow_up, done=_("The follow-up is recorded.")
    )


@require(can_handle_requests)
@require_POST
def request_stage(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    form = StageForm(request.POST, request_obj=service_request)
    if form.is_valid() and _apply(
        form,
        lambda: service_request_change_stage(
            request=service_request,
            to_stage=form.cleaned_data["to_stage"],
            note=form.cleaned_data["note"],
            user=request.user,
        ),
    ):
        messages.success(request, _("Stage: %(stage)s.") % {"stage": service_request.get_stage_display()})
        return redirect(service_request)
    service_request.refresh_from_db()
    context = _detail_context(request, service_request, stage_form=form)
    return render(request, "servicedesk/request_detail.html", context, status=400)


@require(can_handle_requests)
@require_POST
def request_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    assignee: Any
    if request.POST.get("me"):
        assignee = request.user
    else:
        form = AssignForm(request.POST)
        assignee = form.cleaned_data["assigned_to"] if form.is_valid() else service_request.assigned_to
    service_request_assign(request=service_request, assignee=assignee, user=request.user)
    return redirect(service_request)


@require(can_handle_requests)
@require_POST
def breach_reason(request: AuthedHttpRequest, pk: int, breach_pk: int) -> HttpResponse:
    breach = get_breach_for_user(request, pk, breach_pk)
    form = BreachReasonForm(request.POST)
    if form.is_valid():
        breach_give_reason(breach=breach, reason=form.cleaned_data["reason"], user=request.user)
        messages.success(request, _("The reason is recorded."))
        return redirect(breach.request)
    context = _detail_context(request, breach.request, breach_forms={breach.pk: form})
    return render(request, "servicedesk/request_detail.html", context, status=400)


@require(can_read)
def request_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk)
    return history_page(request, service_request, (Breach, Breach.history.filter(request_id=service_request.pk)))


@require(can_log_request)
def pick_partner(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: partners matching the search box of the request form's partner picker."""
    return render_picker_results(request, "partner__q", lambda query: Partner.objects.search(query).order_by("name"))


def years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
