from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from simkerma.agreements.models import Agreement, normalise_number
from simkerma.agreements.selectors import AgreementFilters, TreeNode, agreement_list, agreement_tree
from simkerma.api.errors import invalid
from simkerma.api.paging import page_of
from simkerma.api.schemas import MAX_ID, AgreementOut, AgreementPage, AgreementQuery, Error, NumberQuery, TreeNodeOut
from simkerma.org.models import Prodi, Unit

router = Router(tags=["Agreements"])
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error}


def _rows(request: HttpRequest, filters: AgreementFilters) -> Any:
    """The selector's rows with what the answer shows: the units, prodi and children, one query each."""
    return agreement_list(user=request.user, filters=filters).prefetch_related(
        Prefetch("units", queryset=Unit.objects.only("pk", "code")),
        Prefetch("prodi", queryset=Prodi.objects.only("pk", "code", "unit_id")),
        Prefetch("children", queryset=Agreement.objects.only("pk", "number", "parent_id").order_by("number", "pk")),
    )


def _filters(query: AgreementQuery) -> AgreementFilters:
    unit = prodi = None
    if query.unit is not None and (unit := Unit.objects.filter(code=query.unit).first()) is None:
        raise invalid(("query", "unit"), f"No unit has the code {query.unit!r}.")
    if query.prodi is not None and (prodi := Prodi.objects.filter(code=query.prodi).first()) is None:
        raise invalid(("query", "prodi"), f"No study programme has the code {query.prodi!r}.")
    return AgreementFilters(
        q=query.q,
        status=query.status or "",
        kind=query.kind or "",
        level=query.level or "",
        field=query.field or "",
        unit=unit,
        prodi=prodi,
        partner=query.partner,
        year=query.year,
        sort=query.sort,
    )


@router.get("", response={200: AgreementPage, 401: Error, 403: Error, 422: Any}, summary="List agreements")
def list_agreements(request: HttpRequest, query: Query[AgreementQuery]) -> dict[str, Any]:
    """The agreements with the filters of the agreement list: words, status today, kind, level, field,
    unit and prodi (by code), partner (words of its name or code), the year in force, and the sort."""
    return page_of(request, _rows(request, _filters(query)), query)


def _one(request: HttpRequest, **lookup: Any) -> Agreement:
    found: Agreement | None = _rows(request, AgreementFilters()).filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@router.get("/by-number", response={200: AgreementOut, **ERRORS}, summary="Find an agreement by its number")
def agreement_by_number(
    request: HttpRequest,
    lookup: Query[NumberQuery],
) -> Agreement:
    """The agreement with this institution number, regardless of case and spacing. A number holds
    slashes, so it is a query parameter: `/agreements/by-number?number=001/MOU.PL29/III/2025`."""
    return _one(request, number__iexact=normalise_number(lookup.number))


@router.get("/{int:agreement_id}", response={200: AgreementOut, **ERRORS}, summary="Read an agreement")
def agreement_detail(request: HttpRequest, agreement_id: int = Path(..., ge=1, le=MAX_ID)) -> Agreement:
    """One agreement by id, with its parent and the agreements hanging under it."""
    return _one(request, pk=agreement_id)


def _node(node: TreeNode) -> dict[str, Any]:
    agreement = node.agreement
    return {
        "id": agreement.pk,
        "number": agreement.number,
        "kind": agreement.kind,
        "title": agreement.title,
        "status": agreement.status,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "partners": [
            {"id": p.pk, "name": p.name} for p in sorted(agreement.partners.all(), key=lambda p: (p.name, p.pk))
        ],
        "children": [_node(child) for child in node.children],
    }


@router.get("/{int:agreement_id}/tree", response={200: TreeNodeOut, **ERRORS}, summary="Read an agreement's tree")
def agreement_tree_of(request: HttpRequest, agreement_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """The whole MoU → MoA → IA tree the agreement belongs to, from its root, as on the agreement's page."""
    return _node(agreement_tree(_one(request, pk=agreement_id)))
