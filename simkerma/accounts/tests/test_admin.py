import pytest
from django.urls import reverse

from simkerma.accounts.models import Role, User

pytestmark = pytest.mark.django_db

NOT_ADMIN = ["staff", "kapokja", "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor", "outsider"]


def test_it_opens_the_django_admin_to_the_admin_role(client_for, admin_user):
    client = client_for(admin_user)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:partners_partner_changelist")).status_code == 200


@pytest.mark.parametrize("who", NOT_ADMIN)
def test_it_keeps_every_other_role_out_of_the_django_admin(request, client_for, who):
    client = client_for(request.getfixturevalue(who))

    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


@pytest.mark.parametrize("who", NOT_ADMIN)
def test_it_shows_the_administration_link_only_to_the_admin(request, client_for, admin_user, who):
    admin_link = f'href="{reverse("admin:index")}"'

    assert admin_link in client_for(admin_user).get(reverse("partners:list")).content.decode()
    user = request.getfixturevalue(who)
    if who != "outsider":
        assert admin_link not in client_for(user).get(reverse("partners:list")).content.decode()


def test_it_keeps_the_anonymous_visitor_out_of_the_django_admin(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def add_user(client, **overrides):
    data = {
        "username": "baru",
        "password1": "Kerjasama-Polibatam-2025",
        "password2": "Kerjasama-Polibatam-2025",
        "usable_password": "true",
        "role": "",
        "unit": "",
        "prodi": "",
    }
    data.update(overrides)
    return client.post(reverse("admin:accounts_user_add"), data)


def test_it_requires_a_unit_for_a_coordinator_added_in_the_admin(client_for, admin_user):
    response = add_user(client_for(admin_user), role=Role.KOORDINATOR)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["unit"]
    assert not User.objects.filter(username="baru").exists()


def test_it_adds_a_coordinator_in_the_admin_without_admin_rights(client_for, admin_user, jurusan_if, prodi_if):
    response = add_user(client_for(admin_user), role=Role.KOORDINATOR, prodi=str(prodi_if.pk))

    assert response.status_code == 302
    user = User.objects.get(username="baru")
    assert (user.role, user.unit, user.prodi, user.is_staff, user.is_superuser) == (
        Role.KOORDINATOR,
        jurusan_if,
        prodi_if,
        False,
        False,
    )
    assert user.check_password("Kerjasama-Polibatam-2025")
