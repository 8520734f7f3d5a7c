"""Who may read and write evaluations, monitoring records and partner surveys.

- The cooperation team (staff, Kapokja, the administrator) writes for every agreement.
- A coordinator or P3M writes for agreements that name their unit (directly or through a prodi).
- Pimpinan and auditors read everything and write nothing; an account without a role sees nothing.
- Archiving an evaluation, and sending surveys, is the team's.
"""

from __future__ import annotations

from typing import Any

from simkerma.activities.permissions import is_team
from simkerma.agreements.models import Agreement


def can_view_evaluations(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role)


def can_write_evaluation(user: Any, agreement: Agreement) -> bool:
    if is_team(user):
        return True
    return bool(user.is_authenticated and user.is_unit_scoped and agreement.names_unit(user.unit_id))


def can_write_any_evaluation(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_team or user.is_unit_scoped))


def can_archive_evaluation(user: Any) -> bool:
    return is_team(user)


def can_send_surveys(user: Any) -> bool:
    return is_team(user)
