import datetime as dt

import pytest
from django.urls import reverse

from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    batamindo = PartnerFactory(code="M00001", name="PT Batamindo", city="Batam", kind=Partner.Kind.INDUSTRI)
    dinas = PartnerFactory(
        code="M00002", name="Dinas Pendidikan Kepri", city="Tanjungpinang", kind=Partner.Kind.PEMERINTAH
    )
    poly = PartnerFactory(
        code="M00003", name="Example Polytechnic", city="Singapore", country="SG", kind=Partner.Kind.PERGURUAN_TINGGI
    )
    ContactFactory(partner=dinas, name="Hendra Wijaya")
    ContactFactory(partner=poly, name="Tan Wei Ling")
    return {"batamindo": batamindo, "dinas": dinas, "poly": poly}


def listed(response):
    return [p.code for p in response.context["page_obj"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["M00002", "M00003", "M00001"]),
        ("batamindo", ["M00001"]),
        ("m00002", ["M00002"]),
        ("tanjungpinang", ["M00002"]),
        ("hendra", ["M00002"]),
        ("Tan Ling", ["M00003"]),
        ("batam", ["M00001"]),
        ("nothing-like-this", []),
    ],
)
def test_it_searches_by_name_code_city_and_contact(client_for, staff, registry, query, expected):
    response = client_for(staff).get(reverse("partners:list"), {"q": query})

    assert response.status_code == 200
    assert listed(response) == expected


def test_it_filters_by_kind(client_for, staff, registry):
    client = client_for(staff)

    assert listed(client.get(reverse("partners:list"), {"kind": "pemerintah"})) == ["M00002"]
    assert listed(client.get(reverse("partners:list"), {"kind": "perguruan_tinggi", "q": "batam"})) == []
    # An unknown kind is ignored rather than hiding everything.
    assert len(listed(client.get(reverse("partners:list"), {"kind": "bogus"}))) == 3


def test_it_lists_one_row_per_partner_with_its_agreement_count(client_for, staff, registry):
    batamindo = registry["batamindo"]
    ContactFactory(partner=batamindo, name="Budi Batam")
    ContactFactory(partner=batamindo, name="Rina Batam")
    AgreementFactory(partners=[batamindo])
    AgreementFactory(partners=[batamindo, registry["dinas"]])

    response = client_for(staff).get(reverse("partners:list"), {"q": "batam"})

    rows = {p.code: p.agreement_count for p in response.context["page_obj"]}
    assert rows == {"M00001": 2}


def test_it_returns_the_results_fragment_to_htmx(client_for, staff, registry):
    client = client_for(staff)

    fragment = client.get(reverse("partners:list"), {"q": "hendra"}, HTTP_HX_REQUEST="true")
    page = client.get(reverse("partners:list"), {"q": "hendra"})

    assert [t.name for t in fragment.templates] == ["partners/_list_results.html", "includes/pagination.html"]
    fragment_html = fragment.content.decode()
    assert "Dinas Pendidikan Kepri" in fragment_html
    assert "PT Batamindo" not in fragment_html
    assert "<html" not in fragment_html
    assert 'id="id_q"' not in fragment_html
    assert "<html" in page.content.decode()
    assert 'id="id_q"' in page.content.decode()


def test_it_pages_the_list(client_for, staff, settings):
    settings.SIMKERMA_PAGE_SIZE = 2
    for n in range(5):
        PartnerFactory(code=f"M{n:05d}", name=f"Mitra {n}")
    client = client_for(staff)

    assert listed(client.get(reverse("partners:list"), {"page": 3})) == ["M00004"]
    assert listed(client.get(reverse("partners:list"), {"page": 2})) == ["M00002", "M00003"]


def test_it_shows_a_partner_with_contacts_and_agreements(client_for, auditor, registry):
    dinas = registry["dinas"]
    mou = AgreementFactory(partners=[dinas], number="003/MOU.PL29/II/2024", title="Literasi digital sekolah")
    ia = AgreementFactory(
        partners=[dinas],
        parent=mou,
        kind="ia",
        number="001/IA.PL29/IX/2025",
        title="Pelatihan guru",
        start_date=dt.date(2025, 9, 1),
        end_date=dt.date(2026, 8, 31),
    )
    other = AgreementFactory(partners=[registry["batamindo"]], title="Bukan untuk dinas")

    response = client_for(auditor).get(reverse("partners:detail", args=[dinas.pk]))

    assert response.status_code == 200
    assert list(response.context["agreements"]) == [ia, mou]
    html = response.content.decode()
    for text in ("Dinas Pendidikan Kepri", "M00002", "Hendra Wijaya", mou.number, ia.number, "Pelatihan guru"):
        assert text in html
    assert other.title not in html
    # An auditor reads but sees no edit or merge buttons.
    assert reverse("partners:edit", args=[dinas.pk]) not in html
    assert reverse("partners:merge", args=[dinas.pk]) not in html


def test_it_shows_edit_buttons_to_the_team(client_for, staff, registry):
    dinas = registry["dinas"]

    html = client_for(staff).get(reverse("partners:detail", args=[dinas.pk])).content.decode()

    assert reverse("partners:edit", args=[dinas.pk]) in html
    assert reverse("partners:merge", args=[dinas.pk]) in html


def test_it_suggests_similar_names_while_typing(client_for, staff, registry):
    client = client_for(staff)

    response = client.get(reverse("partners:check_name"), {"name": "Batamindo, PT"})
    excluded = client.get(
        reverse("partners:check_name"), {"name": "Batamindo, PT", "exclude": str(registry["batamindo"].pk)}
    )
    unrelated = client.get(reverse("partners:check_name"), {"name": "Astra Honda"})

    assert [s.partner for s in response.context["similar"]] == [registry["batamindo"]]
    assert "M00001" in response.content.decode()
    assert excluded.context["similar"] == []
    assert unrelated.content.decode().strip() == ""


def test_it_picks_partners_by_search(client_for, coordinator, registry):
    client = client_for(coordinator)

    response = client.get(reverse("partners:pick"), {"partners__q": "poly"})
    empty = client.get(reverse("partners:pick"), {"partners__q": ""})

    assert response.context["results"] == [registry["poly"]]
    assert f'data-pick="{registry["poly"].pk}"' in response.content.decode()
    assert empty.context["results"] == []


def make_partners(count, offset=0):
    for n in range(offset, offset + count):
        partner = PartnerFactory(code=f"M{n:05d}", name=f"PT Mitra Uji {n:03d}", city="Batam")
        ContactFactory(partner=partner, name=f"Kontak Batam {n}")
        ContactFactory(partner=partner)
        AgreementFactory(partners=[partner])
        AgreementFactory(partners=[partner])


# Session, user, count, page, the partner categories of the filter, demo banner, unread notices: the
# same seven whatever the number of rows.
LIST_QUERIES = 7
# The same, with the partner, its contacts, agreements, activities and merges instead of count and page.
DETAIL_QUERIES = 9


@pytest.mark.parametrize("params", [{}, {"q": "batam"}, {"kind": "industri", "q": "mitra uji"}])
def test_it_lists_partners_in_a_flat_number_of_queries(client_for, staff, django_assert_max_num_queries, params):
    client = client_for(staff)
    make_partners(5)
    with django_assert_max_num_queries(LIST_QUERIES):
        small = client.get(reverse("partners:list"), params)
    assert len(small.context["page_obj"]) == 5

    make_partners(35, offset=5)
    with django_assert_max_num_queries(LIST_QUERIES):
        large = client.get(reverse("partners:list"), params)

    assert large.context["page_obj"].paginator.count == 40
    assert [p.agreement_count for p in large.context["page_obj"]] == [2] * 25


def test_it_shows_a_partner_in_a_flat_number_of_queries(client_for, staff, django_assert_max_num_queries):
    partner = PartnerFactory(code="M00001", name="PT Batamindo")
    for _ in range(3):
        ContactFactory(partner=partner)
        ActivityFactory(agreement=AgreementFactory(partners=[partner]))
    client = client_for(staff)
    with django_assert_max_num_queries(DETAIL_QUERIES) as small:
        client.get(partner.get_absolute_url())

    for _ in range(20):
        ContactFactory(partner=partner)
        ActivityFactory(agreement=AgreementFactory(partners=[partner], parent=AgreementFactory(partners=[partner])))
    with django_assert_max_num_queries(DETAIL_QUERIES) as large:
        response = client.get(partner.get_absolute_url())

    assert len(response.context["agreements"]) == 43
    # The latest 20 of the 23 activities under the partner's agreements.
    assert len(response.context["activities"]) == 20
    assert len(large.captured_queries) == len(small.captured_queries)
