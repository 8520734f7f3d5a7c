"""Two merges of the same two partners at once, and two edits of one partner (issue 7, items 8 and 16)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from simkerma.accounts.models import Role
from simkerma.accounts.tests.factories import UserFactory
from simkerma.core.tests.concurrency import in_ui_language, opened
from simkerma.partners.models import Partner, PartnerMerge
from simkerma.partners.services import MergeConflict, partner_merge
from simkerma.partners.tests.factories import PartnerFactory
from simkerma.partners.tests.test_views_edit import edit_data


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_second_of_two_merges_of_one_pair_gets_a_message_not_an_error(staff, kapokja):
    source = PartnerFactory(code="M00002", name="Batamindo PT")
    target = PartnerFactory(code="M00001", name="PT Batamindo")
    url = reverse("partners:merge", args=[source.pk])
    first, second = logged_in(staff), logged_in(kapokja)
    assert first.get(url).status_code == second.get(url).status_code == 200

    assert first.post(url, {"target_code": "M00001"}).status_code == 302
    # The second page was opened before the merge; its duplicate is gone by the time it is sent.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("simkerma.partners.views.get_partner_for_user", lambda request, pk, write=False: source)
        response = second.post(url, {"target_code": "M00001"}, follow=True)

    assert response.status_code == 200
    told = in_ui_language("%(name)s was merged or removed by someone else a moment ago; nothing was changed.")
    assert [str(m) for m in response.context["messages"]] == [told % {"name": source.name}]
    assert PartnerMerge.objects.count() == 1
    assert list(Partner.objects.values_list("code", flat=True)) == [target.code]


@pytest.mark.django_db
def test_the_service_refuses_a_merge_whose_duplicate_is_gone(staff):
    source, target = PartnerFactory(), PartnerFactory()
    stale_source = Partner.objects.get(pk=source.pk)
    partner_merge(source=source, target=target, user=staff)
    with pytest.raises(MergeConflict):
        partner_merge(source=stale_source, target=target, user=staff)
    assert PartnerMerge.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crossed", [False, True], ids=["same-direction", "crossed"])
def test_two_merges_at_once_in_two_connections_one_wins_one_is_told(crossed):
    user = UserFactory(role=Role.STAF)
    a, b = PartnerFactory(code="M00001"), PartnerFactory(code="M00002")
    pairs = [(b, a), (a, b) if crossed else (b, a)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(source: Partner, target: Partner) -> None:
        try:
            start.wait()
            partner_merge(source=source, target=target, user=user)
            outcomes.append("merged")
        except MergeConflict:
            outcomes.append("conflict")
        except Exception as error:  # any other error is the failure being tested
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "merged"]
    assert Partner.objects.count() == 1
    assert PartnerMerge.objects.count() == 1


@pytest.mark.django_db
def test_the_second_of_two_partner_edits_is_refused_and_reverts_nothing(staff, kapokja):
    partner = PartnerFactory(city="Batam", website="")
    url = reverse("partners:edit", args=[partner.pk])
    first, second = logged_in(staff), logged_in(kapokja)
    first_version, second_version = opened(first, url), opened(second, url)
    assert first.post(url, edit_data(partner, city="Tanjung Pinang") | first_version).status_code == 302
    response = second.post(url, edit_data(partner, website="https://baru.test") | second_version)
    assert response.status_code == 200
    partner.refresh_from_db()
    assert (partner.city, partner.website) == ("Tanjung Pinang", "")
    errors = " ".join(response.context["form"].non_field_errors())
    assert "“Batam”" in errors and "“Tanjung Pinang”" in errors
    assert response.context["form"]["website"].value() == "https://baru.test"
