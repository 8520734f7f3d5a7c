"""What `agreement_save` takes, whichever door the agreement came in by (form, API, workbook, service desk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simkerma.core.data import KEEP, Keep

if TYPE_CHECKING:
    from simkerma.agreements.models import Agreement
    from simkerma.org.models import Prodi, Unit
    from simkerma.partners.models import Partner


@dataclass(frozen=True, kw_only=True)
class SignatoryData:
    """One signatory; `id` names a stored signatory of the same agreement, None adds one."""

    id: int | None = None
    side: str
    name: str
    position: str
    organisation: str = ""


@dataclass(frozen=True, kw_only=True)
class AgreementData:
    """An agreement as a writer gives it. The names are the model's field names.

    `number` empty takes the next number in the office's scheme. `signed_scan` is a new PDF upload,
    the stored scan (or None) to keep it, or False to remove it. `signatories` is the whole set:
    stored signatories not listed are removed; None leaves them as they are.
    """

    kind: str
    number: str = ""
    partner_number: str = ""
    title: str
    parent: Agreement | None = None
    renews: Agreement | None = None
    partners: list[Partner]
    units: list[Unit] = field(default_factory=list)
    prodi: list[Prodi] = field(default_factory=list)
    level: str
    fields: list[str]
    scope: str = ""
    start_date: dt.date
    end_date: dt.date
    signed_on: dt.date | None = None
    signed_scan: Any = None
    notes: str = ""
    is_public: bool = False
    # KEEP leaves the stored values (a door that does not carry them).
    sdg_goals: list[str] | Keep = KEEP
    ministry_reported_on: dt.date | Keep | None = KEEP
    signatories: list[SignatoryData] | None = None
