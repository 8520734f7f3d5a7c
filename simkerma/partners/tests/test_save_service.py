"""partner_save takes data, not a form: the JSON API and the workbook importer call it as the pages do."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.partners.data import ContactData, PartnerData
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.selectors import PartnerFilters, partner_list
from simkerma.partners.services import partner_merge, partner_save
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def data(**changes):
    return PartnerData(**({"name": "PT Sinar Batam", "kind": "industri", "city": "Batam"} | changes))


def test_it_creates_a_partner_with_the_next_code_and_its_contacts(staff):
    PartnerFactory(code="M00041")
    partner = partner_save(
        partner=None, data=data(contacts=[ContactData(name="Budi", phone="0812-3456-7890")]), user=staff
    )
    partner.refresh_from_db()
    assert (partner.code, partner.name, partner.city) == ("M00042", "PT Sinar Batam", "Batam")
    assert list(partner.contacts.values_list("name", "phone")) == [("Budi", "0812-3456-7890")]
    assert [(r.history_type, r.history_change_reason) for r in partner.history.all()] == [("+", "created")]


def test_it_keeps_a_typed_code_in_capitals(staff):
    assert partner_save(partner=None, data=data(code=" mx-7 "), user=staff).code == "MX-7"


def test_it_refuses_a_bad_phone_by_field_and_saves_nothing(staff):
    contacts = [ContactData(name="Budi", whatsapp="call me")]
    with pytest.raises(ValidationError) as raised:
        partner_save(partner=None, data=data(phone="abc", contacts=contacts), user=staff)
    assert set(raised.value.message_dict) == {"phone", "whatsapp"}
    assert not Partner.objects.exists()
    assert not PartnerContact.objects.exists()


def test_it_refuses_a_typed_code_already_used(staff):
    PartnerFactory(code="M00001", name="PT Lain")
    with pytest.raises(ValidationError) as raised:
        partner_save(partner=None, data=data(code="M00001"), user=staff)
    assert list(raised.value.message_dict) == ["code"]
    assert Partner.objects.count() == 1


@pytest.mark.parametrize("who", ["coordinator", "pimpinan", "auditor", "outsider"])
def test_it_refuses_anyone_outside_the_team(request, who):
    with pytest.raises(PermissionDenied):
        partner_save(partner=None, data=data(), user=request.getfixturevalue(who))
    assert not Partner.objects.exists()


def test_it_keeps_exactly_the_contacts_listed(staff):
    partner = PartnerFactory(name="PT Sinar Batam", kind="industri", city="Batam")
    kept, dropped = ContactFactory(partner=partner, name="Tetap"), ContactFactory(partner=partner, name="Pergi")
    rows = [ContactData(id=kept.pk, name="Tetap Diubah"), ContactData(name="Baru")]
    partner_save(partner=partner, data=data(code=partner.code, contacts=rows), user=staff)
    assert sorted(partner.contacts.values_list("name", flat=True)) == ["Baru", "Tetap Diubah"]
    assert not PartnerContact.objects.filter(pk=dropped.pk).exists()


def test_it_leaves_the_contacts_alone_without_a_list(staff):
    partner = PartnerFactory()
    ContactFactory(partner=partner, name="Tetap")
    partner_save(partner=partner, data=data(code=partner.code, name="PT Baru Sekali"), user=staff)
    assert list(partner.contacts.values_list("name", flat=True)) == ["Tetap"]


def test_it_refuses_a_contact_of_another_partner(staff):
    partner, other = PartnerFactory(), PartnerFactory()
    foreign = ContactFactory(partner=other, name="Lain")
    with pytest.raises(ValidationError) as raised:
        partner_save(
            partner=partner, data=data(code=partner.code, contacts=[ContactData(id=foreign.pk, name="X")]), user=staff
        )
    assert list(raised.value.message_dict) == ["contacts"]
    foreign.refresh_from_db()
    assert (foreign.partner, foreign.name) == (other, "Lain")


def test_a_merge_stores_its_reasons_as_msgids(staff):
    target = PartnerFactory(code="M00001", name="PT Batamindo", city="")
    source = PartnerFactory(code="M00002", name="Batamindo PT", city="Batam")
    partner_merge(source=source, target=target, user=staff)
    assert target.history.order_by("-history_id").first().history_change_reason == "merged from M00002 Batamindo PT"
    gone = Partner.history.filter(id=source.pk, history_type="-").get()
    assert gone.history_change_reason == "merged into M00001 PT Batamindo"


def test_a_merge_is_refused_to_a_reader(auditor):
    target, source = PartnerFactory(), PartnerFactory()
    with pytest.raises(PermissionDenied):
        partner_merge(source=source, target=target, user=auditor)
    assert Partner.objects.count() == 2


def test_the_list_selector_filters_by_words_and_kind(staff):
    PartnerFactory(name="PT Sinar Batam", kind="industri", city="Batam")
    PartnerFactory(name="Dinas Sinar", kind="pemerintah", city="Tanjung Pinang")
    found = partner_list(user=staff, filters=PartnerFilters(q="sinar", kind="industri"))
    assert [p.name for p in found] == ["PT Sinar Batam"]
    assert [p.agreement_count for p in found] == [0]
    assert [p.name for p in partner_list(user=staff, filters=PartnerFilters(q="sinar"))] == [
        "Dinas Sinar",
        "PT Sinar Batam",
    ]


def test_the_list_selector_refuses_an_account_without_a_role(outsider):
    with pytest.raises(PermissionDenied):
        partner_list(user=outsider, filters=PartnerFilters())


def test_the_admin_refuses_a_bad_phone_on_its_field(client_for, admin_user):
    data = {
        "code": "M00009",
        "name": "PT Admin",
        "kind": "industri",
        "country": "ID",
        "phone": "call me",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    response = client_for(admin_user).post(reverse("admin:partners_partner_add"), data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["phone"]
    assert not Partner.objects.exists()
