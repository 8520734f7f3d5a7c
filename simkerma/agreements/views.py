from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.agreements import selectors
from simkerma.agreements.forms import AgreementFilterForm, AgreementForm, SignatoryFormSet, TerminateForm
from simkerma.agreements.models import Agreement, Kind, Signatory, today
from simkerma.agreements.permissions import can_create_agreement, can_edit_agreement
from simkerma.agreements.selectors import AgreementFilters, agreement_tree
from simkerma.agreements.services import (
    agreement_mark_reported,
    agreement_save,
    agreement_suggest_number,
    agreement_terminate,
    can_mark_reported,
    renewal_period,
)
from simkerma.core.concurrency import AlreadySubmitted, StaleEdit, already_submitted_response
from simkerma.core.dates import MAX_DATE, date_param
from simkerma.core.downloads import private_download
from simkerma.core.history import CREATED, EDITED, RENEWAL, history_page
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.widgets import render_picker_results
from simkerma.partners.models import Partner

PARTNERS_ONLY = Prefetch("partners", queryset=Partner.objects.only("pk", "name", "code"))


def get_agreement_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Agreement:
    """The one place that decides whether this user may see or change this agreement."""
    if not can_read(request.user):
        raise PermissionDenied
    agreement = get_object_or_404(
        Agreement.objects.select_related("parent", "renews").prefetch_related(PARTNERS_ONLY, "units", "prodi"),
        pk=pk,
    )
    if write and not can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    return agreement


@require(can_read)
def agreement_list(request: AuthedHttpRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None)
    filters = form.to_filters() if form.is_valid() else AgreementFilters()
    agreements = selectors.agreement_list(user=request.user, filters=filters)
    page = Paginator(agreements, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "sort": request.GET.get("sort", "-start")}
    template = "agreements/_list_results.html" if request.htmx else "agreements/agreement_list.html"
    return render(request, template, context)


@require(can_read)
def agreement_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "tree": agreement_tree(agreement),
            "signatories": agreement.signatories.all(),
            "renewals": agreement.renewals.only("pk", "number", "start_date", "end_date"),
            "can_edit": can_edit_agreement(request.user, agreement),
            "can_mark_reported": can_mark_reported(request.user),
            "today": today(),
            "outside_parent": agreement.outside_parent_period(),
        },
    )


def _form_page(request: HttpRequest, instance: Agreement, *, initial: dict | None = None, reason: str) -> HttpResponse:
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=instance, initial=initial, user=request.user
    )
    formset = SignatoryFormSet(request.POST or None, instance=instance, prefix="signatories")
    if request.method == "POST" and (done := form.replayed()) is not None:
        return already_submitted_response(request, done)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = agreement_save(
                agreement=instance,
                data=form.to_data(formset),
                user=request.user,
                reason=reason,
                opened_version=form.opened_version,
                token=form.submission_token,
            )
        except StaleEdit as error:
            form.refuse_stale(error)
        except AlreadySubmitted as error:
            return already_submitted_response(request, error.obj)
        except ValidationError as error:
            form.refuse(error)
        else:
            messages.success(request, _("Agreement saved: %(number)s") % {"number": saved.obj.number})
            for warning in saved.warnings:
                messages.warning(request, warning)
            return redirect(saved.obj)
    return render(request, "agreements/agreement_form.html", {"form": form, "formset": formset, "agreement": instance})


@require(can_create_agreement)
def agreement_create(request: AuthedHttpRequest) -> HttpResponse:
    initial: dict = {}
    partner = request.GET.get("partner")
    if partner and partner.isascii() and partner.isdigit():
        initial["partners"] = [partner]
    parent = request.GET.get("parent")
    if parent and parent.isascii() and parent.isdigit():
        initial["parent"] = parent
        initial["kind"] = Kind.IA if Agreement.objects.filter(pk=parent, kind=Kind.MOA).exists() else Kind.MOA
    if request.user.is_unit_scoped:
        initial["units"] = [request.user.unit_id]
    return _form_page(request, Agreement(), initial=initial, reason=CREATED)


@require(can_read)
def agreement_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, write=True)
    return _form_page(request, agreement, reason=EDITED)


@require(can_create_agreement)
def agreement_renew(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    old = get_agreement_for_user(request, pk, write=True)
    if old.end_date >= MAX_DATE:
        # Its next period would start after the last date the product accepts.
        messages.error(
            request, _("This agreement runs until %(end)s; a renewal cannot start after it.") % {"end": old.end_date}
        )
        return redirect(old)
    start, end = renewal_period(old)
    initial = {
        "kind": old.kind,
        "title": old.title,
        "parent": old.parent_id,
        "level": old.level,
        "fields": old.fields,
        "scope": old.scope,
        "start_date": start,
        "end_date": end,
        "partners": [p.pk for p in old.partners.all()],
        "units": [u.pk for u in old.units.all()],
        "prodi": [p.pk for p in old.prodi.all()],
    }
    new = Agreement(renews=old)
    return _form_page(request, new, initial=initial, reason=RENEWAL)


@require(can_read)
def agreement_terminate_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk, write=True)
    form = TerminateForm(request.POST or None, agreement=agreement, initial={"terminated_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            agreement_terminate(
                agreement=agreement,
                on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The termination was recorded."))
            return redirect(agreement)
    return render(request, "agreements/agreement_terminate.html", {"agreement": agreement, "form": form})


@require(can_read)
@private_download
def agreement_scan(request: AuthedHttpRequest, pk: int) -> FileResponse:
    agreement = get_agreement_for_user(request, pk)
    if not agreement.signed_scan:
        raise Http404
    safe_number = "".join(ch if ch.isalnum() else "-" for ch in agreement.number)
    return FileResponse(agreement.signed_scan.open("rb"), content_type="application/pdf", filename=f"{safe_number}.pdf")


@require(can_mark_reported)
@require_POST
def agreement_mark_reported_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record the day the agreement was entered in the ministry's reporting system."""
    agreement = get_agreement_for_user(request, pk)
    on = date_param(request.POST.get("ministry_reported_on", ""))
    if on is None:
        messages.error(request, _("Enter the day it was reported, as YYYY-MM-DD."))
        return redirect(agreement)
    try:
        agreement_mark_reported(agreement=agreement, on=on, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked as reported to the ministry on %(date)s.") % {"date": on.isoformat()})
    return redirect(agreement)


@require(can_read)
def agreement_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request, pk)
    return history_page(request, agreement, (Signatory, Signatory.history.filter(agreement_id=agreement.pk)))


@require(can_read)
def suggest_number(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: the next number in the office's scheme for the chosen kind and date."""
    kind = request.GET.get("kind", "")
    on = date_param(request.GET.get("signed_on")) or date_param(request.GET.get("start_date")) or today()
    suggestion = agreement_suggest_number(kind=kind, on=on) if kind in Kind.values else ""
    return render(request, "agreements/_number_suggestion.html", {"suggestion": suggestion})


@require(can_read)
def pick_parent(request: AuthedHttpRequest) -> HttpResponse:
    return render_picker_results(
        request,
        "parent__q",
        lambda query: Agreement.objects.filter(kind__in=[Kind.MOU, Kind.MOA]).search(query).order_by("-start_date"),
    )
