"""The form renderer's <select> is exactly what Django's templates render."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from simkerma.core.forms_renderer import FormRenderer, render_select
from simkerma.org.models import Unit

pytestmark = pytest.mark.django_db


class OwnOption(forms.Select):
    option_template_name = "widgets/picker.html"


class Everything(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Semua"), ("a", "A & B"), (1, 'satu "1"'), ("<x>", mark_safe("<b>aman</b>"))]
    )
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Pendidikan", [("d3", "D3"), ("d4", "D4 <baru>")]), ("Lain", [("s2", "S2")]), ("z", "Z")],
        widget=forms.Select(attrs={"class": "wide", "data-x": '"q"', "disabled": True, "hidden": False}),
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("code"), required=False)
    required_one = forms.ChoiceField(choices=[("p", "P"), ("q", "Q")])


@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "d4", "many": ["x", "z"], "required_one": "q"}])
def test_every_select_renders_as_djangos_templates_render_it(data, jurusan_if):
    fast, slow = Everything(data, renderer=FormRenderer()), Everything(data, renderer=TemplatesSetting())
    for name in Everything.base_fields:
        assert str(fast[name]) == str(slow[name]), name
    assert "selected>D4 &lt;baru&gt;</option>" in str(fast["grouped"]) or data is None
    assert '<option value="&lt;x&gt;"><b>aman</b></option>' in str(fast["plain"])
    assert f">{jurusan_if}</option>" in str(fast["unit"])


def test_an_option_with_a_template_of_its_own_renders_through_the_templates():
    field = forms.ChoiceField(choices=[("a", "A")], widget=OwnOption)
    widget = field.widget.get_context("f", "a", {})["widget"]
    assert render_select(widget) is None
