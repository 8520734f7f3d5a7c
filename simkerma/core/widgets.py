"""Form widgets shared by every app.

The date, time and date-time inputs use the browser's own pickers and render values in the format
those pickers read. The picker widget is a search-and-pick widget for foreign keys into large
tables: a plain <select> would render every partner or agreement, so this widget renders only the
chosen ones, and an htmx search box fetches candidates as the user types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from simkerma.core.search import search_problem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PickerWidget(forms.Widget):
    template_name = "widgets/picker.html"

    def __init__(self, *, search_url: str, model: type[Model], multiple: bool = True, attrs: Any = None):
        super().__init__(attrs)
        self.search_url = search_url
        self.model = model
        self.multiple = multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = [value for value in data.getlist(name) if value] if hasattr(data, "getlist") else data.get(name)
        if self.multiple:
            return values
        return values[-1] if values else None

    # Like Django's ChoiceWidget.format_value: a list of selected keys, not Widget's single string.
    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple | QuerySet) else [value]
        return [str(v.pk if isinstance(v, Model) else v) for v in values]

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        keys = [key for key in self.format_value(value) if key.isascii() and key.isdigit()]
        context["widget"].update(
            {
                "selected": list(self.model._default_manager.filter(pk__in=keys)) if keys else [],
                "search_url": self.search_url,
                "multiple": self.multiple,
            }
        )
        return context

    def use_required_attribute(self, initial: Any) -> bool:
        return False


# How many candidates a picker's search box offers at once.
PICKER_RESULTS = 10


def render_picker_results(request: HttpRequest, param: str, find: Callable[[str], QuerySet[Any]]) -> HttpResponse:
    """htmx: the candidates for a picker's search box (`<field>__q`), or none for an empty box."""
    query = request.GET.get(param, "").strip()
    problem = search_problem(query)
    results = list(find(query)[:PICKER_RESULTS]) if query and not problem else []
    return render(request, "widgets/_picker_results.html", {"results": results, "query": query, "problem": problem})
