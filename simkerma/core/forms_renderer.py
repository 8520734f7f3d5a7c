"""The form renderer (settings.FORM_RENDERER): Django's TemplatesSetting, with a faster <select>.

Django renders each <option> of a select through two template includes, about 0.15 ms an
option: the filter forms' lists of 200 prodi or 40 units cost tens of milliseconds a page. A
<select> whose options all use Django's own option template is written here in Python instead,
character for character what the templates give (a test compares the two); any other widget, or
a select with options of its own template, renders through the templates as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: Mapping[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            shown = value if isinstance(value, SafeString) else str(value)
            parts.append(f' {conditional_escape(name)}="{conditional_escape(shown)}"')
    return "".join(parts)


def render_select(widget: Mapping[str, Any]) -> str | None:
    """The select's HTML as Django's select.html gives it, or None when an option has a template of its own."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            value = option["value"]
            shown = value if isinstance(value, SafeString) else str(value)
            out.append(
                f'\n  <option value="{conditional_escape(shown)}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")  # the renderer strips the template's final newline
    return "".join(out)


class FormRenderer(TemplatesSetting):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value escaped above
        return super().render(template_name, context, request)
