"""Word search is bounded: every list, picker, the partner filter and the near-duplicate check."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from simkerma.activities.models import Activity
from simkerma.agreements.models import Agreement
from simkerma.core.search import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, search_problem, search_words
from simkerma.partners.models import Partner
from simkerma.partners.selectors import similar_partners
from simkerma.partners.tests.factories import PartnerFactory

# 1,000 words made a statement SQLite refused ("Expression tree is too large"), a 500.
FLOOD = " ".join(f"w{i}" for i in range(1000))
ELEVEN_WORDS = " ".join(f"kata{i}" for i in range(MAX_SEARCH_WORDS + 1))

LISTS = [
    ("partners:list", "q"),
    ("agreements:list", "q"),
    ("agreements:list", "partner"),
    ("activities:list", "q"),
    ("servicedesk:list", "q"),
    ("archive:report_list", "q"),
]
PICKERS = [
    ("partners:pick", "partners__q"),
    ("agreements:pick_parent", "parent__q"),
    ("activities:pick_agreement", "agreement__q"),
    ("activities:pick_reportable", "activities__q"),
    ("servicedesk:pick_partner", "partner__q"),
]


def test_it_keeps_at_most_the_first_words_of_a_query():
    assert search_words("  alpha   beta ") == ["alpha", "beta"]
    assert search_words(FLOOD) == [f"w{i}" for i in range(MAX_SEARCH_WORDS)]
    assert len("".join(search_words("x" * 5000))) == MAX_SEARCH_LENGTH


@translation.override("id")
def test_it_explains_why_a_query_is_refused():
    assert search_problem(" ".join(["kata"] * MAX_SEARCH_WORDS)) is None
    assert search_problem(ELEVEN_WORDS) == f"Cari paling banyak {MAX_SEARCH_WORDS} kata sekaligus; ini 11 kata."
    assert search_problem("x" * 201) == (
        f"Teks pencarian terlalu panjang: paling banyak {MAX_SEARCH_LENGTH} karakter, ini 201."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "queryset", [Partner.objects.all, Agreement.objects.all, Activity.objects.all], ids=["partner", "agreement", "act"]
)
def test_it_bounds_the_conditions_of_a_queryset_search(queryset):
    sql = str(queryset().search(FLOOD).query)
    assert "w9" in sql
    assert "w10" not in sql
    list(queryset().search(FLOOD))


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "param"), LISTS)
def test_it_answers_a_flood_of_words_on_every_list_with_a_message(client, staff, url_name, param):
    client.force_login(staff)
    response = client.get(reverse(url_name), {param: FLOOD})
    assert response.status_code == 200
    assert "paling banyak 200 karakter" in response.content.decode()
    response = client.get(reverse(url_name), {param: ELEVEN_WORDS})
    assert response.status_code == 200
    assert "paling banyak 10 kata" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "param"), PICKERS)
def test_it_answers_a_flood_of_words_in_every_picker_with_a_message(client, staff, url_name, param):
    PartnerFactory(name="PT Alpha Teknologi")
    client.force_login(staff)
    response = client.get(reverse(url_name), {param: FLOOD}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "paling banyak 200 karakter" in response.content.decode()
    assert "picker-option" not in response.content.decode()


@pytest.mark.django_db
def test_it_still_finds_with_the_words_allowed(client, staff):
    alpha = PartnerFactory(name="PT Alpha Teknologi")
    PartnerFactory(name="Beta University")
    client.force_login(staff)
    response = client.get(reverse("partners:pick"), {"partners__q": "alpha tekno"}, headers={"HX-Request": "true"})
    assert f'data-pick="{alpha.pk}"' in response.content.decode()
    assert "Beta" not in response.content.decode()
    response = client.get(reverse("partners:list"), {"q": "alpha"})
    assert [p.pk for p in response.context["page_obj"]] == [alpha.pk]


@pytest.mark.django_db
def test_it_bounds_the_near_duplicate_check(client, staff, django_assert_max_num_queries):
    batamindo = PartnerFactory(name="PT Batamindo Investment Cakrawala")
    name = "Batamindo Investment Cakrawala " + " ".join(f"kata{i}" for i in range(2000))
    with django_assert_max_num_queries(1) as queries:
        similar = similar_partners(name)
    assert queries.captured_queries[0]["sql"].count("LIKE") <= MAX_SEARCH_WORDS
    assert [s.partner for s in similar] == [batamindo]
    client.force_login(staff)
    response = client.get(reverse("partners:check_name"), {"name": name}, headers={"HX-Request": "true"})
    assert response.status_code == 200
