"""Reminder planners (registered in EvaluationsConfig.ready())."""

from __future__ import annotations

import datetime as dt


def plan_evaluation_reminders(now: dt.datetime) -> None:
    return None


def plan_survey_reminders(now: dt.datetime) -> None:
    return None
