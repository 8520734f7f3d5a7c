"""The history page speaks the reader's language, also for fields declared without a verbose name."""

import pytest
from django.urls import reverse

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_it_labels_created_by_in_indonesian_on_the_activity_history(client, staff):
    activity = ActivityFactory(created_by=staff)
    client.force_login(staff)

    page = client.get(reverse("activities:history", args=[activity.pk])).content.decode()

    assert "<td>dibuat oleh</td>" in page
    assert "created by" not in page


def test_it_labels_a_contacts_partner_in_indonesian_on_the_partner_history(client, staff):
    partner = PartnerFactory(name="PT Galangan Batam")
    ContactFactory(partner=partner, name="Rina Wati")
    client.force_login(staff)

    page = client.get(reverse("partners:history", args=[partner.pk])).content.decode()

    assert "<td>mitra</td>" in page
    assert "<td>partner</td>" not in page


def test_it_keeps_english_labels_for_an_english_reader(client, staff):
    activity = ActivityFactory(created_by=staff)
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("activities:history", args=[activity.pk])).content.decode()

    assert "<td>created by</td>" in page
