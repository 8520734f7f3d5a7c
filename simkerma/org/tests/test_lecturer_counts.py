import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from simkerma.org.models import LecturerCount, Prodi
from simkerma.org.services import lecturer_counts_save
from simkerma.org.tests.factories import ProdiFactory

pytestmark = pytest.mark.django_db

URL = reverse("org:lecturer_counts")


def counts():
    return dict(LecturerCount.objects.values_list("prodi__code", "ndtps"))


@pytest.fixture
def prodi_if2(jurusan_if):
    return ProdiFactory(code="IF02", name="Rekayasa Perangkat Lunak", unit=jurusan_if)


def post(client, year, values):
    data = {f"ndtps_{prodi.pk}": value for prodi, value in values.items()}
    return client.post(f"{URL}?year={year}", data)


@pytest.mark.parametrize("who", ["kapokja", "admin_user"])
def test_it_saves_every_active_prodi_count_of_a_year(request, client_for, prodi_if, prodi_mb, who):
    client = client_for(request.getfixturevalue(who))

    page = client.get(URL, {"year": 2025})
    assert [p.code for p in page.context["form"].prodi] == ["IF01", "MB01"]

    response = post(client, 2025, {prodi_if: "12", prodi_mb: "7"})

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?year=2025"
    assert set(LecturerCount.objects.values_list("prodi__code", "year", "ndtps")) == {
        ("IF01", 2025, 12),
        ("MB01", 2025, 7),
    }


def test_it_changes_and_removes_counts_and_leaves_other_years(client_for, kapokja, prodi_if, prodi_mb):
    LecturerCount.objects.create(prodi=prodi_if, year=2025, ndtps=12)
    LecturerCount.objects.create(prodi=prodi_mb, year=2025, ndtps=7)
    LecturerCount.objects.create(prodi=prodi_if, year=2024, ndtps=10)
    client = client_for(kapokja)

    assert client.get(URL, {"year": 2025}).context["form"][f"ndtps_{prodi_if.pk}"].value() == 12
    post(client, 2025, {prodi_if: "13", prodi_mb: ""})

    assert set(LecturerCount.objects.values_list("prodi__code", "year", "ndtps")) == {
        ("IF01", 2025, 13),
        ("IF01", 2024, 10),
    }


@pytest.mark.parametrize("value", ["-1", "10001", "abc", "1e9"])
def test_it_says_what_is_wrong_next_to_the_row_and_saves_nothing(client_for, kapokja, prodi_if, prodi_mb, value):
    response = post(client_for(kapokja), 2025, {prodi_if: "12", prodi_mb: value})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"ndtps_{prodi_mb.pk}"]
    assert f'id="id_ndtps_{prodi_mb.pk}_error"' in response.content.decode()
    assert counts() == {}


@pytest.mark.parametrize("year", ["1899", "2201", "20x5"])
def test_it_refuses_a_year_out_of_bounds(client_for, kapokja, prodi_if, year):
    response = client_for(kapokja).get(URL, {"year": year})

    assert response.status_code == 200
    assert response.context["year_form"].errors["year"]
    assert 1900 <= response.context["year"] <= 2200


def test_it_lists_only_the_prodi_active_in_the_year_and_those_with_a_count(client_for, kapokja, jurusan_if, prodi_if):
    closed = ProdiFactory(code="IF09", unit=jurusan_if, active_until=2020)
    later = ProdiFactory(code="IF08", unit=jurusan_if, active_from=2030)
    LecturerCount.objects.create(prodi=later, year=2025, ndtps=3)

    form = client_for(kapokja).get(URL, {"year": 2025}).context["form"]

    assert [p.code for p in form.prodi] == ["IF01", "IF08"]
    assert closed not in form.prodi


def test_it_lets_a_jurusan_coordinator_enter_only_the_jurusans_prodi(
    client_for, jurusan_if, prodi_if, prodi_if2, prodi_mb
):
    from simkerma.accounts.models import Role
    from simkerma.accounts.tests.factories import UserFactory

    head = UserFactory(username="kajur.if", role=Role.KOORDINATOR, unit=jurusan_if)
    client = client_for(head)

    assert [p.code for p in client.get(URL, {"year": 2025}).context["form"].prodi] == ["IF01", "IF02"]
    post(client, 2025, {prodi_if: "9", prodi_if2: "6", prodi_mb: "99"})

    assert counts() == {"IF01": 9, "IF02": 6}


def test_it_lets_a_prodi_coordinator_enter_only_their_prodi(client_for, coordinator, prodi_if, prodi_if2):
    client = client_for(coordinator)

    assert [p.code for p in client.get(URL, {"year": 2025}).context["form"].prodi] == ["IF01"]
    post(client, 2025, {prodi_if: "9", prodi_if2: "6"})

    assert counts() == {"IF01": 9}


@pytest.mark.parametrize("who", ["staff", "pimpinan", "auditor", "p3m_user", "outsider"])
def test_it_refuses_everyone_else(request, client_for, prodi_if, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert post(client, 2025, {prodi_if: "5"}).status_code == 403
    assert counts() == {}


def test_it_sends_anonymous_visitors_to_the_login_page(client, prodi_if):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_service_refuses_a_prodi_outside_the_users_scope(coordinator, prodi_mb):
    with pytest.raises(PermissionDenied):
        lecturer_counts_save(year=2025, counts={prodi_mb: 4}, user=coordinator)
    assert counts() == {}


def test_the_service_checks_the_bounds_by_prodi(kapokja, prodi_if, prodi_mb):
    with pytest.raises(ValidationError) as refused:
        lecturer_counts_save(year=2201, counts={prodi_if: 4, prodi_mb: 10001}, user=kapokja)

    assert set(refused.value.message_dict) == {"year", "MB01"}
    assert counts() == {}


def test_it_shows_the_page_in_a_flat_number_of_queries(client_for, kapokja, jurusan_if, django_assert_num_queries):
    client = client_for(kapokja)
    for n in range(2):
        LecturerCount.objects.create(prodi=ProdiFactory(code=f"IF{n:02d}", unit=jurusan_if), year=2025, ndtps=n)
    with django_assert_num_queries(6):
        client.get(URL, {"year": 2025})
    for n in range(2, 30):
        LecturerCount.objects.create(prodi=ProdiFactory(code=f"IF{n:02d}", unit=jurusan_if), year=2025, ndtps=n)
    with django_assert_num_queries(6):
        response = client.get(URL, {"year": 2025})
    assert len(response.context["form"].prodi) == Prodi.objects.count() == 30


def test_it_shows_the_instrument_on_the_prodi_form_and_the_list(client_for, kapokja, jurusan_if, prodi_if):
    client = client_for(kapokja)
    data = {"code": "IF01", "name": "Teknik Informatika", "level": "D3", "unit": str(jurusan_if.pk)}

    refused = client.post(reverse("org:prodi_edit", args=[prodi_if.pk]), data | {"instrument": "lamx"})
    assert refused.context["form"].errors["instrument"]
    client.post(reverse("org:prodi_edit", args=[prodi_if.pk]), data | {"instrument": "laminfokom"})

    assert Prodi.objects.get(pk=prodi_if.pk).instrument == "laminfokom"
    assert "LAM INFOKOM" in client.get(reverse("org:list")).content.decode()
