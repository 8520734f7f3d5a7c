import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from simkerma.accounts import permissions
from simkerma.agreements import permissions as agreement_permissions
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.org.tests.factories import ProdiFactory

pytestmark = pytest.mark.django_db

CAST = ["staff", "kapokja", "admin_user", "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor"]


@pytest.mark.parametrize(
    ("who", "read", "manage", "create_agreement"),
    [
        ("staff", True, True, True),
        ("kapokja", True, True, True),
        ("admin_user", True, True, True),
        ("coordinator", True, False, True),
        ("other_coordinator", True, False, True),
        ("p3m_user", True, False, True),
        ("pimpinan", True, False, False),
        ("auditor", True, False, False),
        ("outsider", False, False, False),
    ],
)
def test_it_grants_each_role_its_rights(request, who, read, manage, create_agreement):
    user = request.getfixturevalue(who)

    assert permissions.can_read(user) is read
    assert permissions.can_manage_partners(user) is manage
    assert permissions.can_manage_org(user) is manage
    assert agreement_permissions.can_create_agreement(user) is create_agreement


def test_it_grants_nothing_to_anonymous_visitors():
    anonymous = AnonymousUser()

    assert not permissions.can_read(anonymous)
    assert not permissions.can_manage_partners(anonymous)
    assert not permissions.can_manage_org(anonymous)
    assert not agreement_permissions.can_create_agreement(anonymous)


@pytest.mark.parametrize("who", CAST)
def test_it_withdraws_every_right_from_a_deactivated_account(request, who):
    user = request.getfixturevalue(who)
    user.is_active = False

    assert not permissions.can_read(user)
    assert not permissions.can_manage_partners(user)
    assert not agreement_permissions.can_create_agreement(user)


def test_it_lets_a_unit_edit_only_agreements_that_name_it(
    staff, coordinator, other_coordinator, p3m_user, pimpinan, jurusan_if, prodi_if, p3m_unit
):
    by_unit = AgreementFactory(units=[jurusan_if])
    by_prodi = AgreementFactory(prodi=[prodi_if])
    for_p3m = AgreementFactory(units=[p3m_unit])
    nobody = AgreementFactory()
    other_prodi = AgreementFactory(prodi=[ProdiFactory(code="MB09")])

    def editable(user):
        agreements = {"by_unit": by_unit, "by_prodi": by_prodi, "for_p3m": for_p3m, "nobody": nobody}
        agreements["other_prodi"] = other_prodi
        return {name for name, a in agreements.items() if agreement_permissions.can_edit_agreement(user, a)}

    assert editable(staff) == {"by_unit", "by_prodi", "for_p3m", "nobody", "other_prodi"}
    assert editable(coordinator) == {"by_unit", "by_prodi"}
    assert editable(other_coordinator) == set()
    assert editable(p3m_user) == {"for_p3m"}
    assert editable(pimpinan) == set()
    assert not agreement_permissions.can_edit_agreement(AnonymousUser(), by_unit)


def test_it_wraps_views_so_that_anonymous_log_in_and_others_are_refused(rf: RequestFactory, staff, auditor):
    @permissions.require(permissions.can_manage_partners)
    def view(request):
        return HttpResponse("ok")

    anonymous = rf.get("/x/")
    anonymous.user = AnonymousUser()
    refused = rf.get("/x/")
    refused.user = auditor
    allowed = rf.get("/x/")
    allowed.user = staff

    assert view(anonymous).status_code == 302
    with pytest.raises(PermissionDenied):
        view(refused)
    assert view(allowed).content == b"ok"
    assert view.__name__ == "view"
