"""Evidence built to harm: macro documents behind a decoy, pixel bombs, zip bombs, endless PDFs."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfWriter

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.archive.models import EvidenceFile
from simkerma.archive.pdf import PHOTO_EDGE, _photo_sources
from simkerma.archive.tests.factories import ReportFactory
from simkerma.archive.tests.files import docx_bytes, image_bytes, upload
from simkerma.archive.uploads import check_evidence

MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docm_with_decoy(*, with_vba: bool = True, main_type: str = MACRO_MAIN) -> bytes:
    """A macro-enabled Word file whose [Content_Types].xml also declares a decoy plain main part."""
    buffer = io.BytesIO()
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/macros.xml" ContentType="{main_type}"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/macros.xml"/></Relationships>'
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", rels)
        package.writestr("word/macros.xml", "<w:document/>")
        package.writestr("word/document.xml", "<w:document/>")
        if with_vba:
            package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


def test_it_refuses_a_macro_document_behind_a_decoy_override():
    with pytest.raises(ValidationError) as raised:
        check_evidence(upload("laporan.docm", docm_with_decoy()))
    assert raised.value.code == "macros"


def test_it_refuses_a_document_whose_real_main_part_is_not_plain_word_even_without_vba():
    content = docm_with_decoy(with_vba=False, main_type="application/vnd.ms-word.template.main+xml")
    with pytest.raises(ValidationError) as raised:
        check_evidence(upload("laporan.docx", content))
    assert raised.value.code == "file_type"


def test_a_plain_docx_still_passes_and_is_served_as_docx():
    checked = check_evidence(upload("daftar.docm", docx_bytes()))
    assert checked.content_type.endswith("wordprocessingml.document")
    evidence = EvidenceFile(original_name="daftar.docm", content_type=checked.content_type)
    assert evidence.download_name == "daftar.docx"


@pytest.mark.django_db
def test_the_download_names_the_sniffed_type(client_for, staff, agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=ActivityStatus.DILAPORKAN)
    report = ReportFactory(agreement=agreement_if, activities=[activity])
    evidence = EvidenceFile(report=report, kind="document", original_name="lampiran.docm", size=1, sha256="0")
    evidence.content_type = check_evidence(upload("lampiran.docm", docx_bytes())).content_type
    evidence.file.save("x", io.BytesIO(docx_bytes()), save=True)
    from django.urls import reverse

    response = client_for(staff).get(reverse("archive:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert 'filename="lampiran.docx"' in response["Content-Disposition"]


def pixel_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_it_refuses_a_pixel_bomb_without_decoding_it():
    content = pixel_bomb()
    assert len(content) < 300 * 1024
    started = time.monotonic()
    with pytest.raises(ValidationError) as raised:
        check_evidence(upload("foto.png", content))
    assert raised.value.code == "too_many_pixels"
    assert "9000 x 9000" in raised.value.messages[0]
    assert time.monotonic() - started < 1


def test_an_ordinary_photo_passes():
    assert check_evidence(upload("foto.jpg", image_bytes("JPEG", (4000, 3000)))).content_type == "image/jpeg"


@pytest.mark.django_db
def test_photos_are_downscaled_before_they_go_into_the_pdf(agreement_if):
    activity = ActivityFactory(agreement=agreement_if, status=ActivityStatus.DILAPORKAN)
    report = ReportFactory(agreement=agreement_if, activities=[activity])
    content = image_bytes("JPEG", (4000, 3000))
    evidence = EvidenceFile(
        report=report, kind="photo", original_name="f.jpg", content_type="image/jpeg", size=len(content), sha256="0"
    )
    evidence.file.save("f.jpg", io.BytesIO(content), save=True)
    photos = _photo_sources(report)
    import base64

    embedded = base64.b64decode(photos[0]["src"].split(",", 1)[1])
    with Image.open(io.BytesIO(embedded)) as image:
        assert max(image.size) == PHOTO_EDGE


def docx_zip_bomb() -> bytes:
    buffer = io.BytesIO(docx_bytes())
    zeros = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package,
        package.open("word/media/image1.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(200):
            member.write(zeros)
    return buffer.getvalue()


def test_it_refuses_a_zip_bomb_before_opening_it():
    content = docx_zip_bomb()
    assert len(content) < 500 * 1024
    started = time.monotonic()
    with pytest.raises(ValidationError) as raised:
        check_evidence(upload("daftar.docx", content))
    assert raised.value.code == "zip_bomb"
    assert time.monotonic() - started < 1


def test_it_refuses_a_pdf_with_too_many_pages(settings):
    writer = PdfWriter()
    for _ in range(3000):
        writer.add_blank_page(width=10, height=10)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as raised:
        check_evidence(upload("scan.pdf", buffer.getvalue()))
    assert raised.value.code == "too_many_pages"
    assert "3000" in raised.value.messages[0]
