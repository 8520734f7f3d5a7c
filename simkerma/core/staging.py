"""Uploaded files reach their final name only when the transaction that records them commits.

Writing a file takes time, and SQLite's write lock must not wait on it; a file written to its
final name before a rolled-back (or killed) request would stay behind with no row. So a service
writes each new file to the staging area (`MEDIA_ROOT/.staging/<uuid>`) before its transaction,
gives the row the final name, and moves the file there on commit:

    with StagedFiles() as staged:
        staged.stage(instance.file, "scan.pdf", upload)  # written now, under .staging/
        with transaction.atomic():
            instance.save()  # the row holds the final name
            staged.publish()  # moved into place on commit

Leaving the block by an exception deletes the staged files. Leaving it with no transaction open
deletes what was not moved (its transaction rolled back). What a killed process leaves in
staging, the worker's `staging_sweep` removes once it is an hour old.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

logger = logging.getLogger(__name__)

STAGING_DIR = ".staging"
STAGING_MAX_AGE = dt.timedelta(hours=1)


@dataclass
class StagedFile:
    storage: Storage
    staged_name: str
    final_name: str = ""
    moved: bool = False


@dataclass
class StagedFiles:
    """The files one service writes; see the module's docstring."""

    files: list[StagedFile] = field(default_factory=list)
    using: str | None = None

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if kind is not None or not transaction.get_connection(self.using).in_atomic_block:
            self.discard()

    def write(self, content: IO[Any] | File, *, storage: Storage | None = None) -> StagedFile:
        """Write content to the staging area; `name` gives it the row's final name later."""
        storage = storage or default_storage
        if hasattr(content, "seek"):
            content.seek(0)
        wrapped = content if isinstance(content, File) else File(content)
        staged = StagedFile(storage=storage, staged_name=storage.save(f"{STAGING_DIR}/{uuid.uuid4().hex}", wrapped))
        self.files.append(staged)
        return staged

    def name(self, staged: StagedFile, fieldfile: FieldFile, filename: str) -> str:
        """Give the row the final name (from the field's upload_to) the staged file will move to."""
        model_field = fieldfile.field
        final = model_field.generate_filename(fieldfile.instance, filename)
        final = staged.storage.get_available_name(final, max_length=model_field.max_length)
        staged.final_name = final
        setattr(fieldfile.instance, model_field.attname, final)  # a saved (committed) name
        return final

    def stage(self, fieldfile: FieldFile, filename: str, content: IO[Any] | File) -> StagedFile:
        staged = self.write(content, storage=fieldfile.storage)
        self.name(staged, fieldfile, filename)
        return staged

    def publish(self) -> None:
        """Call inside the transaction that saves the rows: the files move when it commits."""
        pending = [staged for staged in self.files if staged.final_name and not staged.moved]
        transaction.on_commit(lambda: _move_all(pending), using=self.using)

    def discard(self) -> None:
        for staged in self.files:
            if not staged.moved:
                staged.storage.delete(staged.staged_name)


def _move_all(files: list[StagedFile]) -> None:
    for staged in files:
        if staged.moved:
            continue
        try:
            _move(staged)
        except Exception:  # the transaction has committed: log, and try the other files
            logger.exception("Could not move %s to %s", staged.staged_name, staged.final_name)


def _move(staged: StagedFile) -> None:
    storage = staged.storage
    try:
        source, target = storage.path(staged.staged_name), storage.path(staged.final_name)
    except NotImplementedError:  # a storage without local paths: copy, then delete
        with storage.open(staged.staged_name, "rb") as handle:
            saved = storage.save(staged.final_name, handle)
        storage.delete(staged.staged_name)
        if saved != staged.final_name:
            logger.error("%s was stored as %s, not %s", staged.staged_name, saved, staged.final_name)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
    staged.moved = True


def staging_sweep(*, storage: Storage | None = None, now: dt.datetime | None = None) -> int:
    """Remove staged files older than STAGING_MAX_AGE (left by a killed request); the number removed."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - STAGING_MAX_AGE
    try:
        _dirs, names = storage.listdir(STAGING_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{STAGING_DIR}/{name}"
        try:
            old = storage.get_modified_time(path) < cutoff
        except FileNotFoundError:  # moved or removed meanwhile
            continue
        if old:
            storage.delete(path)
            removed += 1
    return removed
