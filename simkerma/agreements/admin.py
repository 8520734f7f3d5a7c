from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from simkerma.agreements.models import Agreement, Signatory
from simkerma.agreements.rules import unit_scope_problem
from simkerma.core.fields import ChoiceListField


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class AgreementAdminForm(forms.ModelForm):
    """The admin's form: the model's rules run through full_clean(), the rules on links here."""

    user: Any = None

    class Meta:
        model = Agreement
        fields = "__all__"  # noqa: DJ007 (the admin shows every field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problem = unit_scope_problem(user=self.user, units=cleaned.get("units") or [], prodi=cleaned.get("prodi") or [])
        if problem is not None:
            self.add_error("units", problem)
        return cleaned


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    form = AgreementAdminForm
    list_display = (
        "number",
        "kind",
        "title",
        "level",
        "start_date",
        "end_date",
        "terminated_on",
        "is_public",
        "is_demo",
    )
    list_filter = ("kind", "level", "is_public", "is_demo")
    search_fields = ("number", "partner_number", "title")
    autocomplete_fields = ("partners", "parent", "renews")
    filter_horizontal = ("units", "prodi")
    # A new scan is checked and stored by the agreement form's service (staged until its transaction commits).
    readonly_fields = ("signed_scan",)
    inlines = [SignatoryInline]
    # The fields of cooperation are ticked, as on the agreement form (not the admin's one-line text box).
    formfield_overrides = {ChoiceListField: {"widget": forms.CheckboxSelectMultiple}}

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # a class made for this request
        return form
