"""Leadership, auditors and the team find the KPI dashboard first on the home page; every reader in the menu."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pimpinan", "auditor", "staff", "kapokja"])
def test_it_puts_the_dashboard_first_on_the_home_page(client_for, request, role):
    html = client_for(request.getfixturevalue(role)).get(reverse("home")).content.decode()
    assert f'id="home-dashboard"><a class="btn" href="{reverse("kpis:dashboard")}"' in html
    assert html.index('id="home-dashboard"') < html.index("</h1>") + 200


@pytest.mark.django_db
def test_it_links_the_dashboard_from_the_menu_for_a_coordinator(client_for, coordinator):
    html = client_for(coordinator).get(reverse("home")).content.decode()
    assert 'id="home-dashboard"' not in html
    assert f'<a href="{reverse("kpis:dashboard")}">' in html
