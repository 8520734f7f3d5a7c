"""What the activity services take, whichever door the values came in by (form, API, workbook)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from simkerma.core.data import KEEP, Keep

if TYPE_CHECKING:
    from simkerma.activities.reporting import CooperationForm
    from simkerma.agreements.models import Agreement
    from simkerma.org.models import Prodi, Unit
    from simkerma.partners.models import PartnerContact


@dataclass(frozen=True, kw_only=True)
class ActivityData:
    """An activity as a planner gives it. The names are the model's field names.

    `code` empty takes the next code (K<year>-00001) on create and keeps the stored code on edit.
    `units` and `prodi` empty take the agreement's. The status is not here: it changes only by a move.
    """

    agreement: Agreement
    code: str = ""
    title: str
    kind: str
    field: str
    start_date: dt.date
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    place: str = ""
    online_link: str = ""
    pic: Any = None
    partner_contact: PartnerContact | None = None
    partner_pic: str = ""
    units: list[Unit] = dataclasses.field(default_factory=list)
    prodi: list[Prodi] = dataclasses.field(default_factory=list)
    expected_students: int = 0
    expected_lecturers: int = 0
    benefit: str = ""
    evidence: str = ""
    # For the official reports; KEEP leaves the stored value (a door that does not carry them).
    cooperation_form: CooperationForm | Keep | None = KEEP
    duration_years: int | Keep | None = KEEP
    distinctive: bool | Keep = KEEP
    # The funds per year: the whole set (stored years not listed are removed); None leaves them.
    funding: list[FundingData] | None = None


@dataclass(frozen=True, kw_only=True)
class FundingData:
    """The funds an activity received in one year (Rp)."""

    year: int
    amount: Decimal
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class OutputData:
    """An output of the cooperation that the partner uses (IKU 5)."""

    title: str
    kind: str
    evidence_link: str
    used_on: dt.date
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class TaskData:
    """A follow-up task: what, for whom, by when."""

    title: str
    assignee: Any
    due_date: dt.date


@dataclass(frozen=True, kw_only=True)
class CoordinationData:
    """A coordination record. `tasks` are follow-up tasks created with it (a new record only)."""

    kind: str
    held_at: dt.datetime
    ends_at: dt.datetime | None = None
    mode: str
    place: str = ""
    internal_attendees: list[Any] = dataclasses.field(default_factory=list)
    internal_attendees_text: str = ""
    partner_attendees: str = ""
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""
    tasks: list[TaskData] = dataclasses.field(default_factory=list)
