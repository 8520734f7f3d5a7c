"""The profile page's API tokens: made and revoked with POST forms (CSRF), the secret shown once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.api.forms import TokenForm
from simkerma.api.models import ApiToken
from simkerma.api.services import can_have_tokens, token_create, token_revoke, tokens_of


def token_section(request: HttpRequest, form: TokenForm | None = None) -> dict[str, Any] | None:
    """The profile page's section: the person's tokens and the form for a new one (None without a role)."""
    if not can_have_tokens(request.user):
        return None
    return {"tokens": tokens_of(request.user), "token_form": form or TokenForm()}


@require_POST
@login_required
def token_create_view(request: HttpRequest) -> HttpResponse:
    if not can_have_tokens(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            issued = token_create(user=request.user, data=form.to_data(timezone.now()))
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            # Answered here, not after a redirect: the secret is never kept anywhere to be shown again.
            response = render(request, "api/token_created.html", {"token": issued.token, "secret": issued.secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api/token_form_page.html", {"values": token_section(request, form)}, status=400)


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is not shown to exist.
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    token_revoke(token=token, user=request.user)
    messages.success(
        request, _("Token %(name)s revoked: requests with it are refused from now on.") % {"name": token.name}
    )
    return redirect("profile")
