"""Fuzzing the workbook reader: random bytes, a valid workbook with bytes flipped, and a valid
workbook whose parts are rewritten with damaged XML. Every file ends as the import's own plain
refusal or problems, never as an exception."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simkerma.imports.reader import RowsEnd, WorkbookRefused, data_rows, header_row, open_workbook
from simkerma.imports.services import workbook_import
from simkerma.imports.tests.files import workbook_bytes

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VALID = workbook_bytes(
    {
        "Mitra": [["PT Fuzz Nusantara", "perusahaan", "nasional", "Batam", "Indonesia"]],
        "Catatan": [["a", 1, 2.5], ["b", None, "2025-01-01"]],
    },
    headers={"Catatan": ["nama", "angka", "tanggal"]},
)


def with_version(data: bytes, version: int) -> bytes:
    """The package with its first central-directory entry claiming zip version `version` / 10."""
    at = data.index(b"PK\x01\x02") + 6
    return data[:at] + version.to_bytes(2, "little") + data[at + 2 :]


# zipfile raises NotImplementedError for a version it does not know (a byte flipped in the directory).
UNKNOWN_VERSION = with_version(VALID, 64)
# openpyxl parses a sheet's XML only as its rows are read: a damaged sheet raised ParseError there.
FIRST_SHEET = zipfile.ZipFile(io.BytesIO(VALID)).namelist().index("xl/worksheets/sheet1.xml")
SECOND_ROW = zipfile.ZipFile(io.BytesIO(VALID)).read("xl/worksheets/sheet1.xml").index(b'<row r="2"')


def read_everything(data: bytes) -> str:
    """Open the workbook and stream every row of every sheet; 'refused' or 'read'."""
    try:
        workbook = open_workbook(io.BytesIO(data))
        try:
            for sheet in workbook.worksheets:
                width = len(header_row(sheet))
                for _number, _values in data_rows(sheet, width, RowsEnd()):
                    pass
        finally:
            workbook.close()
    except WorkbookRefused as refusal:
        assert refusal.message
        return "refused"
    return "read"


def flipped(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in changes:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


def with_part_damaged(data: bytes, part: int, cut: int, junk: bytes) -> bytes:
    """The same package with one member's content cut at `cut` and `junk` spliced in."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = names[part % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in names:
            content = source.read(name)
            if name == target:
                at = cut % (len(content) + 1)
                content = content[:at] + junk + content[at + len(junk) :]
            package.writestr(name, content)
    return out.getvalue()


changes = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8)
junk = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"<", b"</row>", b'<c r="A2" t="s"><v>999</v></c>', b'<c t="n"><v>x</v></c>', b"\x00", b"&#0;"]),
)


def test_the_valid_workbook_reads():
    assert read_everything(VALID) == "read"


def test_a_sheet_with_damaged_xml_is_refused_by_name(staff):
    damaged = with_part_damaged(VALID, FIRST_SHEET, SECOND_ROW, b"<<")
    with translation.override("en"):
        result = workbook_import(file=io.BytesIO(damaged), user=staff)
    assert not result.saved
    assert [problem.message for problem in result.problems] == [
        "The sheet Mitra is damaged and cannot be read. Save the workbook again from Excel."
    ]


@FUZZ
@given(st.binary(max_size=2048))
@example(b"PK\x03\x04")
@example(UNKNOWN_VERSION)
@example(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
def test_random_bytes_are_refused_plainly(data):
    assert read_everything(data) == "refused"


@FUZZ
@given(changes)
@example([(46, 255)])  # the first part's deflate stream with an invalid block type (zlib.error)
def test_a_workbook_with_bytes_flipped_is_read_or_refused(changes):
    assert read_everything(flipped(VALID, changes)) in {"read", "refused"}


@FUZZ
@given(st.integers(min_value=0), st.integers(min_value=0), junk)
@example(FIRST_SHEET, SECOND_ROW, b"<<")
def test_a_workbook_with_a_damaged_part_is_read_or_refused(part, cut, junk):
    assert read_everything(with_part_damaged(VALID, part, cut, junk)) in {"read", "refused"}


@FUZZ
@given(st.integers(min_value=0), st.integers(min_value=0), junk)
@example(FIRST_SHEET, SECOND_ROW, b"<<")
def test_a_dry_run_import_of_a_damaged_workbook_reports_problems_or_counts(staff, part, cut, junk):
    result = workbook_import(file=io.BytesIO(with_part_damaged(VALID, part, cut, junk)), user=staff, dry_run=True)
    assert not result.saved
    assert result.problems or result.counts
