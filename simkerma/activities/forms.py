from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from simkerma.accounts.models import User
from simkerma.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CoordinationRecord,
    FollowUpTask,
    assignable_people,
    validity_warning,
)
from simkerma.agreements.forms import DateInput
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.search import SearchField
from simkerma.core.widgets import PickerWidget
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import PartnerContact


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def people() -> Any:
    """Accounts that can be named as a person in charge, attendee or assignee: active, with a role."""
    return User.objects.filter(is_active=True).exclude(role="").order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class ActivityForm(VersionedFormMixin, OneTimeTokenFormMixin, forms.ModelForm):
    submission_purpose = "activities.activity"

    class Meta:
        model = Activity
        fields = [
            "agreement",
            "code",
            "title",
            "kind",
            "field",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "place",
            "online_link",
            "pic",
            "partner_contact",
            "partner_pic",
            "units",
            "prodi",
            "expected_students",
            "expected_lecturers",
            "benefit",
            "evidence",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "units": forms.CheckboxSelectMultiple,
            "prodi": forms.CheckboxSelectMultiple,
            "benefit": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"code": {"unique": _("This code is already used by another activity.")}}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: list[str] = []
        self.fields["code"].required = False
        self.fields["agreement"].widget = PickerWidget(
            search_url=str(reverse_lazy("activities:pick_agreement")), model=Agreement, multiple=False
        )
        self.fields["pic"] = PersonChoiceField(
            queryset=people(), required=False, label=Activity._meta.get_field("pic").verbose_name
        )
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = Unit.objects.order_by("kind", "code")
        cast(forms.ModelMultipleChoiceField, self.fields["prodi"]).queryset = Prodi.objects.order_by("code")
        cast(forms.ModelChoiceField, self.fields["partner_contact"]).queryset = self._contacts()

    def _agreement_pk(self) -> str:
        value = self.data.get("agreement") if self.is_bound else None
        if value is None:
            value = self.initial.get("agreement") or self.instance.agreement_id
        return str(value or "")

    def _contacts(self) -> Any:
        pk = self._agreement_pk()
        if not pk.isdigit():
            return PartnerContact.objects.none()
        return PartnerContact.objects.filter(partner__agreements__pk=pk).select_related("partner").order_by("name")

    def clean_code(self) -> str:
        code = "".join((self.cleaned_data.get("code") or "").split())
        # An activity keeps its code when the field is emptied on edit: codes are natural keys.
        return code or (self.instance.code if self.instance.pk else "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_dates(cleaned)
        agreement: Agreement | None = cleaned.get("agreement")
        if agreement is not None:
            self._check_scope(cleaned, agreement)
            self._warn(cleaned, agreement)
        return cleaned

    def _check_dates(self, cleaned: dict[str, Any]) -> None:
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date (%(end)s) is before the start date (%(start)s).")
                % {"end": date_format(end), "start": date_format(start)},
            )
        if end_time and not start_time:
            self.add_error("end_time", _("Give the start time too, or leave both times empty for an all-day activity."))
        elif start and start_time and end_time and (end or start) == start and end_time <= start_time:
            self.add_error("end_time", _("The end time must be after the start time."))

    def _check_scope(self, cleaned: dict[str, Any], agreement: Agreement) -> None:
        user = self.user
        if user is None or not user.is_unit_scoped:
            return
        if not agreement.names_unit(user.unit_id):
            self.add_error(
                "agreement",
                _("You can only plan activities under agreements that name your unit (%(unit)s).")
                % {"unit": user.unit},
            )
            return
        units = list(cleaned.get("units") or []) or list(agreement.units.all())
        prodi = list(cleaned.get("prodi") or []) or list(agreement.prodi.all())
        if not any(u.pk == user.unit_id for u in units) and not any(p.unit_id == user.unit_id for p in prodi):
            self.add_error(
                "units",
                _("The activity must name your own unit (%(unit)s) or one of its study programmes.")
                % {"unit": user.unit},
            )

    def _warn(self, cleaned: dict[str, Any], agreement: Agreement) -> None:
        contact = cleaned.get("partner_contact")
        if contact is not None and not agreement.partners.filter(pk=contact.partner_id).exists():
            self.add_error("partner_contact", _("This contact belongs to a partner outside the agreement."))
        start = cleaned.get("start_date")
        if start:
            warning = validity_warning(agreement, start, cleaned.get("end_date"))
            if warning:
                self.warnings.append(warning)
        field = cleaned.get("field")
        if field and field not in agreement.fields:
            self.warnings.append(
                _("The field %(field)s is not among the fields of agreement %(number)s (%(fields)s).")
                % {"field": Field(field).label, "number": agreement.number, "fields": ", ".join(agreement.field_labels)}
            )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=ActivityStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ActivityStatus.choices])
    field = forms.ChoiceField(label=_("Field"), required=False, choices=[("", _("All")), *Field.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ActivityKind.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.order_by("code"))
    agreement = forms.ModelChoiceField(
        label=_("Agreement"), required=False, queryset=Agreement.objects.all(), widget=forms.HiddenInput
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.label_from_instance = lambda u: u.code  # type: ignore[method-assign,assignment]

    def filter(self, qs: Any) -> Any:
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.search(data["q"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("field"):
            qs = qs.filter(field=data["field"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("unit"):
            qs = qs.for_unit(data["unit"])
        if data.get("agreement"):
            qs = qs.filter(agreement=data["agreement"])
        if data.get("year"):
            qs = qs.in_year(data["year"])
        return qs


class CoordinationForm(VersionedFormMixin, OneTimeTokenFormMixin, forms.ModelForm):
    submission_purpose = "activities.coordination"

    class Meta:
        model = CoordinationRecord
        fields = [
            "kind",
            "held_at",
            "ends_at",
            "mode",
            "place",
            "internal_attendees",
            "internal_attendees_text",
            "partner_attendees",
            "agenda",
            "minutes",
            "decisions",
        ]
        widgets = {
            "held_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "internal_attendees_text": forms.Textarea(attrs={"rows": 2}),
            "partner_attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["internal_attendees"] = PeopleChoiceField(
            queryset=people(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=CoordinationRecord._meta.get_field("internal_attendees").verbose_name,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("held_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class TaskForm(forms.ModelForm):
    class Meta:
        model = FollowUpTask
        fields = ["title", "assignee", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = PersonChoiceField(
            queryset=assignable_people().order_by("first_name", "last_name", "username"),
            label=FollowUpTask._meta.get_field("assignee").verbose_name,
            help_text=_("Only people who may act on the task: the cooperation team, coordinators and P3M."),
        )

    def clean_due_date(self) -> dt.date:
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate() - dt.timedelta(days=365):
            raise forms.ValidationError(_("The due date is more than a year in the past."))
        return due


# Follow-up tasks entered together with a coordination record; untouched rows are skipped.
CoordinationTaskFormSet = forms.formset_factory(TaskForm, extra=2, max_num=20, validate_max=True)


class SingleTaskForm(OneTimeTokenFormMixin, TaskForm):
    """A task added on its own page, sent once however often the form is posted."""

    submission_purpose = "activities.task"
