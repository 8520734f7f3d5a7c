from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from simkerma.accounts import selectors
from simkerma.accounts.forms import AccountFilterForm, AccountForm, InvitationPasswordForm, ThrottledPasswordResetForm
from simkerma.accounts.models import User
from simkerma.accounts.permissions import can_deactivate, can_manage_account, can_manage_accounts, require
from simkerma.accounts.profile import profile_sections
from simkerma.accounts.selectors import AccountStatus, account_status
from simkerma.accounts.services import (
    InvitationProblem,
    account_deactivate,
    account_invite,
    account_reactivate,
    account_update,
    invitation_accept,
    invitation_for,
    invitation_resend,
)
from simkerma.accounts.throttle import WINDOW_SECONDS, reset_allowed_from
from simkerma.core.history import history_page
from simkerma.core.http import AuthedHttpRequest


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account: who they are in Simkerma, and the sections other apps add."""
    sections = []
    for section in profile_sections():
        values = section.func(request)
        if values is not None:
            sections.append((section, values))
    return render(request, "accounts/profile.html", {"sections": sections})


def get_account_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> User:
    """The one place that decides whether this user may see or change this account."""
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    account = get_object_or_404(User.objects.select_related("unit", "prodi"), pk=pk)
    if write and not can_manage_account(request.user, account):
        raise PermissionDenied
    return account


@require(can_manage_accounts)
def account_list(request: AuthedHttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET)
    form.is_valid()  # a search too long is said, and the list shows every account of the role chosen
    accounts = selectors.account_list(user=request.user, filters=form.to_filters())
    page = Paginator(accounts, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(account, AccountStatus(account_status(account))) for account in page]
    return render(request, "accounts/account_list.html", {"form": form, "page_obj": page, "rows": rows})


@require(can_manage_accounts)
def account_create(request: AuthedHttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=User(), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sent = account_invite(data=form.to_data(), user=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for %(hours)s hours.")
                % {"email": sent.account.email, "hours": settings.SIMKERMA_INVITATION_HOURS},
            )
            return redirect(sent.account)
    context = {"form": form, "account": None, "invitation_hours": settings.SIMKERMA_INVITATION_HOURS}
    return render(request, "accounts/account_form.html", context)


@require(can_manage_accounts)
def account_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request, pk)
    context = {
        "account": account,
        "status": AccountStatus(account_status(account)),
        "invitations": account.invitations.select_related("created_by")[:10],
        "can_edit": can_manage_account(request.user, account),
        "can_deactivate": can_deactivate(request.user, account),
    }
    return render(request, "accounts/account_detail.html", context)


@require(can_manage_accounts)
def account_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request, pk, write=True)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_update(account=account, data=form.to_data(), user=request.user)
        except ValidationError as error:
            account.refresh_from_db()
            form.add_service_error(error)
        else:
            messages.success(request, _("Saved: %(obj)s") % {"obj": account.display_name})
            return redirect(account)
    return render(request, "accounts/account_form.html", {"form": form, "account": account})


def _refused(request: HttpRequest, account: User, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(account)


@require_POST
@require(can_manage_accounts)
def account_deactivate_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request, pk, write=True)
    account_deactivate(account=account, user=request.user)
    messages.success(request, _("%(name)s can no longer log in.") % {"name": account.display_name})
    return redirect(account)


@require_POST
@require(can_manage_accounts)
def account_reactivate_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request, pk, write=True)
    account_reactivate(account=account, user=request.user)
    messages.success(request, _("%(name)s can log in again.") % {"name": account.display_name})
    return redirect(account)


@require_POST
@require(can_manage_accounts)
def account_invitation_resend(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request, pk, write=True)
    try:
        sent = invitation_resend(account=account, user=request.user)
    except ValidationError as error:
        return _refused(request, account, error)
    messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": sent.account.email})
    return redirect(account)


@require(can_manage_accounts)
def account_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_account_for_user(request, pk))


def _invitation_refused(request: HttpRequest, problem: str) -> HttpResponse:
    status = 404 if problem == "unknown" else 410
    return render(request, "accounts/invitation_problem.html", {"problem": problem}, status=status)


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: set the first password, then log in."""
    try:
        invitation = invitation_for(token)
    except InvitationProblem as refused:
        return _invitation_refused(request, refused.problem)
    account = invitation.user
    form = InvitationPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except InvitationProblem as refused:
            return _invitation_refused(request, refused.problem)
        except ValidationError as error:
            form.add_error("new_password2", error.message_dict.get("password", error.messages))
        else:
            messages.success(request, _("Your password is set. Log in with your username and the new password."))
            return redirect("login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "account": account, "invitation": invitation}
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot password", limited per client and per address, with links to SIMKERMA_BASE_URL.

    The page after it says the same whether or not an account has the address.
    """

    form_class = ThrottledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reset_allowed_from(request):
            return _too_many(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        # The link's host comes from the settings, never from the request's Host header.
        self.extra_email_context = {
            "base_url": settings.SIMKERMA_BASE_URL.rstrip("/"),
            "institution_name": settings.SIMKERMA_INSTITUTION_NAME,
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A new password also lifts a lock-out from earlier failed log-ins.
        axes_reset(username=form.user.get_username())
        return response
