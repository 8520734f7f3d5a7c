import pytest
from django.urls import reverse

from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.models import Partner, PartnerContact, PartnerMerge
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    source = PartnerFactory(code="M00002", name="Batamindo PT", city="Batam", email="info@batamindo.test")
    target = PartnerFactory(code="M00001", name="PT Batamindo", city="", email="")
    return source, target


def test_it_merges_the_duplicate_into_the_kept_partner(client_for, staff, pair):
    source, target = pair
    ContactFactory(partner=source, name="Budi Santoso")
    agreement = AgreementFactory(partners=[source])

    response = client_for(staff).post(reverse("partners:merge", args=[source.pk]), {"target_code": " m00001 "})

    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url()
    assert not Partner.objects.filter(pk=source.pk).exists()
    target.refresh_from_db()
    assert (target.city, target.email) == ("Batam", "info@batamindo.test")
    assert list(target.contacts.values_list("name", flat=True)) == ["Budi Santoso"]
    assert list(agreement.partners.all()) == [target]
    merge = PartnerMerge.objects.get()
    assert (merge.target, merge.source_code, merge.merged_by) == (target, "M00002", staff)
    assert [c["name"] for c in merge.snapshot["contacts"]] == ["Budi Santoso"]
    assert merge.snapshot["agreements"] == [agreement.number]


def test_it_lists_merged_duplicates_and_moved_agreements_on_the_kept_partner(client_for, staff, pair):
    source, target = pair
    agreement = AgreementFactory(partners=[source], number="007/MOU.PL29/II/2025")
    client = client_for(staff)
    client.post(reverse("partners:merge", args=[source.pk]), {"target_code": "M00001"})

    html = client.get(target.get_absolute_url()).content.decode()

    assert agreement.number in html
    assert "Batamindo PT (M00002)" in html


def test_it_refuses_to_merge_a_partner_into_itself(client_for, staff, pair):
    source, _target = pair
    ContactFactory(partner=source)

    response = client_for(staff).post(reverse("partners:merge", args=[source.pk]), {"target_code": "M00002"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["target_code"]
    assert Partner.objects.filter(pk=source.pk).exists()
    assert PartnerContact.objects.get().partner_id == source.pk
    assert PartnerMerge.objects.count() == 0


@pytest.mark.parametrize("code", ["M99999", ""])
def test_it_refuses_an_unknown_or_missing_code(client_for, staff, pair, code):
    source, _target = pair

    response = client_for(staff).post(reverse("partners:merge", args=[source.pk]), {"target_code": code})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["target_code"]
    assert 'id="id_target_code_error"' in response.content.decode()
    assert set(Partner.objects.values_list("code", flat=True)) == {"M00001", "M00002"}
    assert PartnerMerge.objects.count() == 0


def test_it_suggests_likely_duplicates_on_the_merge_page(client_for, staff, pair):
    source, target = pair
    PartnerFactory(code="M00003", name="PT Sinar Mas")

    response = client_for(staff).get(reverse("partners:merge", args=[source.pk]))

    assert response.status_code == 200
    assert [s.partner for s in response.context["similar"]] == [target]
    html = response.content.decode()
    assert 'name="target_code" value="M00001"' in html
    assert 'value="M00003"' not in html
