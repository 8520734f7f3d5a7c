"""Renewing an agreement and recording its early termination."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from simkerma.agreements.models import Agreement, Kind, Status
from simkerma.agreements.services import renewal_period
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data
from simkerma.partners.tests.factories import PartnerFactory

D = dt.date
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def old(jurusan_if, prodi_if):
    mou = AgreementFactory(
        kind=Kind.MOU, number="001/MOU.PL29/I/2020", start_date=D(2020, 1, 1), end_date=D(2030, 1, 1)
    )
    return AgreementFactory(
        kind=Kind.MOA,
        number="003/PKS.PL29/III/2022",
        title="Magang industri",
        parent=mou,
        level="internasional",
        fields=["pendidikan", "pkm"],
        scope="Magang\nKuliah tamu",
        start_date=D(2022, 3, 1),
        end_date=D(2025, 2, 28),
        partners=[PartnerFactory(name="PT Satu"), PartnerFactory(name="PT Dua")],
        units=[jurusan_if],
        prodi=[prodi_if],
    )


@pytest.mark.django_db
def test_it_prefills_the_renewal_from_the_old_agreement(client_for, staff, old):
    response = client_for(staff).get(reverse("agreements:renew", args=[old.pk]))
    initial = response.context["form"].initial
    assert response.status_code == 200
    assert response.context["agreement"].renews == old
    assert sorted(initial["partners"]) == sorted(p.pk for p in old.partners.all())
    assert initial["units"] == [u.pk for u in old.units.all()]
    assert initial["prodi"] == [p.pk for p in old.prodi.all()]
    assert (initial["kind"], initial["title"], initial["parent"], initial["level"]) == (
        Kind.MOA,
        "Magang industri",
        old.parent_id,
        "internasional",
    )
    assert initial["fields"] == ["pendidikan", "pkm"]
    assert initial["scope"] == "Magang\nKuliah tamu"
    # The new period starts the day after the old one ends and lasts as long: three years.
    assert (initial["start_date"], initial["end_date"]) == (D(2025, 3, 1), D(2028, 2, 29))
    html = response.content.decode()
    for partner in old.partners.all():
        assert f'name="partners" value="{partner.pk}"' in html


@pytest.mark.parametrize(
    ("start", "end", "renewed_end"),
    [
        (D(2024, 1, 1), D(2024, 12, 31), D(2025, 12, 31)),  # a leap year renewed by a common one
        (D(2023, 1, 1), D(2023, 12, 31), D(2024, 12, 31)),  # a common year renewed by a leap one
        (D(2020, 3, 3), D(2025, 3, 2), D(2030, 3, 2)),  # five years
        (D(2025, 1, 15), D(2025, 2, 20), D(2025, 3, 29)),  # not whole months: the same number of days
        (D(2025, 1, 10), D(2025, 1, 10), D(2025, 1, 11)),  # a single day
    ],
)
def test_it_renews_for_a_period_as_long_as_the_old_one(start, end, renewed_end):
    old = Agreement(start_date=start, end_date=end)
    assert renewal_period(old) == (end + dt.timedelta(days=1), renewed_end)


@pytest.mark.django_db
def test_it_saves_the_renewal_as_a_new_agreement_linked_to_the_old(client_for, staff, old):
    data = agreement_data(
        partners=old.partners.all(),
        kind="moa",
        title="Magang industri",
        parent=old.parent,
        units=old.units.all(),
        prodi=old.prodi.all(),
        start="2025-03-01",
        end="2028-02-29",
    )
    response = client_for(staff).post(reverse("agreements:renew", args=[old.pk]), data)
    new = Agreement.objects.exclude(pk__in=[old.pk, old.parent_id]).get()
    assert response.status_code == 302
    assert new.renews == old
    assert new.number == "001/PKS.PL29/III/2025"
    assert set(new.partners.all()) == set(old.partners.all())
    assert list(old.renewals.all()) == [new]
    old.refresh_from_db()
    assert (old.end_date, old.renews) == (D(2025, 2, 28), None)
    detail = client_for(staff).get(old.get_absolute_url())
    assert list(detail.context["renewals"]) == [new]


@pytest.mark.django_db
def test_it_records_an_early_termination(client_for, kapokja, old):
    url = reverse("agreements:terminate", args=[old.pk])
    with time_machine.travel(dt.datetime(2024, 6, 10, 9, 0, tzinfo=WIB), tick=False):
        form_page = client_for(kapokja).get(url)
        assert form_page.context["form"].initial["terminated_on"] == D(2024, 6, 10)
        response = client_for(kapokja).post(url, {"terminated_on": "2024-06-10", "reason": "Mitra tutup usaha"})
        old.refresh_from_db()
        assert old.status == Status.TERMINATED
    assert response.status_code == 302
    assert response["Location"] == old.get_absolute_url()
    assert (old.terminated_on, old.termination_reason) == (D(2024, 6, 10), "Mitra tutup usaha")
    assert old.status_on(D(2024, 6, 9)) == Status.ACTIVE
    assert old.history.order_by("-history_id").first().history_change_reason == "terminated: Mitra tutup usaha"


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2022-03-01", "2025-02-28"])
def test_it_accepts_termination_on_the_first_and_last_day(client_for, staff, old, day):
    url = reverse("agreements:terminate", args=[old.pk])
    client_for(staff).post(url, {"terminated_on": day, "reason": "Kesepakatan bersama"})
    old.refresh_from_db()
    assert old.terminated_on == D.fromisoformat(day)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2022-02-28", "2025-03-01", ""])
def test_it_refuses_a_termination_date_outside_the_period(client_for, staff, old, day):
    url = reverse("agreements:terminate", args=[old.pk])
    response = client_for(staff).post(url, {"terminated_on": day, "reason": "Kesepakatan bersama"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"terminated_on"}
    old.refresh_from_db()
    assert (old.terminated_on, old.termination_reason) == (None, "")


@pytest.mark.django_db
def test_it_requires_a_termination_reason(client_for, staff, old):
    url = reverse("agreements:terminate", args=[old.pk])
    response = client_for(staff).post(url, {"terminated_on": "2024-01-01", "reason": ""})
    assert set(response.context["form"].errors) == {"reason"}
    old.refresh_from_db()
    assert old.terminated_on is None


@pytest.mark.django_db
def test_it_records_a_long_termination_reason_in_full(client_for, staff, old):
    reason = "Mitra menghentikan kegiatan usaha di Batam. " * 20
    url = reverse("agreements:terminate", args=[old.pk])
    response = client_for(staff).post(url, {"terminated_on": "2024-01-01", "reason": reason})
    old.refresh_from_db()
    assert response.status_code == 302
    assert old.termination_reason == reason.strip()
    history_reason = old.history.latest().history_change_reason
    assert history_reason.startswith("terminated: Mitra menghentikan")
    assert len(history_reason) <= 100


@pytest.mark.django_db
def test_it_renews_an_agreement_with_a_long_number(client_for, staff):
    long_number = "PKS/" + "9" * 90 + "/2020"
    old = AgreementFactory(number=long_number, start_date=D(2020, 1, 1), end_date=D(2024, 12, 31))
    data = agreement_data(partners=old.partners.all(), start="2025-01-01", end="2029-12-31")
    response = client_for(staff).post(reverse("agreements:renew", args=[old.pk]), data)
    assert response.status_code == 302
    new = Agreement.objects.get(renews=old)
    assert len(new.history.earliest().history_change_reason) <= 100
