"""The working calendar and the report forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simkerma.core.dates import validate_date_range
from simkerma.core.widgets import DateTimeInput
from simkerma.core.worktime import Hours, openings_text, parse_openings, weekly_hours_from_json, weekly_hours_to_json
from simkerma.servicedesk.forms.common import WEEKDAYS
from simkerma.servicedesk.models import (
    CalendarVersion,
)


class OpeningsField(forms.CharField):
    """A weekday's openings written "07:30-12:00, 13:00-16:00"; empty for a day that is not worked."""

    def clean(self, value: Any) -> Hours:
        return parse_openings(super().clean(value))


class CalendarForm(forms.Form):
    effective_from = forms.DateTimeField(
        label=_("In force from (WIB)"),
        required=False,
        validators=[validate_date_range],
        widget=DateTimeInput(),
        help_text=_("Empty: from now. Requests that came in earlier keep the calendar they started with."),
    )
    national_holidays = forms.BooleanField(
        label=_("National holidays and cuti bersama are days off"), required=False, initial=True
    )
    extra_days_off = forms.CharField(
        label=_("Extra days off"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the date (YYYY-MM-DD), a space and what it is, e.g. 2026-12-31 Year-end closing."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, current: CalendarVersion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weekly = weekly_hours_from_json(current.weekly_hours if current else None)
        for index, label in enumerate(WEEKDAYS):
            self.fields[f"hours_{index}"] = OpeningsField(
                label=label,
                required=False,
                max_length=200,
                initial=openings_text(weekly[index]),
                widget=forms.TextInput(
                    attrs={
                        "placeholder": _("closed"),
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "aria-describedby": "calendar-hours-help",
                    }
                ),
            )
        if current is not None:
            self.fields["national_holidays"].initial = current.national_holidays
            self.fields["extra_days_off"].initial = "\n".join(
                f"{day.isoformat()} {name}".strip() for day, name in current.extra_days
            )

    @property
    def day_fields(self) -> list[Any]:
        return [self[f"hours_{index}"] for index in range(len(WEEKDAYS))]

    def clean_effective_from(self) -> dt.datetime:
        value = self.cleaned_data.get("effective_from")
        now = timezone.now()
        if value is None:
            return now
        if value < now - dt.timedelta(minutes=5):
            raise forms.ValidationError(
                _("A calendar cannot start in the past: clocks already running keep theirs."), code="past"
            )
        if CalendarVersion.objects.filter(effective_from=value).exists():
            raise forms.ValidationError(_("Another calendar starts at this moment."), code="duplicate")
        return max(value, now)

    def clean_extra_days_off(self) -> list[dict[str, str]]:
        days: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data.get("extra_days_off", "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            date_text, _space, name = line.partition(" ")
            try:
                day = dt.date.fromisoformat(date_text)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(number)s: “%(text)s” is not a date written YYYY-MM-DD.")
                    % {"number": number, "text": date_text},
                    code="date",
                ) from None
            days[day.isoformat()] = name.strip()
        return [{"date": day, "name": name} for day, name in sorted(days.items())]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weekly = [cleaned.get(f"hours_{index}") or () for index in range(len(WEEKDAYS))]
        if not self.errors and not any(weekly):
            raise forms.ValidationError(_("At least one weekday needs working hours."), code="no_hours")
        cleaned["weekly_hours"] = weekly_hours_to_json(weekly)
        return cleaned


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year"))] + [(str(m), f"{m:02d}") for m in range(1, 13)],
    )
