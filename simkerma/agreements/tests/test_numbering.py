"""The office's numbering scheme: 001/MOU.PL29/III/2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from simkerma.agreements.models import Agreement, Kind
from simkerma.agreements.numbering import format_number, next_sequence
from simkerma.agreements.services import agreement_suggest_number
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.agreements.tests.helpers import agreement_data
from simkerma.partners.tests.factories import PartnerFactory

MARCH_3 = dt.date(2025, 3, 3)


@pytest.mark.django_db
def test_it_suggests_the_first_number_of_the_year():
    assert agreement_suggest_number(kind=Kind.MOU, on=MARCH_3) == "001/MOU.PL29/III/2025"
    assert agreement_suggest_number(kind=Kind.MOA, on=MARCH_3) == "001/PKS.PL29/III/2025"
    assert agreement_suggest_number(kind=Kind.IA, on=dt.date(2026, 12, 1)) == "001/IA.PL29/XII/2026"


@pytest.mark.django_db
def test_it_continues_after_the_highest_number_of_the_kind_and_year():
    AgreementFactory(number="001/MOU.PL29/I/2025")
    AgreementFactory(number="007/MOU.PL29/II/2025")
    AgreementFactory(number="003/MOU.PL29/II/2025")
    assert agreement_suggest_number(kind=Kind.MOU, on=MARCH_3) == "008/MOU.PL29/III/2025"


@pytest.mark.django_db
def test_it_ignores_other_kinds_other_years_and_foreign_numbers():
    AgreementFactory(number="002/MOU.PL29/I/2025")
    AgreementFactory(number="040/PKS.PL29/II/2025")  # another kind
    AgreementFactory(number="090/MOU.PL29/XII/2024")  # another year
    AgreementFactory(number="050/MOU.PL29/I/20250")  # not the year 2025
    AgreementFactory(number="060/MOU.XX01/I/2025")  # another institution
    AgreementFactory(number="B-77/MOU.PL29/I/2025")  # not a running number
    assert agreement_suggest_number(kind=Kind.MOU, on=MARCH_3) == "003/MOU.PL29/III/2025"
    assert agreement_suggest_number(kind=Kind.MOA, on=MARCH_3) == "041/PKS.PL29/III/2025"
    assert agreement_suggest_number(kind=Kind.IA, on=MARCH_3) == "001/IA.PL29/III/2025"
    assert agreement_suggest_number(kind=Kind.MOU, on=dt.date(2024, 5, 1)) == "091/MOU.PL29/V/2024"


def test_it_formats_each_month_in_roman_numerals():
    months = [format_number(1, "mou", dt.date(2025, m, 1)).split("/")[2] for m in range(1, 13)]
    assert months == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    assert format_number(1234, "ia", MARCH_3) == "1234/IA.PL29/III/2025"


@override_settings(SIMKERMA_INSTITUTION_CODE="PL99")
def test_it_uses_the_institution_code_from_settings():
    assert format_number(5, "moa", MARCH_3) == "005/PKS.PL99/III/2025"
    assert next_sequence(["004/PKS.PL99/I/2025", "009/PKS.PL29/I/2025"], "moa", 2025) == 5


@pytest.mark.django_db
def test_it_numbers_a_new_agreement_saved_without_a_number(client_for, staff):
    AgreementFactory(number="004/PKS.PL29/I/2025")
    partner = PartnerFactory()
    data = agreement_data(partners=[partner], kind="moa", number="  ", start="2025-03-03", end="2027-03-02")
    response = client_for(staff).post(reverse("agreements:create"), data)
    created = Agreement.objects.get(title=data["title"])
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.number == "005/PKS.PL29/III/2025"
    assert created.created_by == staff


@pytest.mark.django_db
def test_it_numbers_by_the_signing_date_when_there_is_one(client_for, staff):
    data = agreement_data(
        partners=[PartnerFactory()], kind="ia", start="2025-03-03", end="2025-12-31", signed_on="2025-02-20"
    )
    client_for(staff).post(reverse("agreements:create"), data)
    assert Agreement.objects.get().number == "001/IA.PL29/II/2025"


@pytest.mark.django_db
def test_it_keeps_a_typed_number_with_its_spaces_tidied(client_for, staff):
    data = agreement_data(partners=[PartnerFactory()], number="  12/ABC  /2025 ")
    client_for(staff).post(reverse("agreements:create"), data)
    assert Agreement.objects.get().number == "12/ABC /2025"


@pytest.mark.django_db
def test_it_suggests_the_number_over_htmx(client_for, staff):
    AgreementFactory(number="001/MOU.PL29/I/2025")
    client = client_for(staff)
    url = reverse("agreements:suggest_number")
    response = client.get(url, {"kind": "mou", "start_date": "2025-03-03"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["suggestion"] == "002/MOU.PL29/III/2025"
    assert "002/MOU.PL29/III/2025" in response.content.decode()
    assert [t.name for t in response.templates] == ["agreements/_number_suggestion.html"]
    signed = client.get(url, {"kind": "ia", "start_date": "2025-03-03", "signed_on": "2025-01-15"})
    assert signed.context["suggestion"] == "001/IA.PL29/I/2025"
    assert client.get(url, {"kind": "xx", "start_date": "2025-03-03"}).context["suggestion"] == ""


@pytest.mark.django_db
def test_it_refuses_the_suggestion_to_an_outsider(client_for, outsider):
    response = client_for(outsider).get(reverse("agreements:suggest_number"), {"kind": "mou"})
    assert response.status_code == 403
