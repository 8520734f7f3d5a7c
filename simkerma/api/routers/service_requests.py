from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from simkerma.api.auth import require_write
from simkerma.api.errors import invalid
from simkerma.api.paging import page_of
from simkerma.api.schemas import (
    MAX_ID,
    CodeQuery,
    CreatedRequestOut,
    Error,
    RequestPage,
    RequestQuery,
    ServiceRequestIn,
    ServiceRequestOut,
)
from simkerma.partners.models import Partner
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.selectors import RequestFilters, RequestOrder, request_list, request_list_count
from simkerma.servicedesk.services import ServiceRequestData, service_request_create

router = Router(tags=["Service requests"])
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error}


@router.get("", response={200: RequestPage, 401: Error, 403: Error}, summary="List service requests")
def list_requests(request: HttpRequest, query: Query[RequestQuery]) -> dict[str, Any]:
    """The service requests (discarded ones are left out), with the filters of the request list:
    words, stage, channel and kind; `open_only` for those with a clock still running."""
    filters = RequestFilters(
        q=query.q,
        stage=query.stage or "",
        channel=query.channel or "",
        kind=query.kind or "",
        open_only=query.open_only,
        order=RequestOrder(query.order),
    )
    rows = request_list(user=request.user, filters=filters)
    # The total is the list's own count, cached under the requests' data version (without words).
    return page_of(request, rows, query, count=lambda: request_list_count(user=request.user, filters=filters))


def _one(request: HttpRequest, **lookup: Any) -> ServiceRequest:
    found: ServiceRequest | None = request_list(user=request.user, filters=RequestFilters()).filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@router.get("/by-code", response={200: ServiceRequestOut, **ERRORS}, summary="Find a service request by its code")
def request_by_code(request: HttpRequest, lookup: Query[CodeQuery]) -> ServiceRequest:
    """The service request with this code."""
    return _one(request, code=lookup.code)


@router.get("/{int:request_id}", response={200: ServiceRequestOut, **ERRORS}, summary="Read a service request")
def request_detail(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)) -> ServiceRequest:
    """One service request by id, with the deadlines of its clocks and when each stopped."""
    return _one(request, pk=request_id)


@router.post(
    "", response={201: CreatedRequestOut, 401: Error, 403: Error, 422: Any}, summary="Send in a service request"
)
def create_request(request: HttpRequest, payload: ServiceRequestIn) -> Status[dict[str, Any]]:
    """Register a request that reached another system. It is received now (the server's clock) and
    gets the same clocks as every channel: the first response within 15 working minutes, a draft within
    one working day for draft requests, a follow-up within one working day for a partner's request.

    The token must not be read-only, and its owner must be one who logs requests (Tim Kerjasama,
    coordinators and P3M); others get 403. The requester gets the receipt e-mail with the tracking link."""
    user = require_write(request)
    partner = None
    if payload.partner is not None and (partner := Partner.objects.filter(code=payload.partner).first()) is None:
        raise invalid(("body", "payload", "partner"), f"No partner has the code {payload.partner!r}.")
    data = ServiceRequestData(
        channel=payload.channel,
        kind=payload.kind,
        subject=payload.subject,
        message=payload.message,
        document_kind=payload.document_kind or "",
        scope=payload.scope,
        requester_name=payload.requester_name,
        requester_position=payload.requester_position,
        requester_organisation=payload.requester_organisation,
        requester_email=payload.requester_email,
        requester_whatsapp=payload.requester_whatsapp,
        partner_pic=payload.partner_pic,
        from_partner=payload.from_partner,
        partner=partner,
        received_at=timezone.now(),
    )
    created = service_request_create(data=data, user=user)
    saved = ServiceRequest.objects.select_related("partner").get(pk=created.pk)
    body = ServiceRequestOut.from_orm(saved).model_dump()
    body["tracking_url"] = request.build_absolute_uri(saved.get_tracking_url())
    return Status(201, body)
