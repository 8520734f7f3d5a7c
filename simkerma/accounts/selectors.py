from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from simkerma.accounts.models import Role, User, UserQuerySet
from simkerma.accounts.permissions import can_manage_accounts


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INVITED = "invited", _("Invited, no password yet")
    INACTIVE = "inactive", _("Deactivated")


def account_status(account: User) -> str:
    if not account.is_active:
        return AccountStatus.INACTIVE
    return AccountStatus.ACTIVE if account.has_usable_password() else AccountStatus.INVITED


@dataclass(frozen=True, kw_only=True)
class AccountFilters:
    """What the account list is narrowed to; empty values narrow nothing."""

    q: str = ""
    role: str = ""
    status: str = ""


def account_list(*, user: Any, filters: AccountFilters) -> UserQuerySet:
    """The accounts of the list, by username, with their unit and prodi."""
    if not can_manage_accounts(user):
        raise PermissionDenied
    accounts = User.objects.search(filters.q) if filters.q else User.objects.all()
    if filters.role in Role.values:
        accounts = accounts.filter(role=filters.role)
    no_password = models.Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if filters.status == AccountStatus.ACTIVE:
        accounts = accounts.filter(is_active=True).exclude(no_password)
    elif filters.status == AccountStatus.INVITED:
        accounts = accounts.filter(no_password, is_active=True)
    elif filters.status == AccountStatus.INACTIVE:
        accounts = accounts.filter(is_active=False)
    return accounts.select_related("unit", "prodi").order_by("username", "pk")
