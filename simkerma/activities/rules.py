"""Rules about an activity that need the user or its many-to-many values.

The form and the services call the same functions, so each door refuses with the same message,
naming the field. Rules on the row alone (dates in order, times) are in `Activity.clean()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from simkerma.activities.models import validity_warning
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import PartnerContact


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
