import pytest
from django.urls import reverse
from django.utils import translation

from simkerma.core.history import ACTIONS
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def in_default_language(text):
    """What a request without a language preference sees (the UI default, Indonesian)."""
    with translation.override("id"):
        return str(translation.gettext(text)) if isinstance(text, str) else str(text)


def partner_data(**overrides):
    data = {
        "code": "",
        "name": "PT Sinar Batam Elektronik",
        "kind": "industri",
        "country": "ID",
        "city": "Batam",
        "address": "Jl. Ahmad Yani",
        "email": "info@sinarbatam.test",
        "phone": "+62 778 123456",
        "website": "https://sinarbatam.test",
        "notes": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Budi Santoso",
        "contacts-0-position": "HR Manager",
        "contacts-0-email": "budi@sinarbatam.test",
        "contacts-0-phone": "0812-3456-7890",
        "contacts-0-whatsapp": "+62 812 3456 7890",
    }
    data.update(overrides)
    return data


def edit_data(partner, **overrides):
    """The edit form as the browser posts it, with the partner's current values and contacts."""
    contacts = list(partner.contacts.all())
    data = {
        "code": partner.code,
        "name": partner.name,
        "kind": partner.kind,
        "country": str(partner.country.code),
        "city": partner.city,
        "address": partner.address,
        "email": partner.email,
        "phone": partner.phone,
        "website": partner.website,
        "notes": partner.notes,
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": str(len(contacts)),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    for i, contact in enumerate(contacts):
        data |= {
            f"contacts-{i}-id": str(contact.pk),
            f"contacts-{i}-name": contact.name,
            f"contacts-{i}-position": contact.position,
            f"contacts-{i}-email": contact.email,
            f"contacts-{i}-phone": contact.phone,
            f"contacts-{i}-whatsapp": contact.whatsapp,
        }
    data.update(overrides)
    return data


def test_it_creates_a_partner_with_its_contact_and_the_next_code(client_for, staff):
    response = client_for(staff).post(reverse("partners:create"), partner_data())

    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == partner.get_absolute_url()
    assert (partner.code, partner.name, partner.kind, partner.country.code, partner.city) == (
        "M00001",
        "PT Sinar Batam Elektronik",
        "industri",
        "ID",
        "Batam",
    )
    assert (partner.email, partner.phone, partner.website) == (
        "info@sinarbatam.test",
        "+62 778 123456",
        "https://sinarbatam.test",
    )
    assert list(partner.contacts.values_list("name", "position", "email", "phone", "whatsapp")) == [
        ("Budi Santoso", "HR Manager", "budi@sinarbatam.test", "0812-3456-7890", "+62 812 3456 7890")
    ]
    created = partner.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        staff,
        "created",
    )


def test_it_numbers_the_next_partner_after_the_highest_code(client_for, staff):
    PartnerFactory(code="M00041", name="PT Lama")

    client_for(staff).post(reverse("partners:create"), partner_data())

    assert Partner.objects.get(name="PT Sinar Batam Elektronik").code == "M00042"


def test_it_keeps_a_typed_code_in_upper_case(client_for, staff):
    client_for(staff).post(reverse("partners:create"), partner_data(code=" mx-7 "))

    assert Partner.objects.get().code == "MX-7"


def test_it_saves_a_partner_without_contacts(client_for, staff):
    data = partner_data()
    data.update({f"contacts-0-{f}": "" for f in ("name", "position", "email", "phone", "whatsapp")})

    response = client_for(staff).post(reverse("partners:create"), data)

    assert response.status_code == 302
    assert Partner.objects.get().contacts.count() == 0


def test_it_blocks_a_near_duplicate_until_confirmed(client_for, staff):
    existing = PartnerFactory(code="M00001", name="PT Batamindo")
    client = client_for(staff)
    data = partner_data(name="Batamindo, PT", city="Sekupang", email="halo@batamindo2.test")

    response = client.post(reverse("partners:create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["name"]
    assert [s.partner for s in response.context["similar"]] == [existing]
    assert list(Partner.objects.all()) == [existing]
    assert PartnerContact.objects.count() == 0
    html = response.content.decode()
    # What was typed is still there, and the existing partner is shown with the confirmation box.
    assert 'value="Batamindo, PT"' in html
    assert 'value="Sekupang"' in html
    assert 'value="halo@batamindo2.test"' in html
    assert 'value="Budi Santoso"' in html
    assert "M00001" in html
    assert 'name="confirm_distinct"' in html

    response = client.post(reverse("partners:create"), data | {"confirm_distinct": "on"})

    assert response.status_code == 302
    created = Partner.objects.exclude(pk=existing.pk).get()
    assert (created.name, created.code, created.city) == ("Batamindo, PT", "M00002", "Sekupang")
    assert created.contacts.get().name == "Budi Santoso"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("phone", "call me maybe"),
        ("website", "not a website"),
        ("website", "javascript:alert(1)"),
        ("kind", "bogus"),
        ("country", "XX"),
        ("name", "   "),
    ],
)
def test_it_rejects_an_invalid_partner_field_and_saves_nothing(client_for, staff, field, value):
    response = client_for(staff).post(reverse("partners:create"), partner_data(**{field: value}))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Partner.objects.count() == 0
    assert PartnerContact.objects.count() == 0
    assert f'id="id_{field}_error"' in response.content.decode() or field == "name"


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "budi(at)mitra"), ("phone", "08abc"), ("whatsapp", "wa me"), ("name", "")],
)
def test_it_rejects_an_invalid_contact_and_saves_nothing(client_for, staff, field, value):
    response = client_for(staff).post(reverse("partners:create"), partner_data(**{f"contacts-0-{field}": value}))

    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert list(response.context["formset"].errors[0]) == [field]
    assert f'id="id_contacts-0-{field}_error"' in response.content.decode()
    assert Partner.objects.count() == 0
    assert PartnerContact.objects.count() == 0


def test_it_refuses_a_code_already_in_use(client_for, staff):
    PartnerFactory(code="M00005", name="PT Lain Sekali")

    response = client_for(staff).post(reverse("partners:create"), partner_data(code="m00005"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert list(Partner.objects.values_list("name", flat=True)) == ["PT Lain Sekali"]
    assert PartnerContact.objects.count() == 0


def test_it_edits_a_partner_and_its_contacts(client_for, staff):
    partner = PartnerFactory(code="M00001", name="PT Batamindo", city="Batam")
    keep = ContactFactory(partner=partner, name="Budi Santoso")
    gone = ContactFactory(partner=partner, name="Siti Aminah")
    data = edit_data(partner, city="Sekupang", **{"contacts-0-position": "Direktur", "contacts-1-DELETE": "on"})

    response = client_for(staff).post(reverse("partners:edit", args=[partner.pk]), data)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.code, partner.name, partner.city) == ("M00001", "PT Batamindo", "Sekupang")
    assert list(partner.contacts.values_list("pk", "position")) == [(keep.pk, "Direktur")]
    assert not PartnerContact.objects.filter(pk=gone.pk).exists()


def test_it_does_not_warn_about_duplicates_when_the_name_is_unchanged(client_for, staff):
    PartnerFactory(code="M00001", name="PT Batamindo")
    twin = PartnerFactory(code="M00002", name="Batamindo PT", city="Batam")

    response = client_for(staff).post(reverse("partners:edit", args=[twin.pk]), edit_data(twin, city="Sekupang"))

    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.city == "Sekupang"


def test_it_warns_when_a_rename_makes_a_near_duplicate(client_for, staff):
    PartnerFactory(code="M00001", name="PT Batamindo")
    other = PartnerFactory(code="M00002", name="PT Sinar Mas")

    response = client_for(staff).post(reverse("partners:edit", args=[other.pk]), edit_data(other, name="Batamindo"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    other.refresh_from_db()
    assert other.name == "PT Sinar Mas"


def test_it_records_a_rename_in_the_history_page(client_for, staff, kapokja):
    partner = PartnerFactory(code="M00001", name="PT Batamindo Lama")
    client = client_for(staff)

    response = client.post(
        reverse("partners:edit", args=[partner.pk]), edit_data(partner, name="PT Galangan Baru Sejahtera")
    )

    assert response.status_code == 302
    latest = partner.history.first()
    assert (latest.history_type, latest.name, latest.history_user, latest.history_change_reason) == (
        "~",
        "PT Galangan Baru Sejahtera",
        staff,
        "edited",
    )
    assert latest.prev_record.name == "PT Batamindo Lama"

    client.force_login(kapokja)
    history = client.get(reverse("partners:history", args=[partner.pk]))

    assert history.status_code == 200
    entries = history.context["entries"]
    assert [(e.who, e.action) for e in entries][:1] == [(staff, in_default_language(ACTIONS["~"]))]
    assert [(c.old, c.new) for c in entries[0].changes] == [("PT Batamindo Lama", "PT Galangan Baru Sejahtera")]
    html = history.content.decode()
    assert "<del>PT Batamindo Lama</del>" in html
    assert "<ins>PT Galangan Baru Sejahtera</ins>" in html
    assert staff.username in html


def test_it_shows_contact_changes_in_the_partner_history(client_for, staff):
    partner = PartnerFactory(code="M00001", name="PT Batamindo")
    ContactFactory(partner=partner, name="Budi Santoso", position="HR")
    client = client_for(staff)
    client.post(reverse("partners:edit", args=[partner.pk]), edit_data(partner, **{"contacts-0-position": "Direktur"}))

    response = client.get(reverse("partners:history", args=[partner.pk]))

    html = response.content.decode()
    assert "<del>HR</del>" in html
    assert "<ins>Direktur</ins>" in html


def test_it_answers_404_for_an_unknown_partner(client_for, staff):
    client = client_for(staff)

    for name in ("detail", "edit", "merge", "history"):
        assert client.get(reverse(f"partners:{name}", args=[999999])).status_code == 404


def test_it_takes_the_next_code_when_another_user_took_the_first_one(client_for, staff, monkeypatch):
    PartnerFactory(code="M00001", name="PT Lain Sekali")
    proposals = iter(["M00001", "M00002"])
    # Another user saved M00001 between reading the highest code and inserting ours.
    monkeypatch.setattr("simkerma.partners.services.partner_next_code", lambda: next(proposals))

    response = client_for(staff).post(reverse("partners:create"), partner_data())

    assert response.status_code == 302
    partner = Partner.objects.get(name="PT Sinar Batam Elektronik")
    assert partner.code == "M00002"
    assert list(partner.contacts.values_list("name", flat=True)) == ["Budi Santoso"]


def test_it_gives_up_on_automatic_numbering_after_three_collisions(client_for, staff, monkeypatch):
    PartnerFactory(code="M00001", name="PT Lain Sekali")
    monkeypatch.setattr("simkerma.partners.services.partner_next_code", lambda: "M00001")

    response = client_for(staff).post(reverse("partners:create"), partner_data())

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert response.context["partner"].pk is None
    assert list(Partner.objects.values_list("code", flat=True)) == ["M00001"]
    assert PartnerContact.objects.count() == 0
