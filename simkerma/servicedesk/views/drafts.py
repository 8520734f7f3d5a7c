"""Drafting: generating, uploading, downloading and delivering versions, and signing."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.accounts.permissions import can_read, require
from simkerma.agreements.forms import AgreementForm, SignatoryFormSet
from simkerma.agreements.models import Agreement, Signatory
from simkerma.agreements.services import agreement_suggest_number
from simkerma.core.choices import Level
from simkerma.core.concurrency import AlreadySubmitted, already_submitted_response
from simkerma.core.downloads import private_download
from simkerma.core.http import AuthedHttpRequest
from simkerma.servicedesk.drafting import DOCX_MIME, draft_generate, draft_record_delivery, draft_send, draft_upload
from simkerma.servicedesk.forms import DeliveryForm, DraftForm, DraftUploadForm, SendDraftForm
from simkerma.servicedesk.models import DraftVersion, ServiceRequest, Stage
from simkerma.servicedesk.permissions import can_handle_requests, get_draft_for_user, get_request_for_user
from simkerma.servicedesk.rules import stage_change_problem
from simkerma.servicedesk.services import service_request_sign
from simkerma.servicedesk.views.requests import _apply, years_later

logger = logging.getLogger(__name__)


def _partner_defaults(service_request: ServiceRequest) -> dict[str, Any]:
    partner = service_request.partner
    return {
        "partner_name": partner.name if partner else service_request.requester_organisation,
        "partner_address": partner.address if partner else "",
        "partner_pic": service_request.partner_pic or service_request.requester_name,
        "partner_email": service_request.requester_email or (partner.email if partner else ""),
        "partner_phone": service_request.requester_whatsapp or (partner.phone if partner else ""),
    }


def draft_initial(service_request: ServiceRequest, user: Any) -> dict[str, Any]:
    """The previous version's values, or values taken from the request and the last draft made."""
    latest = service_request.drafts.order_by("-number").first()
    if latest is not None and latest.context:
        return dict(latest.context)
    kind = service_request.document_kind or "mou"
    previous = DraftVersion.objects.order_by("-pk").only("context").first()
    remembered = previous.context if previous else {}
    return {
        "document_kind": kind,
        "number": agreement_suggest_number(kind=kind, on=timezone.localdate()),
        "title": service_request.subject,
        **_partner_defaults(service_request),
        "institution_signatory_name": settings.SIMKERMA_INSTITUTION_SIGNATORY_NAME
        or remembered.get("institution_signatory_name", ""),
        "institution_signatory_position": settings.SIMKERMA_INSTITUTION_SIGNATORY_POSITION,
        "contact_name": user.display_name,
        "contact_email": user.email,
        "contact_phone": getattr(user, "phone", ""),
        "scope": service_request.scope,
        "duration_years": int(settings.SIMKERMA_DRAFT_DEFAULT_YEARS),
    }


def show_on_form(form: Any, error: ValidationError) -> None:
    """A service's refusal shown on the form: next to its field when the form has it, above it otherwise."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


@require(can_handle_requests)
def draft_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    if not service_request.is_cooperation:
        raise PermissionDenied
    form = DraftForm(request.POST or None, initial=draft_initial(service_request, request.user))
    if request.method == "POST" and form.replayed() is not None:
        return already_submitted_response(request, None, service_request)
    if request.method == "POST" and form.is_valid():
        try:
            draft = draft_generate(
                request=service_request, values=form.values(), user=request.user, token=form.submission_token
            )
        except AlreadySubmitted:
            return already_submitted_response(request, None, service_request)
        except ValidationError as error:  # e.g. a stored template the sandbox refuses
            show_on_form(form, error)
        else:
            messages.success(request, _("Draft version %(number)s is ready.") % {"number": draft.number})
            return redirect(service_request)
    return render(request, "servicedesk/draft_form.html", {"form": form, "service_request": service_request})


@require(can_handle_requests)
def draft_upload_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    if not service_request.is_cooperation:
        raise PermissionDenied
    form = DraftUploadForm(
        request.POST or None, request.FILES or None, initial={"document_kind": service_request.document_kind or "mou"}
    )
    if request.method == "POST" and form.replayed() is not None:
        return already_submitted_response(request, None, service_request)
    if request.method == "POST" and form.is_valid():
        try:
            draft = draft_upload(
                request=service_request,
                upload=form.cleaned_data["file"],
                document_kind=form.cleaned_data["document_kind"],
                note=form.cleaned_data["note"],
                user=request.user,
                token=form.submission_token,
            )
        except AlreadySubmitted:
            return already_submitted_response(request, None, service_request)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Draft version %(number)s is kept.") % {"number": draft.number})
            return redirect(service_request)
    return render(request, "servicedesk/draft_upload.html", {"form": form, "service_request": service_request})


@require(can_read)
@private_download
def draft_download(request: AuthedHttpRequest, pk: int, number: int) -> FileResponse:
    draft = get_draft_for_user(request, pk, number)
    return FileResponse(draft.file.open("rb"), as_attachment=True, filename=draft.filename, content_type=DOCX_MIME)


def _default_message(draft: DraftVersion, user: Any) -> str:
    request = draft.request
    return _(
        "Dear %(name)s,\n\nAttached is the draft %(kind)s (version %(number)s) for your request %(code)s, "
        '"%(subject)s". We look forward to your comments.\n\nFollow the request: %(link)s\n\n'
        "Regards,\n%(sender)s\nKerja Sama %(institution)s"
    ) % {
        "name": request.requester_name,
        "kind": draft.get_document_kind_display(),
        "number": draft.number,
        "code": request.code,
        "subject": request.subject,
        "link": f"{settings.SIMKERMA_BASE_URL.rstrip('/')}{request.get_tracking_url()}",
        "sender": user.display_name,
        "institution": settings.SIMKERMA_INSTITUTION_NAME,
    }


@require(can_handle_requests)
def draft_send_view(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk, number, write=True)
    form = SendDraftForm(
        request.POST or None,
        initial={"to": draft.request.requester_email, "message": _default_message(draft, request.user)},
    )
    delivery_form = DeliveryForm(prefix="delivery")
    if request.method == "POST" and form.is_valid():
        try:
            draft_send(draft=draft, to=form.cleaned_data["to"], message=form.cleaned_data["message"], user=request.user)
        except (OSError, ValueError) as error:  # SMTP refused or unreachable: nothing was recorded
            logger.warning("draft %s not sent: %s", draft, error)
            form.add_error(
                None, _("The e-mail could not be sent (%(error)s). Nothing was recorded.") % {"error": error}
            )
        else:
            messages.success(request, _("Draft version %(number)s sent.") % {"number": draft.number})
            return redirect(draft.request)
    context = {"form": form, "delivery_form": delivery_form, "draft": draft, "service_request": draft.request}
    return render(request, "servicedesk/draft_send.html", context)


@require(can_handle_requests)
def draft_delivery_view(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk, number, write=True)
    delivery_form = DeliveryForm(request.POST or None, prefix="delivery")
    if request.method == "POST" and delivery_form.is_valid():
        data = delivery_form.cleaned_data
        recorded = _apply(
            delivery_form,
            lambda: draft_record_delivery(draft=draft, at=data["at"], how=data["note"], user=request.user),
        )
        if recorded:
            messages.success(request, _("The delivery is recorded."))
            return redirect(draft.request)
    form = SendDraftForm(
        initial={"to": draft.request.requester_email, "message": _default_message(draft, request.user)}
    )
    context = {"form": form, "delivery_form": delivery_form, "draft": draft, "service_request": draft.request}
    return render(request, "servicedesk/draft_send.html", context, status=200 if request.method == "GET" else 400)


def _sign_initial(service_request: ServiceRequest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    latest = service_request.drafts.order_by("-number").first()
    values = latest.context if latest is not None else {}
    kind = values.get("document_kind") or service_request.document_kind or "mou"
    today = timezone.localdate()
    start = dt.date.fromisoformat(values["start_date"]) if values.get("start_date") else today
    years = int(values.get("duration_years") or settings.SIMKERMA_DRAFT_DEFAULT_YEARS)
    end = (
        dt.date.fromisoformat(values["end_date"])
        if values.get("end_date")
        else years_later(start, years) - dt.timedelta(days=1)
    )
    partner = service_request.partner
    initial = {
        "kind": kind,
        "number": agreement_suggest_number(kind=kind, on=today),
        "partner_number": values.get("partner_number", ""),
        "title": values.get("title") or service_request.subject,
        "partners": [partner.pk] if partner else [],
        "level": Level.INTERNASIONAL if partner and partner.country.code != "ID" else Level.NASIONAL,
        "scope": values.get("scope") or service_request.scope,
        "start_date": start,
        "end_date": end,
        "signed_on": today,
    }
    signatories = []
    if values.get("institution_signatory_name"):
        signatories.append(
            {
                "side": Signatory.Side.INSTITUTION,
                "name": values["institution_signatory_name"],
                "position": values.get("institution_signatory_position", ""),
                "organisation": settings.SIMKERMA_INSTITUTION_NAME,
            }
        )
    if values.get("partner_signatory_name"):
        signatories.append(
            {
                "side": Signatory.Side.PARTNER,
                "name": values["partner_signatory_name"],
                "position": values.get("partner_signatory_position", ""),
                "organisation": values.get("partner_name", ""),
            }
        )
    return initial, signatories


@require(can_handle_requests)
def request_sign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Confirm the signed agreement (number, dates, partners…): it is created and the request closes."""
    service_request = get_request_for_user(request, pk, write=True)
    problem = stage_change_problem(service_request, Stage.DITANDATANGANI, signing=True)
    if problem:
        messages.error(request, problem)
        return redirect(service_request)
    initial, signatories = _sign_initial(service_request)
    if request.method == "POST":
        form = AgreementForm(request.POST, request.FILES, instance=Agreement(), user=request.user)
        # Without `initial`, a prefilled signatory counts as changed and is saved.
        formset = SignatoryFormSet(request.POST, instance=Agreement(), prefix="signatories")
        if form.is_valid() and formset.is_valid():
            try:
                saved = service_request_sign(
                    request=service_request, agreement=form.to_data(formset), user=request.user
                )
            except ValidationError as error:
                form.refuse(error)
            else:
                messages.success(
                    request, _("Agreement %(number)s recorded; the request is signed.") % {"number": saved.obj.number}
                )
                for warning in saved.warnings:
                    messages.warning(request, warning)
                return redirect(service_request)
    else:
        form = AgreementForm(instance=Agreement(), initial=initial, user=request.user)
        formset = SignatoryFormSet(instance=Agreement(), prefix="signatories", initial=signatories)
    context = {"form": form, "formset": formset, "service_request": service_request}
    return render(request, "servicedesk/sign_form.html", context)
