"""Evidence files are checked by their content (magic bytes), never by their name or the browser's type.

Accepted: JPEG, PNG, PDF, and Word (.docx) / Excel (.xlsx) files, which are ZIP packages whose
[Content_Types].xml declares the main document part (macro-enabled variants are refused).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The main part each Office package must declare, and where it lives.
OOXML_MAIN_PARTS = {
    DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/document.xml"),
    XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
}
CONTENT_TYPES_LIMIT = 1024 * 1024  # a [Content_Types].xml larger than this is not a real Office file


def evidence_max_bytes() -> int:
    return int(getattr(settings, "SIMKERMA_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _ooxml_type(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_LIMIT:
                return None
            declared = package.read(info).decode("utf-8", errors="replace")
            names = set(package.namelist())
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for content_type, (main_part, part_name) in OOXML_MAIN_PARTS.items():
        if f'"{main_part}"' in declared and part_name in names:
            return content_type
    return None


def _pdf_readable(upload: UploadedFile) -> bool:
    try:
        return len(PdfReader(upload).pages) >= 1
    except Exception:  # pypdf raises many kinds of errors for broken files
        return False


def sniff(upload: UploadedFile) -> str | None:
    """The content type the bytes show, or None when they are not an accepted kind."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if head.startswith(b"\xff\xd8\xff"):
            return "image/jpeg"
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            return "image/png"
        if head.startswith(b"%PDF-"):
            return "application/pdf" if _pdf_readable(upload) else None
        if head.startswith(b"PK\x03\x04"):
            return _ooxml_type(upload)
        return None
    finally:
        upload.seek(0)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_evidence(upload: UploadedFile, *, max_bytes: int | None = None) -> CheckedFile:
    """Refuse a file that is too large or whose content is not JPEG, PNG, PDF, DOCX or XLSX."""
    limit = max_bytes or evidence_max_bytes()
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "This file is not a photo (JPEG, PNG), PDF, Word (.docx) or Excel (.xlsx) file, "
                "judging by its content, whatever its name."
            ),
            code="file_type",
        )
    return CheckedFile(content_type=content_type, size=size, sha256=_sha256(upload))
