"""The workbook's reporting columns: kategori_mitra, sdg, bentuk_kerjasama and instrumen.

Each is optional: a code is checked against Simkerma's list, an empty cell clears the value (keeps
it, for the instrument), and a workbook without the column keeps what is stored.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from simkerma.activities.models import Activity
from simkerma.activities.reporting import CooperationForm
from simkerma.agreements.models import Agreement
from simkerma.imports import format as fmt
from simkerma.imports.services import workbook_import
from simkerma.imports.tests import files
from simkerma.org.models import Prodi
from simkerma.partners.models import Partner, PartnerCategory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(data: bytes, user):
    return workbook_import(file=files.upload(data), user=user)


def counts(result):
    return {c.sheet: (c.created, c.updated, c.unchanged) for c in result.counts}


def sheets(**extra):
    """Every sheet, with the reporting columns given by sheet name: {"Mitra": {"kategori_mitra": "umkm"}}."""
    rows = {
        "Unit": [files.unit_row(), files.unit_row(kode="P3M", nama="P3M", jenis="p3m")],
        "Prodi": [files.prodi_row()],
        "Mitra": [files.partner_row()],
        "Dokumen": [files.agreement_row()],
        "Kegiatan": [files.activity_row()],
    }
    return {
        name: files.rows_as_dicts(name, [row | extra.get(name, {}) for row in items]) for name, items in rows.items()
    }


def without(column: str, sheet: fmt.Sheet, data: dict) -> bytes:
    """The workbook with one column left out of one sheet (a file written before the column existed)."""
    index = sheet.headers.index(column)
    headers = [h for h in sheet.headers if h != column]
    data = dict(data)
    data[sheet.name] = [row[:index] + row[index + 1 :] for row in data[sheet.name]]
    return files.workbook_bytes(data, headers={sheet.name: headers})


EXTRA = {
    "Prodi": {"instrumen": "laminfokom"},
    "Mitra": {"kategori_mitra": "umkm"},
    "Dokumen": {"sdg": "sdg17; sdg4"},
    "Kegiatan": {"bentuk_kerjasama": "magang_1_semester"},
}


def stored():
    partner = Partner.objects.select_related("ministry_category").get(code="M0001")
    activity = Activity.objects.select_related("cooperation_form").get(code="K2025-00001")
    return (
        Prodi.objects.get(code="IF01").instrument,
        partner.ministry_category.code if partner.ministry_category else None,
        Agreement.objects.get(number="001/PL29/KS/2025").sdg_goals,
        activity.cooperation_form.code if activity.cooperation_form else None,
    )


def test_it_reads_every_reporting_column_and_a_second_import_changes_nothing(staff):
    data = files.workbook_bytes(sheets(**EXTRA))

    first = run(data, staff)
    assert first.ok, first.problems
    assert stored() == ("laminfokom", "umkm", ["sdg4", "sdg17"], "magang_1_semester")
    history = Partner.history.count()

    second = run(data, staff)
    assert second.ok
    assert {sheet: c for sheet, c in counts(second).items() if sheet != "Unit"} == {
        "Prodi": (0, 0, 1),
        "Mitra": (0, 0, 1),
        "Dokumen": (0, 0, 1),
        "Kegiatan": (0, 0, 1),
    }
    assert Partner.history.count() == history


def test_a_changed_code_updates_the_record(staff):
    run(files.workbook_bytes(sheets(**EXTRA)), staff)

    changed = EXTRA | {"Mitra": {"kategori_mitra": "rumah_sakit"}, "Kegiatan": {"bentuk_kerjasama": "tefa"}}
    result = run(files.workbook_bytes(sheets(**changed)), staff)

    assert result.ok, result.problems
    assert counts(result)["Mitra"] == (0, 1, 0) and counts(result)["Kegiatan"] == (0, 1, 0)
    assert stored() == ("laminfokom", "rumah_sakit", ["sdg4", "sdg17"], "tefa")
    assert Partner.history.first().ministry_category.code == "rumah_sakit"


@pytest.mark.parametrize(
    ("sheet", "column"),
    [(fmt.PRODI, "instrumen"), (fmt.MITRA, "kategori_mitra"), (fmt.DOKUMEN, "sdg"), (fmt.KEGIATAN, "bentuk_kerjasama")],
)
def test_a_workbook_without_the_column_keeps_what_is_stored(staff, sheet, column):
    run(files.workbook_bytes(sheets(**EXTRA)), staff)
    before = stored()

    changed = {name: {"judul": "Judul baru"} if name in ("Dokumen", "Kegiatan") else {} for name in EXTRA}
    result = run(without(column, sheet, sheets(**changed)), staff)

    assert result.ok, result.problems
    after = stored()
    index = [fmt.PRODI, fmt.MITRA, fmt.DOKUMEN, fmt.KEGIATAN].index(sheet)
    assert after[index] == before[index]


def test_an_empty_cell_clears_the_category_the_goals_and_the_form_but_keeps_the_instrument(staff):
    run(files.workbook_bytes(sheets(**EXTRA)), staff)

    result = run(files.workbook_bytes(sheets()), staff)

    assert result.ok, result.problems
    assert stored() == ("laminfokom", None, [], None)


def test_unknown_codes_are_problems_naming_the_place_and_the_valid_codes(staff):
    PartnerCategory.objects.filter(code="umkm").update(is_active=False)
    bad = {
        "Prodi": {"instrumen": "lam-x"},
        "Mitra": {"kategori_mitra": "bumn"},
        "Dokumen": {"sdg": "sdg4;sdg18"},
        "Kegiatan": {"bentuk_kerjasama": "magang"},
    }

    result = run(files.workbook_bytes(sheets(**bad)), staff)

    assert not result.ok and not result.saved
    places = {(p.sheet, p.row, p.column): p.message for p in result.problems}
    assert set(places) >= {
        ("Prodi", 2, "instrumen"),
        ("Mitra", 2, "kategori_mitra"),
        ("Dokumen", 2, "sdg"),
        ("Kegiatan", 2, "bentuk_kerjasama"),
    }
    category = places[("Mitra", 2, "kategori_mitra")]
    assert "bumn" in category and "multinasional, nasional_berstandar" in category and "umkm" not in category
    assert "magang_1_semester" in places[("Kegiatan", 2, "bentuk_kerjasama")]
    assert "sdg18" in places[("Dokumen", 2, "sdg")] and "sdg17" in places[("Dokumen", 2, "sdg")]
    assert "iaps4, laminfokom, lamteknik" in places[("Prodi", 2, "instrumen")]
    assert not Partner.objects.exists()


def test_a_code_switched_off_since_still_imports(staff):
    """A partner keeps a category switched off later; its exported row must import again."""
    CooperationForm.objects.filter(code="tefa").update(is_active=False)
    data = files.workbook_bytes(sheets(**EXTRA | {"Kegiatan": {"bentuk_kerjasama": "TEFA"}}))

    result = run(data, staff)

    assert result.ok, result.problems
    assert stored()[3] == "tefa"


def test_the_format_lists_the_models_codes():
    from simkerma.agreements.models import SDG
    from simkerma.org.models import Instrument

    assert tuple(SDG.values) == fmt.SDGS
    assert tuple(Instrument.values) == fmt.INSTRUMENTS
