"""Forms for what the official reports need: funds per year, outputs used by the partner and the
ministry's forms of cooperation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from simkerma.activities.data import FundingData, OutputData
from simkerma.activities.reporting import MAX_FUNDING, ActivityOutput, CooperationForm, CooperationFormData
from simkerma.activities.rules import MAX_SOURCE, MAX_YEAR, MIN_YEAR, funding_refusals
from simkerma.core.widgets import DateInput

MAX_FUNDING_ROWS = 60


class FundingRowForm(forms.Form):
    # The year the row had when the page was opened: a stored year no row carried (someone added
    # it meanwhile) stays, one carried and emptied or ticked for removal goes.
    stored_year = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    amount = forms.DecimalField(
        label=_("Amount (Rp)"), min_value=Decimal("0"), max_value=MAX_FUNDING, max_digits=15, decimal_places=0
    )
    source = forms.CharField(label=_("Source of funds"), required=False, max_length=MAX_SOURCE)


class BaseFundingFormSet(forms.BaseFormSet):
    """The activity's funds, one row a year; the whole set is saved by year."""

    @property
    def carried(self) -> bool:
        """Whether the page sent the funds section (a post without it leaves the stored funds)."""
        return not self.is_bound or f"{self.prefix}-{forms.formsets.TOTAL_FORM_COUNT}" in self.data

    def kept_forms(self) -> list[FundingRowForm]:
        kept = []
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if not cleaned or cleaned.get("DELETE") or cleaned.get("year") is None:
                continue
            kept.append(form)
        return kept

    def rows(self, activity: Any) -> list[FundingData]:
        """The whole set of funds: the rows kept, and stored years the page did not show."""
        rows = [
            FundingData(year=f.cleaned_data["year"], amount=f.cleaned_data["amount"], source=f.cleaned_data["source"])
            for f in self.kept_forms()
        ]
        if activity.pk is None:
            return rows
        carried = {f.cleaned_data.get("stored_year") for f in self.forms if getattr(f, "cleaned_data", None)}
        listed = {row.year for row in rows}
        for stored in activity.funding.all():
            if stored.year not in carried and stored.year not in listed:
                rows.append(FundingData(year=stored.year, amount=stored.amount, source=stored.source))
        return sorted(rows, key=lambda row: row.year)

    def check(self, *, start_date: dt.date, end_date: dt.date | None, duration_years: int | None) -> bool:
        kept = self.kept_forms()
        rows = [FundingData(**{name: f.cleaned_data[name] for name in ("year", "amount", "source")}) for f in kept]
        problems = funding_refusals(rows, start_date=start_date, end_date=end_date, duration_years=duration_years)
        for form, errors in zip(kept, problems, strict=True):
            for name, message in errors.items():
                form.add_error(name, message)
        return not any(problems)


FundingFormSet = forms.formset_factory(
    FundingRowForm,
    formset=BaseFundingFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_FUNDING_ROWS,
    validate_max=True,
    absolute_max=MAX_FUNDING_ROWS,
)


def funding_formset(data: Any, activity: Any) -> BaseFundingFormSet:
    """The funds formset of the activity form, its stored rows first; a post without the funds
    section gets the unbound formset (the stored funds stay, and the page shows them)."""
    initial = [
        {"stored_year": row.year, "year": row.year, "amount": row.amount, "source": row.source}
        for row in (activity.funding.all() if activity.pk else [])
    ]
    formset = cast(BaseFundingFormSet, FundingFormSet(data, initial=initial, prefix="funding"))
    return formset if formset.carried else cast(BaseFundingFormSet, FundingFormSet(initial=initial, prefix="funding"))


class OutputForm(forms.ModelForm):
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = ActivityOutput
        fields = ["title", "kind", "evidence_link", "used_on", "notes"]
        widgets = {"used_on": DateInput()}
        help_texts = {
            "evidence_link": _(
                "A web address (http or https) where the use can be checked: a letter, a photo, a page."
            ),
            "used_on": _("Not in the future, and not before the activity started."),
        }

    def _post_clean(self) -> None:
        # The service validates the output with its activity (the start date); nothing to do here.
        pass

    def to_data(self) -> OutputData:
        cleaned = self.cleaned_data
        return OutputData(
            title=cleaned["title"],
            kind=cleaned["kind"],
            evidence_link=cleaned["evidence_link"],
            used_on=cleaned["used_on"],
            notes=cleaned.get("notes") or "",
        )


class CooperationFormForm(forms.ModelForm):
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    class Meta:
        model = CooperationForm
        fields = ["code", "name", "description", "qualifies_iku", "order", "is_active"]
        help_texts = {"code": _("Lowercase letters, digits and underscores; kept once saved.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def _post_clean(self) -> None:
        # The service checks the entry (the code's form, its uniqueness) and refuses by field.
        pass

    def to_data(self) -> CooperationFormData:
        cleaned = self.cleaned_data
        return CooperationFormData(
            code=cleaned.get("code") or self.instance.code,
            name=cleaned["name"],
            description=cleaned.get("description") or "",
            qualifies_iku=bool(cleaned.get("qualifies_iku")),
            order=cleaned.get("order") or 0,
            is_active=bool(cleaned.get("is_active")),
        )
