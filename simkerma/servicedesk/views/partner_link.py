"""Staff confirm the partner a public request was suggested to come from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import require
from simkerma.core.http import AuthedHttpRequest
from simkerma.partners.models import Partner
from simkerma.servicedesk.partner_link import partner_suggestion, service_request_confirm_partner
from simkerma.servicedesk.permissions import can_handle_requests, get_request_for_user


@require(can_handle_requests)
@require_POST
def request_confirm_partner(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    service_request = get_request_for_user(request, pk, write=True)
    partner = get_object_or_404(Partner, pk=request.POST.get("partner") or 0)
    suggested = partner_suggestion(service_request)
    if suggested is None or suggested.pk != partner.pk:
        messages.error(
            request, _("This partner is not the one suggested for the request; link it by editing the request.")
        )
        return redirect(service_request)
    try:
        service_request_confirm_partner(request=service_request, partner=partner, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is linked to %(partner)s.") % {"partner": partner.name})
    return redirect(service_request)
