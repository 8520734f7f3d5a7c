"""Dumping and restoring the database with each vendor's own tools: pg_dump's custom format and
pg_restore for PostgreSQL, the online backup API for SQLite.

The table counts and the applied migrations written to the manifest are read from the same view
of the data as the dump: pg_dump runs on a snapshot exported by the transaction that counts, and
SQLite's are counted on the copy itself.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

from simkerma.core.backup.archive import BackupError

SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"
DUMP_NAMES = {"postgresql": "database/postgresql.dump", "sqlite": "database/sqlite3.db"}
PG_ENVIRONMENT = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
}
PG_OPTIONS_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


@dataclass(frozen=True)
class Inventory:
    """What the manifest says about the database: rows per table and the applied migrations."""

    tables: dict[str, int]
    migrations: list[tuple[str, str]]


@dataclass(frozen=True)
class Dump:
    path: Path
    vendor: str
    server_version: str
    inventory: Inventory


def supported_vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(_("Backups cover SQLite and PostgreSQL; this database is %(vendor)s.") % {"vendor": vendor})
    return vendor


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.relname"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def inventory(cursor: Any, vendor: str) -> Inventory:
    tables = {}
    for name in table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608 (a table name, quoted)
        tables[name] = int(cursor.fetchone()[0])
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [(str(app), str(name)) for app, name in cursor.fetchall()]
    return Inventory(tables=tables, migrations=migrations)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def existing_tables(using: str) -> list[str]:
    with connections[using].cursor() as cursor:
        return table_names(cursor, connections[using].vendor)


def current_inventory(using: str) -> Inventory:
    with connections[using].cursor() as cursor:
        return inventory(cursor, connections[using].vendor)


def dump(directory: Path, *, using: str) -> Dump:
    vendor = supported_vendor(using)
    if connections[using].in_atomic_block:
        raise BackupError(_("A backup must not run inside a transaction."))
    path = directory / Path(DUMP_NAMES[vendor]).name
    if vendor == "postgresql":
        return _dump_postgresql(path, using=using)
    return _dump_sqlite(path, using=using)


def _dump_postgresql(path: Path, *, using: str) -> Dump:
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counted = inventory(cursor, "postgresql")
        _run(
            [
                _pg_tool("pg_dump", using),
                *("--format=custom", "--no-owner", "--no-privileges"),
                *(f"--snapshot={snapshot}", f"--file={path}"),
            ],
            using=using,
        )
    return Dump(path=path, vendor="postgresql", server_version=_pg_version(using), inventory=counted)


def _dump_sqlite(path: Path, *, using: str) -> Dump:
    connection = connections[using]
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    with closing(_open_sqlite_copy(path)) as copy:
        counted = inventory(copy.cursor(), "sqlite")
    return Dump(path=path, vendor="sqlite", server_version=sqlite3.sqlite_version, inventory=counted)


def _open_sqlite_copy(path: Path) -> sqlite3.Connection:
    copy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    # A file from an archive is untrusted: its schema may not call functions with side effects.
    copy.execute("PRAGMA trusted_schema = OFF")
    return copy


def check_dump(path: Path, *, vendor: str, using: str) -> None:
    """Refuse a dump that its own tool cannot read, before the database is touched."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if vendor == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(_("The archive's database dump is not an SQLite database."))
        try:
            with closing(_open_sqlite_copy(path)) as copy:
                result = copy.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as error:
            raise BackupError(_("The archive's SQLite database is damaged: %(error)s") % {"error": error}) from None
        if result != [("ok",)]:
            raise BackupError(_("The archive's SQLite database is damaged: %(error)s") % {"error": result[0][0]})
        return
    if not header.startswith(PGDUMP_HEADER):
        raise BackupError(_("The archive's database dump is not a pg_dump custom-format file."))
    _run([_pg_tool("pg_restore", using), "--list", str(path)], using=using, refused=True)


def restore(path: Path, *, vendor: str, using: str, replace: bool) -> None:
    """Load the dump into the database, in one transaction: a failure leaves it as it was."""
    connection = connections[using]
    if vendor == "sqlite":
        connection.ensure_connection()
        with closing(_open_sqlite_copy(path)) as source:
            source.backup(connection.connection)
        return
    command = [_pg_tool("pg_restore", using), "--single-transaction", "--exit-on-error", "--no-owner"]
    command += ["--no-privileges"] + (["--clean", "--if-exists"] if replace else [])
    command += [f"--dbname={connection.settings_dict['NAME']}", str(path)]
    connection.close()
    _run(command, using=using)


def _pg_version(using: str) -> str:
    number = connections[using].pg_version  # type: ignore[attr-defined]
    return f"{number // 10000}.{number % 10000}"


def _pg_environment(using: str) -> dict[str, str]:
    settings_dict = connections[using].settings_dict
    environment = dict(os.environ)
    for key, variable in PG_ENVIRONMENT.items():
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    for key, variable in PG_OPTIONS_ENVIRONMENT.items():
        if (settings_dict.get("OPTIONS") or {}).get(key):
            environment[variable] = str(settings_dict["OPTIONS"][key])
    return environment


def _pg_tool(name: str, using: str) -> str:
    """The first pg_dump or pg_restore found that is at least as new as the server."""
    connection = connections[using]
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    candidates = [Path(settings.SIMKERMA_PG_BIN_DIR) / name] if settings.SIMKERMA_PG_BIN_DIR else []
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"))
    if found := shutil.which(name):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK) and _tool_major(candidate) >= server_major:
            return str(candidate)
    raise BackupError(
        _(
            "PostgreSQL's %(tool)s, version %(major)s or later, was not found: install the PostgreSQL "
            "%(major)s client tools or set SIMKERMA_PG_BIN_DIR."
        )
        % {"tool": name, "major": server_major}
    )


def _tool_major(path: Path) -> int:
    try:
        command = [str(path), "--version"]
        output = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    return int(match.group(1)) if match else 0


def _run(command: list[str], *, using: str, refused: bool = False) -> None:
    result = subprocess.run(  # noqa: S603 (our own argument list, no shell)
        command, env=_pg_environment(using), capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BackupError(
            _("%(tool)s failed: %(detail)s") % {"tool": Path(command[0]).name, "detail": " ".join(detail)},
            refused=refused,
        )
