"""Discarding a request as spam or invalid, taking it back, and the audited list of discarded requests."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.core.http import AuthedHttpRequest
from simkerma.servicedesk.forms.discard import DiscardForm, RestoreForm
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.permissions import can_handle_requests, get_request_for_user
from simkerma.servicedesk.services import service_request_discard, service_request_restore
from simkerma.servicedesk.views.requests import _apply, _detail_context


@require(can_handle_requests)
@require_POST
def request_discard(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    form = DiscardForm(request.POST)
    if form.is_valid() and _apply(
        form,
        lambda: service_request_discard(
            request=service_request,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        ),
    ):
        messages.success(
            request, _("Request %(code)s is discarded; it no longer counts.") % {"code": service_request.code}
        )
        return redirect(service_request)
    service_request.refresh_from_db()
    context = _detail_context(request, service_request) | {"discard_form": form}
    return render(request, "servicedesk/request_detail.html", context, status=400)


@require(can_handle_requests)
@require_POST
def request_restore(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    form = RestoreForm(request.POST)
    if form.is_valid() and _apply(
        form,
        lambda: service_request_restore(request=service_request, reason=form.cleaned_data["reason"], user=request.user),
    ):
        messages.success(request, _("Request %(code)s counts again.") % {"code": service_request.code})
        return redirect(service_request)
    service_request.refresh_from_db()
    context = _detail_context(request, service_request) | {"restore_form": form}
    return render(request, "servicedesk/request_detail.html", context, status=400)


@require(can_read)
def discarded_list(request: AuthedHttpRequest) -> HttpResponse:
    """Every discarded request, newest discard first, with who discarded it and why: open to auditors."""
    requests = (
        ServiceRequest.objects.discarded().select_related("partner", "discarded_by").order_by("-discarded_at", "-pk")
    )
    page = Paginator(requests, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/discarded_list.html", {"page_obj": page})
