from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from simkerma.core.concurrency import VersionedFormMixin
from simkerma.core.formsets import formset_rows
from simkerma.core.search import SearchField
from simkerma.partners.data import CategoryData, ContactData, PartnerData
from simkerma.partners.models import Partner, PartnerCategory, PartnerContact
from simkerma.partners.selectors import PartnerFilters, SimilarPartner, similar_partners


class PartnerForm(VersionedFormMixin, forms.ModelForm):
    confirm_distinct = forms.BooleanField(
        label=_("I have checked the similar partners above: this is a different organisation."),
        required=False,
    )

    class Meta:
        model = Partner
        fields = [
            "code",
            "name",
            "kind",
            "ministry_category",
            "country",
            "city",
            "address",
            "email",
            "phone",
            "website",
            "notes",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "code": _("Leave empty to number it automatically (M00001, M00002, …)."),
            "ministry_category": _("The partner's category in the ministry's cooperation indicator (IKU)."),
        }
        labels = {"ministry_category": _("Partner category (IKU)")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.similar: list[SimilarPartner] = []
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})
        # Categories in use, and the one this partner already has even if it was switched off since.
        field = self.fields["ministry_category"]
        stored = Q(pk=self.instance.ministry_category_id) if self.instance.ministry_category_id else Q(pk__in=[])
        field.queryset = PartnerCategory.objects.filter(Q(is_active=True) | stored)  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = cleaned.get("name")
        renamed = not self.instance.pk or "name" in self.changed_data
        if name and renamed:
            self.similar = similar_partners(name, exclude_pk=self.instance.pk)
            if self.similar and not cleaned.get("confirm_distinct"):
                names = ", ".join(f"{s.partner.name} ({s.partner.code})" for s in self.similar)
                self.add_error(
                    "name",
                    _(
                        "Similar partners already exist: %(names)s. Use the existing one, or tick the "
                        "confirmation below if this is a different organisation."
                    )
                    % {"names": names},
                )
        return cleaned

    def refuse(self, error: ValidationError) -> None:
        """Show a refusal from the service next to the fields it names."""
        if hasattr(error, "error_dict"):
            for name, items in error.error_dict.items():
                self.add_error(name if name in self.fields else NON_FIELD_ERRORS, items)
        else:
            self.add_error(None, error)

    def to_data(self, contacts: BaseInlineFormSet | None = None) -> PartnerData:
        """The partner as typed, with the contacts of the formset (None leaves them as they are)."""
        cleaned = self.cleaned_data
        return PartnerData(
            code=cleaned.get("code") or "",
            name=cleaned["name"],
            kind=cleaned["kind"],
            country=str(cleaned["country"]),
            city=cleaned.get("city") or "",
            address=cleaned.get("address") or "",
            email=cleaned.get("email") or "",
            phone=cleaned.get("phone") or "",
            website=cleaned.get("website") or "",
            notes=cleaned.get("notes") or "",
            ministry_category=cleaned.get("ministry_category"),
            contacts=formset_rows(contacts, CONTACT_FIELDS, ContactData) if contacts is not None else None,
        )


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "email", "phone", "whatsapp"]


ContactFormSet = inlineformset_factory(
    Partner, PartnerContact, form=ContactForm, extra=1, can_delete=True, max_num=30, validate_max=True
)


CONTACT_FIELDS = ("name", "position", "email", "phone", "whatsapp")


class PartnerFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Partner.Kind.choices])
    category = forms.CharField(label=_("Partner category (IKU)"), required=False, max_length=30)

    def to_filters(self) -> PartnerFilters:
        """The filters of a valid form; every value already checked."""
        return PartnerFilters(
            q=self.cleaned_data.get("q") or "",
            kind=self.cleaned_data.get("kind") or "",
            category=self.cleaned_data.get("category") or "",
        )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = PartnerCategory
        fields = ["code", "name", "description", "weight", "qualifies_iku", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "code": _("Lower-case letters, digits and underscores; the workbook's kategori_mitra column uses it."),
            "weight": _("From 0 to 1; used only when the IKU weights are switched on."),
            "is_active": _("A category switched off is kept by its partners but offered to no new one."),
        }

    code = forms.RegexField(
        label=_("code"),
        max_length=30,
        regex=r"^\s*[A-Za-z0-9_]+\s*$",
        error_messages={"invalid": _("Use only letters, digits and underscores.")},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().lower()

    def to_data(self) -> CategoryData:
        cleaned = self.cleaned_data
        return CategoryData(
            code=cleaned["code"],
            name=cleaned["name"],
            description=cleaned.get("description") or "",
            weight=cleaned.get("weight"),
            qualifies_iku=bool(cleaned.get("qualifies_iku")),
            order=cleaned.get("order") or 0,
            is_active=bool(cleaned.get("is_active")),
        )


class MergeForm(forms.Form):
    target_code = forms.CharField(
        label=_("Code of the partner to keep"),
        max_length=30,
        help_text=_("The partner shown on this page is folded into this one."),
    )

    def __init__(self, *args: Any, source: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_target_code(self) -> Partner:
        code = self.cleaned_data["target_code"].strip().upper()
        target = Partner.objects.filter(code=code).first()
        if target is None:
            raise forms.ValidationError(_("No partner has the code %(code)s."), params={"code": code})
        if target.pk == self.source.pk:
            raise forms.ValidationError(_("A partner cannot be merged into itself."))
        return target
