"""What the apps above partners show on a partner's page (its agreements, its activities).

Each app adds its values in its AppConfig.ready():

    from simkerma.partners.sections import register_partner_section
    register_partner_section("agreements", partner_agreements, order=10)

The partner page asks every section, in order, for `func(partner)` and adds the values to its
context. The partner app names none of them, so it stays below them in the layer order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simkerma.core.registry import Registry
from simkerma.partners.models import Partner

SectionValues = Callable[[Partner], Mapping[str, Any]]

_sections: Registry[SectionValues] = Registry("partner page section")


def register_partner_section(name: str, func: SectionValues, *, order: int = 100) -> None:
    _sections.register(name, func, order=order)


def partner_sections(partner: Partner) -> dict[str, Any]:
    """The values every registered section gives for this partner's page."""
    values: dict[str, Any] = {}
    for func in _sections.items():
        values.update(func(partner))
    return values
