"""The ministry's forms of cooperation: a list the team reads and the Kapokja keeps."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from simkerma.activities.reporting import CooperationForm
from simkerma.activities.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db
LIST = reverse("activities:cooperation_forms")
SEEDED = 10


def entry_post(**overrides):
    data = {"code": "kkn_tematik", "name": "KKN tematik bersama mitra", "description": "", "order": "11"}
    data |= {"qualifies_iku": "on", "is_active": "on"}
    return {k: v for k, v in (data | overrides).items() if v is not None}


def test_the_team_reads_the_list_and_only_the_kapokja_and_admin_change_it(
    client_for, staff, kapokja, admin_user, coordinator, auditor
):
    assert client_for(coordinator).get(LIST).status_code == 403
    assert client_for(auditor).get(LIST).status_code == 403
    staff_page = client_for(staff).get(LIST)
    assert staff_page.status_code == 200
    assert staff_page.context["form"] is None
    assert len(staff_page.context["entries"]) == SEEDED
    assert client_for(staff).post(LIST, entry_post()).status_code == 403
    tefa = CooperationForm.objects.get(code="tefa")
    assert client_for(staff).get(reverse("activities:cooperation_form_edit", args=[tefa.pk])).status_code == 403

    assert client_for(kapokja).post(LIST, entry_post()).status_code == 302
    added = CooperationForm.objects.get(code="kkn_tematik")
    assert (added.name, added.order, added.qualifies_iku, added.is_active) == (
        "KKN tematik bersama mitra",
        11,
        True,
        True,
    )
    assert client_for(admin_user).get(LIST).context["manage"] is True


def test_the_kapokja_renames_and_takes_a_form_out_of_use_and_the_code_stays(client_for, kapokja, agreement_if):
    tefa = CooperationForm.objects.get(code="tefa")
    activity = ActivityFactory(agreement=agreement_if, cooperation_form=tefa)
    url = reverse("activities:cooperation_form_edit", args=[tefa.pk])
    response = client_for(kapokja).post(url, entry_post(code="diganti", name="TEFA", is_active=None))
    assert response.status_code == 302
    tefa.refresh_from_db()
    assert (tefa.code, tefa.name, tefa.is_active) == ("tefa", "TEFA", False)
    activity.refresh_from_db()
    assert activity.cooperation_form == tefa
    row = client_for(kapokja).get(LIST).context["entries"].get(code="tefa")
    assert row.used == 1


def test_a_form_in_use_is_never_deleted_and_an_unused_one_is(client_for, kapokja, agreement_if):
    tefa = CooperationForm.objects.get(code="tefa")
    ActivityFactory(agreement=agreement_if, cooperation_form=tefa)
    client = client_for(kapokja)
    response = client.post(reverse("activities:cooperation_form_delete", args=[tefa.pk]), follow=True)
    assert CooperationForm.objects.filter(code="tefa").exists()
    assert "take it out of use" in response.content.decode() or "nonaktifkan" in response.content.decode().lower()
    unused = CooperationForm.objects.get(code="sertifikasi")
    client.post(reverse("activities:cooperation_form_delete", args=[unused.pk]))
    assert not CooperationForm.objects.filter(code="sertifikasi").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "TEFA baru!"}, "code", "Use 1 to 30 lowercase letters"),
        # The uniqueness message is Django's, in the account's language: the field is what counts.
        ({"code": "tefa"}, "code", ""),
        ({"name": ""}, "name", "This field is required."),
        ({"order": "1000"}, "order", "Ensure this value is less than or equal to 999."),
    ],
)
def test_a_bad_entry_is_refused_next_to_the_field(client_for, kapokja, changes, field, message):
    client = client_for(kapokja)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader chose English
    # Django's own messages are read lazily, after the request; the override also restores the language.
    with translation.override("en"):
        response = client.post(LIST, entry_post(**changes))
        assert response.status_code == 200
        errors = [str(error) for error in response.context["form"].errors[field]]
    assert any(error.startswith(message) for error in errors), errors
    assert CooperationForm.objects.count() == SEEDED


def test_the_list_counts_in_a_fixed_number_of_queries(client_for, staff, agreement_if, django_assert_num_queries):
    client = client_for(staff)
    client.get(LIST)
    with django_assert_num_queries(5) as few:
        client.get(LIST)
    for index in range(20):
        CooperationForm.objects.create(code=f"bentuk_{index}", name=f"Bentuk {index}")
    ActivityFactory(agreement=agreement_if, cooperation_form=CooperationForm.objects.get(code="tefa"))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["entries"]) == SEEDED + 20
