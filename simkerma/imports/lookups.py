"""The lists Simkerma keeps whose codes a workbook column takes (format.Column.lookup).

The ministry's partner categories and forms of cooperation are edited in Simkerma, so their codes
are read from the database: by the importer to check a cell, and by the blank template to offer
them in a drop-down and list them in the instructions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from simkerma.activities.reporting import CooperationForm
from simkerma.imports import format as fmt
from simkerma.partners.models import PartnerCategory

MODELS: dict[str, type[models.Model]] = {
    fmt.PARTNER_CATEGORY: PartnerCategory,
    fmt.COOPERATION_FORM: CooperationForm,
}


class Lookup:
    """The codes of one list: every stored one is accepted (a record keeps a code switched off since),
    the ones in use are offered."""

    def __init__(self, name: str) -> None:
        rows = MODELS[name]._default_manager.order_by("order", "code").values_list("code", "pk", "is_active")
        self.ids: dict[str, int] = {}
        self.offered: list[str] = []
        for code, pk, active in rows:
            self.ids[code] = pk
            if active:
                self.offered.append(code)
        self.code_of = {pk: code for code, pk in self.ids.items()}

    def find(self, value: str) -> int | None:
        """The id of a code, matched exactly or, failing that, without regard to case."""
        if value in self.ids:
            return self.ids[value]
        lowered = {code.lower(): pk for code, pk in self.ids.items()}
        return lowered.get(value.lower())

    def refusal(self, value: str) -> str:
        return _("“%(value)s” is not a code of this list in Simkerma. Valid codes: %(codes)s.") % {
            "value": value[:50],
            "codes": ", ".join(self.offered) or "–",
        }


def lookup(ctx: object, name: str) -> Lookup:
    """The list, loaded once per import run."""
    cache: dict[str, Lookup] = ctx.__dict__.setdefault("lookups", {})
    if name not in cache:
        cache[name] = Lookup(name)
    return cache[name]
