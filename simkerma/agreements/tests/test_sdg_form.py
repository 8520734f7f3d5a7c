"""The agreement form's SDG goals, and the ministry mark shown on it but never changed by it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_it_saves_the_sdg_goals_ticked_on_a_new_agreement(client_for, staff):
    data = agreement_data(partners=[PartnerFactory()]) | {"sdg_goals": ["sdg17", "sdg4"]}

    response = client_for(staff).post(reverse("agreements:create"), data)

    assert response.status_code == 302
    assert sorted(Agreement.objects.get().sdg_goals) == ["sdg17", "sdg4"]


def test_it_refuses_an_unknown_sdg_goal_next_to_the_field(client_for, staff):
    data = agreement_data(partners=[PartnerFactory()]) | {"sdg_goals": ["sdg4", "sdg18"]}

    response = client_for(staff).post(reverse("agreements:create"), data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"sdg_goals"}
    assert not Agreement.objects.exists()


def test_it_keeps_the_ministry_mark_when_the_form_is_saved(client_for, staff):
    agreement = AgreementFactory(sdg_goals=["sdg9"], ministry_reported_on=dt.date(2025, 6, 30))
    client = client_for(staff)

    page = client.get(reverse("agreements:edit", args=[agreement.pk])).content.decode()
    assert "2025-06-30" in page
    assert 'name="ministry_reported_on"' not in page

    data = edit_data(agreement, sdg_goals=["sdg4"], ministry_reported_on="2020-01-01")
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.sdg_goals == ["sdg4"]
    assert agreement.ministry_reported_on == dt.date(2025, 6, 30)


def test_it_clears_the_sdg_goals_when_every_box_is_unticked(client_for, staff):
    agreement = AgreementFactory(sdg_goals=["sdg9", "sdg17"])

    response = client_for(staff).post(reverse("agreements:edit", args=[agreement.pk]), edit_data(agreement))

    assert response.status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).sdg_goals == []
