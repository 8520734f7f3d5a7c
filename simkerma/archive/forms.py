from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from simkerma.activities.models import Activity
from simkerma.archive.data import CONTENT_FIELDS, EvidenceData, ReportData
from simkerma.archive.models import REJECTION_NEEDS_NOTE, CooperationReport, EvidenceFile
from simkerma.archive.permissions import can_report_on
from simkerma.archive.rules import check_report_activities, check_unreported
from simkerma.archive.selectors import ReportFilters
from simkerma.archive.uploads import check_evidence, evidence_max_bytes
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.search import SearchField
from simkerma.core.widgets import PickerWidget

CONTENT_WIDGETS = {
    "summary": forms.Textarea(attrs={"rows": 5}),
    "outputs": forms.Textarea(attrs={"rows": 3}),
    "outcomes": forms.Textarea(attrs={"rows": 3}),
    "participants_other": forms.Textarea(attrs={"rows": 2}),
    "performance": forms.Textarea(attrs={"rows": 3}),
    "benefit_learning": forms.Textarea(attrs={"rows": 3}),
    "benefit_performance": forms.Textarea(attrs={"rows": 3}),
    "benefit_partner": forms.Textarea(attrs={"rows": 3}),
}


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """The report's content. Its activities are chosen when it is filed and fixed after that."""

    class Meta:
        model = CooperationReport
        fields = CONTENT_FIELDS
        widgets = CONTENT_WIDGETS

    def report_activities(self) -> list[Activity]:
        return list(self.instance.activities.all()) if self.instance.pk else []

    def to_data(self) -> ReportData:
        content = {name: self.cleaned_data[name] for name in CONTENT_FIELDS}
        return ReportData(activities=self.report_activities(), **content)


class ReportFileForm(OneTimeTokenFormMixin, ReportForm):
    submission_purpose = "archive.report"

    class Meta(ReportForm.Meta):
        fields = ["activities", *CONTENT_FIELDS]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        activities = cast(forms.ModelMultipleChoiceField, self.fields["activities"])
        activities.queryset = Activity.objects.select_related("agreement").prefetch_related(
            "units", "prodi", "agreement__units", "agreement__prodi"
        )
        self.fields["activities"].widget = PickerWidget(
            search_url=str(reverse_lazy("activities:pick_reportable")), model=Activity, multiple=True
        )
        self.fields["activities"].help_text = _("Carried-out activities under one agreement.")

    def clean_activities(self) -> Any:
        activities = list(self.cleaned_data["activities"])
        try:
            check_report_activities(activities)
            check_unreported(activities)
        except ValidationError as error:
            raise ValidationError(error.error_dict["activities"]) from error
        if self.user is not None and not can_report_on(self.user, activities):
            raise forms.ValidationError(_("You can only report on activities of your own unit."))
        return activities

    def report_activities(self) -> list[Activity]:
        return list(self.cleaned_data["activities"])


class CorrectionForm(ReportForm):
    """A new version of an archived report (`correcting`): the same activities, content to fix and why."""

    correction_reason = forms.CharField(
        label=_("What does the correction fix?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    class Meta(ReportForm.Meta):
        fields = ["correction_reason", *CONTENT_FIELDS]

    def __init__(self, *args: Any, correcting: CooperationReport | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.correcting = correcting

    def report_activities(self) -> list[Activity]:
        return list(self.correcting.activities.all()) if self.correcting is not None else []


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceFile.Kind.choices, initial="photo")
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("JPEG, PNG, PDF, DOCX or XLSX, at most %(mb)s MB.") % {
            "mb": round(evidence_max_bytes() / (1024 * 1024), 1)
        }

    def has_changed(self) -> bool:
        # A row counts only when a file was chosen; the kind alone (it has a default) is not input.
        return bool(self.files.get(self.add_prefix("file")))

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_evidence(upload)
        return upload

    def to_data(self) -> EvidenceData | None:
        """The chosen file and its kind, or None for a row left empty."""
        upload = self.cleaned_data.get("file")
        return EvidenceData(kind=self.cleaned_data["kind"], file=upload) if upload else None


class BaseEvidenceFormSet(forms.BaseFormSet):
    def to_data(self) -> list[EvidenceData]:
        return [row for form in self.forms if (row := form.to_data()) is not None]


EvidenceFormSet = forms.formset_factory(
    EvidenceForm, formset=BaseEvidenceFormSet, extra=3, max_num=30, validate_max=True
)


class DisposalRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason for disposal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DisposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", REJECTION_NEEDS_NOTE)
        return cleaned


class ReportFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CooperationReport.Status.choices]
    )
    year = forms.IntegerField(label=_("Year filed"), required=False, min_value=1990, max_value=2100)

    def to_filters(self) -> ReportFilters:
        """The filters as typed; a form that is not valid filters nothing."""
        if not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        return ReportFilters(q=data.get("q") or "", status=data.get("status") or "", year=data.get("year"))
