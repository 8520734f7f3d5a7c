import pytest

from simkerma.partners.models import Partner
from simkerma.partners.names import name_key
from simkerma.partners.selectors import MAX_CANDIDATES, NEAR_DUPLICATE_THRESHOLD, similar_partners
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def codes(found):
    return [item.partner.code for item in found]


def test_it_finds_near_duplicates_best_first():
    exact = PartnerFactory(code="M00001", name="PT. Batamindo")
    typo = PartnerFactory(code="M00002", name="Batamindo Industial")
    longer = PartnerFactory(code="M00003", name="Batamindo Investment Corporation")
    PartnerFactory(code="M00004", name="PT Sinar Mas")

    found = similar_partners("Batamindo, PT")

    # The same key scores 1.0; a name holding every word of the other one sits at the threshold,
    # ties in name order.
    assert [(item.partner.code, item.score) for item in found] == [
        (exact.code, 1.0),
        (typo.code, NEAR_DUPLICATE_THRESHOLD),
        (longer.code, NEAR_DUPLICATE_THRESHOLD),
    ]


def test_it_finds_a_typo():
    typo = PartnerFactory(code="M00002", name="PT Batamindo Industial")

    found = similar_partners("PT Batamindo Industrial")

    assert codes(found) == [typo.code]
    assert 0.85 <= found[0].score < 1.0


def test_it_excludes_the_partner_itself():
    me = PartnerFactory(code="M00001", name="PT Batamindo")
    twin = PartnerFactory(code="M00002", name="Batamindo PT")

    assert codes(similar_partners("PT Batamindo", exclude_pk=me.pk)) == [twin.code]
    assert set(codes(similar_partners("PT Batamindo"))) == {me.code, twin.code}


def test_it_ignores_unrelated_partners():
    PartnerFactory(code="M00001", name="PT Astra Honda Motor")
    PartnerFactory(code="M00002", name="Dinas Pendidikan Kota Batam")
    PartnerFactory(code="M00003", name="PT Batam Indah")

    assert similar_partners("PT Astra International") == []
    assert similar_partners("PT Batamindo") == []


def test_it_returns_nothing_for_a_name_without_letters():
    PartnerFactory(code="M00001", name="PT Batamindo")

    assert similar_partners("...") == []


def test_it_limits_the_number_of_results():
    for n in range(8):
        PartnerFactory(code=f"M{n:05d}", name=f"Batamindo {'PT' if n % 2 else 'CV'} {'Tbk' * (n % 3 > 0)}")

    assert len(similar_partners("Batamindo", limit=3)) == 3
    assert len(similar_partners("Batamindo")) == 5


def test_it_finds_the_exact_duplicate_among_many_candidates():
    Partner.objects.bulk_create(
        Partner(
            code=f"X{n:05d}", name=f"Indonesia Alpha {n}", name_key=name_key(f"Indonesia Alpha {n}"), kind="lainnya"
        )
        for n in range(MAX_CANDIDATES + 20)
    )
    duplicate = PartnerFactory(code="M09999", name="PT Maju Indonesia")

    found = similar_partners("Maju Indonesia, PT")

    assert codes(found)[:1] == [duplicate.code]
    assert found[0].score == 1.0
