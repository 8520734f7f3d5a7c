"""Who may do what in the service desk.

Every role reads requests and reports; Tim Kerjasama (staff, Kapokja, administrator) handles them;
coordinators and P3M may also log requests that reached them; only the administrator uploads
draft templates. The public form and the tracking page need no account.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from simkerma.accounts.models import Role
from simkerma.accounts.permissions import can_read
from simkerma.servicedesk.models import Breach, DraftVersion, ServiceRequest


def can_log_request(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_team or user.is_unit_scoped))


def can_handle_requests(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_team)


def can_manage_calendar(user: Any) -> bool:
    return can_handle_requests(user)


def can_manage_templates(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role and user.role == Role.ADMIN)


def get_request_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> ServiceRequest:
    """The one place that decides whether this user may see or handle this service request."""
    allowed = can_handle_requests(request.user) if write else can_read(request.user)
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(
        ServiceRequest.objects.select_related("partner", "agreement", "assigned_to", "logged_by", "calendar_version"),
        pk=pk,
    )


def get_draft_for_user(request: HttpRequest, pk: int, number: int, *, write: bool = False) -> DraftVersion:
    service_request = get_request_for_user(request, pk, write=write)
    draft = get_object_or_404(DraftVersion.objects.select_related("created_by"), request=service_request, number=number)
    draft.request = service_request
    return draft


def get_breach_for_user(request: HttpRequest, pk: int, breach_pk: int) -> Breach:
    service_request = get_request_for_user(request, pk, write=True)
    breach = get_object_or_404(Breach, request=service_request, pk=breach_pk)
    breach.request = service_request
    return breach
