"""Checks and values shared by the service desk forms (the date widgets are core.widgets')."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"))


def now_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def not_future(value: dt.datetime) -> dt.datetime:
    if value > timezone.now():
        raise forms.ValidationError(_("This moment is in the future."), code="future")
    return value
