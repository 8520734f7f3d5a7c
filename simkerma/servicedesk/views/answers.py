"""Answers from the request page: by e-mail, or through WhatsApp's click-to-chat link; the files
that came with the messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.servicedesk.forms.answers import AnswerForm, WhatsAppConfirmForm
from simkerma.servicedesk.messages import RequestAttachment
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.permissions import can_handle_requests, get_request_for_user
from simkerma.servicedesk.replies import request_answer_by_email, request_answer_by_whatsapp, whatsapp_link
from simkerma.servicedesk.views.requests import _apply, _detail_context


def _redisplay(request: AuthedHttpRequest, service_request: ServiceRequest, **context: object) -> HttpResponse:
    service_request.refresh_from_db()
    page = _detail_context(request, service_request) | context
    return render(request, "servicedesk/request_detail.html", page, status=200 if "whatsapp_link" in context else 400)


@require_POST
@require(can_handle_requests)
def request_answer_email(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    form = AnswerForm(request.POST, request_obj=service_request, prefix="answer")
    if form.is_valid() and _apply(
        form,
        lambda: request_answer_by_email(
            request=service_request,
            purpose=form.cleaned_data["purpose"],
            body=form.cleaned_data["body"],
            user=request.user,
        ),
    ):
        messages.success(
            request, _("The answer was sent by e-mail to %(to)s.") % {"to": service_request.requester_email}
        )
        return redirect(service_request)
    return _redisplay(request, service_request, answer_form=form)


@require_POST
@require(can_handle_requests)
def request_answer_whatsapp(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """First press: the click-to-chat link for the written answer. Second: staff confirm it was sent."""
    service_request = get_request_for_user(request, pk, write=True)
    if "confirm" in request.POST:
        confirm = WhatsAppConfirmForm(request.POST, request_obj=service_request, prefix="answer")
        if confirm.is_valid() and _apply(
            confirm,
            lambda: request_answer_by_whatsapp(
                request=service_request,
                purpose=confirm.cleaned_data["purpose"],
                body=confirm.cleaned_data["body"],
                user=request.user,
            ),
        ):
            messages.success(request, _("The WhatsApp answer is recorded as sent now."))
            return redirect(service_request)
        form = AnswerForm(request.POST, request_obj=service_request, prefix="answer")
        form.is_valid()
        for error in confirm.errors.get("body", []) + confirm.errors.get("purpose", []) + confirm.non_field_errors():
            form.add_error(None, error)
        return _redisplay(request, service_request, answer_form=form)
    form = AnswerForm(request.POST, request_obj=service_request, prefix="answer")
    if not form.is_valid():
        return _redisplay(request, service_request, answer_form=form)
    if not service_request.requester_whatsapp:
        form.add_error("body", ValidationError(_("This request has no WhatsApp number to answer to.")))
        return _redisplay(request, service_request, answer_form=form)
    return _redisplay(
        request,
        service_request,
        answer_form=form,
        whatsapp_link=whatsapp_link(service_request.requester_whatsapp, form.cleaned_data["body"]),
        whatsapp_confirm=WhatsAppConfirmForm(initial=form.cleaned_data, request_obj=service_request, prefix="answer"),
    )


@require(can_read)
@private_download
def request_attachment(request: AuthedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    service_request = get_request_for_user(request, pk)
    attachment = get_object_or_404(RequestAttachment, pk=attachment_pk, message__request=service_request)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
