"""ChoiceListField: a list of choices stored as one ';'-separated string, in the choices' order."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.choices import Field
from simkerma.core.fields import ChoiceListField

FIELD = Agreement._meta.get_field("fields")


def stored(agreement: Agreement) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT fields FROM agreements_agreement WHERE id = %s", [agreement.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_it_stores_a_list_in_the_choices_order_and_reads_it_back():
    agreement = AgreementFactory(fields=["pkm", "pendidikan", "pkm"])
    assert stored(agreement) == "pendidikan;pkm"
    agreement.refresh_from_db()
    assert agreement.fields == ["pendidikan", "pkm"]
    assert Agreement.objects.values_list("fields", flat=True).get(pk=agreement.pk) == ["pendidikan", "pkm"]


@pytest.mark.django_db
def test_it_normalises_a_string_value_too():
    agreement = AgreementFactory(fields=" pkm ; penelitian;pendidikan ")
    assert stored(agreement) == "pendidikan;penelitian;pkm"
    assert list(Agreement.objects.filter(fields=["pkm", "penelitian", "pendidikan"])) == [agreement]
    assert list(Agreement.objects.filter(fields="pkm;pendidikan;penelitian")) == [agreement]


@pytest.mark.django_db
def test_it_stores_an_empty_list_as_an_empty_string():
    agreement = AgreementFactory(fields=[])
    assert stored(agreement) == ""
    agreement.refresh_from_db()
    assert agreement.fields == []


@pytest.mark.django_db
def test_it_filters_with_contains():
    education = AgreementFactory(fields=["pendidikan"])
    research_and_pkm = AgreementFactory(fields=["penelitian", "pkm"])
    everything = AgreementFactory(fields=["pendidikan", "penelitian", "pkm"])
    assert set(Agreement.objects.filter(fields__contains="pkm")) == {research_and_pkm, everything}
    assert set(Agreement.objects.with_field("pendidikan")) == {education, everything}
    assert set(Agreement.objects.with_field("penelitian")) == {research_and_pkm, everything}


def test_it_refuses_unknown_values():
    agreement = Agreement(fields=["pendidikan", "olahraga", "seni"])
    with pytest.raises(ValidationError) as caught:
        agreement.clean_fields(exclude=[f.name for f in Agreement._meta.fields if f.name != "fields"])
    assert list(caught.value.message_dict) == ["fields"]
    assert "olahraga, seni" in caught.value.message_dict["fields"][0]


def test_it_requires_a_value_unless_blank_is_allowed():
    with pytest.raises(ValidationError) as caught:
        FIELD.clean([], None)
    assert caught.value.code == "blank"
    optional = ChoiceListField(item_choices=Field.choices, blank=True)
    assert optional.clean([], None) == []
    assert FIELD.clean("pkm;pendidikan", None) == ["pendidikan", "pkm"]


def test_it_checks_the_length_of_the_stored_string():
    short = ChoiceListField(item_choices=[("a" * 8, "A"), ("b" * 8, "B")], max_length=12)
    assert short.clean(["a" * 8], None) == ["a" * 8]
    with pytest.raises(ValidationError) as caught:
        short.clean(["a" * 8, "b" * 8], None)  # 17 characters stored
    assert [error.code for error in caught.value.error_list] == ["max_length"]


def test_it_offers_the_choices_as_checkboxes_in_forms():
    form_field = FIELD.formfield()
    assert isinstance(form_field, forms.MultipleChoiceField)
    assert isinstance(form_field.widget, forms.CheckboxSelectMultiple)
    assert [value for value, _label in form_field.choices] == ["pendidikan", "penelitian", "pkm"]
    assert form_field.required is True
    assert form_field.clean(["pkm", "pendidikan"]) == ["pkm", "pendidikan"]
    with pytest.raises(ValidationError) as caught:
        form_field.clean(["olahraga"])
    assert caught.value.code == "invalid_choice"


def test_it_gives_labels_in_order():
    assert FIELD.labels("pkm;pendidikan") == [str(Field.PENDIDIKAN.label), str(Field.PKM.label)]
    assert FIELD.labels(["olahraga"]) == ["olahraga"]


def test_it_deconstructs_for_migrations():
    _name, path, args, kwargs = FIELD.deconstruct()
    assert path == "simkerma.core.fields.ChoiceListField"
    assert kwargs["item_choices"] == list(Field.choices)
    assert "default" not in kwargs
    rebuilt = ChoiceListField(*args, **kwargs)
    assert rebuilt.item_choices == FIELD.item_choices
    assert rebuilt.max_length == 100


items = st.lists(st.sampled_from(["pendidikan", "penelitian", "pkm", "olahraga", "seni"]), max_size=8)


@given(first=items, second=items)
def test_it_stores_equal_sets_as_equal_strings(first, second):
    if set(first) == set(second):
        assert FIELD.get_prep_value(first) == FIELD.get_prep_value(second)
    assert FIELD.split(FIELD.get_prep_value(first)) == FIELD.split(first)
    assert FIELD.get_prep_value(FIELD.get_prep_value(first)) == FIELD.get_prep_value(first)
    assert set(FIELD.split(first)) == set(first)
