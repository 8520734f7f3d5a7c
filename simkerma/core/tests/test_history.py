"""The readable timeline built from django-simple-history records."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from simkerma.agreements.models import Agreement, Signatory
from simkerma.agreements.tests.factories import AgreementFactory, SignatoryFactory
from simkerma.core.history import ACTIONS, timeline
from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import PartnerFactory

T0 = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)


def by_label(entry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in entry.changes}


@pytest.mark.django_db
def test_it_lists_entries_newest_first_across_sources():
    with time_machine.travel(T0, tick=False):
        agreement = AgreementFactory(title="Lama")
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        signatory = SignatoryFactory(agreement=agreement, name="Budi")
    with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
        agreement.title = "Baru"
        agreement.save()
    entries = timeline(
        (Agreement, agreement.history.all()), (Signatory, Signatory.history.filter(agreement_id=agreement.pk))
    )
    whens = [entry.when for entry in entries]
    assert whens == sorted(whens, reverse=True)
    assert whens[0] == T0 + dt.timedelta(hours=2)
    assert [e.subject.endswith(str(signatory)) for e in entries].count(True) == 1


@pytest.mark.django_db
def test_it_keeps_the_saved_order_of_records_made_in_the_same_instant():
    with time_machine.travel(T0, tick=False):
        partner = PartnerFactory(name="PT Satu")
        for name in ("PT Dua", "PT Tiga", "PT Empat"):
            partner.name = name
            partner.save()
    entries = timeline((Partner, partner.history.all()))
    assert [by_label(e).get(str(Partner._meta.get_field("name").verbose_name)) for e in entries] == [
        ("PT Tiga", "PT Empat"),
        ("PT Dua", "PT Tiga"),
        ("PT Satu", "PT Dua"),
        ("", "PT Satu"),
    ]


@pytest.mark.django_db
def test_it_shows_choice_labels_not_stored_values():
    agreement = AgreementFactory(fields=["pkm", "pendidikan"], level="internasional")
    agreement.fields = ["penelitian"]
    agreement.level = "wilayah"
    agreement.save()
    with translation.override("en"):
        entries = timeline((Agreement, agreement.history.all()))
        change, creation = entries[0], entries[-1]
        assert by_label(change)["fields"] == ("Education, Community service", "Research")
        assert by_label(change)["level"] == ("International", "Regional/local")
        assert by_label(creation)["fields"] == ("", "Education, Community service")
        assert change.action == str(ACTIONS["~"]) == "changed"
        assert creation.action == "created"


@pytest.mark.django_db
def test_it_shows_related_objects_by_name_and_hides_timestamps():
    parent = AgreementFactory(number="INDUK-1")
    agreement = AgreementFactory(number="ANAK-1", parent=None)
    agreement.parent = parent
    agreement.save()
    with translation.override("en"):
        entries = timeline((Agreement, agreement.history.all()))
    labels = by_label(entries[0])
    assert labels == {"parent agreement": ("–", str(parent))}
    assert not {"created at", "updated at", "ID"} & set(by_label(entries[-1]))


@pytest.mark.django_db
def test_it_names_a_deleted_related_object_by_its_last_recorded_name():
    first, second = AgreementFactory(number="INDUK-1"), AgreementFactory(number="INDUK-2")
    agreement = AgreementFactory(parent=first)
    agreement.parent = second
    agreement.save()
    first_name = str(first)
    first.delete()
    with translation.override("en"):
        entries = timeline((Agreement, agreement.history.all()))
    # Its own history keeps its name; a model without history would show as "agreement #<pk>".
    assert by_label(entries[0]) == {"parent agreement": (f"{first_name} (no longer exists)", str(second))}


@pytest.mark.django_db
def test_it_survives_a_creator_deleted_since(client_for, staff):
    agreement = AgreementFactory(created_by=staff)
    staff.delete()
    with translation.override("en"):
        entries = timeline((Agreement, agreement.history.all()))
    # Accounts keep a history of their own, so a deleted one is shown by its last recorded name.
    assert by_label(entries[-1])["created by"] == ("", "staf (no longer exists)")


@pytest.mark.django_db
def test_it_finds_the_previous_record_without_a_query_per_entry(django_assert_max_num_queries):
    partner = PartnerFactory(name="PT 0")
    for n in range(1, 15):
        partner.name = f"PT {n}"
        partner.save()
    with django_assert_max_num_queries(2):
        entries = timeline((Partner, partner.history.all()))
    assert len(entries) == 15


@pytest.mark.django_db
def test_it_shows_a_deleted_record_and_who_is_unknown():
    signatory = SignatoryFactory(name="Sari")
    pk = signatory.pk
    signatory.delete()
    entries = timeline((Signatory, Signatory.history.filter(id=pk)))
    assert [e.action for e in entries] == [str(ACTIONS["-"]), str(ACTIONS["+"])]
    assert entries[0].changes == []
    assert entries[0].who is None
