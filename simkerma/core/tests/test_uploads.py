from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from pypdf.errors import DependencyError

from simkerma.core.tests.files import PNG_BYTES, pdf_bytes
from simkerma.core.uploads import validate_pdf


def pdf_upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")


def refusal_code(content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(pdf_upload(content), **kwargs)
    return caught.value.code


def test_it_accepts_a_readable_pdf_and_rewinds_it():
    upload = pdf_upload(pdf_bytes(pages=2))
    upload.read(10)
    validate_pdf(upload)
    assert upload.tell() == 0
    assert upload.read() == pdf_bytes(pages=2)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "not_pdf"),
        (b"hello, this is plain text", "not_pdf"),
        (PNG_BYTES, "not_pdf"),
        (b"%PDF-1.4 garbage", "broken_pdf"),
        (pdf_bytes()[:-60], "broken_pdf"),
        (b"%PDF-1.7\n" + b"0" * 5000, "broken_pdf"),
    ],
)
def test_it_refuses_content_that_is_not_a_readable_pdf(content, code):
    assert refusal_code(content) == code


def test_it_refuses_a_file_over_the_limit_before_reading_it():
    content = pdf_bytes()
    assert refusal_code(content, max_bytes=len(content) - 1) == "too_large"
    validate_pdf(pdf_upload(content), max_bytes=len(content))


def test_it_reads_the_default_limit_from_settings():
    content = pdf_bytes()
    with override_settings(SIMKERMA_SCAN_MAX_BYTES=100):
        assert refusal_code(content) == "too_large"
    with override_settings(SIMKERMA_SCAN_MAX_BYTES=10_000):
        validate_pdf(pdf_upload(content))


def test_it_accepts_a_pdf_locked_only_against_editing():
    validate_pdf(pdf_upload(pdf_bytes(user_password="")))


def test_it_refuses_a_password_protected_pdf_as_encrypted_not_broken():
    assert refusal_code(pdf_bytes(user_password="rahasia")) == "encrypted"


def test_it_calls_an_aes_pdf_it_cannot_decrypt_encrypted(monkeypatch):
    """Without the `cryptography` package pypdf cannot open any AES-encrypted PDF."""

    def reader_without_aes(stream):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr("simkerma.core.uploads.PdfReader", reader_without_aes)
    assert refusal_code(pdf_bytes()) == "encrypted"
