"""The "Laporan resmi" page: the list, the parameters form, the preview and the downloads, with who may
run what. The exporters here are the tests' own, so the page is tested apart from any report's data."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from simkerma.org.models import Instrument, Prodi
from simkerma.org.tests.factories import ProdiFactory
from simkerma.reports.framework import (
    Column,
    Exporter,
    Kind,
    Period,
    Report,
    ReportParams,
    Scope,
    Table,
    Warning,
    exporters,
    register,
)
from simkerma.reports.tests.helpers import page_text

pytestmark = pytest.mark.django_db


class ProdiTables(Exporter):
    """One row per study programme of the chosen prodi's jurusan, read from the database."""

    key = "t_prodi"
    label = "Tabel uji prodi"
    group = "Uji A"
    description = "Tabel per prodi untuk uji."
    verified = False
    scope = Scope.PRODI
    period = Period.TS
    instrument = Instrument.IAPS4

    def build(self, params: ReportParams) -> Report:
        assert params.prodi is not None
        rows = (
            [prodi.code, prodi.name, prodi.instrument == Instrument.IAPS4, params.year]
            for prodi in Prodi.objects.filter(unit_id=params.prodi.unit_id).order_by("code").iterator()
        )
        table = Table(
            key="Tabel U-1",
            title="Prodi",
            columns=[
                Column("code", "Kode"),
                Column("name", "Nama", group="Prodi"),
                Column("iaps", "IAPS", Kind.TICK, group="Prodi"),
                Column("ts", "TS", Kind.INT),
            ],
            rows=rows,
            numbered=True,
        )
        return Report(
            title="Uji prodi",
            subtitle=f"{params.subject}, TS {params.year}",
            tables=[table],
            exporter=self.key,
            verified=False,
            summary=[("Jumlah", 3)],
            warnings=[Warning("Lengkapi data mitra", "/mitra/")],
        )


class UnitMonth(Exporter):
    key = "t_unit"
    label = "Tabel uji unit"
    group = "Uji B"
    scope = Scope.UNIT
    period = Period.YEAR_MONTH
    formats = ("xlsx", "csv")

    def build(self, params: ReportParams) -> Report:
        assert params.unit is not None
        columns = [Column("unit", "Unit"), Column("month", "Bulan", Kind.INT)]
        table = Table(key="Bulan", title="Bulan", columns=columns, rows=[[params.unit.code, params.month]])
        return Report(title="Uji unit", subtitle=params.unit.name, tables=[table], exporter=self.key)


class Institution(Exporter):
    key = "t_inst"
    label = "Tabel uji institusi"
    group = "Uji B"
    scope = Scope.INSTITUTION
    period = Period.YEAR_QUARTER

    def build(self, params: ReportParams) -> Report:
        table = Table(key="TW", title="TW", columns=[Column("q", "TW", Kind.INT)], rows=[[params.quarter]])
        return Report(title="Uji institusi", subtitle=str(params.year), tables=[table], exporter=self.key)


class StaffOnly(Institution):
    key = "t_staf"
    label = "Tabel uji staf"
    roles = frozenset({"staf"})


TEST_EXPORTERS = (ProdiTables, UnitMonth, Institution, StaffOnly)


@pytest.fixture(autouse=True)
def test_exporters():
    for number, cls in enumerate(TEST_EXPORTERS):
        register(cls, order=number)
    yield
    for cls in TEST_EXPORTERS:
        exporters.unregister(cls.key)


def _url(key: str) -> str:
    return reverse("reports:detail", args=[key])


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert client.get(_url("t_inst")).status_code == 302


def test_account_without_role_is_refused(client_for, outsider):
    assert client_for(outsider).get(reverse("reports:index")).status_code == 403


def test_index_lists_reports_by_group_with_the_unverified_badge(client_for, staff):
    response = client_for(staff).get(reverse("reports:index"))
    assert response.status_code == 200
    text = page_text(response)
    assert text.index("Uji A") < text.index("Tabel uji prodi") < text.index("Uji B") < text.index("Tabel uji unit")
    assert "Tabel per prodi untuk uji." in text
    html = response.content.decode()
    item = html[html.index('id="report-t_prodi"') :].split("</li>")[0]
    assert "format belum terverifikasi" in item
    assert "format belum terverifikasi" not in html[html.index('id="report-t_unit"') :].split("</li>")[0]
    assert 'id="nav-official-reports"' in html and "Tabel uji staf" in text


def test_index_shows_a_coordinator_only_the_reports_of_a_prodi_or_unit(client_for, coordinator, auditor):
    text = page_text(client_for(coordinator).get(reverse("reports:index")))
    assert "Tabel uji prodi" in text and "Tabel uji unit" in text
    assert "Tabel uji institusi" not in text and "Tabel uji staf" not in text
    assert client_for(coordinator).get(_url("t_inst")).status_code == 403
    # An exporter's roles narrow it further: the auditor reads every report but this one.
    assert "Tabel uji staf" not in page_text(client_for(auditor).get(reverse("reports:index")))
    assert client_for(auditor).get(_url("t_staf"), {"year": 2026}).status_code == 403


def test_index_offers_the_lkps_of_the_coordinators_prodi(client_for, coordinator, prodi_if):
    html = client_for(coordinator).get(reverse("reports:index")).content.decode()
    assert f'href="{_url("t_prodi")}?prodi={prodi_if.pk}"' in html


def test_unknown_report_is_404(client_for, staff):
    assert client_for(staff).get(_url("nothing")).status_code == 404


def test_form_asks_for_what_the_exporter_needs(client_for, staff, prodi_if, jurusan_if):
    client = client_for(staff)
    prodi_page = client.get(_url("t_prodi"))
    assert prodi_page.status_code == 200
    form = prodi_page.context["form"]
    assert list(form.fields) == ["prodi", "year"] and form.fields["year"].label == "TS"
    assert list(client.get(_url("t_unit")).context["form"].fields) == ["unit", "year", "month"]
    institution = client.get(_url("t_inst")).context["form"]
    assert list(institution.fields) == ["year", "quarter"]
    assert institution.fields["year"].min_value == 2000 and institution.fields["year"].max_value == 2100


@pytest.mark.parametrize(
    ("key", "params", "field", "message"),
    [
        ("t_inst", {"year": "1800"}, "year", "Tahun paling awal 2000."),
        ("t_inst", {"year": "3000"}, "year", "Tahun paling akhir 2100."),
        ("t_inst", {"year": "dua ribu"}, "year", "Tulis tahun sebagai angka, misalnya 2026."),
        ("t_inst", {"year": "2026", "quarter": "9"}, "quarter", "Pilih salah satu pilihan dalam daftar."),
        ("t_unit", {"year": "2026", "unit": "", "month": "13"}, "month", "Pilih salah satu pilihan dalam daftar."),
        ("t_prodi", {"year": "2026", "prodi": "99999999"}, "prodi", "Pilih salah satu pilihan dalam daftar."),
        ("t_prodi", {"year": "2026", "prodi": "x' OR 1=1"}, "prodi", "Pilih salah satu pilihan dalam daftar."),
        ("t_prodi", {"year": "2026", "prodi": "\u00b2"}, "prodi", "Pilih salah satu pilihan dalam daftar."),
        ("t_prodi", {"year": "2026", "prodi": "9" * 40}, "prodi", "Pilih salah satu pilihan dalam daftar."),
        ("t_inst", {"year": "9" * 40}, "year", "Tahun paling akhir 2100."),
    ],
)
def test_bad_parameters_show_the_form_with_errors(client_for, staff, prodi_if, key, params, field, message):
    response = client_for(staff).get(_url(key), params)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in page_text(response)
    download = client_for(staff).get(reverse("reports:download", args=[key, "xlsx"]), params)
    assert download.status_code == 400


def test_a_coordinator_cannot_ask_for_another_jurusans_prodi(client_for, coordinator, prodi_if, prodi_mb):
    client = client_for(coordinator)
    form = client.get(_url("t_prodi")).context["form"]
    assert list(form.fields["prodi"].queryset) == [prodi_if]
    assert client.get(_url("t_prodi"), {"year": 2026, "prodi": prodi_mb.pk}).status_code == 403
    download = reverse("reports:download", args=["t_prodi", "xlsx"])
    assert client.get(download, {"year": 2026, "prodi": prodi_mb.pk}).status_code == 403
    assert client.get(_url("t_prodi"), {"year": 2026, "prodi": prodi_if.pk}).status_code == 200


def test_a_coordinator_reports_on_their_own_unit_only(client_for, coordinator, jurusan_if, jurusan_mb):
    client = client_for(coordinator)
    assert list(client.get(_url("t_unit")).context["form"].fields["unit"].queryset) == [jurusan_if]
    assert client.get(_url("t_unit"), {"year": 2026, "unit": jurusan_mb.pk}).status_code == 403
    assert client.get(_url("t_unit"), {"year": 2026, "unit": jurusan_if.pk, "month": 3}).status_code == 200


def test_preview_shows_summary_warnings_and_the_first_rows(client_for, pimpinan, prodi_if):
    for number in range(60):
        ProdiFactory(code=f"IF{number + 10:02d}", name=f"Prodi {number}", unit=prodi_if.unit)
    response = client_for(pimpinan).get(_url("t_prodi"), {"year": 2026, "prodi": prodi_if.pk})
    assert response.status_code == 200
    (table,) = response.context["tables"]
    assert len(table["rows"]) == 50 and table["full"]
    assert table["rows"][0] == ["1", "IF01", "Teknik Informatika", "V", "2.026"]
    assert [cell.text for cell in table["heads"][0]] == ["No", "Kode", "Prodi", "TS"]
    text = page_text(response)
    assert "50 baris pertama ditampilkan; berkas unduhan memuat semuanya." in text
    assert "Jumlah" in text and "format belum terverifikasi" in text
    assert 'href="/mitra/"' in response.content.decode() and "Lengkapi data mitra" in text
    html = response.content.decode()
    query = f"prodi={prodi_if.pk}&amp;year=2026"
    for fmt in ("xlsx", "csv", "pdf", "docx"):
        assert f'href="{reverse("reports:download", args=["t_prodi", fmt])}?{query}"' in html


def test_preview_of_a_prodi_set_to_another_instrument_says_so(client_for, staff, jurusan_if):
    prodi = ProdiFactory(code="IF09", unit=jurusan_if, name="Rekayasa Perangkat Lunak")
    Prodi.objects.filter(pk=prodi.pk).update(instrument=Instrument.LAM_INFOKOM)
    response = client_for(staff).get(_url("t_prodi"), {"year": 2026, "prodi": prodi.pk})
    note = response.context["instrument_note"]
    assert note["instrument"] == Instrument.LAM_INFOKOM.label
    assert "Rekayasa Perangkat Lunak diatur ke instrumen LAM INFOKOM." in page_text(response)


def _count_preview(client, django_assert_num_queries, prodi, expected):
    with django_assert_num_queries(expected):
        response = client.get(_url("t_prodi"), {"year": 2026, "prodi": prodi.pk})
    assert response.status_code == 200
    return len(response.context["tables"][0]["rows"])


def test_preview_and_index_queries_do_not_grow_with_rows(client_for, staff, prodi_if, django_assert_num_queries):
    client = client_for(staff)
    # session, user, the chosen prodi, the report's rows, the unread notices and demo data of the
    # page's frame, the prodi select's options
    assert _count_preview(client, django_assert_num_queries, prodi_if, 7) == 1
    for number in range(80):
        ProdiFactory(code=f"IF{number + 10:02d}", unit=prodi_if.unit)
    assert _count_preview(client, django_assert_num_queries, prodi_if, 7) == 50
    with django_assert_num_queries(4):  # session, user, the frame's notices and demo data
        assert client.get(reverse("reports:index")).status_code == 200


def test_downloads_stream_each_format_privately(client_for, auditor, prodi_if):
    client = client_for(auditor)
    params = {"year": 2026, "prodi": prodi_if.pk}
    response = client.get(reverse("reports:download", args=["t_prodi", "xlsx"]), params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="t_prodi-IF01-2026.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Tabel U-1"]
    assert [cell.value for cell in sheet[5]] == ["No", "Kode", "Nama", "IAPS", "TS"]
    assert [cell.value for cell in sheet[6]] == [1, "IF01", "Teknik Informatika", "V", 2026]
    word = client.get(reverse("reports:download", args=["t_prodi", "docx"]), params)
    document = docx.Document(io.BytesIO(b"".join(word.streaming_content)))
    assert document.tables[-1].rows[2].cells[2].text == "Teknik Informatika"
    csv_file = client.get(reverse("reports:download", args=["t_prodi", "csv"]), params)
    lines = b"".join(csv_file.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[-1] == "1,IF01,Teknik Informatika,V,2.026"


def test_download_of_a_format_the_report_has_not_is_404(client_for, staff, jurusan_if):
    client = client_for(staff)
    params = {"year": 2026, "unit": jurusan_if.pk, "month": 4}
    assert client.get(reverse("reports:download", args=["t_unit", "pdf"]), params).status_code == 404
    assert client.get(reverse("reports:download", args=["t_unit", "exe"]), params).status_code == 404
    response = client.get(reverse("reports:download", args=["t_unit", "csv"]), params)
    assert response["Content-Disposition"] == 'attachment; filename="t_unit-IF-2026-04.csv"'
    assert b"".join(response.streaming_content).decode("utf-8-sig").splitlines() == ["Unit,Bulan", "IF,4"]
