"""Rules about an activity that need the user or its many-to-many values.

The form and the services call the same functions, so each door refuses with the same message,
naming the field. Rules on the row alone (dates in order, times) are in `Activity.clean()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simkerma.activities.models import validity_warning
from simkerma.activities.reporting import MAX_FUNDING
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import PartnerContact

if TYPE_CHECKING:
    from simkerma.activities.data import FundingData
    from simkerma.activities.models import Activity


def scope_refusals(*, user: Any, agreement: Agreement, units: Iterable[Unit], prodi: Iterable[Prodi]) -> dict[str, str]:
    """A coordinator or P3M plans only under an agreement naming their unit, and the activity
    (its units and prodi, or else the agreement's) must name their unit. The team plans anywhere."""
    if user is None or not getattr(user, "is_unit_scoped", False):
        return {}
    if not agreement.names_unit(user.unit_id):
        return {
            "agreement": _("You can only plan activities under agreements that name your unit (%(unit)s).")
            % {"unit": user.unit}
        }
    named_units = list(units) or list(agreement.units.all())
    named_prodi = list(prodi) or list(agreement.prodi.all())
    if not any(u.pk == user.unit_id for u in named_units) and not any(p.unit_id == user.unit_id for p in named_prodi):
        return {
            "units": _("The activity must name your own unit (%(unit)s) or one of its study programmes.")
            % {"unit": user.unit}
        }
    return {}


def contact_refusal(*, agreement: Agreement, partner_contact: PartnerContact | None) -> str:
    """The partner's person in charge is a contact of one of the agreement's partners."""
    if partner_contact is None or agreement.partners.filter(pk=partner_contact.partner_id).exists():
        return ""
    return _("This contact belongs to a partner outside the agreement.")


def activity_refusals(
    *,
    user: Any,
    agreement: Agreement,
    units: Iterable[Unit],
    prodi: Iterable[Prodi],
    partner_contact: PartnerContact | None,
) -> dict[str, str]:
    """Every rule above that the activity breaks, by field; empty when it keeps them all."""
    errors = scope_refusals(user=user, agreement=agreement, units=units, prodi=prodi)
    contact = contact_refusal(agreement=agreement, partner_contact=partner_contact)
    if contact:
        errors["partner_contact"] = contact
    return errors


def check_activity(**values: Any) -> None:
    """Raise ValidationError by field when `activity_refusals(**values)` finds anything."""
    errors = activity_refusals(**values)
    if errors:
        raise ValidationError(errors)


def activity_warnings(
    *, agreement: Agreement, start_date: dt.date | None, end_date: dt.date | None, field: str
) -> list[str]:
    """What the planner should know but that does not stop the save: the activity runs outside the
    agreement's validity, or its field is not among the agreement's fields."""
    warnings = []
    if start_date:
        warning = validity_warning(agreement, start_date, end_date)
        if warning:
            warnings.append(warning)
    if field and field not in agreement.fields:
        warnings.append(
            _("The field %(field)s is not among the fields of agreement %(number)s (%(fields)s).")
            % {"field": Field(field).label, "number": agreement.number, "fields": ", ".join(agreement.field_labels)}
        )
    return warnings


# --- the reporting fields: funding per year and outputs used by the partner ----------------------

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_SOURCE = 200


def funding_years(*, start_date: dt.date, end_date: dt.date | None, duration_years: int | None) -> tuple[int, int]:
    """The years an activity can be funded in: from its start year to its last date's year, or to
    the end of its duration in years when that runs later (a three-year programme is funded yearly)."""
    first = start_date.year
    last = (end_date or start_date).year
    if duration_years:
        last = max(last, first + duration_years - 1)
    return first, last


def funding_refusals(
    rows: Sequence[FundingData], *, start_date: dt.date | None, end_date: dt.date | None, duration_years: int | None
) -> list[dict[str, str]]:
    """For each row of funds, what is wrong with it, by field (an empty dict for a good row).

    Each message names the year, so a list of them read on its own (the API, the importer) says
    which row it is about.
    """
    years = (
        funding_years(start_date=start_date, end_date=end_date, duration_years=duration_years) if start_date else None
    )
    seen: set[int] = set()
    problems = []
    for row in rows:
        errors: dict[str, str] = {}
        if not MIN_YEAR <= row.year <= MAX_YEAR:
            errors["year"] = _("The year %(year)s is not a year between %(min)s and %(max)s.") % {
                "year": row.year,
                "min": MIN_YEAR,
                "max": MAX_YEAR,
            }
        elif years is not None and not years[0] <= row.year <= years[1]:
            errors["year"] = _("The year %(year)s is outside the activity's years (%(first)s–%(last)s).") % {
                "year": row.year,
                "first": years[0],
                "last": years[1],
            }
        elif row.year in seen:
            errors["year"] = _("The year %(year)s is listed twice; give one amount per year.") % {"year": row.year}
        seen.add(row.year)
        if row.amount is None or row.amount < 0 or row.amount != row.amount.to_integral_value():
            errors["amount"] = _("%(year)s: give the amount in whole rupiah, 0 or more.") % {"year": row.year}
        elif row.amount > MAX_FUNDING:
            errors["amount"] = _("%(year)s: the amount is more than Rp 999,999,999,999.") % {"year": row.year}
        if len(row.source) > MAX_SOURCE:
            errors["source"] = _("%(year)s: the source of funds is longer than %(max)s characters.") % {
                "year": row.year,
                "max": MAX_SOURCE,
            }
        problems.append(errors)
    return problems


def output_refusals(*, activity: Activity, evidence_link: str, used_on: dt.date | None) -> dict[str, str]:
    """Rules on an output that need its activity or go beyond the model: the evidence is a web
    address (http or https), and the partner used it on or after the activity started."""
    errors = {}
    if evidence_link and urlsplit(evidence_link.strip()).scheme.lower() not in ("http", "https"):
        errors["evidence_link"] = _("Give a web address starting with http:// or https://.")
    if used_on is not None and used_on < activity.start_date:
        errors["used_on"] = _("The partner cannot use an output before the activity started (%(date)s).") % {
            "date": date_format(activity.start_date)
        }
    return errors
