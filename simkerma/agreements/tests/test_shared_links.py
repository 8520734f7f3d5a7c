"""A coordinator edits only their own unit's links on a shared agreement (issue 7, item 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import edit_data
from simkerma.org.tests.factories import ProdiFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(jurusan_if, jurusan_mb, prodi_if, prodi_mb):
    """Named by jurusan IF and MB, and by one prodi of each."""
    return AgreementFactory(
        number="010/MOU.PL29/I/2025",
        title="Kerja sama bersama",
        units=[jurusan_if, jurusan_mb],
        prodi=[prodi_if, prodi_mb],
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )


def test_a_coordinator_cannot_remove_another_jurusan_or_its_prodi(
    client_for, coordinator, shared, jurusan_if, prodi_if
):
    data = edit_data(shared, units=[jurusan_if], prodi=[prodi_if], title="Judul baru")
    response = client_for(coordinator).post(reverse("agreements:edit", args=[shared.pk]), data)
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.title == "Judul baru"  # the rest of the edit is saved
    assert sorted(u.code for u in shared.units.all()) == ["IF", "MB"]
    assert sorted(p.code for p in shared.prodi.all()) == ["IF01", "MB01"]


def test_a_coordinator_cannot_add_another_unit_but_changes_their_own(
    client_for, coordinator, jurusan_if, jurusan_mb, prodi_if, p3m_unit
):
    second_if = ProdiFactory(code="IF02", name="Rekayasa Perangkat Lunak", unit=jurusan_if)
    agreement = AgreementFactory(number="011/MOU.PL29/I/2025", units=[jurusan_if, jurusan_mb], prodi=[prodi_if])
    data = edit_data(agreement, units=[jurusan_if, jurusan_mb, p3m_unit], prodi=[second_if])
    assert client_for(coordinator).post(reverse("agreements:edit", args=[agreement.pk]), data).status_code == 302
    assert sorted(u.code for u in agreement.units.all()) == ["IF", "MB"]
    assert [p.code for p in agreement.prodi.all()] == ["IF02"]


def test_the_team_changes_every_link(client_for, staff, shared, jurusan_if, prodi_if):
    data = edit_data(shared, units=[jurusan_if], prodi=[prodi_if])
    assert client_for(staff).post(reverse("agreements:edit", args=[shared.pk]), data).status_code == 302
    assert [u.code for u in shared.units.all()] == ["IF"]
    assert [p.code for p in shared.prodi.all()] == ["IF01"]
