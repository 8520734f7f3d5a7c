from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from simkerma.agreements.data import AgreementData, SignatoryData
from simkerma.agreements.models import Agreement, Kind, Signatory, Status, termination_problem
from simkerma.agreements.rules import unit_scope_problem
from simkerma.agreements.selectors import SORTS, AgreementFilters
from simkerma.core.choices import Field, Level
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.dates import validate_date_range
from simkerma.core.formsets import formset_rows
from simkerma.core.search import SearchField
from simkerma.core.uploads import validate_pdf
from simkerma.core.widgets import DateInput, PickerWidget
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner


class AgreementForm(VersionedFormMixin, OneTimeTokenFormMixin, forms.ModelForm):
    submission_purpose = "agreements.agreement"

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "partner_number",
            "title",
            "parent",
            "partners",
            "units",
            "prodi",
            "level",
            "fields",
            "sdg_goals",
            "scope",
            "start_date",
            "end_date",
            "signed_on",
            "signed_scan",
            "notes",
            "is_public",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "signed_on": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "units": forms.CheckboxSelectMultiple,
            "prodi": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "number": _("Leave empty to take the next number in the office's scheme (e.g. 001/MOU.PL29/III/2025)."),
            "parent": _("MoA under an MoU; IA under an MoU or MoA."),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["number"].required = False
        self.fields["partners"].widget = PickerWidget(
            search_url=str(reverse_lazy("partners:pick")), model=Partner, multiple=True
        )
        self.fields["parent"].widget = PickerWidget(
            search_url=str(reverse_lazy("agreements:pick_parent")), model=Agreement, multiple=False
        )
        # The picker offers only MoU and MoA; any agreement still validates here, so that an IA sent
        # as a parent gets the rule ("its parent must be …") rather than a generic invalid choice.
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = Agreement.objects.all()
        units = cast(forms.ModelMultipleChoiceField, self.fields["units"])
        units.queryset = Unit.objects.order_by("kind", "code")
        prodi = cast(forms.ModelMultipleChoiceField, self.fields["prodi"])
        prodi.queryset = Prodi.objects.select_related("unit").order_by("code")
        if user is not None and user.is_unit_scoped and self.instance.pk is not None:
            units.help_text = _(
                "You change the links of your own unit and its study programmes; links to other units stay "
                "as they are, and only the cooperation team changes them."
            )
        self.fields["signed_scan"].widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})

    def clean_number(self) -> str:
        return " ".join((self.cleaned_data.get("number") or "").split())

    def clean_signed_scan(self) -> Any:
        scan = self.cleaned_data.get("signed_scan")
        if scan and hasattr(scan, "content_type"):  # a new upload, not the stored file
            validate_pdf(scan)
        return scan

    def clean(self) -> dict[str, Any]:
        # The rules between fields are on the model (Agreement.clean, run by the ModelForm); the one
        # that needs the user is in rules.py.
        cleaned = super().clean() or {}
        problem = unit_scope_problem(user=self.user, units=cleaned.get("units") or [], prodi=cleaned.get("prodi") or [])
        if problem is not None:
            self.add_error("units", problem)
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        # A rule on a field this form does not show (the termination date) is shown above the form.
        if hasattr(errors, "error_dict"):
            shown: dict[str, list[ValidationError]] = {}
            for name, items in errors.error_dict.items():
                shown.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(items)
            errors = ValidationError(shown)
        super()._update_errors(errors)  # type: ignore[misc]

    def refuse(self, error: ValidationError) -> None:
        """Show a refusal from the service next to the fields it names."""
        self._update_errors(error)

    def to_data(self, signatories: BaseInlineFormSet | None = None) -> AgreementData:
        """The agreement as typed, with the signatories of the formset (None leaves them as they are)."""
        cleaned = self.cleaned_data
        return AgreementData(
            kind=cleaned["kind"],
            number=cleaned.get("number") or "",
            partner_number=cleaned.get("partner_number") or "",
            title=cleaned["title"],
            parent=cleaned.get("parent"),
            renews=self.instance.renews if self.instance.renews_id else None,
            partners=list(cleaned["partners"]),
            units=list(cleaned.get("units") or []),
            prodi=list(cleaned.get("prodi") or []),
            level=cleaned["level"],
            fields=list(cleaned["fields"]),
            sdg_goals=list(cleaned.get("sdg_goals") or []),
            scope=cleaned.get("scope") or "",
            start_date=cleaned["start_date"],
            end_date=cleaned["end_date"],
            signed_on=cleaned.get("signed_on"),
            signed_scan=cleaned.get("signed_scan"),
            notes=cleaned.get("notes") or "",
            is_public=bool(cleaned.get("is_public")),
            signatories=formset_rows(signatories, SIGNATORY_FIELDS, SignatoryData) if signatories is not None else None,
        )


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["side", "name", "position", "organisation"]


SignatoryFormSet = inlineformset_factory(
    Agreement, Signatory, form=SignatoryForm, extra=2, can_delete=True, max_num=20, validate_max=True
)


SIGNATORY_FIELDS = ("side", "name", "position", "organisation")


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DateInput(), validators=[validate_date_range])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def refuse(self, error: ValidationError) -> None:
        """Show a refusal from the service: the termination day next to its field, the rest above."""
        fields = {"terminated_on": "terminated_on", "termination_reason": "reason"}
        for name, items in error.update_error_dict({}).items():
            self.add_error(fields.get(name), items)

    def clean_terminated_on(self) -> dt.date:
        day = self.cleaned_data["terminated_on"]
        problem = termination_problem(self.agreement, day)
        if problem is not None:
            raise problem
        return day


class AgreementFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices])
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *Level.choices])
    field = forms.ChoiceField(label=_("Field"), required=False, choices=[("", _("All")), *Field.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.order_by("code"))
    prodi = forms.ModelChoiceField(label=_("Study programme"), required=False, queryset=Prodi.objects.order_by("code"))
    partner = SearchField(label=_("Partner"))
    year = forms.IntegerField(label=_("Year in force"), required=False, min_value=1990, max_value=2100)
    sort = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(key, key) for key in SORTS] + [(f"-{key}", key) for key in SORTS],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.label_from_instance = lambda u: u.code  # type: ignore[method-assign,assignment]
        prodi = cast(forms.ModelChoiceField, self.fields["prodi"])
        prodi.label_from_instance = lambda p: f"{p.code} {p.name}"  # type: ignore[method-assign,assignment]

    def to_filters(self) -> AgreementFilters:
        """The filters of a valid form; every value already checked."""
        data = self.cleaned_data
        return AgreementFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            level=data.get("level") or "",
            field=data.get("field") or "",
            unit=data.get("unit"),
            prodi=data.get("prodi"),
            partner=(data.get("partner") or "").strip(),
            year=data.get("year"),
            sort=data.get("sort") or "-start",
        )
