"""Backups of the database and the uploaded files in one archive (docs/deployment.md, "Backups")."""

from simkerma.core.backup.archive import BackupError
from simkerma.core.backup.operations import BackupResult, RestoreResult, backup_create, backup_restore

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup_create", "backup_restore"]
