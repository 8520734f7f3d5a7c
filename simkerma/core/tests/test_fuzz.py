"""Fuzzing the upload sniffers, the date and year parsers, and the word, date and year query
parameters of the list pages and the API: any bytes and any text end as an accepted value, a
plain refusal or a 4xx page, never as an exception or a 500."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simkerma.api.data import TokenData
from simkerma.api.services import token_create
from simkerma.archive.uploads import check_evidence, sniff
from simkerma.core.dates import MAX_DATE, MIN_DATE, date_param
from simkerma.core.tests.files import pdf_bytes
from simkerma.core.uploads import pdf_page_count, validate_pdf
from simkerma.kpis.views import year_param
from simkerma.servicedesk.drafting import check_template
from simkerma.servicedesk.tests.test_drafts import docx_upload

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAGES = settings(FUZZ, max_examples=60)

MAGIC = [b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.7\n", b"PK\x03\x04"]
DOCX = docx_upload(["{{ title }}"]).read()
PDF = pdf_bytes()

# Bytes that start like an accepted kind, so the fuzz reaches the parser behind each signature.
headed = st.builds(lambda magic, rest: magic + rest, st.sampled_from(MAGIC), st.binary(max_size=1024))


def damaged(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in changes:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


changes = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=6)
files = st.one_of(
    headed,
    st.builds(damaged, st.just(DOCX), changes),
    st.builds(damaged, st.just(PDF), changes),
)


@FUZZ
@given(files)
def test_the_evidence_sniffer_names_a_type_or_refuses(data):
    try:
        content_type = sniff(File(io.BytesIO(data)))
    except ValidationError as error:
        assert error.messages
        return
    assert content_type in {None, "image/jpeg", "image/png", "application/pdf", *OOXML_TYPES}


OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@FUZZ
@given(files)
def test_an_evidence_upload_is_accepted_or_refused_plainly(data):
    try:
        checked = check_evidence(SimpleUploadedFile("bukti.pdf", data))
    except ValidationError as error:
        assert error.messages
        return
    assert checked.size == len(data)


@FUZZ
@given(files)
def test_a_scan_upload_is_a_readable_pdf_or_refused_plainly(data):
    try:
        validate_pdf(SimpleUploadedFile("pindaian.pdf", data))
    except ValidationError as error:
        assert error.messages
        return
    assert pdf_page_count(io.BytesIO(data)) >= 1


@FUZZ
@given(files)
def test_a_template_upload_is_checked_or_refused_plainly(data):
    check = check_template(io.BytesIO(data))
    assert check.ok or check.error or check.unknown


text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
dates = st.one_of(
    text,
    st.dates().map(dt.date.isoformat),
    st.integers().map(str),
    st.sampled_from(["2025-02-30", "9999-12-31", "0000-01-01", "1989-12-31", "2101-01-01", "²", "２０２５"]),
)


@FUZZ
@given(dates)
def test_a_date_parameter_is_a_date_in_range_or_nothing(value):
    day = date_param(value)
    assert day is None or MIN_DATE <= day <= MAX_DATE


@FUZZ
@given(dates)
def test_a_year_parameter_is_a_year_in_range(value):
    assert MIN_DATE.year <= year_param(value) <= MAX_DATE.year


PAGE_PARAMS = [
    ("agreements:list", ("q", "partner", "year")),
    ("activities:list", ("q", "year")),
    ("partners:list", ("q",)),
    ("servicedesk:list", ("q",)),
    ("activities:calendar", ("date", "unit")),
    ("agreements:create", ("partner", "parent")),
    ("activities:create", ("agreement",)),
    ("archive:report_create", ("activity",)),
    ("partners:check_name", ("name", "exclude")),
    ("kpis:dashboard", ("year",)),
    ("kpis:coverage", ("year",)),
    ("reports:detail_service_time", ("year",)),
    ("evaluations:index", ("year",)),
    ("reports:ministry_mark", ("year",)),
]
API_PARAMS = [
    ("/api/v1/agreements", ("q", "partner", "year")),
    ("/api/v1/activities", ("q", "year")),
    ("/api/v1/partners", ("q",)),
    ("/api/v1/service-requests", ("q",)),
]


def query(names: tuple[str, ...], values: list[str]) -> str:
    return urlencode(dict(zip(names, values, strict=False)))


@pytest.mark.django_db
@PAGES
@given(st.sampled_from(PAGE_PARAMS), st.lists(dates, min_size=3, max_size=3))
@example(("reports:ministry_mark", ("year",)), ["²", "", ""])  # str.isdigit() is true, int() refuses it
@example(("agreements:create", ("partner", "parent")), ["²", "²", ""])
@example(("activities:calendar", ("date", "unit")), ["", "²", ""])
@example(("activities:create", ("agreement",)), ["²", "", ""])
@example(("archive:report_create", ("activity",)), ["²", "", ""])
@example(("partners:check_name", ("name", "exclude")), ["PT", "²", ""])
def test_the_query_parameters_of_a_page_never_fail_it(client_for, staff, page, values):
    name, names = page
    url = reverse("reports:detail", args=["service_time"]) if name == "reports:detail_service_time" else reverse(name)
    response = client_for(staff).get(f"{url}?{query(names, values)}")
    assert response.status_code in {200, 400}, (name, values)


@pytest.fixture
def api_client(staff):
    """One token for every example (each new token counts towards the user's limit)."""
    issued = token_create(user=staff, data=TokenData(name="Uji fuzz", read_only=True))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.mark.django_db
@PAGES
@given(st.sampled_from(API_PARAMS), st.lists(dates, min_size=3, max_size=3))
def test_the_query_parameters_of_the_api_never_fail_it(api_client, endpoint, values):
    path, names = endpoint
    response = api_client.get(f"{path}?{query(names, values)}")
    assert response.status_code in {200, 422}, (path, values, response.content[:200])
