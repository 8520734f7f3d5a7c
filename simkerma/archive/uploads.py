"""Evidence files are checked by their content (magic bytes), never by their name or the browser's type.

Accepted: JPEG and PNG of a bounded number of pixels, PDF of a bounded number of pages, and
Word (.docx) / Excel (.xlsx) files: ZIP packages, bounded before they are opened, whose main part
(the one the package's relationships point to) has the plain, macro-free content type.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from simkerma.core.ooxml import check_ooxml_package
from simkerma.core.uploads import pdf_page_count

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The main part each Office package must declare, and where it lives.
OOXML_MAIN_PARTS = {
    DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/document.xml"),
    XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
}
CONTENT_TYPES_LIMIT = 1024 * 1024  # a [Content_Types].xml larger than this is not a real Office file
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def max_pixels() -> int:
    return int(settings.SIMKERMA_IMAGE_MAX_PIXELS)


def evidence_max_bytes() -> int:
    return int(settings.SIMKERMA_EVIDENCE_MAX_BYTES)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _xml(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = package.getinfo(name)
    if info.file_size > CONTENT_TYPES_LIMIT:
        raise ValueError(name)
    data = package.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # Office never writes these; entity bombs do
        raise ValueError(name)
    return ElementTree.fromstring(data)  # noqa: S314 (no DTD or entities can be left, see above)


def _main_part(package: zipfile.ZipFile) -> str:
    """The part the package's relationships name as the document (not whatever a decoy Override says)."""
    for relation in _xml(package, "_rels/.rels").iter(f"{REL}Relationship"):
        if relation.get("Type") == OFFICE_DOCUMENT and relation.get("TargetMode") != "External":
            return posixpath.normpath("/" + (relation.get("Target") or "").lstrip("/"))
    raise KeyError("officeDocument")


def _part_type(types: ElementTree.Element, part: str) -> str:
    for override in types.iter(f"{CT}Override"):
        if (override.get("PartName") or "").lower() == part.lower():
            return override.get("ContentType") or ""
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    for default in types.iter(f"{CT}Default"):
        if (default.get("Extension") or "").lower() == extension:
            return default.get("ContentType") or ""
    return ""


def _has_macros(package: zipfile.ZipFile, types: ElementTree.Element) -> bool:
    if any(posixpath.basename(name).lower().startswith("vbaproject") for name in package.namelist()):
        return True
    declared = [item.get("ContentType") or "" for item in types]
    return any("macroenabled" in value.lower() or "vbaproject" in value.lower() for value in declared)


def _ooxml_type(upload: File) -> str | None:
    check_ooxml_package(upload)  # raises for a zip bomb, before anything is inflated
    try:
        with zipfile.ZipFile(upload) as package:
            types = _xml(package, "[Content_Types].xml")
            main = _main_part(package)
            main_type = _part_type(types, main)
            macros = _has_macros(package, types)
            names = {"/" + name for name in package.namelist()}
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, ElementTree.ParseError):
        return None
    if macros:
        raise ValidationError(
            _("This Office file contains macros. Save it as a plain Word (.docx) or Excel (.xlsx) file."),
            code="macros",
        )
    for content_type, (main_part_type, part_name) in OOXML_MAIN_PARTS.items():
        if main_type == main_part_type and main == "/" + part_name and main in names:
            return content_type
    return None


def _check_pixels(upload: File) -> None:
    """Read only the header: a photo's width and height, refused above max_pixels."""
    try:
        with Image.open(upload) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = max_pixels()
    except Exception:  # Pillow raises many kinds of errors for broken images
        raise ValidationError(_("This image cannot be read (it may be damaged)."), code="broken_image") from None
    finally:
        upload.seek(0)
    if width * height > max_pixels():
        raise ValidationError(
            _("The image is %(width)s x %(height)s pixels; at most %(limit)s megapixels are allowed. Resize it first.")
            % {"width": width, "height": height, "limit": max_pixels() // 1_000_000},
            code="too_many_pixels",
        )


def _pdf_readable(upload: File) -> bool:
    return pdf_page_count(upload) >= 1  # raises when there are too many pages


def sniff(upload: File) -> str | None:
    """The content type the bytes show, or None when they are not an accepted kind.

    Raises ValidationError for an accepted kind that is dangerous: too many pixels or pages, a zip
    bomb, macros.
    """
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if head.startswith(b"\xff\xd8\xff"):
            _check_pixels(upload)
            return "image/jpeg"
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            _check_pixels(upload)
            return "image/png"
        if head.startswith(b"%PDF-"):
            return "application/pdf" if _pdf_readable(upload) else None
        if head.startswith(b"PK\x03\x04"):
            return _ooxml_type(upload)
        return None
    finally:
        upload.seek(0)


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_evidence(upload: File, *, max_bytes: int | None = None) -> CheckedFile:
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
