"""Widgets and checks shared by the service desk forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def now_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def not_future(value: dt.datetime) -> dt.datetime:
    if value > timezone.now():
        raise forms.ValidationError(_("This moment is in the future."), code="future")
    return value
