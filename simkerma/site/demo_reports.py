"""What the official reports need in the demo: the ministry's partner categories, the forms of
cooperation, SDG goals, the permanent lecturers (NDTPS), funding and the outputs partners use.

It runs after the demo history, on the rows it made, with its own seeded random numbers, so the
demo is the same on every load and every report has something to show (and something to fix:
a few activities are left without a form of cooperation, and one prodi without its NDTPS).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from simkerma.activities.models import (
    CARRIED_OUT,
    Activity,
    ActivityFunding,
    ActivityKind,
    ActivityOutput,
    CooperationForm,
)
from simkerma.agreements.models import Agreement
from simkerma.core.choices import Field, Level
from simkerma.org.models import Instrument, LecturerCount, Prodi
from simkerma.partners.models import Partner, PartnerCategory

# Demo partner code -> the ministry's partner category code (partners/migrations/0004).
PARTNER_CATEGORIES = {
    "M00001": "multinasional",
    "M00002": "nasional_berstandar",
    "M00003": "pemerintah_bumn_bumd",
    "M00004": "pt_relevan",
    "M00005": None,  # an association: no IKU category, so staff see it to fill in
    "M00006": "nasional_berstandar",
    "M00007": "startup_teknologi",
    "M00008": "pt_relevan",
    "M00009": "pemerintah_bumn_bumd",
    "M00010": "nasional_berstandar",
    "M00011": "pemerintah_bumn_bumd",
    "M00012": "umkm",
}
# Activity kind -> the form of cooperation code (activities/migrations/0007).
FORMS: dict[str, str] = {
    ActivityKind.KULIAH_TAMU: "praktisi_mengajar",
    ActivityKind.MAGANG: "magang_1_semester",
    ActivityKind.PELATIHAN: "peningkatan_dosen",
    ActivityKind.SERTIFIKASI: "sertifikasi",
    ActivityKind.PENELITIAN_BERSAMA: "riset_bersama",
    ActivityKind.PKM: "tefa",
}
OUTPUT_TITLES: dict[str, tuple[str, ...]] = {
    Field.PENELITIAN: ("Prototipe sistem pemantauan", "Model prediksi perawatan mesin", "Kajian efisiensi produksi"),
    Field.PKM: ("Aplikasi kasir UMKM", "Modul pelatihan literasi digital", "Alat pengering hasil panen"),
    Field.PENDIDIKAN: ("Kurikulum mata kuliah bersama", "Modul praktik industri"),
}
OUTPUT_KINDS: dict[str, str] = {
    Field.PENELITIAN: ActivityOutput.Kind.PRODUK,
    Field.PKM: ActivityOutput.Kind.TEKNOLOGI,
    Field.PENDIDIKAN: ActivityOutput.Kind.KAJIAN,
}


def enrich_for_reports(*, today: dt.date, seed: int) -> None:
    rng = random.Random(seed + 11)  # noqa: S311 (a repeatable demo, not a secret)
    categories = {category.code: category for category in PartnerCategory.objects.all()}
    for partner in Partner.objects.filter(code__in=PARTNER_CATEGORIES, is_demo=True):
        code = PARTNER_CATEGORIES[partner.code]
        if code in categories:
            Partner.objects.filter(pk=partner.pk).update(ministry_category=categories[code])
    _agreements()
    _prodi(today)
    _activities(today, rng)


def _agreements() -> None:
    for agreement in Agreement.objects.filter(is_demo=True).prefetch_related("partners"):
        goals = ["sdg4"]
        if any(partner.kind == Partner.Kind.INDUSTRI for partner in agreement.partners.all()):
            goals.append("sdg9")
        if agreement.level == Level.INTERNASIONAL or agreement.kind == "mou":
            goals.append("sdg17")
        Agreement.objects.filter(pk=agreement.pk).update(sdg_goals=";".join(goals))


def _prodi(today: dt.date) -> None:
    """Informatics prodi report to LAM INFOKOM; each prodi has 5 to 15 permanent lecturers (NDTPS),
    except the last, which has not entered them yet."""
    counts = []
    every = list(Prodi.objects.filter(is_demo=True).select_related("unit").order_by("code"))
    for index, prodi in enumerate(every):
        if prodi.unit.code == "IF":
            Prodi.objects.filter(pk=prodi.pk).update(instrument=Instrument.LAM_INFOKOM)
        if index == len(every) - 1:
            continue
        counts += [
            LecturerCount(prodi=prodi, year=year, ndtps=5 + (index * 7) % 11 + (year - today.year + 2))
            for year in range(today.year - 2, today.year + 1)
        ]
    LecturerCount.objects.bulk_create(counts)


def _activities(today: dt.date, rng: random.Random) -> None:
    forms = {form.code: form for form in CooperationForm.objects.all()}
    activities = list(Activity.objects.filter(agreement__is_demo=True).order_by("start_date", "code"))
    funding: list[ActivityFunding] = []
    outputs: list[ActivityOutput] = []
    for activity in activities:
        form = forms.get(FORMS.get(activity.kind, ""))
        # One activity in seven is left without its form of cooperation: the IKU report asks for it.
        if form is not None and rng.random() > 1 / 7:
            Activity.objects.filter(pk=activity.pk).update(cooperation_form=form)
        if activity.field in (Field.PENELITIAN, Field.PKM):
            distinctive = rng.random() < 0.4
            Activity.objects.filter(pk=activity.pk).update(distinctive=distinctive)
            amount = Decimal(rng.randrange(10, 150) * 1_000_000)
            funding.append(
                ActivityFunding(activity=activity, year=activity.start_date.year, amount=amount, source="DIPA")
            )
        used_on = activity.last_date + dt.timedelta(days=rng.randrange(14, 120))
        if activity.status in CARRIED_OUT and used_on <= today and rng.random() < 0.45:
            outputs.append(
                ActivityOutput(
                    activity=activity,
                    title=rng.choice(OUTPUT_TITLES[activity.field]),
                    kind=OUTPUT_KINDS[activity.field],
                    evidence_link=f"https://dokumen.simkerma.invalid/luaran/{activity.code.lower()}",
                    used_on=used_on,
                )
            )
    ActivityFunding.objects.bulk_create(funding)
    ActivityOutput.objects.bulk_create(outputs)
