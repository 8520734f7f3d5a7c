"""Two people on one agreement: a stale edit is refused, a create sent twice is made once (issue 7, items 8-9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.core.models import SubmissionToken
from simkerma.core.tests.concurrency import EXPIRED, STALE_HEADLINE, in_ui_language, opened, token_for
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_the_second_of_two_edits_opened_on_the_same_version(staff, kapokja):
    agreement = AgreementFactory(title="Judul awal", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    url = reverse("agreements:edit", args=[agreement.pk])
    first, second = logged_in(staff), logged_in(kapokja)
    first_version, second_version = opened(first, url), opened(second, url)

    assert first.post(url, edit_data(agreement, title="Judul dari Staf") | first_version).status_code == 302
    response = second.post(url, edit_data(agreement, scope="Lingkup dari Kapokja") | second_version)

    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.title == "Judul dari Staf"  # nothing reverted
    assert agreement.scope != "Lingkup dari Kapokja"  # nothing half-saved
    errors = " ".join(response.context["form"].non_field_errors())
    assert in_ui_language(STALE_HEADLINE) in errors
    assert "“Judul awal”" in errors and "“Judul dari Staf”" in errors
    assert response.context["form"]["scope"].value() == "Lingkup dari Kapokja"  # what they typed is kept


def test_it_saves_the_second_edit_when_it_overwrites_nothing_changed_meanwhile(staff, kapokja):
    agreement = AgreementFactory(title="Judul awal", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    url = reverse("agreements:edit", args=[agreement.pk])
    first, second = logged_in(staff), logged_in(kapokja)
    first_version, second_version = opened(first, url), opened(second, url)
    data = edit_data(agreement)
    assert first.post(url, data | {"title": "Judul dari Staf"} | first_version).status_code == 302
    assert second.post(url, data | {"title": "Judul dari Staf", "scope": "Lingkup"} | second_version).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.scope) == ("Judul dari Staf", "Lingkup")


def test_a_refused_edit_saved_again_keeps_the_values_typed(staff, kapokja):
    agreement = AgreementFactory(title="Judul awal", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    url = reverse("agreements:edit", args=[agreement.pk])
    first, second = logged_in(staff), logged_in(kapokja)
    first_version, second_version = opened(first, url), opened(second, url)
    first.post(url, edit_data(agreement, title="Judul dari Staf") | first_version)
    refused = second.post(url, edit_data(agreement, title="Judul dari Kapokja") | second_version)
    again = refused.context["form"]["opened_version"].value()
    assert (
        second.post(url, edit_data(agreement, title="Judul dari Kapokja") | {"opened_version": again}).status_code
        == 302
    )
    agreement.refresh_from_db()
    assert agreement.title == "Judul dari Kapokja"


def test_the_same_create_sent_twice_makes_one_agreement_and_takes_one_number(staff):
    partner = PartnerFactory()
    client = logged_in(staff)
    url = reverse("agreements:create")
    data = agreement_data(partners=[partner], title="Kerja sama sekali") | token_for(client, url)

    first = client.post(url, data)
    second = client.post(url, data)

    assert Agreement.objects.filter(title="Kerja sama sekali").count() == 1
    created = Agreement.objects.get(title="Kerja sama sekali")
    assert first.status_code == second.status_code == 302
    assert second.url == created.get_absolute_url()
    assert SubmissionToken.objects.get().object_id == created.pk


def test_a_forged_token_is_refused_and_nothing_is_created(staff):
    partner = PartnerFactory()
    response = logged_in(staff).post(
        reverse("agreements:create"), agreement_data(partners=[partner], title="Palsu") | {"form_token": "x:y"}
    )
    assert response.status_code == 200
    assert in_ui_language(EXPIRED) in response.context["form"].non_field_errors()
    assert not Agreement.objects.filter(title="Palsu").exists()


def test_a_refusal_names_the_partners_and_fields_by_their_labels(staff, kapokja):
    old, new = PartnerFactory(name="PT Lama"), PartnerFactory(name="PT Baru")
    agreement = AgreementFactory(partners=[old], start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    url = reverse("agreements:edit", args=[agreement.pk])
    first, second = logged_in(staff), logged_in(kapokja)
    first_version, second_version = opened(first, url), opened(second, url)
    changed = edit_data(agreement, partners=[new], fields=["pendidikan", "penelitian"])
    theirs = edit_data(agreement, title="Judul baru")  # the page as opened, before the first save
    assert first.post(url, changed | first_version).status_code == 302
    response = second.post(url, theirs | second_version)
    errors = response.context["form"].non_field_errors()
    with translation.override("id"):
        partners_label = str(Agreement._meta.get_field("partners").verbose_name).capitalize()
    assert any(e.startswith(f"{partners_label}:") and "“PT Lama”" in e and "“PT Baru”" in e for e in errors)
    assert any("“Pendidikan”" in e and "“Pendidikan, Penelitian”" in e for e in errors)  # labels, not codes
    agreement.refresh_from_db()
    assert [p.name for p in agreement.partners.all()] == ["PT Baru"]
    assert agreement.title != "Judul baru"
