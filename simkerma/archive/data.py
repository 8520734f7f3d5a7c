"""What the report services take, whatever door the data came in by (form, API, workbook row)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files import File

from simkerma.activities.models import Activity


@dataclass(frozen=True, kw_only=True)
class ReportData:
    """A report's content and the activities it reports on (all of them, under one agreement)."""

    activities: list[Activity]
    title: str
    summary: str
    outputs: str = ""
    outcomes: str = ""
    participants_students: int = 0
    participants_lecturers: int = 0
    participants_other: str = ""
    performance: str = ""
    documentation_link: str = ""
    benefit_learning: str = ""
    benefit_performance: str = ""
    benefit_partner: str = ""
    lead_name: str
    lead_position: str = ""
    acknowledged_by_name: str = ""
    acknowledged_by_position: str = ""


# The report's own content: what a filing or an edit writes and a correction may change.
CONTENT_FIELDS = [field.name for field in dataclasses.fields(ReportData) if field.name != "activities"]


@dataclass(frozen=True, kw_only=True)
class EvidenceData:
    """One evidence file: an uploaded file, or any file opened for reading, and its kind.

    `name` is the file name the user knows it by; without it the file's own name is used.
    """

    kind: str
    file: File
    name: str = ""

    @property
    def original_name(self) -> str:
        return (PurePath(self.name or self.file.name or "").name or "file")[-255:]
