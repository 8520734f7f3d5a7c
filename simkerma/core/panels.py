"""Home page panels: each app adds its own in its AppConfig.ready().

    from simkerma.core.panels import register_home_panel
    register_home_panel("servicedesk", home_panel_context, template="servicedesk/_home_panel.html", order=20)

The home page asks every panel, in order, for its values with `func(user)`. A panel that returns
None is left out (it has nothing for this user). Otherwise its template is rendered inside the
home page with those values added to the page's context, as `{% include %}` would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simkerma.core.registry import Registry

PanelValues = Callable[[Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class HomePanel:
    name: str
    func: PanelValues
    template: str


_panels: Registry[HomePanel] = Registry("home panel")


def register_home_panel(name: str, func: PanelValues, *, template: str, order: int = 100) -> None:
    _panels.register(name, HomePanel(name=name, func=func, template=template), order=order)


def home_panels() -> list[HomePanel]:
    return _panels.items()
