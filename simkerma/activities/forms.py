from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from simkerma.accounts.models import User
from simkerma.activities.data import ActivityData, CoordinationData, TaskData
from simkerma.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CoordinationRecord,
    FollowUpTask,
    assignable_people,
)
from simkerma.activities.reporting import CooperationForm
from simkerma.activities.reporting_forms import BaseFundingFormSet
from simkerma.activities.rules import activity_refusals, activity_warnings
from simkerma.activities.selectors import ActivityFilters
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.dates import validate_date_range
from simkerma.core.search import SearchField
from simkerma.core.widgets import DateInput, DateTimeInput, PickerWidget, TimeInput
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import PartnerContact


def people() -> Any:
    """Accounts that can be named as a person in charge, attendee or assignee: active, with a role."""
    return User.objects.filter(is_active=True).exclude(role="").order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


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
            "cooperation_form",
            "duration_years",
            "distinctive",
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
        stored_form = Q(pk=self.instance.cooperation_form_id) if self.instance.cooperation_form_id else Q(pk__in=[])
        cooperation_form = cast(forms.ModelChoiceField, self.fields["cooperation_form"])
        cooperation_form.queryset = CooperationForm.objects.filter(Q(is_active=True) | stored_form)
        cooperation_form.help_text = format_html(
            '{} <a href="{}">{}</a>',
            _("The ministry's form of the activity, for the IKU."),
            reverse("activities:cooperation_forms"),
            _("The list of forms"),
        )

    def _agreement_pk(self) -> str:
        value = self.data.get("agreement") if self.is_bound else None
        if value is None:
            value = self.initial.get("agreement") or self.instance.agreement_id
        return str(value or "")

    def _contacts(self) -> Any:
        pk = self._agreement_pk()
        if not (pk.isascii() and pk.isdigit()):
            return PartnerContact.objects.none()
        return PartnerContact.objects.filter(partner__agreements__pk=pk).select_related("partner").order_by("name")

    def clean_code(self) -> str:
        code = "".join((self.cleaned_data.get("code") or "").split())
        # An activity keeps its code when the field is emptied on edit: codes are natural keys.
        return code or (self.instance.code if self.instance.pk else "")

    def clean(self) -> dict[str, Any]:
        # Dates and times are checked by Activity.clean(); the rules that need the user or the
        # units and prodi are the ones the service holds too.
        cleaned = super().clean() or {}
        agreement: Agreement | None = cleaned.get("agreement")
        if agreement is not None:
            refusals = activity_refusals(
                user=self.user,
                agreement=agreement,
                units=list(cleaned.get("units") or []),
                prodi=list(cleaned.get("prodi") or []),
                partner_contact=cleaned.get("partner_contact"),
            )
            for name, message in refusals.items():
                self.add_error(name, message)
            self.warnings = activity_warnings(
                agreement=agreement,
                start_date=cleaned.get("start_date"),
                end_date=cleaned.get("end_date"),
                field=cleaned.get("field") or "",
            )
        return cleaned

    def to_data(self, funding: BaseFundingFormSet | None = None) -> ActivityData:
        """The activity as typed, with the funds of the formset (None leaves the stored funds)."""
        cleaned = self.cleaned_data
        return ActivityData(
            agreement=cleaned["agreement"],
            code=cleaned.get("code") or "",
            title=cleaned["title"],
            kind=cleaned["kind"],
            field=cleaned["field"],
            start_date=cleaned["start_date"],
            start_time=cleaned.get("start_time"),
            end_date=cleaned.get("end_date"),
            end_time=cleaned.get("end_time"),
            place=cleaned.get("place") or "",
            online_link=cleaned.get("online_link") or "",
            pic=cleaned.get("pic"),
            partner_contact=cleaned.get("partner_contact"),
            partner_pic=cleaned.get("partner_pic") or "",
            units=list(cleaned.get("units") or []),
            prodi=list(cleaned.get("prodi") or []),
            expected_students=cleaned.get("expected_students") or 0,
            expected_lecturers=cleaned.get("expected_lecturers") or 0,
            benefit=cleaned.get("benefit") or "",
            evidence=cleaned.get("evidence") or "",
            cooperation_form=cleaned.get("cooperation_form"),
            duration_years=cleaned.get("duration_years"),
            distinctive=bool(cleaned.get("distinctive")),
            funding=funding.rows(self.instance) if funding is not None else None,
        )

    def check_funding(self, funding: BaseFundingFormSet) -> bool:
        """Check the funds against the activity's dates (the rules the service holds), with each
        message next to its row; True when every row keeps them."""
        cleaned = self.cleaned_data
        if not cleaned.get("start_date"):
            return True
        return funding.check(
            start_date=cleaned["start_date"],
            end_date=cleaned.get("end_date"),
            duration_years=cleaned.get("duration_years"),
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
    on = forms.DateField(label=_("Running on"), required=False, widget=DateInput(), validators=[validate_date_range])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.label_from_instance = lambda u: u.code  # type: ignore[method-assign,assignment]

    def to_filters(self) -> ActivityFilters:
        """The filters as typed; a form that is not valid filters nothing."""
        if not self.is_valid():
            return ActivityFilters()
        data = self.cleaned_data
        return ActivityFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            field=data.get("field") or "",
            kind=data.get("kind") or "",
            unit=data.get("unit"),
            agreement=data.get("agreement"),
            year=data.get("year"),
            on=data.get("on"),
        )


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

    def to_data(self, tasks: Any = None) -> CoordinationData:
        """The record as typed, with the follow-up tasks of the formset (rows left empty are skipped)."""
        cleaned = self.cleaned_data
        return CoordinationData(
            kind=cleaned["kind"],
            held_at=cleaned["held_at"],
            ends_at=cleaned.get("ends_at"),
            mode=cleaned["mode"],
            place=cleaned.get("place") or "",
            internal_attendees=list(cleaned.get("internal_attendees") or []),
            internal_attendees_text=cleaned.get("internal_attendees_text") or "",
            partner_attendees=cleaned.get("partner_attendees") or "",
            agenda=cleaned.get("agenda") or "",
            minutes=cleaned.get("minutes") or "",
            decisions=cleaned.get("decisions") or "",
            tasks=[
                task_form.to_data()
                for task_form in tasks or []
                if task_form.has_changed() and getattr(task_form, "cleaned_data", None)
            ],
        )


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

    def to_data(self) -> TaskData:
        cleaned = self.cleaned_data
        return TaskData(title=cleaned["title"], assignee=cleaned["assignee"], due_date=cleaned["due_date"])


# Follow-up tasks entered together with a coordination record; untouched rows are skipped.
CoordinationTaskFormSet = forms.formset_factory(TaskForm, extra=2, max_num=20, validate_max=True)


class SingleTaskForm(OneTimeTokenFormMixin, TaskForm):
    """A task added on its own page, sent once however often the form is posted."""

    submission_purpose = "activities.task"
