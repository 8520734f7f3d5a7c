"""Institution numbers are unique regardless of case and surrounding spaces, on every path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from simkerma.agreements.models import Agreement
from simkerma.agreements.services import agreement_suggest_number
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
NUMBER = "005/MOU.PL29/I/2026"
TAKEN = "Nomor ini sudah dipakai oleh dokumen kerja sama lain."


def test_it_refuses_a_number_differing_only_by_case_with_a_field_message(client_for, staff):
    AgreementFactory(number=NUMBER)
    data = agreement_data(partners=[PartnerFactory()], number="  005/mou.pl29/i/2026 ", title="Salinan")
    response = client_for(staff).post(reverse("agreements:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["number"] == [TAKEN]
    assert not form.non_field_errors()
    assert form["number"].value().strip() == "005/mou.pl29/i/2026"  # what was typed is kept
    assert list(Agreement.objects.values_list("number", flat=True)) == [NUMBER]


def test_it_refuses_the_exact_same_number_with_one_message(client_for, staff):
    AgreementFactory(number=NUMBER)
    data = agreement_data(partners=[PartnerFactory()], number=NUMBER, title="Salinan")
    form = client_for(staff).post(reverse("agreements:create"), data).context["form"]
    assert form.errors["number"] == [TAKEN]


def test_the_database_refuses_a_case_or_space_variant():
    AgreementFactory(number=NUMBER)
    for variant in ("005/mou.pl29/i/2026", " 005/MOU.PL29/I/2026 "):
        agreement = AgreementFactory.build(number=variant)
        with pytest.raises(ValidationError) as refused:
            agreement.full_clean(exclude=["partners", "units", "prodi"])
        assert "number" in refused.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            AgreementFactory(number=variant)
    # A raw update past the model's save is refused too.
    other = AgreementFactory(number="006/MOU.PL29/I/2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=other.pk).update(number=" 005/mou.pl29/I/2026 ")


def test_it_stores_numbers_without_surrounding_spaces():
    assert AgreementFactory(number="  007/MOU.PL29/II/2026  ").number == "007/MOU.PL29/II/2026"
    assert Agreement.objects.filter(number="007/MOU.PL29/II/2026").exists()


def test_the_suggester_counts_numbers_typed_in_lower_case():
    AgreementFactory(number="005/mou.pl29/i/2026")
    assert agreement_suggest_number(kind="mou", on=dt.date(2026, 1, 20)) == "006/MOU.PL29/I/2026"
