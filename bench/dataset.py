"""Synthetic registry data at scale: units, prodi, partners with contacts, agreements in trees."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from simkerma.agreements.models import Agreement, Kind
from simkerma.core.choices import Field, Level
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.names import name_key

WORDS = [
    "Batam",
    "Nusantara",
    "Teknik",
    "Digital",
    "Maritim",
    "Energi",
    "Global",
    "Solusi",
    "Karya",
    "Mandiri",
    "Sejahtera",
    "Industri",
    "Elektronik",
    "Kepri",
    "Riau",
    "Logistik",
    "Samudra",
    "Presisi",
    "Inovasi",
    "Kreatif",
    "Sentosa",
    "Makmur",
    "Abadi",
    "Cahaya",
    "Bintang",
]


def _name(rng: random.Random, n: int) -> str:
    return f"PT {rng.choice(WORDS)} {rng.choice(WORDS)} {n}"


@transaction.atomic
def build(*, partners: int, agreements: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    units = [
        Unit.objects.create(
            code=f"J{i}",
            name=f"Jurusan {i}",
            kind=Unit.Kind.JURUSAN,
            expected_fields=Unit.default_expected_fields(Unit.Kind.JURUSAN),
        )
        for i in range(6)
    ]
    prodi = [
        Prodi.objects.create(code=f"J{i % 6}P{i}", name=f"Prodi {i}", level="D4", unit=units[i % 6]) for i in range(30)
    ]
    partner_rows = []
    for i in range(partners):
        name = _name(rng, i)
        partner_rows.append(
            Partner(
                code=f"B{i:07d}",
                name=name,
                name_key=name_key(name),
                kind=rng.choice(Partner.Kind.values),
                country="ID",
                city="Batam",
            )
        )
    Partner.objects.bulk_create(partner_rows, batch_size=2000)
    partner_ids = list(Partner.objects.values_list("pk", flat=True))
    PartnerContact.objects.bulk_create(
        [PartnerContact(partner_id=pk, name=f"Kontak {pk}", position="HR") for pk in partner_ids], batch_size=2000
    )
    rows = []
    for i in range(agreements):
        start = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 3000))
        kind = Kind.MOU if i % 3 == 0 else (Kind.MOA if i % 3 == 1 else Kind.IA)
        rows.append(
            Agreement(
                kind=kind,
                number=f"{i:06d}/{kind.upper()}.PL29/I/{start.year}",
                title=f"Kerja sama {i}",
                level=rng.choice(Level.values),
                fields=rng.sample(Field.values, rng.randint(1, 3)),
                start_date=start,
                end_date=start + dt.timedelta(days=rng.choice([365, 1095, 1825])),
            )
        )
    Agreement.objects.bulk_create(rows, batch_size=2000)
    ids = list(Agreement.objects.order_by("pk").values_list("pk", "kind"))
    # Hang each MoA under the MoU before it and each IA under the MoA before it.
    parents = []
    for (pk, kind), previous in zip(ids[1:], ids[:-1], strict=True):
        if kind != Kind.MOU:
            parents.append(Agreement(pk=pk, parent_id=previous[0]))
    Agreement.objects.bulk_update(parents, ["parent"], batch_size=2000)
    through_p = Agreement.partners.through
    through_u = Agreement.units.through
    through_pr = Agreement.prodi.through
    through_p.objects.bulk_create(
        [through_p(agreement_id=pk, partner_id=rng.choice(partner_ids)) for pk, _ in ids], batch_size=5000
    )
    through_u.objects.bulk_create(
        [through_u(agreement_id=pk, unit_id=rng.choice(units).pk) for pk, _ in ids], batch_size=5000
    )
    through_pr.objects.bulk_create(
        [through_pr(agreement_id=pk, prodi_id=rng.choice(prodi).pk) for pk, _ in ids], batch_size=5000
    )
