"""Forms of intake and of the actions on a request."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simkerma.accounts.models import TEAM_ROLES, User
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.dates import validate_date_range
from simkerma.core.search import SearchField
from simkerma.core.validators import validate_phone
from simkerma.core.widgets import DateTimeInput, PickerWidget
from simkerma.partners.models import Partner
from simkerma.servicedesk.forms.common import not_future, now_minute
from simkerma.servicedesk.models import (
    DRAFT_KINDS,
    STAGE_ORDER,
    Channel,
    RequestKind,
    ServiceRequest,
    Stage,
)
from simkerma.servicedesk.partner_link import partner_by_contact_email
from simkerma.servicedesk.rules import check_stage_change
from simkerma.servicedesk.selectors import RequestFilters
from simkerma.servicedesk.services import ServiceRequestData


def _team_choices(field: forms.ModelChoiceField) -> None:
    field.queryset = User.objects.filter(role__in=TEAM_ROLES, is_active=True).order_by("first_name", "username")
    field.label_from_instance = lambda u: u.display_name  # type: ignore[method-assign,assignment]


# The fields both intake forms send; the rest of ServiceRequestData comes from the form's door.
REQUESTER_FIELDS = (
    "requester_name",
    "requester_position",
    "requester_organisation",
    "requester_email",
    "requester_whatsapp",
    "partner_pic",
)
WANTED_FIELDS = ("kind", "document_kind", "subject", "scope", "message")
REQUEST_FIELDS = (*REQUESTER_FIELDS, *WANTED_FIELDS)


class RequestFieldsMixin:
    """Rules shared by the public form and the staff intake form (the cross-field ones are on the model)."""

    cleaned_data: dict[str, Any]

    def clean_requester_whatsapp(self) -> str:
        value = self.cleaned_data.get("requester_whatsapp", "").strip()
        validate_phone(value)
        return value

    def clean_scope(self) -> str:
        lines = [line.strip() for line in self.cleaned_data.get("scope", "").splitlines()]
        return "\n".join(line for line in lines if line)

    def _request_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in REQUEST_FIELDS}
        if values["kind"] not in DRAFT_KINDS:
            values["document_kind"] = ""
        return values


# The anonymous form's free text is bounded: a flood must not store megabytes per submission.
PUBLIC_TEXT_LIMITS = {"scope": 2000, "message": 4000, "website": 200}


def bound_text_field(field: forms.Field, limit: int) -> None:
    assert isinstance(field, forms.CharField)
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class PublicRequestForm(OneTimeTokenFormMixin, RequestFieldsMixin, forms.ModelForm):
    """The form partners and staff fill in without an account."""

    submission_purpose = "servicedesk.request"

    WHO_CHOICES = [
        ("mitra", _("A partner organisation (or one that wants to become one)")),
        ("internal", _("A unit of the institution")),
    ]
    who = forms.ChoiceField(label=_("I am writing for"), choices=WHO_CHOICES, widget=forms.RadioSelect)
    # A field people never see; bots that fill every field fill it too.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    class Meta:
        model = ServiceRequest
        fields = list(REQUEST_FIELDS)
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "partner_pic": _("Name and contact of the person in charge at the partner, if not you."),
            "scope": _("What the cooperation covers, one item per line (e.g. internships, guest lectures)."),
        }

    field_order = ["who", *REQUEST_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("requester_position", "requester_organisation", "requester_email"):
            self.fields[name].required = True
        for name, limit in PUBLIC_TEXT_LIMITS.items():
            bound_text_field(self.fields[name], limit)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def to_data(self) -> ServiceRequestData:
        from_partner = self.cleaned_data["who"] == "mitra"
        values = self._request_values()
        return ServiceRequestData(
            **values,
            channel=Channel.WEB,
            from_partner=from_partner,
            received_at=timezone.now(),
            # Linked only by the partner's own address; a name is a suggestion staff confirm.
            partner=partner_by_contact_email(values["requester_email"]) if from_partner else None,
        )


class StaffRequestForm(VersionedFormMixin, OneTimeTokenFormMixin, RequestFieldsMixin, forms.ModelForm):
    """A request that reached the office by e-mail, WhatsApp, phone, in person or by letter."""

    submission_purpose = "servicedesk.request"

    class Meta:
        model = ServiceRequest
        fields = [
            "channel",
            "received_at",
            "kind",
            "document_kind",
            "subject",
            "scope",
            "message",
            "from_partner",
            "partner",
            "requester_name",
            "requester_position",
            "requester_organisation",
            "requester_email",
            "requester_whatsapp",
            "partner_pic",
            "assigned_to",
        ]
        widgets = {
            "received_at": DateTimeInput(),
            "scope": forms.Textarea(attrs={"rows": 4}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "received_at": _("When the request really came in (WIB), not when it is typed in here."),
            "from_partner": _("The request comes from a partner: the 1-day follow-up clock applies."),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = now_minute
        self.fields["partner"].widget = PickerWidget(
            search_url=str(reverse_lazy("servicedesk:pick_partner")), model=Partner, multiple=False
        )
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = Partner.objects.all()
        _team_choices(cast(forms.ModelChoiceField, self.fields["assigned_to"]))
        if user is not None and not user.is_team:
            del self.fields["assigned_to"]

    def clean_received_at(self) -> dt.datetime:
        return not_future(self.cleaned_data["received_at"])

    def to_data(self) -> ServiceRequestData:
        cleaned = self.cleaned_data
        return ServiceRequestData(
            **self._request_values(),
            channel=cleaned["channel"],
            received_at=cleaned["received_at"],
            from_partner=cleaned["from_partner"],
            partner=cleaned["partner"],
            # A user who does not assign requests leaves the assignment as it is.
            assigned_to=cleaned.get("assigned_to", self.instance.assigned_to),
        )


class MomentForm(forms.Form):
    """When something happened (default: now), and what was said."""

    at = forms.DateTimeField(label=_("When (WIB)"), widget=DateTimeInput(), validators=[validate_date_range])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = now_minute

    def clean_at(self) -> dt.datetime:
        return not_future(self.cleaned_data["at"])


def offered_stages(request_obj: ServiceRequest) -> list[tuple[str, str]]:
    """The stages a request may move to from the stage form now: the next one, and rejection."""
    if not request_obj.is_cooperation or request_obj.is_final or request_obj.stage not in STAGE_ORDER:
        return []
    following = STAGE_ORDER[STAGE_ORDER.index(request_obj.stage) + 1]
    offered = [following] if following != Stage.DITANDATANGANI else []
    return [(str(value), str(Stage(value).label)) for value in [*offered, Stage.DITOLAK]]


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(
        label=_("Note (the reason, for a rejection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args: Any, request_obj: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        # The list offers only what may be chosen now: the next stage (signing has its own form) and
        # rejection. Any stage still validates, so a stale or crafted choice gets the rule's own message.
        field = cast(forms.ChoiceField, self.fields["to_stage"])
        field.widget.choices = offered_stages(request_obj)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        to_stage = cleaned.get("to_stage")
        if to_stage:
            try:
                check_stage_change(self.request_obj, to_stage, cleaned.get("note", ""))
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class BreachReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("Handled by"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _team_choices(cast(forms.ModelChoiceField, self.fields["assigned_to"]))


class RequestFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All")), *Stage.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *RequestKind.choices])

    def to_filters(self) -> RequestFilters:
        """The filters as chosen; a form that does not validate filters nothing."""
        if not self.is_valid():
            return RequestFilters()
        data = self.cleaned_data
        return RequestFilters(q=data["q"], stage=data["stage"], channel=data["channel"], kind=data["kind"])
