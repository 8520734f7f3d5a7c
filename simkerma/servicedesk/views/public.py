"""The pages that need no account: the request form, its thanks page and the tracking page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from simkerma.core.concurrency import AlreadySubmitted
from simkerma.core.middleware import max_body_bytes
from simkerma.servicedesk.forms import PublicRequestForm
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.ratelimit import hit, hit_key
from simkerma.servicedesk.services import service_request_create


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(settings.SIMKERMA_PUBLIC_FORM_WINDOW)
    return response


def _views_allowed(request: HttpRequest) -> bool:
    return hit(
        request,
        scope="public-view",
        limit=int(settings.SIMKERMA_PUBLIC_VIEW_LIMIT),
        window=int(settings.SIMKERMA_PUBLIC_VIEW_WINDOW),
    )


def _submission_allowed(request: HttpRequest) -> bool:
    return hit(
        request,
        scope="public-form",
        limit=int(settings.SIMKERMA_PUBLIC_FORM_LIMIT),
        window=int(settings.SIMKERMA_PUBLIC_FORM_WINDOW),
    )


def _receipt_allowed(request: HttpRequest, email: str) -> bool:
    """A receipt goes out only while both the sending address and the recipient are under their limits."""
    window = int(settings.SIMKERMA_RECEIPT_WINDOW)
    return hit(
        request, scope="receipt-from", limit=int(settings.SIMKERMA_RECEIPTS_PER_ADDRESS), window=window
    ) and hit_key(email, scope="receipt-to", limit=int(settings.SIMKERMA_RECEIPTS_PER_RECIPIENT), window=window)


@max_body_bytes(lambda: int(settings.SIMKERMA_PUBLIC_FORM_MAX_BYTES))
@never_cache
def public_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not _submission_allowed(request):
            return _too_many(request)
        form = PublicRequestForm(request.POST)
        if form.is_bot:
            # Answer as if it worked, so the bot learns nothing; nothing is saved.
            return redirect("servicedesk:public_thanks")
        if (done := form.replayed()) is not None:
            return redirect("servicedesk:public_sent", token=done.token)
        if form.is_valid():
            try:
                data = form.to_data()
                service_request = service_request_create(
                    data=data, token=form.submission_token, send_receipt=_receipt_allowed(request, data.requester_email)
                )
            except AlreadySubmitted as error:
                if error.obj is None:
                    return redirect("servicedesk:public_thanks")
                return redirect("servicedesk:public_sent", token=error.obj.token)
            return redirect("servicedesk:public_sent", token=service_request.token)
    else:
        if not _views_allowed(request):
            return _too_many(request)
        form = PublicRequestForm()
    return render(request, "servicedesk/public_form.html", {"form": form})


def public_thanks(request: HttpRequest, token: str = "") -> HttpResponse:
    service_request = None
    if token:
        if not _views_allowed(request):
            return _too_many(request)
        service_request = ServiceRequest.objects.filter(token=token).only("code", "token", "subject").first()
        if service_request is None:
            raise Http404
    return render(request, "servicedesk/public_thanks.html", {"service_request": service_request})


@never_cache
def track(request: HttpRequest, token: str) -> HttpResponse:
    if not _views_allowed(request):
        return _too_many(request)
    service_request = ServiceRequest.objects.select_related("agreement").filter(token=token).first()
    if service_request is None:
        raise Http404
    context = {
        "service_request": service_request,
        "stages": service_request.stage_changes.order_by("changed_at", "pk"),
        "drafts_sent": service_request.drafts.filter(sent_at__isnull=False).order_by("sent_at"),
    }
    response = render(request, "servicedesk/track.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
