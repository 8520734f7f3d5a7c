"""A partner named by agreements is never deleted, on any path (issue 7, item 19)."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.services import partner_merge
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    partner = PartnerFactory(name="PT Terikat Jaya")
    ContactFactory(partner=partner, name="Rina")
    AgreementFactory(number="020/MOU.PL29/I/2025", partners=[partner])
    return partner


def test_it_refuses_to_delete_a_partner_with_agreements_from_the_shell(linked):
    with pytest.raises(ProtectedError) as raised:
        linked.delete()
    assert "020/MOU.PL29/I/2025" in str(raised.value.args[0])
    with pytest.raises(ProtectedError):
        Partner.objects.filter(pk=linked.pk).delete()
    assert Partner.objects.filter(pk=linked.pk).exists()
    assert linked.agreements.count() == 1
    assert PartnerContact.objects.filter(partner=linked).count() == 1


def test_the_admin_refuses_with_a_message(client, admin_user, linked):
    client.force_login(admin_user)
    url = reverse("admin:partners_partner_delete", args=[linked.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "020/MOU.PL29/I/2025" in page.content.decode()
    assert 'name="post"' not in page.content.decode()  # no confirm button
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Partner.objects.filter(pk=linked.pk).exists()
    assert linked.agreements.count() == 1


def test_the_admin_bulk_delete_refuses_too(client, admin_user, linked):
    client.force_login(admin_user)
    free = PartnerFactory(name="PT Bebas")
    data = {"action": "delete_selected", "_selected_action": [linked.pk, free.pk], "post": "yes"}
    response = client.post(reverse("admin:partners_partner_changelist"), data)
    assert response.status_code == 200
    assert set(Partner.objects.values_list("pk", flat=True)) >= {linked.pk, free.pk}


def test_a_partner_without_agreements_is_deleted_and_a_merge_still_works(staff, linked):
    free = PartnerFactory(name="PT Bebas")
    free.delete()
    assert not Partner.objects.filter(pk=free.pk).exists()
    kept = PartnerFactory(name="PT Terikat Jaya Abadi")
    partner_merge(source=linked, target=kept, user=staff)
    assert not Partner.objects.filter(pk=linked.pk).exists()
    assert [a.number for a in kept.agreements.all()] == ["020/MOU.PL29/I/2025"]


def test_the_pre_delete_guard_holds_below_the_model_delete(linked):
    from django.db import transaction
    from django.db.models.deletion import Collector

    collector = Collector(using="default")
    collector.collect([linked])
    with pytest.raises(ProtectedError), transaction.atomic():
        collector.delete()
    assert Partner.objects.filter(pk=linked.pk).exists()
    assert linked.agreements.count() == 1
