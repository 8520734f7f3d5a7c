"""An IA under an IA is refused with the rule, not a generic invalid choice (issue 7, item 22)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simkerma.agreements.models import Agreement, Kind
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_an_ia_under_an_ia_gets_the_rule(client_for, staff):
    partner = PartnerFactory()
    ia = AgreementFactory(
        kind=Kind.IA, number="001/IA.PL29/III/2025", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 12, 31)
    )
    data = agreement_data(
        partners=[partner], title="IA baru", kind="ia", parent=ia, start="2025-04-01", end="2025-11-30"
    )
    response = client_for(staff).post(reverse("agreements:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["parent"]] != ["invalid_choice"]
    message = form.errors["parent"][0]
    assert "MoA" in message and "MoU" in message  # names the kinds it may hang under
    assert form["title"].value() == "IA baru"
    assert Agreement.objects.count() == 1


def test_the_parent_picker_still_offers_only_mou_and_moa(client_for, staff):
    AgreementFactory(kind=Kind.IA, number="002/IA.PL29/III/2025", title="Kegiatan magang")
    AgreementFactory(kind=Kind.MOA, number="002/PKS.PL29/III/2025", title="Kegiatan magang induk")
    page = client_for(staff).get(reverse("agreements:pick_parent"), {"parent__q": "magang"}).content.decode()
    assert "002/PKS.PL29/III/2025" in page and "002/IA.PL29/III/2025" not in page
