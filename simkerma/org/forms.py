from django import forms

from simkerma.org.models import Prodi, Unit


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
        fields = ["code", "name", "level", "unit", "active_from", "active_until"]
