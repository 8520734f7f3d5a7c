"""Checks on uploaded files, by their content rather than their name."""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError


def max_pdf_pages() -> int:
    return int(settings.SIMKERMA_PDF_MAX_PAGES)


def _refuse_pages(count: int) -> None:
    if count > max_pdf_pages():
        raise ValidationError(
            _("This PDF has %(count)s pages; at most %(limit)s are allowed.")
            % {"count": count, "limit": max_pdf_pages()},
            code="too_many_pages",
        )


def _bounded_page_count(reader: PdfReader) -> int:
    """The page tree's own count is read first (cheap), so a huge tree is refused before it is walked."""
    try:
        declared = int(reader.trailer["/Root"]["/Pages"]["/Count"])  # type: ignore[index,call-overload]
    except Exception:  # a broken or missing count: walking the tree decides
        declared = 0
    _refuse_pages(declared)
    count = len(reader.pages)
    _refuse_pages(count)
    return count


def pdf_page_count(upload: IO[bytes]) -> int:
    """The number of pages, 0 when the PDF cannot be read; refuses more than max_pdf_pages()."""
    upload.seek(0)
    try:
        return _bounded_page_count(PdfReader(upload))
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of errors for broken files
        return 0
    finally:
        upload.seek(0)


def validate_pdf(upload: UploadedFile, *, max_bytes: int | None = None) -> None:
    """Refuse anything that is not a readable PDF of at most max_bytes."""
    limit = max_bytes or settings.SIMKERMA_SCAN_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(
            _("This file is not a PDF (its content is not PDF, whatever its name). Upload the scan as PDF."),
            code="not_pdf",
        )
    try:
        if _bounded_page_count(PdfReader(upload)) < 1:
            raise PdfReadError("no pages")
    except ValidationError:
        raise
    except (DependencyError, FileNotDecryptedError) as error:  # a user password, or AES without `cryptography`
        raise ValidationError(
            _("This PDF is password-protected or encrypted. Save or export it again without protection."),
            code="encrypted",
        ) from error
    except Exception as error:  # pypdf raises many kinds of errors for broken files
        raise ValidationError(
            _("The PDF cannot be read (it may be damaged or incomplete). Scan or export it again."),
            code="broken_pdf",
        ) from error
    finally:
        upload.seek(0)
