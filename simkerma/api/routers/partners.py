from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from simkerma.api.paging import page_of
from simkerma.api.schemas import MAX_ID, CodeQuery, Error, PartnerOut, PartnerPage, PartnerQuery
from simkerma.partners.models import Partner
from simkerma.partners.selectors import PartnerFilters, partner_list

router = Router(tags=["Partners"])
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error}


def _rows(request: HttpRequest, filters: PartnerFilters) -> Any:
    """The selector's rows with their ministry category, in the same query."""
    return partner_list(user=request.user, filters=filters).select_related("ministry_category")


def _partners(request: HttpRequest) -> Any:
    return _rows(request, PartnerFilters())


@router.get("", response={200: PartnerPage, 401: Error, 403: Error}, summary="List partners")
def list_partners(request: HttpRequest, query: Query[PartnerQuery]) -> dict[str, Any]:
    """The partners, by name, with the filters of the partner list: words (`q`) and kind."""
    filters = PartnerFilters(q=query.q, kind=query.kind or "")
    return page_of(request, _rows(request, filters), query)


@router.get("/by-code", response={200: PartnerOut, **ERRORS}, summary="Find a partner by its code")
def partner_by_code(request: HttpRequest, lookup: Query[CodeQuery]) -> Partner:
    """The partner with this code (exact, as in the workbook's Mitra sheet)."""
    found: Partner | None = _partners(request).filter(code=lookup.code).first()
    if found is None:
        raise Http404
    return found


@router.get("/{int:partner_id}", response={200: PartnerOut, **ERRORS}, summary="Read a partner")
def partner_detail(request: HttpRequest, partner_id: int = Path(..., ge=1, le=MAX_ID)) -> Partner:
    """One partner by id, with its number of agreements."""
    found: Partner | None = _partners(request).filter(pk=partner_id).first()
    if found is None:
        raise Http404
    return found
