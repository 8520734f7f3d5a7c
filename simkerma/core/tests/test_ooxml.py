"""Office packages are bounded before anything opens them; PDFs are bounded in pages."""

from __future__ import annotations

import io
import resource
import struct
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from simkerma.core.ooxml import check_ooxml_package
from simkerma.core.tests.files import pdf_bytes
from simkerma.core.uploads import validate_pdf

MB = 1024 * 1024


def package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def lying_bomb() -> bytes:
    """200 MB of zeros whose central directory claims 1000 bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/workbook.xml", "w", force_zip64=True) as member:
            for _ in range(200):  # written in chunks, so building it never holds 200 MB
                member.write(bytes(MB))
    data = bytearray(buffer.getvalue())
    entry = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, entry + 24, 1000)  # uncompressed size
    return bytes(data)


def test_it_accepts_an_ordinary_package_and_rewinds():
    upload = io.BytesIO(package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>" * 1000}))
    members = check_ooxml_package(upload)
    assert [m.filename for m in members] == ["[Content_Types].xml", "word/document.xml"]
    assert upload.tell() == 0


def test_it_refuses_a_package_that_inflates_past_the_limit():
    upload = io.BytesIO(package({"a.xml": b"<a/>" * (3 * MB)}))
    with pytest.raises(ValidationError) as raised:
        check_ooxml_package(upload, inflated_limit=8 * MB)
    assert raised.value.code == "zip_bomb"


def test_it_refuses_a_lying_directory_in_flat_memory():
    content = lying_bomb()
    assert len(content) < 400 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ValidationError) as raised:
        check_ooxml_package(io.BytesIO(content))
    assert raised.value.code == "broken_ooxml"
    assert time.monotonic() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: under 50 MB more


def test_it_refuses_too_many_members():
    upload = io.BytesIO(package({f"part{i}.xml": b"<p/>" for i in range(20)}))
    with pytest.raises(ValidationError) as raised:
        check_ooxml_package(upload, member_limit=10)
    assert raised.value.code == "too_many_members"


def test_it_refuses_what_is_not_a_zip():
    with pytest.raises(ValidationError) as raised:
        check_ooxml_package(io.BytesIO(b"%PDF-1.4"))
    assert raised.value.code == "not_ooxml"


def test_a_scan_with_too_many_pages_is_refused(settings):
    settings.SIMKERMA_PDF_MAX_PAGES = 20
    with pytest.raises(ValidationError) as raised:
        validate_pdf(SimpleUploadedFile("scan.pdf", pdf_bytes(pages=21)))
    assert raised.value.code == "too_many_pages"
    validate_pdf(SimpleUploadedFile("scan.pdf", pdf_bytes(pages=20)))
