"""Which partner a public request comes from.

Anyone may type a partner's name into the public form, and a request linked to a partner has
its drafts sent to the requester's address. So a name alone never links: it only suggests the
partner, and staff confirm on the request page. A request is linked at intake only when the
requester's e-mail address is the partner's own or one of its contacts', and names one partner.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from simkerma.core.history import change_reason, reason_template
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.names import name_key
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.permissions import can_handle_requests

PARTNER_CONFIRMED = reason_template(gettext_noop("partner confirmed"))


def partner_by_contact_email(email: str) -> Partner | None:
    """The one partner whose own or contact address is `email`; None when none or several are."""
    email = email.strip()
    if not email:
        return None
    contact = PartnerContact.objects.filter(partner_id=OuterRef("pk"), email__iexact=email)
    matches = list(Partner.objects.filter(Q(email__iexact=email) | Exists(contact)).order_by("pk")[:2])
    return matches[0] if len(matches) == 1 else None


def partner_suggestion(request: ServiceRequest) -> Partner | None:
    """A partner registered under the organisation's name (ignoring "PT", case, punctuation), to confirm."""
    if request.partner_id or not request.from_partner:
        return None
    key = name_key(request.requester_organisation)
    if not key:
        return None
    return Partner.objects.filter(name_key=key).order_by("pk").first()


@transaction.atomic
def service_request_confirm_partner(*, request: ServiceRequest, partner: Partner, user: Any) -> ServiceRequest:
    """Staff confirm that the request comes from `partner`."""
    if not can_handle_requests(user):
        raise PermissionDenied
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if locked.partner_id and locked.partner_id != partner.pk:
        raise ValidationError(_("This request is already linked to another partner."), code="linked")
    locked.partner = partner
    locked.from_partner = True
    locked._change_reason = change_reason(PARTNER_CONFIRMED)  # type: ignore[attr-defined]
    locked.save(update_fields=["partner", "from_partner", "updated_at"])
    request.partner = partner
    request.from_partner = True
    return request
