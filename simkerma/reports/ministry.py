"""The ministry-ready export: the year's documents and their implementation in the fields of the
ministry's cooperation reporting system (Laporankerma, "Sikerma" of Kemendiktisaintek), for entry by hand.

No import format of that system was found, so the columns follow the fields its entry forms ask
for and the report is marked as not verified. The checks of Permendikbud 14/2014 on cooperation
with a foreign partner are shown as warnings and in the "Catatan" column: such a cooperation is
international, needs the Director General's approval, and is expected in a foreign language too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from simkerma.activities.models import Activity
from simkerma.activities.reporting import ActivityOutput
from simkerma.agreements.models import Agreement, Signatory
from simkerma.core.choices import Level
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner
from simkerma.reports.framework import Column, Kind, Report, Table, Warning
from simkerma.reports.led import KIND_NAMES, LEVEL_NAMES

HOME_COUNTRY = "ID"
NOTE_LEVEL = "Mitra luar negeri: tingkat seharusnya internasional"
NOTE_APPROVAL = "Perlu persetujuan Direktur Jenderal"
NOTE_LANGUAGE = "Naskah berbahasa asing diharapkan"

DOCUMENT_COLUMNS = (
    Column("kind", "Jenis Dokumen", width=10),
    Column("number", "Nomor Dokumen PT", width=28),
    Column("partner_number", "Nomor Dokumen Mitra", width=24),
    Column("title", "Judul", width=40),
    Column("partners", "Mitra", width=30),
    Column("countries", "Negara Mitra", width=16),
    Column("level", "Tingkat", width=14),
    Column("start", "Tanggal Mulai", Kind.DATE, width=12),
    Column("end", "Tanggal Berakhir", Kind.DATE, width=12),
    Column("signatories", "Penandatangan", width=36),
    Column("link", "Link Dokumen", Kind.URL, width=40),
    Column("reported", "Status Lapor Kementerian", width=14),
    Column("reported_on", "Tanggal Lapor", Kind.DATE, width=12),
    Column("notes", "Catatan", width=40),
)
IMPLEMENTATION_COLUMNS = (
    Column("number", "Nomor Dokumen", width=28),
    Column("title", "Judul Kegiatan", width=40),
    Column("form", "Bentuk Kegiatan", width=28),
    Column("executors", "Unit/Prodi Pelaksana", width=28),
    Column("date", "Tanggal", Kind.DATE, width=12),
    Column("evidence", "Bukti/Link", width=36),
    Column("outputs", "Output", width=36),
)


@dataclass(frozen=True)
class ForeignCheck:
    """What Permendikbud 14/2014 asks of an agreement with a foreign partner."""

    foreign: bool
    level_wrong: bool

    @property
    def notes(self) -> list[str]:
        if not self.foreign:
            return []
        return [*([NOTE_LEVEL] if self.level_wrong else []), NOTE_APPROVAL, NOTE_LANGUAGE]


def foreign_check(agreement: Agreement) -> ForeignCheck:
    foreign = any(partner.country.code != HOME_COUNTRY for partner in agreement.partners.all())
    return ForeignCheck(foreign=foreign, level_wrong=foreign and agreement.level != Level.INTERNASIONAL)


def year_agreements(year: int) -> list[Agreement]:
    """The agreements in force at some point of the year, with their partners and signatories."""
    return list(
        Agreement.objects.in_year(year)
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.only("pk", "name", "country").order_by("name")),
            Prefetch("signatories", queryset=Signatory.objects.order_by("side", "pk")),
        )
        .order_by("start_date", "number")
    )


def document_link(agreement: Agreement) -> str:
    """Where the signed scan is read in Simkerma (for a reader signed in); empty without a scan."""
    if not agreement.signed_scan:
        return ""
    return settings.SIMKERMA_BASE_URL.rstrip("/") + reverse("agreements:scan", args=[agreement.pk])


def _countries(agreement: Agreement) -> str:
    names = dict.fromkeys(str(partner.country.name) for partner in agreement.partners.all())
    return ", ".join(names)


def _signatories(agreement: Agreement) -> str:
    return "; ".join(f"{s.name} ({s.position})" if s.position else s.name for s in agreement.signatories.all())


def _document_rows(agreements: Sequence[Agreement], checks: dict[int, ForeignCheck]) -> Iterator[list[Any]]:
    for agreement in agreements:
        reported = agreement.ministry_reported_on
        yield [
            KIND_NAMES.get(agreement.kind, agreement.kind),
            agreement.number,
            agreement.partner_number,
            agreement.title,
            "; ".join(partner.name for partner in agreement.partners.all()),
            _countries(agreement),
            LEVEL_NAMES.get(agreement.level, agreement.level),
            agreement.start_date,
            agreement.end_date,
            _signatories(agreement),
            document_link(agreement),
            "Sudah dilaporkan" if reported else "Belum dilaporkan",
            reported,
            "; ".join(checks[agreement.pk].notes),
        ]


def _executors(activity: Activity) -> str:
    """The units and prodi the activity names; when it names none, those of its agreement."""
    units: list[Unit] = list(activity.units.all())
    prodi: list[Prodi] = list(activity.prodi.all())
    if not units and not prodi:
        units, prodi = list(activity.agreement.units.all()), list(activity.agreement.prodi.all())
    return ", ".join([unit.code for unit in units] + [f"{p.code} {p.level} {p.name}" for p in prodi])


def _implementation_rows(year: int) -> Iterator[list[Any]]:
    codes_only = Unit.objects.only("pk", "code")
    prodi_names = Prodi.objects.only("pk", "code", "level", "name")
    activities = (
        Activity.objects.carried_out_in(year)
        .select_related("agreement", "cooperation_form")
        .prefetch_related(
            Prefetch("units", queryset=codes_only.order_by("code")),
            Prefetch("prodi", queryset=prodi_names.order_by("code")),
            Prefetch("agreement__units", queryset=codes_only.order_by("code")),
            Prefetch("agreement__prodi", queryset=prodi_names.order_by("code")),
            Prefetch("outputs", queryset=ActivityOutput.objects.order_by("used_on", "pk")),
        )
        .order_by("start_date", "code")
    )
    for activity in activities:
        form = activity.cooperation_form
        yield [
            activity.agreement.number,
            activity.title,
            form.name if form is not None else "",
            _executors(activity),
            activity.start_date,
            activity.evidence,
            "; ".join(f"{output.title} ({output.evidence_link})" for output in activity.outputs.all()),
        ]


def foreign_warnings(agreements: Sequence[Agreement], checks: dict[int, ForeignCheck]) -> list[Warning]:
    warnings = []
    for agreement in agreements:
        check = checks[agreement.pk]
        if not check.foreign:
            continue
        url = reverse("agreements:detail", args=[agreement.pk])
        values = {"number": agreement.number}
        if check.level_wrong:
            warnings.append(
                Warning(_("%(number)s has a foreign partner: its level should be international.") % values, url)
            )
        warnings.append(
            Warning(_("%(number)s has a foreign partner: it needs the Director General's approval.") % values, url)
        )
        warnings.append(
            Warning(_("%(number)s has a foreign partner: a foreign-language version is expected.") % values, url)
        )
    return warnings


def unreported(agreements: Sequence[Agreement]) -> list[Agreement]:
    return [agreement for agreement in agreements if agreement.ministry_reported_on is None]


def ministry_report(year: int) -> Report:
    agreements = year_agreements(year)
    checks = {agreement.pk: foreign_check(agreement) for agreement in agreements}
    waiting = len(unreported(agreements))
    return Report(
        title="Laporan Kerja Sama untuk Kementerian (Laporankerma)",
        subtitle=f"Dokumen dan implementasi kerja sama, tahun {year}",
        tables=[
            Table("Dokumen", "Dokumen kerja sama", DOCUMENT_COLUMNS, _document_rows(agreements, checks), numbered=True),
            Table(
                "Implementasi",
                "Implementasi kerja sama",
                IMPLEMENTATION_COLUMNS,
                _implementation_rows(year),
                numbered=True,
            ),
        ],
        exporter="ministry",
        verified=False,
        summary=[
            ("Dokumen berlaku", len(agreements)),
            ("Sudah dilaporkan", len(agreements) - waiting),
            ("Belum dilaporkan", waiting),
            ("Dokumen dengan mitra luar negeri", sum(check.foreign for check in checks.values())),
        ],
        notices=[
            "Format impor sistem pelaporan kementerian tidak ditemukan: kolom mengikuti isian pada formulirnya, "
            "untuk dimasukkan secara manual."
        ],
        warnings=foreign_warnings(agreements, checks),
    )
