"""The uploaded files: every directory a FileField stores into, found from the models.

Each directory is named in the archive (`media/<name>/<path>`): `default` for the default storage
(MEDIA_ROOT), otherwise the first model field that uses it. Directories whose names begin with a
dot at the top of a storage (uploads being staged, a restore in progress) are not uploaded files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.utils.translation import gettext as _

from simkerma.core.backup.archive import MEDIA_DIR, BackupError, file_sha256


@dataclass(frozen=True)
class MediaFile:
    root: str
    relative: str
    path: Path

    @property
    def member(self) -> str:
        return f"{MEDIA_DIR}/{self.root}/{self.relative}"


def file_roots() -> dict[str, Path]:
    roots: dict[str, Path] = {}
    storages: list[tuple[str, object]] = [("default", default_storage)]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                storages.append((f"{model._meta.label_lower}.{field.name}", field.storage))
    for name, storage in storages:
        if not isinstance(storage, FileSystemStorage):
            raise BackupError(
                _(
                    "%(field)s keeps its files in %(storage)s, which this backup cannot read; back that "
                    "storage up by its own means."
                )
                % {"field": name, "storage": type(storage).__name__}
            )
        location = Path(storage.location).resolve()
        if not any(location == known or known in location.parents for known in roots.values()):
            roots[name] = location
    return roots


def media_files(roots: dict[str, Path]) -> list[MediaFile]:
    found = []
    for name, root in roots.items():
        if not root.is_dir():
            continue
        for directory, subdirectories, filenames in os.walk(root):
            here = Path(directory)
            if here == root:
                subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
            subdirectories.sort()
            for filename in sorted(filenames):
                path = here / filename
                if path.is_file() and not path.is_symlink():
                    found.append(MediaFile(root=name, relative=path.relative_to(root).as_posix(), path=path))
    return found


def split_member(member: str) -> tuple[str, str]:
    _, root, relative = member.split("/", 2)
    return root, relative


def targets(members: list[str], roots: dict[str, Path]) -> dict[str, Path]:
    """Where each archived file goes here, refusing a storage this installation does not have."""
    placed = {}
    for member in members:
        root, relative = split_member(member)
        if root not in roots:
            raise BackupError(
                _("The archive holds files of the storage %(name)s, which this installation does not have.")
                % {"name": root}
            )
        target = (roots[root] / relative).resolve()
        if roots[root] not in target.parents:
            raise BackupError(
                _("The archive holds a member with a name that is not allowed: %(name)r.") % {"name": member}
            )
        placed[member] = target
    return placed


def conflicts(placed: dict[str, Path], checksums: dict[str, str]) -> list[str]:
    """Archived files whose place here already holds a different file."""
    return [member for member, target in placed.items() if _differs(target, checksums[member])]


def _differs(target: Path, sha256: str) -> bool:
    if target.is_symlink():
        return True
    return target.exists() and (not target.is_file() or file_sha256(target)[1] != sha256)


def put(source: Path, target: Path) -> None:
    """Copy a file into place under a temporary name, then rename it, so no half file is ever seen."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as data:
            shutil.copyfileobj(data, out)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
