from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from simkerma.api.data import TokenData

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("", _("Never (until revoked)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the system that uses it.")
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        initial=True,
        help_text=_("A read-only token cannot send in service requests."),
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90")

    def to_data(self, now: dt.datetime) -> TokenData:
        days = self.cleaned_data.get("expires") or ""
        return TokenData(
            name=self.cleaned_data["name"],
            read_only=bool(self.cleaned_data.get("read_only")),
            expires_at=now + dt.timedelta(days=int(days)) if days else None,
        )
