"""Who may use each partner page. Every write view is tried by every role, on GET and on POST."""

import pytest
from django.urls import reverse

from simkerma.partners.models import Partner, PartnerContact, PartnerMerge
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TEAM = ["staff", "kapokja", "admin_user"]
REFUSED = ["outsider", "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor"]
READERS = [*TEAM, "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor"]


@pytest.fixture
def partners():
    target = PartnerFactory(code="M00001", name="PT Batamindo", city="Batam")
    source = PartnerFactory(code="M00002", name="Batamindo PT", city="Sekupang", email="info@batamindo.test")
    ContactFactory(partner=source, name="Budi Santoso")
    return source, target


def state():
    """Everything a write view could change."""
    return (
        sorted(Partner.objects.values_list("code", "name", "city", "email")),
        sorted(PartnerContact.objects.values_list("partner__code", "name")),
        PartnerMerge.objects.count(),
        Partner.history.count(),
    )


def write_requests(source):
    """(url, POST data that would change something if allowed)."""
    contacts = {
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Intruder Contact",
    }
    partner = {"name": "PT Completely New Name", "kind": "industri", "country": "ID", "confirm_distinct": "on"}
    return [
        (reverse("partners:create"), partner | contacts),
        (reverse("partners:edit", args=[source.pk]), partner | contacts | {"code": source.code}),
        (reverse("partners:merge", args=[source.pk]), {"target_code": "M00001"}),
    ]


@pytest.mark.parametrize("who", REFUSED)
def test_it_refuses_every_write_view_to_roles_outside_the_team(request, client_for, partners, who):
    source, _target = partners
    client = client_for(request.getfixturevalue(who))
    before = state()

    for url, data in write_requests(source):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert state() == before


def test_it_sends_anonymous_visitors_to_the_login_page(client, partners):
    source, _target = partners
    before = state()
    reads = [
        reverse("partners:list"),
        reverse("partners:detail", args=[source.pk]),
        reverse("partners:history", args=[source.pk]),
        reverse("partners:check_name") + "?name=Batamindo",
        reverse("partners:pick") + "?partners__q=bat",
    ]

    for url, data in write_requests(source):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login") + "?next="), url
    for url in reads:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url

    assert state() == before


@pytest.mark.parametrize("who", TEAM)
def test_it_opens_every_write_view_to_the_team(request, client_for, partners, who):
    source, _target = partners
    client = client_for(request.getfixturevalue(who))

    for url, _data in write_requests(source):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", TEAM)
def test_it_lets_the_team_create_edit_and_merge(request, client_for, partners, who):
    source, target = partners
    client = client_for(request.getfixturevalue(who))
    create, (edit_url, edit_data), merge = write_requests(source)
    edit = (edit_url, edit_data | {"email": "info@batamindo.test"})

    assert client.post(*create).status_code == 302
    assert client.post(*edit).status_code == 302
    source.refresh_from_db()
    assert source.name == "PT Completely New Name"
    assert client.post(*merge).status_code == 302

    assert sorted(Partner.objects.values_list("code", "name")) == [
        ("M00001", "PT Batamindo"),
        ("M00003", "PT Completely New Name"),
    ]
    target.refresh_from_db()
    assert target.email == "info@batamindo.test"
    assert sorted(target.contacts.values_list("name", flat=True)) == ["Budi Santoso", "Intruder Contact"]


@pytest.mark.parametrize("who", READERS)
def test_it_lets_every_role_read(request, client_for, partners, who):
    source, _target = partners
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("partners:list")).status_code == 200
    assert client.get(reverse("partners:detail", args=[source.pk])).status_code == 200
    assert client.get(reverse("partners:history", args=[source.pk])).status_code == 200
    assert client.get(reverse("partners:check_name"), {"name": "Batamindo"}).status_code == 200
    assert client.get(reverse("partners:pick"), {"partners__q": "bat"}).status_code == 200


def test_it_refuses_every_read_view_to_an_account_without_a_role(client_for, outsider, partners):
    source, _target = partners
    client = client_for(outsider)

    for url in [
        reverse("partners:list"),
        reverse("partners:detail", args=[source.pk]),
        reverse("partners:history", args=[source.pk]),
        reverse("partners:check_name") + "?name=Batamindo",
        reverse("partners:pick") + "?partners__q=bat",
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        # Codes and cities never appear in the URL, so finding one would mean the data leaked.
        html = response.content.decode()
        assert "M0000" not in html, url
        assert "Sekupang" not in html, url
        assert "Batamindo PT" not in html, url


def test_it_refuses_a_deactivated_team_member(client_for, staff, partners):
    source, _target = partners
    client = client_for(staff)
    staff.is_active = False
    staff.save()
    before = state()

    response = client.post(reverse("partners:merge", args=[source.pk]), {"target_code": "M00001"})

    assert response.status_code in (302, 403)
    assert state() == before
