"""A model field holding a list of choices, stored as one `;`-separated string.

The string form sorts in the choices' order, so equal lists store equal values and
`<field>__contains="pkm"` filters the same way on SQLite and PostgreSQL.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

SEPARATOR = ";"


class ChoiceListField(models.CharField):
    # For django-stubs: the model attribute takes a list of items as well as the stored string. The stubs
    # declare CharField's as `str | int | Combinable`, which a subclass may not widen, hence the ignore.
    _pyi_private_set_type: str | Iterable[str] | Combinable  # type: ignore[assignment]

    def __init__(self, *args: Any, item_choices: Iterable[tuple[str, Any]] = (), **kwargs: Any):
        self.item_choices = list(item_choices)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def _order(self) -> list[str]:
        return [value for value, _label in self.item_choices]

    def split(self, value: Any) -> list[str]:
        """The items of a stored string or a list, without duplicates, in the choices' order.

        Unknown items go last, alphabetically, so that equal lists always store equal values.
        """
        if value is None or value == "":
            return []
        parts = [value] if isinstance(value, str) else [str(item) for item in value]
        items = {item.strip() for part in parts for item in part.split(SEPARATOR) if item.strip()}
        order = self._order()
        return sorted(items, key=lambda item: (order.index(item) if item in order else len(order), item))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[str]:
        return self.split(value)

    def to_python(self, value: Any) -> list[str]:
        return self.split(value)

    def get_prep_value(self, value: Any) -> str:
        return SEPARATOR.join(self.split(value))

    def run_validators(self, value: Any) -> None:
        # max_length applies to the stored string, not to the number of items.
        super().run_validators(self.get_prep_value(value))

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        allowed = set(self._order())
        unknown = [item for item in self.split(value) if item not in allowed]
        if unknown:
            raise ValidationError(_("Unknown value: %(values)s"), params={"values": ", ".join(unknown)})
        if not self.blank and not self.split(value):
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        defaults: dict[str, Any] = {
            "choices": self.item_choices,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        return forms.MultipleChoiceField(**defaults)

    def labels(self, value: Any) -> list[str]:
        names = dict(self.item_choices)
        return [str(names.get(item, item)) for item in self.split(value)]
