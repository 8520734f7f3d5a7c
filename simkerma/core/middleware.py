from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

ViewFunc = Callable[..., HttpResponse]


class IndonesianFirstMiddleware:
    """Bahasa Indonesia unless the user chose another language in the header.

    The browser's Accept-Language is ignored: an office PC set to English still gets the
    Indonesian UI, and English is one click away (the choice is kept in the language cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


def max_body_bytes(limit: Callable[[], int]) -> Callable[[ViewFunc], ViewFunc]:
    """View decorator: refuse a request body larger than limit() bytes with 413, before it is read.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE is one limit for the whole site; a form that needs no
    files (the public request form) takes far less. BodyLimitMiddleware does the check, ahead
    of the CSRF middleware, which would otherwise parse the body first.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        view.max_body_bytes = limit  # type: ignore[attr-defined]
        return view

    return decorator


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: ViewFunc, args: Any, kwargs: Any) -> HttpResponse | None:
        limit = getattr(view, "max_body_bytes", None)
        if limit is None:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit():
            return render(request, "413.html", status=413)
        return None


class NotAllowedPageMiddleware:
    """Our own page for 405: Django's require_POST and friends answer with an empty body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
