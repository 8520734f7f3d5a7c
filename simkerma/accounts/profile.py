"""The profile page's sections: higher layers add theirs from AppConfig.ready().

    from simkerma.accounts.profile import register_profile_section
    register_profile_section("api-tokens", token_section, template="api/_profile_tokens.html", order=20)

The page asks each section, in order, for its values with `func(request)` and renders its template
with them; a section that returns None is left out for this person.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from simkerma.core.registry import Registry

SectionValues = Callable[[HttpRequest], Mapping[str, Any] | None]


@dataclass(frozen=True)
class ProfileSection:
    name: str
    func: SectionValues
    template: str


_sections: Registry[ProfileSection] = Registry("profile section")


def register_profile_section(name: str, func: SectionValues, *, template: str, order: int = 100) -> None:
    _sections.register(name, ProfileSection(name=name, func=func, template=template), order=order)


def profile_sections() -> list[ProfileSection]:
    return _sections.items()
