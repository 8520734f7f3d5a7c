"""The evaluation, monitoring and survey forms: each builds the service's data with to_data()."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simkerma.agreements.models import Agreement
from simkerma.core.widgets import DateInput
from simkerma.evaluations.data import EvaluationData, MonitoringRecordData, SurveyAnswerData
from simkerma.evaluations.models import COMMENT_MAX_LENGTH, Evaluation, MonitoringRecord

YES_NO = [("", "–"), ("true", _("Yes")), ("false", _("No"))]
SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 5)]


def _yes_no(label: Any, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=required,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class EvaluationForm(forms.ModelForm):
    benefit = _yes_no(_("a. Benefit (manfaat)"), required=True)
    performance = _yes_no(_("b. Performance (kinerja)"), required=True)
    satisfaction = _yes_no(_("c. Satisfaction and continuation"), required=True)
    keberlanjutan = _yes_no(_("Continuation (keberlanjutan)"))

    class Meta:
        model = Evaluation
        fields = [
            "benefit",
            "benefit_reason",
            "performance",
            "performance_reason",
            "satisfaction",
            "satisfaction_reason",
            "kepuasan",
            "keberlanjutan",
            "effectiveness",
            "recommendation",
            "notes",
        ]
        widgets = {
            "benefit_reason": forms.Textarea(attrs={"rows": 2}),
            "performance_reason": forms.Textarea(attrs={"rows": 2}),
            "satisfaction_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agreement: Agreement, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement, self.year = agreement, year
        self.instance.agreement, self.instance.year = agreement, year
        self.fields["effectiveness"].required = True
        self.fields["recommendation"].required = True
        self.fields["kepuasan"].help_text = _("1 to 4. Left empty, the year's partner survey counts.")
        self.fields["keberlanjutan"].help_text = _("Left empty, the year's partner survey counts.")

    def to_data(self) -> EvaluationData:
        values: dict[str, Any] = {name: self.cleaned_data.get(name) for name in self._meta.fields or ()}
        for name in ("benefit_reason", "performance_reason", "satisfaction_reason", "notes", "recommendation"):
            values[name] = values[name] or ""
        return EvaluationData(agreement=self.agreement, year=self.year, reviewer=self.instance.reviewer, **values)


class MonitoringRecordForm(forms.ModelForm):
    class Meta:
        model = MonitoringRecord
        fields = [
            "year",
            "quarter",
            "activity",
            "activity_title",
            "benefit",
            "evidence",
            "status",
            "pic",
            "monitored_on",
        ]
        widgets = {
            "monitored_on": DateInput(),
            "benefit": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.instance.agreement = agreement
        self.fields["activity"].queryset = agreement.activities.order_by("start_date", "pk")  # type: ignore[attr-defined]

    def to_data(self) -> MonitoringRecordData:
        values: dict[str, Any] = {name: self.cleaned_data.get(name) for name in self._meta.fields or ()}
        for name in ("benefit", "evidence", "pic"):
            values[name] = values[name] or ""
        return MonitoringRecordData(agreement=self.agreement, **values)


class SurveySendForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2200)
    contacts: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("contacts"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from simkerma.partners.models import PartnerContact

        self.fields["contacts"].queryset = (  # type: ignore[attr-defined]
            PartnerContact.objects.filter(partner__agreements=agreement).exclude(email="").select_related("partner")
        )


def _scale(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect)


class SurveyAnswerForm(forms.Form):
    satisfaction = _scale(_("Overall, how satisfied are you with the cooperation?"))
    communication = _scale(_("How good was the communication with us?"))
    usefulness = _scale(_("How much did the cooperation benefit your organisation?"))
    intends_to_continue = forms.TypedChoiceField(
        label=_("Do you intend to continue the cooperation?"),
        choices=[("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"), required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )

    def to_data(self) -> SurveyAnswerData:
        return SurveyAnswerData(**self.cleaned_data)
