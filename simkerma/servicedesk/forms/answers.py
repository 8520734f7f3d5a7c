from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simkerma.servicedesk.messages import Purpose
from simkerma.servicedesk.models import ServiceRequest


def purposes_open(request_obj: ServiceRequest) -> list[tuple[str, str]]:
    """What an answer may be now: the first response or the follow-up while their clock runs, or a message."""
    offered: list[tuple[str, str]] = []
    if request_obj.responded_at is None:
        offered.append((Purpose.RESPONSE.value, str(Purpose.RESPONSE.label)))
    if request_obj.followup_due_at is not None and request_obj.followed_up_at is None:
        offered.append((Purpose.FOLLOWUP.value, str(Purpose.FOLLOWUP.label)))
    offered.append((Purpose.MESSAGE.value, str(Purpose.MESSAGE.label)))
    return offered


class AnswerForm(forms.Form):
    purpose = forms.ChoiceField(label=_("This answer is"), required=False)
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)

    def __init__(self, *args: Any, request_obj: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = purposes_open(request_obj)
        purpose = self.fields["purpose"]
        assert isinstance(purpose, forms.ChoiceField)
        purpose.choices = choices
        self.fields["purpose"].initial = choices[0][0]


class WhatsAppConfirmForm(AnswerForm):
    """The answer as prepared, carried to the confirmation that it was sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].widget = forms.HiddenInput()
        self.fields["body"].widget = forms.HiddenInput()
