import pytest

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.models import Partner, PartnerContact, PartnerMerge
from simkerma.partners.services import partner_merge, partner_next_code
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_it_numbers_the_first_partner_m00001():
    assert partner_next_code() == "M00001"


def test_it_numbers_after_the_highest_m_code_only():
    PartnerFactory(code="M00007")
    PartnerFactory(code="M00002")
    PartnerFactory(code="T99999")
    PartnerFactory(code="MX0100")

    assert partner_next_code() == "M00008"


def test_it_keeps_the_name_key_in_step_with_the_name():
    partner = PartnerFactory(name="  PT   Batamindo  ")
    assert (partner.name, partner.name_key) == ("PT Batamindo", "batamindo")

    partner.name = "CV Sinar Jaya"
    partner.save(update_fields=["name"])

    partner.refresh_from_db()
    assert (partner.name, partner.name_key) == ("CV Sinar Jaya", "jaya sinar")


def test_it_moves_contacts_and_agreements_to_the_kept_partner(staff):
    source = PartnerFactory(code="M00002", name="Batamindo PT")
    target = PartnerFactory(code="M00001", name="PT Batamindo")
    contact = ContactFactory(partner=source, name="Budi Santoso")
    ContactFactory(partner=target, name="Siti Aminah")
    only_source = AgreementFactory(partners=[source])
    both = AgreementFactory(partners=[source, target])

    partner_merge(source=source, target=target, user=staff)

    assert not Partner.objects.filter(pk=source.pk).exists()
    assert sorted(target.contacts.values_list("name", flat=True)) == ["Budi Santoso", "Siti Aminah"]
    assert PartnerContact.objects.get(pk=contact.pk).partner_id == target.pk
    assert list(Agreement.objects.get(pk=only_source.pk).partners.values_list("pk", flat=True)) == [target.pk]
    assert list(Agreement.objects.get(pk=both.pk).partners.values_list("pk", flat=True)) == [target.pk]


def test_it_fills_blank_fields_of_the_kept_partner_only(staff):
    source = PartnerFactory(
        code="M00002", name="Batamindo PT", city="Batam", email="info@batamindo.test", phone="0778 611000", notes="old"
    )
    target = PartnerFactory(code="M00001", name="PT Batamindo", city="Tanjungpinang", email="", phone="", notes="")

    partner_merge(source=source, target=target, user=staff)

    target.refresh_from_db()
    assert target.city == "Tanjungpinang"
    assert target.email == "info@batamindo.test"
    assert target.phone == "0778 611000"
    assert target.notes == "old"
    assert target.name == "PT Batamindo"
    assert target.history.first().history_change_reason == "merged from M00002 Batamindo PT"


def test_it_keeps_a_snapshot_of_the_duplicate(staff):
    source = PartnerFactory(
        code="M00002", name="Batamindo PT", country="SG", city="Batam", website="https://batamindo.test"
    )
    target = PartnerFactory(code="M00001", name="PT Batamindo")
    ContactFactory(partner=source, name="Budi Santoso", position="HR", email="budi@batamindo.test", phone="0811 111111")
    agreement = AgreementFactory(partners=[source], number="001/MOU.PL29/I/2025")

    merge = partner_merge(source=source, target=target, user=staff)

    merge.refresh_from_db()
    assert (merge.target, merge.source_code, merge.source_name, merge.merged_by) == (
        target,
        "M00002",
        "Batamindo PT",
        staff,
    )
    snap = merge.snapshot
    assert (snap["code"], snap["name"], snap["country"], snap["city"], snap["website"]) == (
        "M00002",
        "Batamindo PT",
        "SG",
        "Batam",
        "https://batamindo.test",
    )
    assert snap["contacts"] == [
        {
            "name": "Budi Santoso",
            "position": "HR",
            "email": "budi@batamindo.test",
            "phone": "0811 111111",
            "whatsapp": "",
        }
    ]
    assert snap["agreements"] == [agreement.number]


def test_it_records_the_deletion_of_the_duplicate_in_its_history(staff):
    source = PartnerFactory(code="M00002", name="Batamindo PT")
    target = PartnerFactory(code="M00001", name="PT Batamindo")

    partner_merge(source=source, target=target, user=staff)

    last = Partner.history.filter(id=source.pk).first()
    assert last.history_type == "-"
    assert last.history_change_reason == "merged into M00001 PT Batamindo"


def test_it_refuses_to_merge_a_partner_into_itself(staff):
    partner = PartnerFactory()

    with pytest.raises(ValueError, match="itself"):
        partner_merge(source=partner, target=partner, user=staff)

    assert Partner.objects.filter(pk=partner.pk).exists()
    assert PartnerMerge.objects.count() == 0


def test_it_merges_a_partner_that_already_absorbed_another(staff):
    first = PartnerFactory(code="M00003", name="Batamindo Investment")
    middle = PartnerFactory(code="M00002", name="Batamindo PT")
    kept = PartnerFactory(code="M00001", name="PT Batamindo")
    partner_merge(source=first, target=middle, user=staff)

    partner_merge(source=middle, target=kept, user=staff)

    assert list(Partner.objects.values_list("code", flat=True)) == ["M00001"]
    assert sorted(kept.merges.values_list("source_code", flat=True)) == ["M00002", "M00003"]


def test_it_merges_partners_with_long_names(staff):
    """The history's change reason holds 100 characters; a long name must not break the merge."""
    source = PartnerFactory(code="M00002", name="Batamindo " + "Investment Group " * 14, city="Batam")
    target = PartnerFactory(code="M00001", name="PT Batamindo " + "Industrial Park " * 14, city="")

    partner_merge(source=source, target=target, user=staff)

    target.refresh_from_db()
    assert target.city == "Batam"
    reason = target.history.first().history_change_reason
    assert reason.startswith("merged from M00002 Batamindo Investment")
    assert len(reason) <= 100
    assert not Partner.objects.filter(pk=source.pk).exists()


def test_it_moves_every_other_record_that_points_at_the_duplicate(staff):
    from simkerma.servicedesk.models import ServiceRequest
    from simkerma.servicedesk.tests.factories import ServiceRequestFactory

    source = PartnerFactory(code="M00002", name="Batamindo PT")
    target = PartnerFactory(code="M00001", name="PT Batamindo")
    request = ServiceRequestFactory(partner=source, from_partner=True)

    partner_merge(source=source, target=target, user=staff)

    assert ServiceRequest.objects.get(pk=request.pk).partner_id == target.pk
