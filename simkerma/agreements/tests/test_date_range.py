"""Dates outside 1990..2100 on agreements: field messages, and no 500 on renewal or the suggester."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
RANGE = "Masukkan tanggal antara 1990 dan 2100."


def test_the_form_refuses_an_end_in_9999_next_to_the_field(client_for, staff):
    data = agreement_data(partners=[PartnerFactory()], number="1/X/2025", start="2025-01-01", end="9999-12-31")
    response = client_for(staff).post(reverse("agreements:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [RANGE]
    assert not Agreement.objects.exists()


def test_the_form_refuses_a_signing_date_that_does_not_exist(client_for, staff):
    data = agreement_data(partners=[PartnerFactory()], number="1/X/2025", signed_on="2025-02-30")
    response = client_for(staff).post(reverse("agreements:create"), data)
    assert response.status_code == 200
    assert "signed_on" in response.context["form"].errors
    assert not Agreement.objects.exists()


def test_renewing_an_agreement_ending_9999_12_31_explains_instead_of_failing(client_for, staff):
    old = AgreementFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(9999, 12, 31))
    response = client_for(staff).get(reverse("agreements:renew", args=[old.pk]), follow=True)
    assert response.status_code == 200
    assert "perpanjangan tidak dapat dimulai setelahnya" in response.content.decode()


@pytest.mark.parametrize("value", ["2025-02-30", "9999-12-31", "0001-01-01"])
def test_the_number_suggester_falls_back_for_a_bad_date(client_for, staff, value):
    response = client_for(staff).get(reverse("agreements:suggest_number"), {"kind": "mou", "signed_on": value})
    assert response.status_code == 200
    assert f"/{dt.date.today().year}" in response.content.decode()
