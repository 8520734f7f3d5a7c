"""The home page renders the panels the apps registered, in their order."""

import pytest
from django.urls import reverse

from simkerma.core.panels import home_panels, register_home_panel
from simkerma.core.registry import Registry


def test_it_keeps_registry_entries_in_order_and_replaces_a_name_registered_again():
    registry: Registry[str] = Registry("thing")
    registry.register("b", "second", order=20)
    registry.register("a", "first", order=10)
    registry.register("c", "third", order=20)
    registry.register("b", "second again", order=20)

    assert registry.items() == ["first", "second again", "third"]
    assert "a" in registry and len(registry) == 3


def test_every_domain_app_registers_its_home_panel():
    assert [panel.name for panel in home_panels()] == ["activities", "servicedesk", "agreements", "evaluations"]


@pytest.fixture
def nothing_panel():
    from simkerma.core import panels

    register_home_panel("nothing", lambda user: None, template="does/not/exist.html", order=1)
    yield
    panels._panels.unregister("nothing")


@pytest.mark.django_db
def test_it_renders_the_panels_in_order_and_leaves_out_one_with_nothing_to_show(client_for, staff, nothing_panel):
    response = client_for(staff).get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(marker) for marker in ('id="waiting-panel"', 'id="servicedesk-panel"', "?status=active")]
    assert positions == sorted(positions)
    assert [panel.name for panel, _values in response.context["panels"]] == ["activities", "servicedesk", "agreements"]
