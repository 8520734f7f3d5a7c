from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simkerma.org.models import Prodi, Unit
from simkerma.org.services import MAX_NDTPS, MAX_YEAR, MIN_YEAR


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "expected_fields"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # A new unit's instance already holds an empty list, so setdefault would never propose the fields.
        if not self.instance.pk and not self.is_bound and not self.initial.get("expected_fields"):
            self.initial["expected_fields"] = Unit.default_expected_fields(Unit.Kind.JURUSAN)


class ProdiForm(forms.ModelForm):
    class Meta:
        model = Prodi
        fields = ["code", "name", "level", "unit", "instrument", "active_from", "active_until"]


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)


class LecturerCountForm(forms.Form):
    """One number of permanent lecturers (NDTPS) per study programme, for one year; empty means none."""

    def __init__(self, *args: Any, prodi: list[Prodi], stored: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prodi = prodi
        for item in prodi:
            self.fields[self.key(item)] = forms.IntegerField(
                label=f"{item.code} {item.level} {item.name}",
                required=False,
                min_value=0,
                max_value=MAX_NDTPS,
                initial=stored.get(item.pk),
                widget=forms.NumberInput(attrs={"min": 0, "max": MAX_NDTPS, "inputmode": "numeric"}),
            )

    @staticmethod
    def key(prodi: Prodi) -> str:
        return f"ndtps_{prodi.pk}"

    def rows(self) -> list[tuple[Prodi, forms.BoundField]]:
        return [(item, self[self.key(item)]) for item in self.prodi]

    def counts(self) -> dict[Prodi, int | None]:
        return {item: self.cleaned_data.get(self.key(item)) for item in self.prodi}
