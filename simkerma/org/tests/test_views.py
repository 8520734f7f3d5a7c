import pytest
from django.urls import reverse

from simkerma.org.models import Prodi, Unit
from simkerma.org.tests.factories import ProdiFactory, UnitFactory

pytestmark = pytest.mark.django_db

TEAM = ["staff", "kapokja", "admin_user"]
READERS = [*TEAM, "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor"]
REFUSED = ["outsider", "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor"]


def unit_data(**overrides):
    data = {"code": "EL", "name": "Teknik Elektro", "kind": "jurusan", "expected_fields": ["pendidikan", "pkm"]}
    data.update(overrides)
    return data


def prodi_data(unit, **overrides):
    data = {"code": "EL01", "name": "Teknik Mekatronika", "level": "D4", "unit": str(unit.pk), "instrument": "iaps4"}
    data.update(overrides)
    return data


def org_state():
    return (
        sorted(Unit.objects.values_list("code", "name", "kind")),
        sorted(Prodi.objects.values_list("code", "name", "unit__code", "active_from", "active_until")),
    )


@pytest.mark.parametrize("who", READERS)
def test_it_shows_units_and_prodi_to_every_role(request, client_for, jurusan_if, prodi_if, p3m_unit, who):
    ProdiFactory(code="IF02", name="Animasi", unit=jurusan_if, active_from=2020, active_until=2023)

    response = client_for(request.getfixturevalue(who)).get(reverse("org:list"))

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Teknik Informatika", "IF01", "IF02", "Animasi", "(2020–2023)", "P3M", "Pusat Penelitian dan PkM"):
        assert text in html
    assert (reverse("org:unit_edit", args=[jurusan_if.pk]) in html) is (who in TEAM)
    assert (reverse("org:prodi_create") in html) is (who in TEAM)


def test_it_refuses_the_unit_list_to_an_account_without_a_role(client_for, outsider, jurusan_if):
    response = client_for(outsider).get(reverse("org:list"))

    assert response.status_code == 403
    assert "Teknik Informatika" not in response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(client, jurusan_if, prodi_if):
    before = org_state()
    for url in [
        reverse("org:list"),
        reverse("org:unit_create"),
        reverse("org:unit_edit", args=[jurusan_if.pk]),
        reverse("org:prodi_create"),
        reverse("org:prodi_edit", args=[prodi_if.pk]),
    ]:
        for response in (client.get(url), client.post(url, unit_data())):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login") + "?next="), url
    assert org_state() == before


@pytest.mark.parametrize("who", REFUSED)
def test_it_refuses_every_org_write_view_outside_the_team(request, client_for, jurusan_if, prodi_if, who):
    client = client_for(request.getfixturevalue(who))
    before = org_state()
    writes = [
        (reverse("org:unit_create"), unit_data()),
        (reverse("org:unit_edit", args=[jurusan_if.pk]), unit_data(code="IF", name="Renamed")),
        (reverse("org:prodi_create"), prodi_data(jurusan_if)),
        (reverse("org:prodi_edit", args=[prodi_if.pk]), prodi_data(jurusan_if, code="IF01", name="Renamed")),
    ]

    for url, data in writes:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert org_state() == before


@pytest.mark.parametrize("who", TEAM)
def test_it_lets_the_team_create_a_unit_and_a_prodi(request, client_for, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("org:unit_create")).status_code == 200
    response = client.post(reverse("org:unit_create"), unit_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("org:list")
    unit = Unit.objects.get(code="EL")
    assert (unit.name, unit.kind, unit.expected_fields) == ("Teknik Elektro", "jurusan", ["pendidikan", "pkm"])

    response = client.post(reverse("org:prodi_create"), prodi_data(unit, active_from="2021"))
    assert response.status_code == 302
    prodi = Prodi.objects.get(code="EL01")
    assert (prodi.name, prodi.level, prodi.unit, prodi.active_from, prodi.active_until) == (
        "Teknik Mekatronika",
        "D4",
        unit,
        2021,
        None,
    )


def test_it_proposes_the_three_fields_for_a_new_unit(client_for, staff):
    response = client_for(staff).get(reverse("org:unit_create"))

    assert response.context["form"].initial["expected_fields"] == ["pendidikan", "penelitian", "pkm"]


def test_it_edits_a_unit_and_a_prodi(client_for, kapokja, jurusan_if, prodi_if):
    client = client_for(kapokja)

    client.post(
        reverse("org:unit_edit", args=[jurusan_if.pk]),
        unit_data(code="IF", name="Teknik Informatika dan Komputer", expected_fields=["penelitian"]),
    )
    client.post(
        reverse("org:prodi_edit", args=[prodi_if.pk]),
        prodi_data(jurusan_if, code="IF01", name="Teknik Informatika", level="D3", active_until="2026"),
    )

    jurusan_if.refresh_from_db()
    prodi_if.refresh_from_db()
    assert (jurusan_if.name, jurusan_if.expected_fields) == ("Teknik Informatika dan Komputer", ["penelitian"])
    assert (prodi_if.level, prodi_if.active_until) == ("D3", 2026)


def test_it_rejects_a_prodi_whose_last_year_is_before_its_first(client_for, staff, jurusan_if):
    response = client_for(staff).post(
        reverse("org:prodi_create"), prodi_data(jurusan_if, active_from="2024", active_until="2022")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["active_until"]
    assert 'id="id_active_until_error"' in response.content.decode()
    assert not Prodi.objects.exists()


@pytest.mark.parametrize("kind", ["p3m", "unit"])
def test_it_rejects_a_prodi_under_a_unit_that_is_not_a_jurusan(client_for, staff, kind):
    unit = UnitFactory(code="HUMAS", kind=kind)

    response = client_for(staff).post(reverse("org:prodi_create"), prodi_data(unit))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["unit"]
    assert not Prodi.objects.exists()


def test_it_offers_only_jurusan_as_the_unit_of_a_prodi(client_for, staff, jurusan_if, p3m_unit):
    response = client_for(staff).get(reverse("org:prodi_create"))

    assert list(response.context["form"].fields["unit"].queryset) == [jurusan_if]


def test_it_refuses_a_duplicate_unit_or_prodi_code(client_for, staff, jurusan_if, prodi_if):
    client = client_for(staff)
    before = org_state()

    unit = client.post(reverse("org:unit_create"), unit_data(code="IF"))
    prodi = client.post(reverse("org:prodi_create"), prodi_data(jurusan_if, code="IF01"))

    assert list(unit.context["form"].errors) == ["code"]
    assert list(prodi.context["form"].errors) == ["code"]
    assert org_state() == before


def test_it_refuses_an_unknown_expected_field(client_for, staff):
    response = client_for(staff).post(reverse("org:unit_create"), unit_data(expected_fields=["olahraga"]))

    assert list(response.context["form"].errors) == ["expected_fields"]
    assert not Unit.objects.exists()


def test_it_refuses_to_make_a_jurusan_with_prodi_into_another_kind(client_for, staff, jurusan_if, prodi_if):
    response = client_for(staff).post(
        reverse("org:unit_edit", args=[jurusan_if.pk]), unit_data(code="IF", name="Teknik Informatika", kind="unit")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["kind"]
    jurusan_if.refresh_from_db()
    assert jurusan_if.kind == "jurusan"


def test_it_answers_404_for_unknown_units_and_prodi(client_for, staff):
    client = client_for(staff)

    assert client.get(reverse("org:unit_edit", args=[999999])).status_code == 404
    assert client.get(reverse("org:prodi_edit", args=[999999])).status_code == 404


def make_units(count, offset=0):
    for n in range(offset, offset + count):
        unit = UnitFactory(code=f"J{n:03d}", name=f"Jurusan {n}")
        for m in range(3):
            ProdiFactory(code=f"J{n:03d}P{m}", unit=unit)


# Session, user, demo banner, units, their prodi: the same whatever the number of rows.
UNIT_LIST_QUERIES = 6


def test_it_lists_units_in_a_flat_number_of_queries(client_for, auditor, django_assert_max_num_queries):
    client = client_for(auditor)
    make_units(3)
    with django_assert_max_num_queries(UNIT_LIST_QUERIES):
        client.get(reverse("org:list"))

    make_units(30, offset=3)
    with django_assert_max_num_queries(UNIT_LIST_QUERIES):
        response = client.get(reverse("org:list"))

    assert len(response.context["units"]) == 33
    assert response.content.decode().count("J032P") == 3


def test_it_ticks_the_proposed_fields_on_the_new_unit_form(client_for, staff):
    html = client_for(staff).get(reverse("org:unit_create")).content.decode()

    for value in ("pendidikan", "penelitian", "pkm"):
        assert f'name="expected_fields" value="{value}"' in html
    assert html.count('name="expected_fields"') == 3
    assert html.count("checked") == 3
