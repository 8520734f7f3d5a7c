"""The JSON API at /api/v1: bearer tokens, JSON errors, and the Swagger UI from our own static files."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils import translation
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError

from simkerma.api.auth import TokenAuth
from simkerma.api.errors import field_errors
from simkerma.api.routers import activities, agreements, kpi, partners, service_requests

logger = logging.getLogger(__name__)

DESCRIPTION = """
Simkerma's data for other campus systems: partners, agreements with their MoU → MoA → IA tree,
activities, service requests and the KPIs of a year. Requests for the service desk can be sent in.

**Authentication.** Every call needs a personal token in the header `Authorization: Bearer <token>`.
Make one on your profile page in Simkerma (*Profil → API tokens*); it is shown once. A call runs as
the token's owner, with their role: what the pages show them, the API gives them. A token may be
read-only. A missing, unknown, expired or revoked token gets 401; a call the role or a read-only
token does not allow gets 403.

**Lists** take the same filters as the pages and are paged with `limit` (at most 100) and `offset`;
each page gives `count` and the links `next` and `previous`. The order is stable: ties are broken
by id.

**Errors** are JSON: `{"detail": "..."}`, or for a value that breaks the schema (422) a list of
problems, each naming its place (`loc`) and what is wrong (`msg`).
"""


def _in_english(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API speaks English, whatever the site's language: its messages are read by programs and their authors."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("en"):
            return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Simkerma API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_decorator(_in_english, mode="view")
api.add_router("/partners", partners.router)
api.add_router("/agreements", agreements.router)
api.add_router("/activities", activities.router)
api.add_router("/service-requests", service_requests.router)
api.add_router("/kpi", kpi.router)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "A valid token is required: Authorization: Bearer <token>."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="simkerma"'
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Your role may not do this."}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A rule of the domain refused the values (Model.clean, a service): 422 naming the fields, like a schema error."""
    return api.create_response(request, {"detail": field_errors(exc, ("body", "payload"))}, status=422)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": "Server error."}, status=500)


def _no_such_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def api_urls() -> tuple[list[URLResolver | URLPattern], str, str]:
    """The API's URLs for config/urls.py; a path under /api/v1/ that names no operation is a JSON 404."""
    patterns, app_name, namespace = api.urls
    return [*patterns, re_path(r"^(?P<rest>.*)$", _no_such_path)], app_name, namespace
