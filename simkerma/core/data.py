"""What write services take and give back, whatever door the data came in by.

A service takes keyword-only typed data: a dataclass per entity (`PartnerData`, `AgreementData`, ...)
whose field names are the model's field names. A form builds it with `to_data()`; the JSON API
builds it from its schema and the workbook importer from a row. The service checks permission,
validates the rules on the model (`full_clean()`) and in `<app>/rules.py`, and saves everything,
history included, in one transaction. It gives back the saved object with any warnings, which the
caller shows: a warning never stops a save.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Generic, TypeVar, cast

from django.db import models

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Saved(Generic[T]):
    """A saved object and the warnings about it, such as "outside its parent's period"."""

    obj: T
    warnings: tuple[str, ...] = ()


class Keep:
    """The value of a data field its door does not carry: the stored value stays (on create, the
    model's default). A door that knows the field (the form) gives a value; one that does not (an
    older API client, a workbook without the column) leaves it as KEEP, so it erases nothing."""

    _instance: Keep | None = None

    def __new__(cls) -> Keep:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "KEEP"

    def __bool__(self) -> bool:
        return False


KEEP = Keep()


def data_values(data: Any, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The values of a data object (a dataclass or a mapping) by field name; KEEP values are left out."""
    skipped = set(exclude)
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        values = {f.name: getattr(data, f.name) for f in dataclasses.fields(data) if f.name not in skipped}
    else:
        values = {name: value for name, value in dict(data).items() if name not in skipped}
    return {name: value for name, value in values.items() if value is not KEEP}


def apply_data(instance: models.Model, data: Any, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Set every concrete model field named in `data` on `instance`.

    Gives back the many-to-many values (name -> objects), which can only be set once the instance
    is saved. Names that are no field of the model are left for the service to use.
    """
    many: dict[str, Any] = {}
    fields = {f.name: f for f in instance._meta.get_fields()}
    for name, value in data_values(data, exclude=exclude).items():
        field = fields.get(name)
        if field is None or (field.auto_created and not field.concrete):
            continue
        if field.many_to_many:
            many[name] = list(value or [])
        elif field.concrete:
            by_key = field.is_relation and value is not None and not isinstance(value, models.Model)
            # A concrete field is a models.Field (a generic foreign key is not concrete).
            setattr(instance, cast(models.Field[Any, Any], field).attname if by_key else name, value)
    return many
