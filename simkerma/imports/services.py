"""Importing the data workbook (docs/workbook.md): the one door the command and the import page share.

`workbook_import` never raises for bad input: a file of the wrong kind, a bad cell, an unknown
code or a row a form would refuse comes back as a Problem at its place, and then nothing is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied

from simkerma.imports.importer import check_workbook, write_workbook
from simkerma.imports.importer.base import Context
from simkerma.imports.reader import WorkbookRefused, binary, open_workbook
from simkerma.imports.results import ImportResult, Problem, Progress, SheetCounts, Warning

__all__ = ["ImportResult", "Problem", "Progress", "SheetCounts", "Warning", "can_import", "workbook_import"]


def can_import(user: Any) -> bool:
    """Staf Kerjasama, the Kapokja and the administrator import workbooks (None: the command line)."""
    return user is None or bool(getattr(user, "is_authenticated", False) and getattr(user, "is_team", False))


def workbook_import(
    *,
    file: IO[bytes] | str | Path,
    user: Any,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the workbook and, unless `dry_run` or anything is wrong, write it all in one transaction.

    `user` None is the operator on the command line (history records no user). Raises
    PermissionDenied for a user outside the team; every other refusal is in the result.
    """
    if not can_import(user):
        raise PermissionDenied
    ctx = Context(user=user, progress=progress)
    with binary(file) as stream:
        try:
            workbook = open_workbook(stream)
        except WorkbookRefused as refusal:
            return ImportResult(problems=[Problem("", None, None, refusal.message)])
        try:
            imports = check_workbook(ctx, workbook)
        except WorkbookRefused as refusal:
            return ImportResult(problems=[Problem("", None, None, refusal.message)])
        finally:
            workbook.close()
    result = ImportResult(
        problems=ctx.problems,
        warnings=ctx.warnings,
        counts=[ctx.counts[handler.name] for handler in imports],
    )
    if result.problems or dry_run:
        return result
    write_workbook(ctx, imports)
    result.saved = True
    return result
