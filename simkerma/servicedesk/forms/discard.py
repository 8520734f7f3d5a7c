"""Discarding a request as spam or invalid, and taking a discard back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simkerma.servicedesk.models import DiscardKind


class DiscardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Discard as"), choices=DiscardKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the request's history and in the list of discarded requests."),
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
