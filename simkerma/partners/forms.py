from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from simkerma.core.concurrency import VersionedFormMixin
from simkerma.core.validators import validate_phone
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.selectors import SimilarPartner, similar_partners


class PartnerForm(VersionedFormMixin, forms.ModelForm):
    confirm_distinct = forms.BooleanField(
        label=_("I have checked the similar partners above: this is a different organisation."),
        required=False,
    )

    class Meta:
        model = Partner
        fields = ["code", "name", "kind", "country", "city", "address", "email", "phone", "website", "notes"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"code": _("Leave empty to number it automatically (M00001, M00002, …).")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.similar: list[SimilarPartner] = []
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "")
        validate_phone(phone)
        return phone

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


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "email", "phone", "whatsapp"]

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        validate_phone(value)
        return value

    def clean_whatsapp(self) -> str:
        value = self.cleaned_data.get("whatsapp", "")
        validate_phone(value)
        return value


ContactFormSet = inlineformset_factory(
    Partner, PartnerContact, form=ContactForm, extra=1, can_delete=True, max_num=30, validate_max=True
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
