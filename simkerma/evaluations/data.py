"""What the evaluation services take: one frozen dataclass per entity, named as the model's fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement


@dataclass(frozen=True, kw_only=True)
class EvaluationData:
    agreement: Agreement
    year: int
    benefit: bool | None = None
    benefit_reason: str = ""
    performance: bool | None = None
    performance_reason: str = ""
    satisfaction: bool | None = None
    satisfaction_reason: str = ""
    kepuasan: int | None = None
    keberlanjutan: bool | None = None
    effectiveness: int | None = None
    recommendation: str = ""
    reviewer: Any = None
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class MonitoringRecordData:
    agreement: Agreement
    year: int
    quarter: int
    activity_title: str
    status: str
    monitored_on: dt.date
    activity: Activity | None = None
    benefit: str = ""
    evidence: str = ""
    pic: str = ""


@dataclass(frozen=True, kw_only=True)
class SurveyAnswerData:
    satisfaction: int
    communication: int
    usefulness: int
    intends_to_continue: bool
    comments: str = ""
