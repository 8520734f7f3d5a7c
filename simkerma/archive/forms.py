from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from simkerma.activities.models import Activity, ActivityStatus
from simkerma.archive.models import CooperationReport, EvidenceFile
from simkerma.archive.permissions import can_report_on
from simkerma.archive.uploads import check_evidence, evidence_max_bytes
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.search import SearchField, search_words
from simkerma.core.widgets import PickerWidget

REPORTABLE = [ActivityStatus.TERLAKSANA, ActivityStatus.DILAPORKAN]

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
CONTENT_FIELDS = [
    "title",
    "summary",
    "outputs",
    "outcomes",
    "participants_students",
    "participants_lecturers",
    "participants_other",
    "performance",
    "documentation_link",
    "benefit_learning",
    "benefit_performance",
    "benefit_partner",
    "lead_name",
    "lead_position",
    "acknowledged_by_name",
    "acknowledged_by_position",
]


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """The report's content. Its activities are chosen when it is filed and fixed after that."""

    class Meta:
        model = CooperationReport
        fields = CONTENT_FIELDS
        widgets = CONTENT_WIDGETS


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
        not_ready = [a.code for a in activities if a.status not in REPORTABLE]
        if not_ready:
            raise forms.ValidationError(
                _("Only carried-out activities can be reported on; not yet: %(codes)s.")
                % {"codes": ", ".join(not_ready)}
            )
        if len({a.agreement_id for a in activities}) > 1:
            raise forms.ValidationError(_("All activities of one report must hang under the same agreement."))
        if self.user is not None and not can_report_on(self.user, activities):
            raise forms.ValidationError(_("You can only report on activities of your own unit."))
        return activities


class CorrectionForm(ReportForm):
    correction_reason = forms.CharField(
        label=_("What does the correction fix?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    class Meta(ReportForm.Meta):
        fields = ["correction_reason", *CONTENT_FIELDS]


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


EvidenceFormSet = forms.formset_factory(EvidenceForm, extra=3, max_num=30, validate_max=True)


class DisposalRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason for disposal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DisposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the disposal is rejected."))
        return cleaned


class ReportFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CooperationReport.Status.choices]
    )
    year = forms.IntegerField(label=_("Year filed"), required=False, min_value=1990, max_value=2100)

    def filter(self, qs: Any) -> Any:
        data = self.cleaned_data
        for word in search_words(data.get("q") or ""):
            qs = qs.filter(Q(title__icontains=word) | Q(code__icontains=word) | Q(agreement__number__icontains=word))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("year"):
            qs = qs.filter(created_at__year=data["year"])
        return qs
