"""`manage.py lkps`: the file it writes, what it prints, and its refusals (exit status 2)."""

from __future__ import annotations

import csv

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from simkerma.org.models import Instrument
from simkerma.reports.tests import lkps_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(prodi_if, jurusan_if, prodi_mb):
    return lkps_data.build(prodi_if, jurusan_if, prodi_mb)


def _run(*args):
    call_command("lkps", *args)


def test_writes_the_prodi_instrument_tables_and_prints_the_rows(data, prodi_if, tmp_path, capsys):
    prodi_if.instrument = Instrument.LAM_INFOKOM
    prodi_if.save()
    path = tmp_path / "lkps.xlsx"
    _run("--prodi", "IF01", "--ts", "2025", "--output", str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["3.C.1", "4.C.1"]
    assert workbook["3.C.1"]["B6"].value == "Riset bersama sensor"
    out, err = capsys.readouterr()
    assert "3.C.1  Kerjasama Penelitian: 1 rows" in out
    assert "4.C.1  Kerjasama PkM: 2 rows" in out
    assert "K-B1" in err and "K-A6" in err
    assert [p.name for p in tmp_path.iterdir()] == ["lkps.xlsx"]  # the partial file is gone


def test_a_jurusan_as_csv(data, tmp_path, capsys):
    path = tmp_path / "lkps.csv"
    _run("--unit", "IF", "--ts", "2025", "--instrument", "iaps4", "--output", str(path))
    out, _err = capsys.readouterr()
    assert "Tabel 1-1  Kerjasama Pendidikan: 2 rows" in out
    assert "Tabel 1-2  Kerjasama Penelitian: 1 rows" in out
    assert "Tabel 1-3  Kerjasama Pengabdian kepada Masyarakat: 2 rows" in out
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    titles = [row[5] for row in rows if len(row) > 5]
    assert "Magang jurusan" in titles and "Kuliah tamu keamanan siber" in titles


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--prodi", "XX", "--ts", "2025"], "There is no prodi 'XX'; the prodi are: IF01, MB01."),
        (["--unit", "ZZ", "--ts", "2025"], "There is no jurusan 'ZZ'; the jurusan are: IF, MB."),
        (["--prodi", "IF01", "--ts", "2025", "--instrument", "lamx"], "use one of: iaps4, laminfokom, lamteknik"),
        (["--prodi", "IF01", "--unit", "IF", "--ts", "2025"], "Give either --prodi or --unit"),
        (["--ts", "2025"], "Give either --prodi or --unit"),
    ],
)
def test_refusals_exit_2_with_the_valid_choices(data, tmp_path, args, message):
    with pytest.raises(CommandError) as refused:
        _run(*args, "--output", str(tmp_path / "out.xlsx"))
    assert message in str(refused.value)
    assert refused.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_extension_is_refused(data, tmp_path):
    with pytest.raises(CommandError) as refused:
        _run("--prodi", "IF01", "--ts", "2025", "--output", str(tmp_path / "out.ods"))
    assert "unknown format .ods; use .xlsx, .csv, .pdf or .docx" in str(refused.value)
    assert refused.value.returncode == 2


def test_a_year_out_of_range_is_refused(data, tmp_path):
    with pytest.raises(CommandError) as refused:
        _run("--prodi", "IF01", "--ts", "3000", "--output", str(tmp_path / "out.xlsx"))
    assert "3000 is outside" in str(refused.value)


def test_a_jurusan_whose_prodi_differ_needs_the_instrument(data, prodi_if, jurusan_if, tmp_path):
    from simkerma.org.tests.factories import ProdiFactory

    ProdiFactory(code="IF02", unit=jurusan_if, instrument=Instrument.LAM_TEKNIK)
    with pytest.raises(CommandError) as refused:
        _run("--unit", "IF", "--ts", "2025", "--output", str(tmp_path / "out.xlsx"))
    assert "give --instrument" in str(refused.value)
    assert refused.value.returncode == 2


def test_pdf_and_docx_hold_the_tables(data, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    pdf, word = tmp_path / "lkps.pdf", tmp_path / "lkps.docx"
    _run("--prodi", "IF01", "--ts", "2025", "--instrument", "iaps4", "--output", str(pdf))
    _run("--prodi", "IF01", "--ts", "2025", "--instrument", "iaps4", "--output", str(word))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Tabel 1-2" in text and "Riset bersama sensor" in text and "LPK-0001" in text
    cells = [cell.text for table in Document(word).tables for row in table.rows for cell in row.cells]
    assert "Riset bersama sensor" in cells and "PT Lokal Batam" in cells
    assert "Hanya dokumen kerja sama 002/MOA.PL29/I/2023 (bukan bukti pelaksanaan)" in cells
