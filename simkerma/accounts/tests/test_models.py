import pytest
from django.core.exceptions import ValidationError

from simkerma.accounts.models import Role, User
from simkerma.accounts.tests.factories import UserFactory
from simkerma.org.tests.factories import ProdiFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN] + [""])
def test_it_keeps_every_role_but_admin_out_of_the_django_admin(role):
    user = UserFactory(role=role, unit=UnitFactory(code="P3M", kind="p3m") if role == Role.P3M else None)
    user.is_staff = True
    user.is_superuser = False
    user.save()

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_it_makes_the_admin_role_staff_and_superuser():
    user = UserFactory(role=Role.ADMIN)

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, True)


def test_it_takes_the_admin_rights_away_with_the_role():
    user = UserFactory(role=Role.ADMIN)
    user.role = Role.AUDITOR
    user.save()

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_it_gives_a_superuser_without_role_the_admin_role():
    user = User.objects.create_superuser("root", "root@example.test", "correct-horse-battery-42")

    user.refresh_from_db()
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


def test_it_takes_the_unit_from_the_prodi_when_saving():
    prodi = ProdiFactory(code="IF01")

    user = UserFactory(role=Role.KOORDINATOR, prodi=prodi)

    assert user.unit == prodi.unit


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.P3M])
def test_it_requires_a_unit_for_coordinators_and_p3m(role):
    user = UserFactory.build(username="nobody", role=role)

    with pytest.raises(ValidationError) as error:
        user.full_clean()

    assert list(error.value.message_dict) == ["unit"]


@pytest.mark.parametrize("role", [Role.STAF, Role.KAPOKJA, Role.PIMPINAN, Role.AUDITOR, Role.ADMIN, ""])
def test_it_needs_no_unit_for_other_roles(role):
    UserFactory.build(username="somebody", role=role).full_clean()


def test_it_accepts_a_coordinator_whose_unit_comes_from_the_prodi():
    prodi = ProdiFactory(code="IF01")
    user = UserFactory.build(username="koord", role=Role.KOORDINATOR, prodi=prodi)

    user.full_clean()

    assert user.unit == prodi.unit


def test_it_puts_a_p3m_user_in_the_p3m_unit():
    user = UserFactory.build(username="p3m", role=Role.P3M, unit=UnitFactory(code="IF"))

    with pytest.raises(ValidationError) as error:
        user.full_clean()

    assert list(error.value.message_dict) == ["unit"]


def test_it_refuses_a_prodi_of_another_unit():
    user = UserFactory.build(
        username="koord", role=Role.KOORDINATOR, unit=UnitFactory(code="MB"), prodi=ProdiFactory(code="IF01")
    )

    with pytest.raises(ValidationError) as error:
        user.full_clean()

    assert list(error.value.message_dict) == ["prodi"]


@pytest.mark.parametrize(
    ("role", "team", "unit_scoped"),
    [
        (Role.STAF, True, False),
        (Role.KAPOKJA, True, False),
        (Role.ADMIN, True, False),
        (Role.KOORDINATOR, False, True),
        (Role.P3M, False, True),
        (Role.PIMPINAN, False, False),
        (Role.AUDITOR, False, False),
        ("", False, False),
    ],
)
def test_it_sorts_roles_into_team_and_unit_scope(role, team, unit_scoped):
    user = UserFactory.build(role=role)

    assert (user.has_role, user.is_team, user.is_unit_scoped) == (role != "", team, unit_scoped)

    user.is_active = False
    assert (user.has_role, user.is_team, user.is_unit_scoped) == (False, False, False)


def test_display_name_is_the_full_name_or_else_the_username():
    named = User.objects.create_user("sari", first_name="Sari", last_name="Dewi")
    unnamed = User.objects.create_user("budi")
    assert (named.display_name, unnamed.display_name) == ("Sari Dewi", "budi")
