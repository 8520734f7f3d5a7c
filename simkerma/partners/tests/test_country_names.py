"""Countries are named in Indonesian: in the partner form's list, on the list and on the detail page."""

import re

import pytest
from django.urls import reverse

from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _option(page: str, code: str) -> str:
    found = re.search(rf'<option value="{code}"[^>]*>([^<]*)</option>', page)
    assert found, code
    return found.group(1)


def test_it_lists_countries_by_their_indonesian_names_in_the_partner_form(client, staff):
    client.force_login(staff)

    page = client.get(reverse("partners:create")).content.decode()

    assert _option(page, "JP") == "Jepang"
    assert _option(page, "US") == "Amerika Serikat"
    assert _option(page, "NL") == "Belanda"
    assert _option(page, "KR") == "Korea Selatan"
    # Sorted by the Indonesian name: Belanda comes before Jepang, which comes before Spanyol.
    assert page.index(">Belanda<") < page.index(">Jepang<") < page.index(">Spanyol<")


def test_it_names_a_partners_country_in_indonesian_on_the_list_and_the_detail(client, staff):
    partner = PartnerFactory(name="Kyoto Institute", country="JP", city="Kyoto")
    client.force_login(staff)

    listing = client.get(reverse("partners:list")).content.decode()
    detail = client.get(partner.get_absolute_url()).content.decode()

    assert "<td>Jepang</td>" in listing
    assert "<dd>Jepang</dd>" in detail
    assert "Japan" not in listing + detail


def test_it_keeps_english_names_for_an_english_reader(client, staff):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("partners:create")).content.decode()

    assert _option(page, "JP") == "Japan"
