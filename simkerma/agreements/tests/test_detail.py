"""The detail page: the agreement, its signatories and the whole MoU → MoA → IA tree."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from simkerma.agreements.models import Kind
from simkerma.agreements.selectors import TreeNode
from simkerma.agreements.tests.factories import AgreementFactory, SignatoryFactory
from simkerma.partners.tests.factories import PartnerFactory

D = dt.date
# Pinned: session and user (2), the agreement with partners/units/prodi (4), the walk up to the
# root (0 to 2), the tree with its partners (6), the layout's demo check, renewals, signatories (3).
DETAIL_MAX_QUERIES = 18


def shape(node: TreeNode) -> tuple:
    return (node.agreement.number, [shape(child) for child in node.children])


@pytest.fixture
def tree(db):
    partner = PartnerFactory(name="PT Pohon")
    mou = AgreementFactory(kind=Kind.MOU, number="MOU-1", start_date=D(2024, 1, 1), partners=[partner])

    def child(number, parent, kind, start):
        return AgreementFactory(kind=kind, number=number, parent=parent, start_date=start, partners=[partner])

    moa_b = child("MOA-B", mou, Kind.MOA, D(2024, 6, 1))
    moa_a = child("MOA-A", mou, Kind.MOA, D(2024, 3, 1))
    ia_direct = child("IA-MOU", mou, Kind.IA, D(2025, 1, 1))
    ia_a2 = child("IA-A2", moa_a, Kind.IA, D(2024, 9, 1))
    ia_a1 = child("IA-A1", moa_a, Kind.IA, D(2024, 4, 1))
    AgreementFactory(kind=Kind.MOU, number="MOU-OTHER", partners=[partner])  # another tree
    return {
        "mou": mou,
        "moa_a": moa_a,
        "moa_b": moa_b,
        "ia_direct": ia_direct,
        "ia_a1": ia_a1,
        "ia_a2": ia_a2,
    }


EXPECTED_TREE = (
    "MOU-1",
    [
        ("MOA-A", [("IA-A1", []), ("IA-A2", [])]),
        ("MOA-B", []),
        ("IA-MOU", []),
    ],
)


@pytest.mark.django_db
@pytest.mark.parametrize("node", ["mou", "moa_a", "moa_b", "ia_direct", "ia_a1", "ia_a2"])
def test_it_shows_the_whole_tree_from_any_node(client_for, staff, tree, node):
    response = client_for(staff).get(reverse("agreements:detail", args=[tree[node].pk]))
    assert response.status_code == 200
    assert response.context["agreement"] == tree[node]
    assert shape(response.context["tree"]) == EXPECTED_TREE
    html = response.content.decode()
    assert "MOU-OTHER" not in html
    assert html.count('aria-current="true"') == 1


@pytest.mark.django_db
def test_it_shows_a_lone_agreement_as_a_tree_of_one(client_for, staff):
    lone = AgreementFactory(number="LONE-1")
    response = client_for(staff).get(reverse("agreements:detail", args=[lone.pk]))
    assert shape(response.context["tree"]) == ("LONE-1", [])


@pytest.mark.django_db
def test_it_lists_the_signatories_of_the_agreement_only(client_for, staff):
    agreement = AgreementFactory()
    partner_side = SignatoryFactory(agreement=agreement, side="partner", name="Budi Santoso")
    institution_side = SignatoryFactory(agreement=agreement, side="institution", name="Direktur Polibatam")
    SignatoryFactory(name="Orang Lain")
    response = client_for(staff).get(reverse("agreements:detail", args=[agreement.pk]))
    assert list(response.context["signatories"]) == [institution_side, partner_side]
    assert "Orang Lain" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("node", ["mou", "ia_a1"])
def test_it_renders_the_detail_page_in_a_fixed_number_of_queries(
    client_for, staff, tree, node, django_assert_max_num_queries
):
    for extra in range(5):  # more children and signatories must not add queries
        AgreementFactory(kind=Kind.IA, number=f"IA-X{extra}", parent=tree["moa_b"], partners=[PartnerFactory()])
        SignatoryFactory(agreement=tree[node])
    client = client_for(staff)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(reverse("agreements:detail", args=[tree[node].pk]))
    assert len(shape(response.context["tree"])[1][1][1]) == 5


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_agreement(client_for, staff):
    assert client_for(staff).get(reverse("agreements:detail", args=[999999])).status_code == 404


@pytest.fixture
def english_reader(client_for, staff):
    """Staff who chose English; English stays active in this thread afterwards, so it is reset."""
    client = client_for(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    yield client
    translation.activate(settings.LANGUAGE_CODE)


def detail_row(client, agreement, dd_id: str) -> str:
    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    found = re.search(rf'<dd id="{dd_id}">(.*?)</dd>', html, re.S)
    assert found is not None, html
    return found.group(1)


@pytest.mark.django_db
def test_it_shows_the_sdg_goals_by_their_labels_and_the_day_reported_to_the_ministry(english_reader):
    agreement = AgreementFactory(sdg_goals=["sdg17", "sdg4"], ministry_reported_on=D(2025, 6, 30))
    bare = AgreementFactory()
    assert detail_row(english_reader, agreement, "sdg-goals") == (
        "SDG 4: Quality education<br>SDG 17: Partnerships for the goals"
    )
    assert detail_row(english_reader, bare, "sdg-goals") == '<span class="muted">–</span>'
    assert detail_row(english_reader, agreement, "ministry-reported").startswith("30 June 2025\n")


@pytest.mark.django_db
def test_it_shows_the_sdg_goals_in_indonesian_by_default(client_for, staff):
    agreement = AgreementFactory(sdg_goals=["sdg13", "sdg1"])
    assert detail_row(client_for(staff), agreement, "sdg-goals") == (
        "SDG 1: Tanpa Kemiskinan<br>SDG 13: Penanganan Perubahan Iklim"
    )
