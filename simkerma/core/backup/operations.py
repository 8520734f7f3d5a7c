"""Making a backup archive and restoring one (docs/deployment.md, "Backups")."""

from __future__ import annotations

import datetime as dt
import json
import os
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.core.backup import database, media
from simkerma.core.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Entry,
    Limits,
    add_bytes,
    add_file,
    extract,
    file_sha256,
    verify,
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    file_bytes: int


@dataclass
class RestoreResult:
    created_at: str
    vendor: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    count_mismatches: list[str] = field(default_factory=list)
    file_mismatches: list[str] = field(default_factory=list)
    tables_left: list[str] = field(default_factory=list)
    unapplied_migrations: int = 0

    @property
    def ok(self) -> bool:
        return not self.count_mismatches and not self.file_mismatches


def backup_create(*, output_dir: Path, using: str = "default") -> BackupResult:
    """Write one archive with the database dump, every uploaded file and the manifest."""
    roots = media.file_roots()
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    path, handle = _new_archive(output_dir, created)
    partial = Path(f"{path}.part")
    try:
        with tempfile.TemporaryDirectory(prefix="simkerma-backup-") as scratch, os.fdopen(handle, "wb") as raw:
            dumped = database.dump(Path(scratch), using=using)
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                entries = [add_file(tar, dumped.path, database.DUMP_NAMES[dumped.vendor])]
                # The files are read after the database's snapshot, so every file it names was there.
                entries += [add_file(tar, found.path, found.member) for found in media.media_files(roots)]
                manifest = _manifest(created, dumped, entries, roots)
                add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode(), mtime=created.timestamp())
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    media_entries = entries[1:]
    return BackupResult(
        path=path,
        tables=len(dumped.inventory.tables),
        rows=sum(dumped.inventory.tables.values()),
        files=len(media_entries),
        file_bytes=sum(entry.size for entry in media_entries),
    )


def _new_archive(directory: Path, created: dt.datetime) -> tuple[Path, int]:
    stem = f"simkerma-backup-{created:%Y%m%d-%H%M%S}"
    for attempt in range(1000):
        path = directory / (f"{stem}.tar" if attempt == 0 else f"{stem}-{attempt}.tar")
        if path.exists():
            continue
        try:
            # The archive holds personal data and password hashes: readable by its owner only.
            return path, os.open(f"{path}.part", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
    raise BackupError(_("No free archive name in %(directory)s.") % {"directory": directory})


def _manifest(
    created: dt.datetime, dumped: database.Dump, entries: list[Entry], roots: dict[str, Path]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.astimezone(dt.UTC).isoformat(),
        "simkerma_version": simkerma_version(),
        "database": {
            "vendor": dumped.vendor,
            "server_version": dumped.server_version,
            "dump": database.DUMP_NAMES[dumped.vendor],
            "tables": dumped.inventory.tables,
        },
        "migrations": [list(item) for item in dumped.inventory.migrations],
        "storages": sorted(roots),
        "files": [entry.as_json() for entry in entries],
    }


def simkerma_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def backup_restore(*, archive: Path, force: bool = False, using: str = "default") -> RestoreResult:
    """Check an archive whole, then load its database and put its files back, then check both again."""
    vendor = database.supported_vendor(using)
    roots = media.file_roots()
    with tempfile.TemporaryDirectory(prefix="simkerma-restore-") as scratch:
        extracted = extract(archive, Path(scratch), limits=Limits.from_settings())
        verify(extracted)
        manifest = extracted.manifest
        _check_compatible(manifest, vendor)
        dump_path = extracted.path(manifest["database"]["dump"])
        database.check_dump(dump_path, vendor=vendor, using=using)
        checksums = {item["path"]: item["sha256"] for item in manifest["files"]}
        placed = media.targets([name for name in checksums if name.startswith("media/")], roots)
        existing = database.existing_tables(using)
        _check_target(existing, placed, checksums, force=force)
        database.restore(dump_path, vendor=vendor, using=using, replace=bool(existing))
        for member, target in placed.items():
            media.put(extracted.path(member), target)
    return _recheck(manifest, placed, existing, using=using)


def _check_compatible(manifest: dict[str, Any], vendor: str) -> None:
    archived = manifest["database"]["vendor"]
    if archived != vendor:
        raise BackupError(
            _(
                "The archive holds a %(archived)s database; this installation uses %(vendor)s. Restore it "
                "into %(archived)s."
            )
            % {"archived": archived, "vendor": vendor}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            _(
                "The archive was made by a newer version of Simkerma (migration %(migration)s is unknown "
                "here); restore it with that version or a later one."
            )
            % {"migration": unknown[0]}
        )


def _check_target(existing: list[str], placed: dict[str, Path], checksums: dict[str, str], *, force: bool) -> None:
    if force:
        return
    if existing:
        raise BackupError(
            _(
                "The database is not empty (it holds %(count)d tables). Restore into an empty database, or "
                "pass --force to replace everything in it."
            )
            % {"count": len(existing)}
        )
    if clashes := media.conflicts(placed, checksums):
        raise BackupError(
            _(
                "%(path)s already exists with other content. Restore into empty file storage, or pass "
                "--force to replace the files the archive holds."
            )
            % {"path": placed[clashes[0]]}
        )


def _recheck(manifest: dict[str, Any], placed: dict[str, Path], before: list[str], *, using: str) -> RestoreResult:
    archived = manifest["database"]["tables"]
    found = database.current_inventory(using).tables
    sizes = {item["path"]: item for item in manifest["files"]}
    result = RestoreResult(
        created_at=manifest["created_at"],
        vendor=manifest["database"]["vendor"],
        tables=len(archived),
        rows=sum(archived.values()),
        files=len(placed),
        file_bytes=sum(sizes[member]["size"] for member in placed),
        count_mismatches=[
            f"{name}: {count} → {found.get(name, '-')}"
            for name, count in sorted(archived.items())
            if found.get(name) != count
        ],
        tables_left=sorted((set(found) - set(archived)) & set(before)),
    )
    for member, target in sorted(placed.items()):
        if not target.is_file() or file_sha256(target) != (sizes[member]["size"], sizes[member]["sha256"]):
            result.file_mismatches.append(str(target))
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    result.unapplied_migrations = len(set(loader.disk_migrations) - set(loader.applied_migrations or {}))
    # A cache outside the database may hold figures computed from the data that was replaced.
    for cache in caches.all(initialized_only=True):
        if not isinstance(cache, DatabaseCache):
            cache.clear()
    return result
