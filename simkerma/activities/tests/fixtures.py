"""Fixtures shared by the activities and archive tests (imported by both conftest files)."""

from __future__ import annotations

import datetime as dt

import pytest

from simkerma.agreements.models import Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.tests.factories import PartnerFactory

__all__ = ["agreement_if", "agreement_mb", "partner"]


@pytest.fixture
def partner(db):
    return PartnerFactory(name="PT Batam Siber Nusantara", city="Batam")


@pytest.fixture
def agreement_if(partner, jurusan_if, prodi_if):
    """An MoA in force 2025-2029 that names prodi IF01 (so jurusan IF) and no unit directly."""
    return AgreementFactory(
        kind=Kind.MOA,
        number="001/PKS.PL29/I/2025",
        title="Kerja sama keamanan siber",
        partners=[partner],
        prodi=[prodi_if],
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2029, 12, 31),
        scope="Kuliah tamu\nMagang mahasiswa",
    )


@pytest.fixture
def agreement_mb(jurusan_mb):
    return AgreementFactory(kind=Kind.MOA, number="002/PKS.PL29/I/2025", units=[jurusan_mb])
