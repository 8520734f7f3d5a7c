from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from simkerma.accounts.models import Role, User
from simkerma.accounts.permissions import can_change_role, can_grant_role
from simkerma.accounts.selectors import AccountFilters, AccountStatus
from simkerma.accounts.services import AccountData
from simkerma.accounts.throttle import reset_allowed_to
from simkerma.core.search import SearchField
from simkerma.org.models import Prodi, Unit


class AccountForm(forms.ModelForm):
    """An account's name, address, role and unit; the username only when inviting.

    The roles offered are the ones the signed-in person may grant; a person's own role is shown but
    not changeable.
    """

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "unit", "prodi", "phone"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        if not creating:
            del self.fields["username"]
        self.fields["email"].required = True
        role = self.fields["role"]
        role.required = True
        role.choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (value, label)
            for value, label in Role.choices
            if can_grant_role(user, value) or value == self.instance.role
        ]
        if not creating and not can_change_role(user, self.instance):
            role.disabled = True
        self.fields["unit"].queryset = Unit.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["prodi"].queryset = Prodi.objects.select_related("unit").order_by("code")  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The model's rules run in the service, on every door, and come back here by field.
        pass

    def to_data(self) -> AccountData:
        cleaned = self.cleaned_data
        return AccountData(
            username=cleaned["username"] if "username" in self.fields else self.instance.username,
            first_name=cleaned.get("first_name") or "",
            last_name=cleaned.get("last_name") or "",
            email=(cleaned.get("email") or "").strip(),
            role=cleaned.get("role") or "",
            unit=cleaned.get("unit"),
            prodi=cleaned.get("prodi"),
            phone=cleaned.get("phone") or "",
        )

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal next to its field (or above the form when it names none here)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class AccountFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All")), *Role.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *AccountStatus.choices], required=False)

    def to_filters(self) -> AccountFilters:
        cleaned = getattr(self, "cleaned_data", {})
        return AccountFilters(
            q=cleaned.get("q") or "", role=cleaned.get("role") or "", status=cleaned.get("status") or ""
        )


class InvitationPasswordForm(SetPasswordForm):
    """The first password, typed twice and checked by the password validators."""


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending no more than the hourly limit of mails to one address."""

    def get_users(self, email: str) -> Any:
        if not reset_allowed_to(email):
            return iter(())
        return super().get_users(email)
