"""Agreement rules that need the many-to-many links or the user, which `Agreement.clean()` cannot see.

The service calls them before it writes anything; the form and the admin call them in their
`clean()`, so every door refuses with the same message on the same field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner


def unit_scope_problem(*, user: Any, units: Iterable[Unit], prodi: Iterable[Prodi]) -> ValidationError | None:
    """A coordinator or P3M user records only agreements that name their own unit or one of its prodi."""
    if user is None or not getattr(user, "is_unit_scoped", False):
        return None
    if any(u.pk == user.unit_id for u in units) or any(p.unit_id == user.unit_id for p in prodi):
        return None
    return ValidationError(
        _("You can only record agreements that name your own unit (%(unit)s) or one of its study programmes."),
        code="outside_unit",
        params={"unit": user.unit},
    )


def partners_problem(*, partners: Iterable[Partner]) -> ValidationError | None:
    """Every agreement names at least one partner."""
    if list(partners):
        return None
    return ValidationError(_("Name at least one partner."), code="required")


def check_links(*, user: Any, partners: Iterable[Partner], units: Iterable[Unit], prodi: Iterable[Prodi]) -> None:
    """Refuse links that break a rule, each message on its field (partners, units)."""
    units, prodi = list(units), list(prodi)
    errors = {
        name: problem
        for name, problem in (
            ("partners", partners_problem(partners=partners)),
            ("units", unit_scope_problem(user=user, units=units, prodi=prodi)),
        )
        if problem is not None
    }
    if errors:
        raise ValidationError(errors)


def parent_period_warnings(agreement: Any) -> tuple[str, ...]:
    """The warnings a save gives back (it still saves): the agreement runs outside its parent's period."""
    warning = agreement.parent_period_warning()
    return (warning,) if warning else ()
