"""The backup archive: one uncompressed tar holding the database dump, the uploaded files and
manifest.json, which lists every other member with its size and SHA-256.

An archive handed to `restore` is untrusted. Reading it checks every member before anything is
written outside a private temporary directory: only regular files, under `database/` or `media/`,
with plain relative names; a bounded number of members, bounded sizes and a bounded manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

FORMAT = "simkerma-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
MAX_NAME_LENGTH = 1024
MAX_COMPONENT_LENGTH = 255


class BackupError(Exception):
    """A refusal or failure with a message for the operator; `refused` ones change nothing."""

    def __init__(self, message: str, *, refused: bool = True) -> None:
        super().__init__(message)
        self.refused = refused


@dataclass(frozen=True)
class Limits:
    members: int
    total_bytes: int
    manifest_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            members=settings.SIMKERMA_RESTORE_MAX_MEMBERS,
            total_bytes=settings.SIMKERMA_RESTORE_MAX_BYTES,
            manifest_bytes=settings.SIMKERMA_RESTORE_MAX_MANIFEST_BYTES,
        )


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


class HashingReader:
    """A file read through once, for tarfile, while its SHA-256 is taken."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.read_bytes += len(data)
        return data


def file_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def add_file(tar: tarfile.TarFile, source: Path, name: str) -> Entry:
    with source.open("rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = HashingReader(handle)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return Entry(path=name, size=reader.read_bytes, sha256=reader.digest.hexdigest())


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, *, mtime: float) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def check_member_name(name: str) -> str:
    """The member's name if it is a plain relative path under one of the archive's sections."""
    bad = BackupError(_("The archive holds a member with a name that is not allowed: %(name)r.") % {"name": name[:200]})
    if not name or len(name) > MAX_NAME_LENGTH or "\\" in name or "\x00" in name or name.startswith("/"):
        raise bad
    parts = name.split("/")
    if any(part in ("", ".", "..") or len(part) > MAX_COMPONENT_LENGTH for part in parts):
        raise bad
    if name == MANIFEST:
        return name
    if parts[0] == DATABASE_DIR and len(parts) == 2:
        return name
    if parts[0] == MEDIA_DIR and len(parts) >= 3:
        return name
    raise bad


def check_member(member: tarfile.TarInfo, destination: Path) -> None:
    check_member_name(member.name)
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        raise BackupError(
            _("The archive member %(name)s is not a regular file (links and devices are refused).")
            % {"name": member.name}
        )
    try:
        tarfile.data_filter(member, str(destination))
    except tarfile.FilterError as error:
        raise BackupError(
            _("The archive member %(name)s is refused: %(reason)s") % {"name": member.name, "reason": error}
        ) from None


@dataclass
class Extracted:
    """An archive checked and unpacked into a private directory, with its parsed manifest."""

    directory: Path
    manifest: dict[str, Any]
    entries: dict[str, Entry]

    def path(self, name: str) -> Path:
        return self.directory / name


def extract(archive: Path, directory: Path, *, limits: Limits) -> Extracted:
    """Unpack a backup into directory, checking each member; the manifest is not trusted yet."""
    if not archive.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": archive})
    if archive.stat().st_size > limits.total_bytes + limits.members * 3 * tarfile.BLOCKSIZE:
        raise BackupError(_("The archive is larger than this installation accepts (SIMKERMA_RESTORE_MAX_GB)."))
    entries: dict[str, Entry] = {}
    manifest_data: bytes | None = None
    total = 0
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for count, member in enumerate(_members(tar), start=1):
                if count > limits.members:
                    raise BackupError(_("The archive holds more members than this installation accepts."))
                check_member(member, directory)
                if member.name in entries or (member.name == MANIFEST and manifest_data is not None):
                    raise BackupError(_("The archive holds %(name)s twice.") % {"name": member.name})
                total += member.size
                if total > limits.total_bytes:
                    raise BackupError(
                        _("The archive is larger than this installation accepts (SIMKERMA_RESTORE_MAX_GB).")
                    )
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has content
                if member.name == MANIFEST:
                    if member.size > limits.manifest_bytes:
                        raise BackupError(_("The archive's manifest is larger than this installation accepts."))
                    manifest_data = source.read(limits.manifest_bytes + 1)
                    continue
                entries[member.name] = _write_member(source, directory / member.name, member.name, member.size)
    except (tarfile.TarError, EOFError) as error:
        raise BackupError(_("The file is not a readable backup archive: %(error)s") % {"error": error}) from None
    if manifest_data is None:
        raise BackupError(_("The archive has no manifest.json: it is not a Simkerma backup."))
    return Extracted(directory=directory, manifest=parse_manifest(manifest_data), entries=entries)


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    # next() reads one header at a time, so a huge member count is refused before it is all read.
    while (member := tar.next()) is not None:
        yield member


def _write_member(source: IO[bytes], target: Path, name: str, size: int) -> Entry:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        while written < size and (chunk := source.read(min(CHUNK, size - written))):
            digest.update(chunk)
            handle.write(chunk)
            written += len(chunk)
    if written != size:
        raise BackupError(_("The archive is truncated: %(name)s is incomplete.") % {"name": name})
    return Entry(path=name, size=written, sha256=digest.hexdigest())


def parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BackupError(_("The archive's manifest.json is not valid JSON.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("The archive's manifest.json is not a Simkerma backup manifest."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("The archive is in backup format %(version)r, which this version of Simkerma does not read.")
            % {"version": manifest.get("format_version")}
        )
    _check_shape(manifest)
    return manifest


def _check_shape(manifest: dict[str, Any]) -> None:
    database = manifest.get("database")
    files = manifest.get("files")
    migrations = manifest.get("migrations")
    ok = (
        isinstance(manifest.get("created_at"), str)
        and isinstance(database, dict)
        and isinstance(database.get("vendor"), str)
        and isinstance(database.get("dump"), str)
        and _is_counts(database.get("tables"))
        and isinstance(files, list)
        and all(_is_entry(item) for item in files)
        and isinstance(migrations, list)
        and all(_is_migration(item) for item in migrations)
    )
    if not ok:
        raise BackupError(_("The archive's manifest.json is incomplete or malformed."))


def _is_counts(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0 for k, v in value.items()
    )


def _is_entry(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and isinstance(item.get("size"), int)
        and isinstance(item.get("sha256"), str)
        and len(item["sha256"]) == 64
    )


def _is_migration(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)


def verify(extracted: Extracted) -> None:
    """Every member matches the manifest's size and checksum, and the manifest lists exactly the members."""
    listed = {item["path"]: item for item in extracted.manifest["files"]}
    if len(listed) != len(extracted.manifest["files"]):
        raise BackupError(_("The archive's manifest lists a file twice."))
    for name in listed:
        check_member_name(name)
    missing = sorted(set(listed) - set(extracted.entries))
    if missing:
        raise BackupError(_("The archive is incomplete: %(path)s is listed but missing.") % {"path": missing[0]})
    unlisted = sorted(set(extracted.entries) - set(listed))
    if unlisted:
        raise BackupError(_("The archive holds %(path)s, which its manifest does not list.") % {"path": unlisted[0]})
    for name, item in sorted(listed.items()):
        found = extracted.entries[name]
        if found.size != item["size"] or found.sha256 != item["sha256"]:
            raise BackupError(
                _("The archive is damaged or altered: %(path)s does not match its checksum.") % {"path": name}
            )
    dump = extracted.manifest["database"]["dump"]
    if not dump.startswith(f"{DATABASE_DIR}/") or dump not in listed:
        raise BackupError(_("The archive's manifest names a database dump that it does not hold."))
