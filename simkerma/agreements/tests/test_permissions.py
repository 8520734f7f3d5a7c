"""Who may read and write agreements. Every write view is tried by every role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.core.tests.files import pdf_bytes

D = dt.date
TEAM = ["staff", "kapokja", "admin_user"]
READ_ONLY = ["pimpinan", "auditor", "outsider"]
WRITES = ["edit_get", "edit_post", "renew_get", "renew_post", "terminate_get", "terminate_post"]
READS = ["list", "detail", "history", "scan", "suggest_number", "pick_parent"]
ALL_ROLES = [*TEAM, "coordinator", "other_coordinator", "p3m_user", "pimpinan", "auditor"]


@pytest.fixture
def if_agreement(jurusan_if, jurusan_mb):
    return AgreementFactory(
        number="001/MOU.PL29/I/2025",
        title="Judul asli",
        units=[jurusan_if],
        start_date=D(2025, 1, 1),
        end_date=D(2027, 12, 31),
    )


@pytest.fixture
def if_agreement_via_prodi(prodi_if, jurusan_mb):
    """Names no unit, only prodi IF01 of jurusan IF."""
    return AgreementFactory(
        number="002/MOU.PL29/I/2025",
        title="Judul asli",
        prodi=[prodi_if],
        start_date=D(2025, 1, 1),
        end_date=D(2027, 12, 31),
    )


def do_write(client, write: str, agreement: Agreement):
    action, method = write.split("_")
    url = reverse(f"agreements:{action}", args=[agreement.pk])
    if method == "get":
        return client.get(url)
    if action == "edit":
        return client.post(url, edit_data(agreement, title="Judul diubah"))
    if action == "renew":
        data = agreement_data(
            partners=agreement.partners.all(),
            units=agreement.units.all(),
            prodi=agreement.prodi.all(),
            title="Perpanjangan",
            start="2028-01-01",
            end="2030-12-31",
        )
        return client.post(url, data)
    return client.post(url, {"terminated_on": "2026-01-01", "reason": "Mitra tutup"})


def snapshot() -> list[tuple]:
    return list(Agreement.objects.order_by("pk").values_list("pk", "title", "terminated_on", "renews"))


def assert_write_done(write: str, agreement: Agreement, response) -> None:
    action, method = write.split("_")
    if method == "get":
        assert response.status_code == 200
        return
    assert response.status_code == 302, getattr(response.context, "get", lambda _k: None)("form")
    agreement.refresh_from_db()
    if action == "edit":
        assert agreement.title == "Judul diubah"
    elif action == "renew":
        assert Agreement.objects.get(renews=agreement).title == "Perpanjangan"
    else:
        assert agreement.terminated_on == D(2026, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", TEAM)
def test_it_lets_the_team_write_any_agreement(client_for, request, role, write, if_agreement):
    response = do_write(client_for(request.getfixturevalue(role)), write, if_agreement)
    assert_write_done(write, if_agreement, response)


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("target", ["if_agreement", "if_agreement_via_prodi"])
def test_it_lets_a_coordinator_write_an_agreement_naming_their_unit(client_for, request, coordinator, write, target):
    agreement = request.getfixturevalue(target)
    response = do_write(client_for(coordinator), write, agreement)
    assert_write_done(write, agreement, response)


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ["other_coordinator", "p3m_user", *READ_ONLY])
@pytest.mark.parametrize("target", ["if_agreement", "if_agreement_via_prodi"])
def test_it_refuses_writes_outside_the_users_scope(client_for, request, role, write, target):
    agreement = request.getfixturevalue(target)
    before = snapshot()
    response = do_write(client_for(request.getfixturevalue(role)), write, agreement)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_it_sends_anonymous_writers_to_the_login_page(client, write, if_agreement):
    before = snapshot()
    response = do_write(client, write, if_agreement)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*TEAM, "coordinator", "p3m_user"])
def test_it_lets_the_team_and_unit_roles_open_the_create_form(client_for, request, role):
    assert client_for(request.getfixturevalue(role)).get(reverse("agreements:create")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", READ_ONLY)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_creation_to_read_only_roles(client_for, request, role, method, jurusan_if):
    client = client_for(request.getfixturevalue(role))
    data = agreement_data(partners=[AgreementFactory().partners.get()], units=[jurusan_if])
    before = snapshot()
    response = getattr(client, method)(reverse("agreements:create"), data if method == "post" else None)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_it_sends_an_anonymous_creator_to_the_login_page(client, jurusan_if):
    data = agreement_data(partners=[AgreementFactory().partners.get()], units=[jurusan_if])
    response = client.post(reverse("agreements:create"), data)
    assert response.status_code == 302
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", TEAM)
def test_it_lets_the_team_create_for_any_unit(client_for, request, role, jurusan_mb):
    partner = AgreementFactory().partners.get()
    data = agreement_data(partners=[partner], title="Untuk MB", units=[jurusan_mb])
    response = client_for(request.getfixturevalue(role)).post(reverse("agreements:create"), data)
    assert response.status_code == 302
    assert list(Agreement.objects.get(title="Untuk MB").units.all()) == [jurusan_mb]


@pytest.mark.django_db
@pytest.mark.parametrize("naming", ["unit", "prodi"])
def test_it_lets_a_coordinator_create_an_agreement_naming_their_unit(client_for, coordinator, prodi_if, naming):
    partner = AgreementFactory().partners.get()
    scope = {"units": [coordinator.unit]} if naming == "unit" else {"prodi": [prodi_if]}
    data = agreement_data(partners=[partner], title="Untuk IF", **scope)
    response = client_for(coordinator).post(reverse("agreements:create"), data)
    assert response.status_code == 302
    created = Agreement.objects.get(title="Untuk IF")
    assert created.names_unit(coordinator.unit_id)
    assert created.created_by == coordinator


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["other_unit", "other_prodi", "nothing"])
def test_it_refuses_a_coordinator_creating_for_another_unit(client_for, coordinator, jurusan_mb, prodi_mb, scope):
    partner = AgreementFactory().partners.get()
    named = {"other_unit": {"units": [jurusan_mb]}, "other_prodi": {"prodi": [prodi_mb]}, "nothing": {}}[scope]
    data = agreement_data(partners=[partner], title="Untuk MB", **named)
    response = client_for(coordinator).post(reverse("agreements:create"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"units"}
    assert not Agreement.objects.filter(title="Untuk MB").exists()


@pytest.mark.django_db
def test_it_prefills_the_coordinators_unit_on_the_create_form(client_for, coordinator):
    response = client_for(coordinator).get(reverse("agreements:create"))
    assert response.context["form"].initial["units"] == [coordinator.unit_id]


@pytest.mark.django_db
def test_it_refuses_a_coordinator_removing_their_own_unit(client_for, coordinator, if_agreement, jurusan_mb):
    url = reverse("agreements:edit", args=[if_agreement.pk])
    response = client_for(coordinator).post(url, edit_data(if_agreement, units=[jurusan_mb], title="Judul diubah"))
    assert set(response.context["form"].errors) == {"units"}
    if_agreement.refresh_from_db()
    assert (if_agreement.title, list(if_agreement.units.values_list("code", flat=True))) == ("Judul asli", ["IF"])


@pytest.mark.django_db
def test_it_shows_edit_actions_only_to_those_who_may_edit(client_for, coordinator, other_coordinator, if_agreement):
    url = if_agreement.get_absolute_url()
    assert client_for(coordinator).get(url).context["can_edit"] is True
    assert client_for(other_coordinator).get(url).context["can_edit"] is False


def read_url(read: str, agreement: Agreement) -> str:
    if read in ("list", "suggest_number", "pick_parent"):
        return reverse(f"agreements:{read}")
    return reverse(f"agreements:{read}", args=[agreement.pk])


@pytest.fixture
def scanned(if_agreement):
    if_agreement.signed_scan.save("x.pdf", SimpleUploadedFile("x.pdf", pdf_bytes()))
    return if_agreement


@pytest.mark.django_db
@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_lets_every_role_read(client_for, request, role, read, scanned):
    response = client_for(request.getfixturevalue(role)).get(read_url(read, scanned), {"parent__q": "001"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("read", READS)
def test_it_refuses_every_read_to_an_outsider(client_for, outsider, read, scanned):
    response = client_for(outsider).get(read_url(read, scanned))
    assert response.status_code == 403
    assert scanned.title.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("read", READS)
def test_it_sends_anonymous_readers_to_the_login_page(client, read, scanned):
    response = client.get(read_url(read, scanned))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_treats_a_deactivated_account_as_an_outsider(client_for, staff, if_agreement):
    staff.is_active = False
    staff.save()
    client = client_for(staff)
    response = client.get(reverse("agreements:detail", args=[if_agreement.pk]))
    assert response.status_code in (302, 403)
