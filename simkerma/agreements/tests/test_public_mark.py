"""The public mark: off unless a writer sets it, kept through the form and the service, shown on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simkerma.agreements.data import AgreementData
from simkerma.agreements.models import Agreement
from simkerma.agreements.services import agreement_save
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.partners.tests.factories import PartnerFactory


@pytest.mark.django_db
def test_it_leaves_a_new_agreement_off_the_public_page_by_default(client_for, staff):
    client_for(staff).post(reverse("agreements:create"), agreement_data(partners=[PartnerFactory()], title="Baru"))
    assert Agreement.objects.get(title="Baru").is_public is False


@pytest.mark.django_db
def test_it_marks_an_agreement_public_through_the_form_and_unmarks_it(client_for, staff):
    agreement = AgreementFactory()
    client = client_for(staff)
    client.post(reverse("agreements:edit", args=[agreement.pk]), edit_data(agreement, is_public="on"))
    agreement.refresh_from_db()
    assert agreement.is_public is True
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'class="badge badge-public"' in page
    client.post(reverse("agreements:edit", args=[agreement.pk]), edit_data(agreement))
    agreement.refresh_from_db()
    assert agreement.is_public is False
    assert 'class="badge badge-public"' not in client.get(agreement.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_it_takes_the_public_mark_from_data_without_a_form(staff):
    partner = PartnerFactory()
    data = AgreementData(
        kind="mou",
        title="Dari data",
        partners=[partner],
        level="nasional",
        fields=["pendidikan"],
        start_date=dt.date(2025, 3, 3),
        end_date=dt.date(2030, 3, 2),
        is_public=True,
    )
    saved = agreement_save(agreement=None, data=data, user=staff)
    assert Agreement.objects.get(pk=saved.obj.pk).is_public is True
