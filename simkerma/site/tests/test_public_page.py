"""The public page: headline figures, and only the agreements marked public with their partners' names."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from simkerma.activities.models import ActivityStatus
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.dates import WIB
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=WIB)
D = dt.date


@pytest.fixture(autouse=True)
def clock():
    cache.clear()  # the rate limit's counters
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def shown(db):
    partner = PartnerFactory(name="PT Terbuka Sejahtera", email="rahasia@terbuka.test", phone="+62 778 111222")
    ContactFactory(partner=partner, name="Budi Kontak", email="budi@terbuka.test", phone="+62 812 3456789")
    return AgreementFactory(
        number="001/MOU.PL29/I/2026",
        title="Magang industri terbuka",
        partners=[partner],
        is_public=True,
        start_date=D(2026, 1, 1),
        end_date=D(2028, 12, 31),
    )


@pytest.fixture
def hidden(db):
    partner = PartnerFactory(name="PT Tertutup Rapat")
    return AgreementFactory(number="002/MOU.PL29/I/2026", title="Kerja sama tertutup", partners=[partner])


@pytest.fixture
def expired(db):
    partner = PartnerFactory(name="PT Sudah Lewat")
    return AgreementFactory(
        number="003/MOU.PL29/I/2020",
        title="Sudah berakhir",
        partners=[partner],
        is_public=True,
        start_date=D(2020, 1, 1),
        end_date=D(2024, 12, 31),
    )


def page(client, **params):
    response = client.get(reverse("public"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_it_shows_only_public_agreements_in_force_and_their_partners_without_logging_in(client, shown, hidden, expired):
    html = page(client)
    assert "Magang industri terbuka" in html
    assert "PT Terbuka Sejahtera" in html
    for absent in (
        "Kerja sama tertutup",
        "002/MOU.PL29/I/2026",
        "PT Tertutup Rapat",
        "Sudah berakhir",
        "PT Sudah Lewat",
    ):
        assert absent not in html


@pytest.mark.django_db
def test_it_never_shows_a_contact_or_an_e_mail_address_or_phone(client, shown):
    html = page(client)
    for secret in ("Budi Kontak", "budi@terbuka.test", "rahasia@terbuka.test", "3456789", "111222", "mailto:", "tel:"):
        assert secret not in html
    # A contact's name finds nothing: the search does not look at contacts.
    assert "Magang industri terbuka" not in page(client, q="Budi")


@pytest.mark.django_db
def test_it_searches_partner_names_and_titles_among_public_agreements(client, shown, hidden):
    other = PartnerFactory(name="CV Lain Lagi")
    AgreementFactory(title="Riset bersama", partners=[other], is_public=True, start_date=D(2026, 1, 1))
    html = page(client, q="Sejahtera")
    assert "Magang industri terbuka" in html
    assert "Riset bersama" not in html
    assert "CV Lain Lagi" not in html
    html = page(client, q="tertutup")
    assert "Kerja sama tertutup" not in html
    assert "PT Tertutup Rapat" not in html


@pytest.mark.django_db
def test_it_refuses_an_over_long_search_and_lists_everything(client, shown):
    html = page(client, q="kata " * 50)
    assert "Magang industri terbuka" in html
    assert 'class="error"' in html


@pytest.mark.django_db
def test_it_shows_the_year_s_prodi_coverage(client, shown, prodi_if, prodi_mb):
    ActivityFactory(agreement=shown, status=ActivityStatus.TERLAKSANA, start_date=D(2026, 3, 1), prodi=[prodi_if])
    html = page(client)
    # IF01 covered, MB01 not: 1 of 2, 50.00 %.
    assert "1 of 2 prodi" in html or "1 dari 2 prodi" in html
    assert "50,00%" in html


@pytest.mark.django_db
def test_it_limits_how_often_one_address_may_open_it(client, settings, shown):
    settings.SIMKERMA_PUBLIC_VIEW_LIMIT = 2
    assert client.get(reverse("public")).status_code == 200
    assert client.get(reverse("public")).status_code == 200
    response = client.get(reverse("public"))
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.SIMKERMA_PUBLIC_VIEW_WINDOW)


# Coverage and aspects from the cache the first hit filled (the data versions, once each) and
# service times (1); the two counts, cached (their versions); the agreements (page, partners), the
# partners (page); the demo banner.
PUBLIC_QUERIES = 8


def _agreements(count):
    for index in range(count):
        partner = PartnerFactory(name=f"PT Banyak {index}")
        AgreementFactory(partners=[partner, PartnerFactory()], is_public=True, start_date=D(2026, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_it_takes_the_same_number_of_queries_with_few_or_many_agreements(client, count, django_assert_num_queries):
    _agreements(count)
    client.get(reverse("public"))  # the rate-limit counter's first hit
    with django_assert_num_queries(PUBLIC_QUERIES):
        page(client)


@pytest.mark.django_db
def test_the_cached_counts_follow_each_agreement_written(client, settings):
    settings.SIMKERMA_PAGE_SIZE = 5
    _agreements(5)  # five agreements, ten partners
    first = page(client)
    assert "Halaman 1 dari 2" in first  # the partners
    assert first.count("Halaman 1 dari") == 1
    _agreements(1)
    after = page(client)  # six agreements on two pages, twelve partners on three
    assert "Halaman 1 dari 2" in after and "Halaman 1 dari 3" in after
    _agreements(2)
    assert "Halaman 1 dari 4" in page(client)  # sixteen partners
