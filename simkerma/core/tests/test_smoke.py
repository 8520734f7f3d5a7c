import pytest
from django.urls import reverse

from simkerma.agreements.tests.factories import AgreementFactory


@pytest.mark.django_db
def test_it_renders_every_main_page_for_staff(client_for, staff, prodi_if):
    agreement = AgreementFactory(prodi=[prodi_if])
    client = client_for(staff)
    partner = agreement.partners.get()
    urls = [
        reverse("home"),
        reverse("agreements:list"),
        reverse("agreements:create"),
        reverse("agreements:detail", args=[agreement.pk]),
        reverse("agreements:edit", args=[agreement.pk]),
        reverse("agreements:history", args=[agreement.pk]),
        reverse("agreements:renew", args=[agreement.pk]),
        reverse("agreements:terminate", args=[agreement.pk]),
        reverse("partners:list"),
        reverse("partners:create"),
        reverse("partners:detail", args=[partner.pk]),
        reverse("partners:edit", args=[partner.pk]),
        reverse("partners:history", args=[partner.pk]),
        reverse("partners:merge", args=[partner.pk]),
        reverse("org:list"),
        reverse("org:unit_create"),
        reverse("org:prodi_create"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
