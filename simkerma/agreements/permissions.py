"""Who may record and change agreements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simkerma.agreements.models import Agreement


def can_create_agreement(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_team or user.is_unit_scoped))


def can_edit_agreement(user: Any, agreement: Agreement) -> bool:
    """The cooperation team edits every agreement; a unit edits the ones that name it or its prodi."""
    if not user.is_authenticated:
        return False
    if user.is_team:
        return True
    return bool(user.is_unit_scoped and agreement.names_unit(user.unit_id))
