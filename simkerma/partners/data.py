"""What `partner_save` takes, whichever door the partner came in by (form, API, workbook)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from simkerma.core.data import KEEP, Keep

if TYPE_CHECKING:
    from simkerma.partners.models import PartnerCategory


@dataclass(frozen=True, kw_only=True)
class ContactData:
    """One contact person; `id` names a stored contact of the same partner, None adds one."""

    id: int | None = None
    name: str
    position: str = ""
    email: str = ""
    phone: str = ""
    whatsapp: str = ""


@dataclass(frozen=True, kw_only=True)
class PartnerData:
    """A partner as a writer gives it. The names are the model's field names.

    `code` empty takes the next M-number. `contacts` is the whole set: stored contacts not listed
    are removed; None leaves them as they are.
    """

    code: str = ""
    name: str
    kind: str
    country: str = "ID"
    city: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    notes: str = ""
    # The ministry's partner category (IKU); KEEP leaves the stored one.
    ministry_category: PartnerCategory | Keep | None = KEEP
    contacts: list[ContactData] | None = None


@dataclass(frozen=True, kw_only=True)
class CategoryData:
    """A ministry partner category (IKU) as the management page gives it."""

    code: str
    name: str
    description: str = ""
    weight: Decimal | None = None
    qualifies_iku: bool = True
    order: int = 0
    is_active: bool = True
