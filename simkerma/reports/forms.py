"""The parameters of a report, asked for by what the exporter needs: its scope (a prodi, a prodi
or a jurusan, a unit, or none) and its period (TS, a year, optionally a quarter or a month).

The prodi and unit choices are those the user may report on; an id outside them is an error of the
form, and `refused` tells the page that the id exists but is not the user's (a 403).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simkerma.org.models import Prodi, Unit
from simkerma.reports.framework import Exporter, Period, ReportParams, Scope
from simkerma.reports.permissions import prodi_choices, unit_choices

MIN_YEAR, MAX_YEAR = 2000, 2100

YEAR_ERRORS = {
    "required": _("Enter the year."),
    "invalid": _("Enter the year as a number, e.g. 2026."),
    "min_value": _("The year must be %(limit_value)s or later."),
    "max_value": _("The year must be %(limit_value)s or earlier."),
}
CHOICE_ERRORS = {
    "required": _("Choose one."),
    "invalid_choice": _("Choose one of the options in the list."),
    "invalid_pk_value": _("Choose one of the options in the list."),
}


class ProdiChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.level} {obj.name} ({obj.code})"


class ReportParamsForm(forms.Form):
    def __init__(self, exporter: Exporter, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exporter = exporter
        self.refused = False
        scope, period = exporter.scope, exporter.period
        if scope in (Scope.PRODI, Scope.PRODI_OR_UNIT):
            self.fields["prodi"] = ProdiChoiceField(
                prodi_choices(user),
                label=_("Study programme"),
                required=scope == Scope.PRODI,
                empty_label=_("— choose —"),
                error_messages=CHOICE_ERRORS,
            )
        if scope in (Scope.UNIT, Scope.PRODI_OR_UNIT):
            self.fields["unit"] = forms.ModelChoiceField(
                unit_choices(user, jurusan_only=scope == Scope.PRODI_OR_UNIT),
                label=_("Department (jurusan)") if scope == Scope.PRODI_OR_UNIT else _("Unit"),
                required=scope == Scope.UNIT,
                empty_label=_("— choose —"),
                error_messages=CHOICE_ERRORS,
            )
        self.fields["year"] = forms.IntegerField(
            label="TS" if period == Period.TS else _("Year"),
            min_value=MIN_YEAR,
            max_value=MAX_YEAR,
            initial=timezone.localdate().year,
            error_messages=YEAR_ERRORS,
            help_text=_("The window is TS-2 to TS.") if period == Period.TS else "",
        )
        if period == Period.YEAR_QUARTER:
            self.fields["quarter"] = forms.TypedChoiceField(
                label=_("Quarter"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Whole year"))] + [(str(q), f"TW{q}") for q in range(1, 5)],
                error_messages=CHOICE_ERRORS,
            )
        if period == Period.YEAR_MONTH:
            self.fields["month"] = forms.TypedChoiceField(
                label=_("Month"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Whole year"))] + [(str(m), f"{m:02d}") for m in range(1, 13)],
                error_messages=CHOICE_ERRORS,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.exporter.scope == Scope.PRODI_OR_UNIT and "prodi" in cleaned and "unit" in cleaned:
            if cleaned["prodi"] is None and cleaned["unit"] is None:
                raise forms.ValidationError(_("Choose a study programme or a department."))
            if cleaned["prodi"] is not None and cleaned["unit"] is not None:
                raise forms.ValidationError(_("Choose a study programme or a department, not both."))
        self.refused = self._refused()
        return cleaned

    def _refused(self) -> bool:
        """Whether a prodi or unit the user may not report on was asked for by its id."""
        for name, model in (("prodi", Prodi), ("unit", Unit)):
            raw = str(self.data.get(name, ""))
            asked = name in self.fields and name in self.errors and raw.isascii() and raw.isdigit() and len(raw) < 12
            if asked and model.objects.filter(pk=int(raw)).exists():  # type: ignore[attr-defined]
                return True
        return False

    def query(self) -> str:
        """The valid parameters as a query string, for the download links."""
        values = {}
        for name, value in self.cleaned_data.items():
            if value is not None:
                values[name] = value.pk if isinstance(value, (Prodi, Unit)) else value
        return urlencode(values)

    def params(self) -> ReportParams:
        data = self.cleaned_data
        return ReportParams(
            year=data["year"],
            prodi=data.get("prodi"),
            unit=data.get("unit"),
            quarter=data.get("quarter"),
            month=data.get("month"),
        )
