"""Backups: the restore drill into an empty database, and archives that must be refused."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.archive.models import EvidenceFile
from simkerma.archive.tests.factories import EvidenceFileFactory
from simkerma.core.backup import database
from simkerma.core.tests.files import PNG_BYTES, files_under, pdf_bytes
from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import PartnerFactory

ROOT = Path(__file__).resolve().parents[3]
SCAN = pdf_bytes(2)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def build_data():
    agreement = AgreementFactory(signed_scan=ContentFile(SCAN, name="scan.pdf"))
    ActivityFactory.create_batch(2, agreement=agreement)
    evidence = EvidenceFileFactory()
    return agreement, evidence


def backup(directory: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(directory), stdout=out)
    return Path(out.getvalue().strip())


def checksums(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in files_under(root)}


def refused(*args: str) -> CommandError:
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("restore", *args, stdout=io.StringIO())
    assert error.value.returncode == 2
    return error.value


def restore_process(archive: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "manage.py"), "restore", str(archive)]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603


def rewrite(archive: Path, target: Path, *, change=None, add=()) -> Path:
    """A copy of an archive with some members' content changed and other members added."""
    change = change or {}
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name in change:
                data = change[member.name](data)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        for member, data in add:
            out.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


@contextmanager
def empty_database(tmp_path: Path):
    """A new, empty database on the same server as the tests' one: its URL and a DB-API connection."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: closing(sqlite3.connect(path))
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restore"[:63]
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    server = f"postgresql://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}", lambda: psycopg.connect(f"{server}/{name}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_it_restores_a_backup_into_an_empty_database_with_the_same_counts_and_files(media, tmp_path):
    agreement, evidence = build_data()
    archive = backup(tmp_path / "backups")
    source_counts = database.current_inventory("default").tables
    source_files = checksums(media)
    assert set(source_files) == {agreement.signed_scan.name, evidence.file.name}

    restored_media = tmp_path / "restored-media"
    clash = restored_media / evidence.file.name
    clash.parent.mkdir(parents=True)
    clash.write_bytes(b"another file under the same name")
    with empty_database(tmp_path) as (url, connect):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "SIMKERMA_VAR_DIR": str(tmp_path / "var"),
            "SIMKERMA_MEDIA_ROOT": str(restored_media),
        }
        # A different file already where an archived one goes: refused, the database left empty.
        first = restore_process(archive, env)
        with connect() as restored:
            assert database.table_names(restored.cursor(), connection.vendor) == []
        clash.unlink()
        result = restore_process(archive, env)
        assert result.returncode == 0, result.stderr
        with connect() as restored:
            restored_counts = database.inventory(restored.cursor(), connection.vendor).tables
        # Restoring again finds the database no longer empty.
        again = restore_process(archive, env)

    assert first.returncode == 2
    assert evidence.file.name in first.stderr and "Traceback" not in first.stderr
    assert again.returncode == 2
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    assert restored_counts == source_counts
    assert restored_counts[Agreement._meta.db_table] == Agreement.objects.count() == 2
    assert restored_counts[EvidenceFile._meta.db_table] == 1
    assert checksums(restored_media) == source_files
    assert (restored_media / agreement.signed_scan.name).read_bytes() == SCAN
    assert (restored_media / evidence.file.name).read_bytes() == PNG_BYTES
    assert f"{sum(source_counts.values())}" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_it_writes_one_private_archive_whose_manifest_lists_every_file_with_its_checksum(media, tmp_path):
    agreement, evidence = build_data()
    archive = backup(tmp_path / "backups")

    assert archive.name.startswith("simkerma-backup-") and archive.suffix == ".tar"
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = manifest_of(archive)
    files = {item["path"]: item for item in manifest["files"]}
    scan = files[f"media/default/{agreement.signed_scan.name}"]
    assert scan == {
        "path": f"media/default/{agreement.signed_scan.name}",
        "size": len(SCAN),
        "sha256": hashlib.sha256(SCAN).hexdigest(),
    }
    assert f"media/default/{evidence.file.name}" in files
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["dump"] in files
    assert manifest["database"]["tables"][Agreement._meta.db_table] == Agreement.objects.count() == 2
    assert ["agreements", "0001_initial"] in manifest["migrations"]
    assert manifest["simkerma_version"] not in ("", "unknown")
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == sorted([*files, "manifest.json"])


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_tampered_archive_and_changes_nothing(media, tmp_path):
    _, evidence = build_data()
    archive = backup(tmp_path / "backups")
    PartnerFactory(name="Mitra sesudah cadangan")
    (media / evidence.file.name).unlink()
    before_counts = database.current_inventory("default").tables
    before_files = checksums(media)

    member = f"media/default/{evidence.file.name}"
    tampered = rewrite(archive, tmp_path / "tampered.tar", change={member: lambda data: data[:-1] + b"\x00"})
    error = refused(str(tampered), "--force")

    assert member in str(error)
    assert database.current_inventory("default").tables == before_counts
    assert Partner.objects.filter(name="Mitra sesudah cadangan").exists()
    assert checksums(media) == before_files
    assert not (media / evidence.file.name).exists()


def member(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.linkname = link
    return info


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        member("../outside.txt", size=4),
        member("/simkerma-absolute.txt", size=4),
        member("media/default/../../outside.txt", size=4),
        member("media/default/link", tarfile.SYMTYPE, link="/etc/passwd"),
        member("media/default/hard", tarfile.LNKTYPE, link="manifest.json"),
        member("media/default/device", tarfile.CHRTYPE),
        member("media/default/fifo", tarfile.FIFOTYPE),
    ],
    ids=["parent", "absolute", "nested-parent", "symlink", "hardlink", "device", "fifo"],
)
def test_it_refuses_an_archive_with_a_member_that_could_escape(media, tmp_path, hostile):
    (media / "archive").mkdir(parents=True)
    (media / "archive" / "kept.png").write_bytes(PNG_BYTES)
    manifest = json.dumps({"format": "simkerma-backup", "format_version": 1}).encode()
    crafted = tmp_path / "hostile.tar"
    with tarfile.open(crafted, "w") as tar:
        tar.addfile(member("media/default/archive/ok.png", size=len(PNG_BYTES)), io.BytesIO(PNG_BYTES))
        tar.addfile(hostile, io.BytesIO(b"evil") if hostile.size else None)
        tar.addfile(member("manifest.json", size=len(manifest)), io.BytesIO(manifest))

    error = refused(str(crafted), "--force")

    assert "not allowed" in str(error) or "not a regular file" in str(error)
    assert not (tmp_path / "outside.txt").exists()
    assert not Path("/simkerma-absolute.txt").exists()
    assert files_under(media) == {"archive/kept.png"}


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_database_that_is_not_empty_without_force(media, tmp_path):
    build_data()
    archive = backup(tmp_path / "backups")
    PartnerFactory(name="Mitra sesudah cadangan")
    before = database.current_inventory("default").tables

    error = refused(str(archive))

    assert "--force" in str(error)
    assert database.current_inventory("default").tables == before
    assert Partner.objects.filter(name="Mitra sesudah cadangan").exists()


@pytest.mark.django_db(transaction=True)
def test_it_replaces_a_database_that_is_not_empty_with_force(media, tmp_path):
    _, evidence = build_data()
    archive = backup(tmp_path / "backups")
    archived = database.current_inventory("default").tables
    PartnerFactory(name="Mitra sesudah cadangan")
    (media / evidence.file.name).write_bytes(b"changed after the backup")

    out = io.StringIO()
    with translation.override("en"):
        call_command("restore", str(archive), "--force", stdout=out)

    assert database.current_inventory("default").tables == archived
    assert not Partner.objects.filter(name="Mitra sesudah cadangan").exists()
    assert (media / evidence.file.name).read_bytes() == PNG_BYTES
    assert "every count matches the archive" in out.getvalue()
    assert "every checksum matches the archive" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_from_another_database_vendor(media, tmp_path):
    archive = backup(tmp_path / "backups")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def vendor(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["database"]["vendor"] = other
        return json.dumps(manifest).encode()

    error = refused(str(rewrite(archive, tmp_path / "other.tar", change={"manifest.json": vendor})), "--force")

    assert other in str(error)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_made_by_a_newer_version(media, tmp_path):
    archive = backup(tmp_path / "backups")

    def newer(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["migrations"].append(["agreements", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    error = refused(str(rewrite(archive, tmp_path / "newer.tar", change={"manifest.json": newer})), "--force")

    assert "agreements.9999_from_the_future" in str(error)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_with_more_members_or_a_larger_manifest_than_allowed(media, tmp_path, settings):
    build_data()
    archive = backup(tmp_path / "backups")

    settings.SIMKERMA_RESTORE_MAX_MEMBERS = 2
    assert "more members" in str(refused(str(archive), "--force"))
    settings.SIMKERMA_RESTORE_MAX_MEMBERS = 100
    settings.SIMKERMA_RESTORE_MAX_MANIFEST_BYTES = 100
    assert "manifest" in str(refused(str(archive), "--force"))


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_a_backup_archive(media, tmp_path):
    (tmp_path / "notes.tar").write_bytes(b"just some text, not a tar archive" * 20)
    with tarfile.open(tmp_path / "empty.tar", "w"):
        pass
    nested = json.dumps({"format": "simkerma-backup", "format_version": 1, "files": [[[[[]]]]]}).encode()
    with tarfile.open(tmp_path / "bad-manifest.tar", "w") as tar:
        tar.addfile(member("manifest.json", size=len(nested)), io.BytesIO(nested))

    assert "not a readable backup archive" in str(refused(str(tmp_path / "notes.tar")))
    assert "no manifest.json" in str(refused(str(tmp_path / "empty.tar")))
    assert "malformed" in str(refused(str(tmp_path / "bad-manifest.tar")))
