"""Synthetic registry data at scale: units, prodi, partners with contacts, agreements in trees."""

from __future__ import annotations

import random

from django.db import transaction

from simkerma.agreements.models import Agreement, Kind
from simkerma.site import seeding

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
    """Six jurusan with 30 prodi, partners with word names and a contact each, agreements naming one
    partner, unit and prodi, through the product's seeding module; each MoA hung under the MoU
    before it and each IA under the MoA before it."""
    rng = random.Random(seed)
    jurusan, _p3m, prodi = seeding.build_org(jurusan=6, prodi=30)
    partner_ids = seeding.build_partners(partners, contacts=True, name=lambda n: _name(rng, n))
    rows = seeding.build_agreements(
        rng, agreements, partner_ids, jurusan, prodi, 2018, 2025, partner_counts=(1,), prodi_counts=(1,)
    )
    kinds = dict(Agreement.objects.values_list("pk", "kind"))
    parents = [
        Agreement(pk=pk, parent_id=previous)
        for (pk, *_), (previous, *_) in zip(rows[1:], rows[:-1], strict=True)
        if kinds[pk] != Kind.MOU
    ]
    Agreement.objects.bulk_update(parents, ["parent"], batch_size=2000)
