"""{% home_panel panel values %}: one registered home panel, rendered inside the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from simkerma.core.panels import HomePanel

register = template.Library()


@register.simple_tag(takes_context=True)
def home_panel(context: Context, panel: HomePanel, values: Mapping[str, Any]) -> SafeString:
    # As {% include %} does: the page's context (user, request, perms) plus the panel's values.
    assert context.template is not None
    panel_template = context.template.engine.get_template(panel.template)
    with context.push(**values):
        return panel_template.render(context)
