"""The login refusal reads as one sentence in Indonesian, on the site and in the administration."""

import pytest
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(username="dewi", role=Role.STAF)


def test_it_names_the_username_once_in_the_login_error(client, member):
    response = client.post(reverse("login"), {"username": "dewi", "password": "bukan-sandinya"})

    errors = response.context["form"].non_field_errors()
    assert list(errors) == ["Masukkan nama pengguna dan sandi yang benar. Huruf besar dan kecil dibedakan."]
    assert "nama pengguna nama pengguna" not in response.content.decode()


def test_it_names_the_username_once_in_the_admin_login_error(client, member):
    response = client.post(reverse("admin:login"), {"username": "dewi", "password": "bukan-sandinya"})

    errors = list(response.context["form"].non_field_errors())
    assert errors == ["Masukkan nama pengguna dan sandi yang benar untuk akun staf. Huruf besar dan kecil dibedakan."]
