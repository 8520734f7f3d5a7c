"""What every sheet's import shares: the run's context, problems by place, and bulk writes with history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.activities.models import IMPORTED
from simkerma.core.history import change_reason
from simkerma.imports.format import DEFINED_IN, Sheet
from simkerma.imports.results import Problem, SheetCounts, Warning

BATCH = 2000
T = TypeVar("T")


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Context:
    """One import run: who imports, what it found so far, and the codes each sheet defines."""

    def __init__(self, *, user: Any, progress: Any = None) -> None:
        self.user = user
        self.progress = progress
        self.problems: list[Problem] = []
        self.warnings: list[Warning] = []
        self.counts: dict[str, SheetCounts] = {}
        self.now = timezone.now()
        self.reason = change_reason(IMPORTED)
        # Codes the workbook defines, sheet by sheet (valid rows or not, so that one bad row is
        # not reported again by every row that refers to it).
        self.defined: dict[str, dict[str, Any]] = {}
        self.rows_read = 0
        self.rows_estimate = 0
        self.rows_written = 0
        self.rows_to_write = 0

    def wrote(self, count: int) -> None:
        """Count rows written, for the progress of the write stage."""
        self.rows_written += count
        if self.progress:
            self.progress("write", self.rows_written, max(self.rows_to_write, self.rows_written))

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, str(message)))

    def warning(self, sheet: str, row: int | None, column: str | None, message: str, link: str = "") -> None:
        self.warnings.append(Warning(sheet, row, column, str(message), link))

    def count(self, sheet: str) -> SheetCounts:
        return self.counts.setdefault(sheet, SheetCounts(sheet))

    def unknown(self, sheet: str, row: int, column: str, code: str) -> None:
        self.problem(
            sheet,
            row,
            column,
            _("%(column)s %(code)s is not in sheet %(sheet)s nor in Simkerma.")
            % {"column": column, "code": code, "sheet": DEFINED_IN.get(column, sheet)},
        )

    def model_errors(self, sheet: str, row: int, error: ValidationError, columns: dict[str, str]) -> None:
        """Each of the model's messages at the column of its field (the row itself for the rest)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                column = columns.get(name) if name != NON_FIELD_ERRORS else None
                for item in errors:
                    for message in item.messages:
                        self.problem(sheet, row, column, message)
        else:
            for message in error.messages:
                self.problem(sheet, row, None, message)


class SheetImport:
    """The rows of one sheet: checked row by row, then compared with the stored records and written."""

    sheet: Sheet
    # model field -> workbook column, for the model's messages
    columns: dict[str, str] = {}

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.name = self.sheet.name
        self.keys: dict[Any, int] = {}  # key -> first row
        self.present: set[str] = set()  # columns present in the sheet

    def duplicate(self, key: Any, row: int, column: str, shown: str) -> bool:
        first = self.keys.get(key)
        if first is not None:
            self.ctx.problem(
                self.name,
                row,
                column,
                _("%(value)s appears twice in this sheet (first in row %(first)s).") % {"value": shown, "first": first},
            )
            return True
        self.keys[key] = row
        return False

    def check(self, error: ValidationError, row: int) -> None:
        self.ctx.model_errors(self.name, row, error, self.columns)

    def row(self, number: int, cells: dict[str, Any]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """After the last row: what needs the whole sheet (parents defined later, batched look-ups)."""

    def write(self) -> None:
        raise NotImplementedError


def through_of(model: type[models.Model], field: str) -> Any:
    return getattr(model, field).through


def m2m_history_model(model: type[models.Model], field: str) -> Any:
    return getattr(model.history.model, field).model  # type: ignore[attr-defined]


def create_with_history(
    model: type[models.Model], objects: list[Any], *, ctx: Context, history: bool = True
) -> list[Any]:
    """bulk_create, then one history record per object (created by the import)."""
    created = model._default_manager.bulk_create(objects, batch_size=BATCH)
    ctx.wrote(len(created))
    if history:
        records = model.history.bulk_history_create(  # type: ignore[attr-defined]
            created, batch_size=BATCH, default_user=ctx.user, default_change_reason=ctx.reason, default_date=ctx.now
        )
        for obj, record in zip(created, records, strict=True):
            setattr(obj, "_import_history_id", record.pk)  # noqa: B010
    return created


def update_with_history(
    model: type[models.Model], objects: list[Any], fields: Iterable[str], *, ctx: Context, history: bool = True
) -> None:
    """bulk_update (with updated_at), then one history record per object (changed by the import)."""
    fields = list(fields)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        for obj in objects:
            obj.updated_at = ctx.now
        fields.append("updated_at")
    model._default_manager.bulk_update(objects, fields, batch_size=BATCH)
    ctx.wrote(len(objects))
    if history:
        records = model.history.bulk_history_create(  # type: ignore[attr-defined]
            objects,
            batch_size=BATCH,
            update=True,
            default_user=ctx.user,
            default_change_reason=ctx.reason,
            default_date=ctx.now,
        )
        for obj, record in zip(objects, records, strict=True):
            setattr(obj, "_import_history_id", record.pk)  # noqa: B010


def write_links(
    model: type[models.Model],
    owner: str,
    objects: list[Any],
    links: dict[str, list[list[int]]],
    *,
    replace: bool,
    history: bool = True,
) -> None:
    """Set the many-to-many links of `objects` (links[field][i] are the target ids of objects[i]),
    in bulk, and copy them into the history records just written for the objects."""
    ids = [obj.pk for obj in objects]
    for field, targets in links.items():
        through = through_of(model, field)
        target = model._meta.get_field(field).related_model._meta.model_name  # type: ignore[union-attr]
        if replace:
            through.objects.filter(**{f"{owner}_id__in": ids}).delete()
        rows = [
            through(**{f"{owner}_id": obj.pk, f"{target}_id": target_id})
            for obj, wanted in zip(objects, targets, strict=True)
            for target_id in wanted
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        if not history:
            continue
        if any(row.pk is None for row in rows):  # a database that does not return ids
            rows = list(through.objects.filter(**{f"{owner}_id__in": ids}))
        record_of = {obj.pk: obj._import_history_id for obj in objects}
        historical = m2m_history_model(model, field)
        historical.objects.bulk_create(
            [
                historical(
                    id=row.pk,
                    history_id=record_of[getattr(row, f"{owner}_id")],
                    **{f"{owner}_id": getattr(row, f"{owner}_id"), f"{target}_id": getattr(row, f"{target}_id")},
                )
                for row in rows
            ],
            batch_size=BATCH,
        )


def copy_links_to_history(model: type[models.Model], owner: str, objects: list[Any], fields: Iterable[str]) -> None:
    """Copy the stored links of `objects` (unchanged by the import) into their new history records."""
    ids = [obj.pk for obj in objects]
    record_of = {obj.pk: obj._import_history_id for obj in objects}
    for field in fields:
        through = through_of(model, field)
        target = model._meta.get_field(field).related_model._meta.model_name  # type: ignore[union-attr]
        historical = m2m_history_model(model, field)
        rows = through.objects.filter(**{f"{owner}_id__in": ids}).values_list("pk", f"{owner}_id", f"{target}_id")
        historical.objects.bulk_create(
            [
                historical(
                    id=pk, history_id=record_of[owner_id], **{f"{owner}_id": owner_id, f"{target}_id": target_id}
                )
                for pk, owner_id, target_id in rows
            ],
            batch_size=BATCH,
        )


def same_day(a: dt.date | None, b: dt.date | None) -> bool:
    return a == b
