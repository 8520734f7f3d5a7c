"""Office Open XML packages (DOCX, XLSX) are ZIP files: bound them before anything opens them.

A ZIP's central directory states each member's inflated size, but a reader that asks zipfile for
a whole member (python-docx, docxtpl and openpyxl all do) gets it inflated in one go, however
small the stated size: a lying directory still costs the full 200 MB. So the stated sizes and the
member count are bounded first, and then every member is inflated in small chunks, which keeps
memory flat, stops at the limit, and fails the CRC when the data is longer than stated. Only
then may anything open the package. Call `check_ooxml_package` first, always.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# One member inflating more than this many times its stored size is a bomb, not a document
# (Word and Excel XML compresses about 5-20 times; zeros compress about 1000 times).
DEFAULT_MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress as much as they like


def max_members() -> int:
    return int(settings.SIMKERMA_OOXML_MAX_MEMBERS)


def max_inflated_bytes() -> int:
    return int(settings.SIMKERMA_OOXML_MAX_INFLATED_BYTES)


def _refuse_bomb(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "This file unpacks to far more than its size (%(limit)s at most is allowed), as a "
            "'zip bomb' does. Save it again from Word or Excel."
        )
        % {"limit": filesizeformat(limit)},
        code="zip_bomb",
    )


CHUNK_BYTES = 64 * 1024
# What zipfile raises for a damaged package: a bad directory, a version or method it does not
# know, a deflate stream that does not inflate, a CRC or length that does not match.
BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, ValueError, EOFError, RuntimeError)


def _inflate_within(upload: IO[bytes], members: list[zipfile.ZipInfo], limit: int) -> None:
    """Inflate every member in chunks, counting; each stops at its stated size (zipfile then checks the CRC)."""
    total = 0
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            for member in members:
                with package.open(member) as stream:
                    while chunk := stream.read(CHUNK_BYTES):
                        total += len(chunk)
                        if total > limit:
                            raise _refuse_bomb(limit)
    except BROKEN_ZIP as error:
        raise ValidationError(
            _("This file is damaged: its parts do not unpack as they claim. Save it again from Word or Excel."),
            code="broken_ooxml",
        ) from error
    finally:
        upload.seek(0)


def _members(upload: IO[bytes]) -> list[zipfile.ZipInfo]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            return package.infolist()
    except BROKEN_ZIP as error:
        raise ValidationError(
            _("This file is not a Word (.docx) or Excel (.xlsx) file that can be read."), code="not_ooxml"
        ) from error
    finally:
        upload.seek(0)


def check_ooxml_package(
    upload: IO[bytes], *, member_limit: int | None = None, inflated_limit: int | None = None
) -> list[zipfile.ZipInfo]:
    """Refuse a ZIP package with too many members or whose members inflate too far.

    Costs at most `inflated_limit` bytes of inflation, in constant memory. Returns the members
    for callers that want to look further.
    """
    members = _members(upload)
    member_limit = member_limit or max_members()
    inflated_limit = inflated_limit or max_inflated_bytes()
    if len(members) > member_limit:
        raise ValidationError(
            _("This file holds %(count)s parts; a Word or Excel file has at most %(limit)s.")
            % {"count": len(members), "limit": member_limit},
            code="too_many_members",
        )
    total = 0
    for member in members:
        total += member.file_size
        too_dense = member.file_size > RATIO_FLOOR_BYTES and member.file_size > DEFAULT_MAX_RATIO * max(
            member.compress_size, 1
        )
        if too_dense or total > inflated_limit:
            raise _refuse_bomb(inflated_limit)
    _inflate_within(upload, members, inflated_limit)
    return members
