from decimal import Decimal

import pytest
from django.urls import reverse

from simkerma.partners.models import Partner, PartnerCategory
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.partners.tests.test_views_edit import edit_data, partner_data

pytestmark = pytest.mark.django_db

MANAGERS = ["kapokja", "admin_user"]
REFUSED = ["staff", "coordinator", "pimpinan", "auditor", "outsider"]


def category_data(**overrides):
    data = {
        "code": "Mitra_Khusus",
        "name": "Mitra khusus",
        "description": "",
        "weight": "0.5",
        "qualifies_iku": "on",
        "order": "20",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_it_lists_the_seeded_categories_with_their_partners(client_for, staff):
    umkm = PartnerCategory.objects.get(code="umkm")
    PartnerFactory(ministry_category=umkm)
    PartnerFactory(ministry_category=umkm)

    response = client_for(staff).get(reverse("partners:categories"))

    assert response.status_code == 200
    rows = {c.code: c.partner_count for c in response.context["categories"]}
    assert len(rows) == 13
    assert rows["umkm"] == 2
    assert rows["rumah_sakit"] == 0
    assert reverse("partners:category_create") not in response.content.decode()


@pytest.mark.parametrize("who", MANAGERS)
def test_it_lets_kapokja_and_the_administrator_add_a_category(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).post(reverse("partners:category_create"), category_data())

    assert response.status_code == 302
    category = PartnerCategory.objects.get(code="mitra_khusus")
    assert (category.name, category.weight, category.qualifies_iku, category.order) == (
        "Mitra khusus",
        Decimal("0.50"),
        True,
        20,
    )


@pytest.mark.parametrize("who", REFUSED)
def test_it_refuses_category_changes_to_everyone_else(request, client_for, who):
    umkm = PartnerCategory.objects.get(code="umkm")
    client = client_for(request.getfixturevalue(who))

    assert client.post(reverse("partners:category_create"), category_data()).status_code == 403
    assert client.post(reverse("partners:category_edit", args=[umkm.pk]), category_data()).status_code == 403
    assert client.post(reverse("partners:category_delete", args=[umkm.pk])).status_code == 403
    assert not PartnerCategory.objects.filter(code="mitra_khusus").exists()
    assert PartnerCategory.objects.get(pk=umkm.pk).name == "Usaha mikro, kecil dan menengah (UMKM)"


@pytest.mark.parametrize(
    ("field", "value"),
    [("weight", "1.5"), ("weight", "-0.1"), ("code", "bad code!"), ("code", "umkm"), ("name", "x" * 300)],
)
def test_it_says_what_is_wrong_next_to_the_field(client_for, kapokja, field, value):
    response = client_for(kapokja).post(reverse("partners:category_create"), category_data(**{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert PartnerCategory.objects.count() == 13


def test_it_renames_reweighs_and_switches_off_a_category(client_for, kapokja):
    umkm = PartnerCategory.objects.get(code="umkm")
    partner = PartnerFactory(ministry_category=umkm)

    response = client_for(kapokja).post(
        reverse("partners:category_edit", args=[umkm.pk]),
        category_data(code="umkm", name="UMKM binaan", weight="0.25", is_active="", qualifies_iku=""),
    )

    assert response.status_code == 302
    umkm.refresh_from_db()
    assert (umkm.name, umkm.weight, umkm.is_active, umkm.qualifies_iku) == (
        "UMKM binaan",
        Decimal("0.25"),
        False,
        False,
    )
    assert Partner.objects.get(pk=partner.pk).ministry_category == umkm


def test_it_never_deletes_a_category_a_partner_has_or_had(client_for, kapokja):
    umkm = PartnerCategory.objects.get(code="umkm")
    partner = PartnerFactory(ministry_category=umkm)
    client = client_for(kapokja)

    response = client.post(reverse("partners:category_delete", args=[umkm.pk]))
    assert response.status_code == 302
    assert PartnerCategory.objects.filter(pk=umkm.pk).exists()

    partner.ministry_category = None
    partner.save()  # its history still names the category
    client.post(reverse("partners:category_delete", args=[umkm.pk]))
    assert PartnerCategory.objects.filter(pk=umkm.pk).exists()

    unused = PartnerCategory.objects.get(code="rumah_sakit")
    client.post(reverse("partners:category_delete", args=[unused.pk]))
    assert not PartnerCategory.objects.filter(pk=unused.pk).exists()


def test_it_refuses_a_delete_by_get(client_for, kapokja):
    unused = PartnerCategory.objects.get(code="rumah_sakit")

    assert client_for(kapokja).get(reverse("partners:category_delete", args=[unused.pk])).status_code == 405
    assert PartnerCategory.objects.filter(pk=unused.pk).exists()


def test_it_gives_a_partner_its_category_on_the_form_and_shows_it(client_for, staff):
    umkm = PartnerCategory.objects.get(code="umkm")
    client = client_for(staff)

    response = client.post(reverse("partners:create"), partner_data(ministry_category=str(umkm.pk)))

    partner = Partner.objects.get(name="PT Sinar Batam Elektronik")
    assert response.status_code == 302
    assert partner.ministry_category == umkm
    assert "Usaha mikro, kecil dan menengah (UMKM)" in client.get(partner.get_absolute_url()).content.decode()


def test_it_offers_active_categories_and_the_partners_own_one(client_for, staff):
    umkm = PartnerCategory.objects.get(code="umkm")
    hospital = PartnerCategory.objects.get(code="rumah_sakit")
    PartnerCategory.objects.filter(pk__in=[umkm.pk, hospital.pk]).update(is_active=False)
    partner = PartnerFactory(ministry_category=umkm)
    client = client_for(staff)

    offered = set(
        client.get(reverse("partners:edit", args=[partner.pk])).context["form"].fields["ministry_category"].queryset
    )
    assert umkm in offered
    assert hospital not in offered
    assert len(offered) == 12

    response = client.post(
        reverse("partners:edit", args=[partner.pk]), edit_data(partner, ministry_category=str(hospital.pk))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ministry_category"]
    assert Partner.objects.get(pk=partner.pk).ministry_category == umkm


def test_it_filters_the_partner_list_by_category(client_for, staff):
    umkm = PartnerCategory.objects.get(code="umkm")
    kept = PartnerFactory(name="Warung Kopi Batam", ministry_category=umkm)
    PartnerFactory(name="PT Besar")

    response = client_for(staff).get(reverse("partners:list"), {"category": "umkm"})

    assert [p.pk for p in response.context["page_obj"]] == [kept.pk]
