"""Forms of drafting and of draft templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from simkerma.agreements.models import Kind as DocumentKind
from simkerma.core.concurrency import TOKEN_FIELD, OneTimeTokenFormMixin
from simkerma.core.dates import validate_date_range
from simkerma.core.validators import validate_phone
from simkerma.core.widgets import DateInput
from simkerma.servicedesk.drafting import check_template, docx_readable
from simkerma.servicedesk.forms.requests import MomentForm


class DraftForm(OneTimeTokenFormMixin, forms.Form):
    """The values that fill a draft template; they are kept with each version."""

    submission_purpose = "servicedesk.draft"

    document_kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(
        label=_("Number"),
        max_length=100,
        required=False,
        help_text=_("The next number in the office's scheme is suggested; it is confirmed at signing."),
    )
    title = forms.CharField(label=_("About (title)"), max_length=500)
    parent_number = forms.CharField(label=_("Under the MoU / MoA number"), max_length=100, required=False)
    partner_number = forms.CharField(label=_("Partner's number"), max_length=100, required=False)
    partner_name = forms.CharField(label=_("Partner"), max_length=255)
    partner_address = forms.CharField(label=_("Partner's address"), max_length=500, required=False)
    partner_signatory_name = forms.CharField(label=_("Partner's signatory"), max_length=150, required=False)
    partner_signatory_position = forms.CharField(label=_("Their position"), max_length=150, required=False)
    partner_pic = forms.CharField(label=_("Partner's PIC"), max_length=255, required=False)
    partner_email = forms.EmailField(label=_("Partner's e-mail"), required=False)
    partner_phone = forms.CharField(
        label=_("Partner's phone"), max_length=40, required=False, validators=[validate_phone]
    )
    institution_signatory_name = forms.CharField(label=_("Institution's signatory"), max_length=150, required=False)
    institution_signatory_position = forms.CharField(label=_("Their position"), max_length=150)
    contact_name = forms.CharField(label=_("Our contact"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Our contact's e-mail"), required=False)
    contact_phone = forms.CharField(
        label=_("Our contact's phone"), max_length=40, required=False, validators=[validate_phone]
    )
    scope = forms.CharField(
        label=_("Scope"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One item per line.")
    )
    duration_years = forms.IntegerField(label=_("Duration (years)"), min_value=1, max_value=10)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=DateInput(), validators=[validate_date_range]
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), validators=[validate_date_range]
    )
    place = forms.CharField(label=_("Place of signing"), max_length=150, required=False)
    signing_date = forms.DateField(
        label=_("Signing date"), required=False, widget=DateInput(), validators=[validate_date_range]
    )

    def clean_scope(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["scope"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Give at least one scope item."), code="required")
        return "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def values(self) -> dict[str, Any]:
        return {
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in self.cleaned_data.items()
            if key != TOKEN_FIELD
        }


DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _max_docx_bytes() -> int:
    return int(settings.SIMKERMA_DRAFT_MAX_BYTES)


def _check_size(upload: Any) -> None:
    if upload.size is not None and upload.size > _max_docx_bytes():
        raise forms.ValidationError(_("The file is too large."), code="too_large")


class DraftUploadForm(OneTimeTokenFormMixin, forms.Form):
    submission_purpose = "servicedesk.draft"

    document_kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Draft (.docx)"), widget=forms.ClearableFileInput(attrs={"accept": DOCX_ACCEPT}))
    note = forms.CharField(label=_("What changed"), max_length=255, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _check_size(upload)
        if not docx_readable(upload):
            raise forms.ValidationError(
                _("This file is not a Word document (.docx) that can be read."), code="not_docx"
            )
        return upload


class SendDraftForm(forms.Form):
    to = forms.EmailField(label=_("To"))
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class DeliveryForm(MomentForm):
    note = forms.CharField(label=_("How it was delivered"), max_length=255)


class TemplateUploadForm(forms.Form):
    document_kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255)
    file = forms.FileField(label=_("Template (.docx)"), widget=forms.ClearableFileInput(attrs={"accept": DOCX_ACCEPT}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _check_size(upload)
        check = check_template(upload)
        if check.error:
            raise forms.ValidationError(check.error, code="unreadable")
        if check.unknown:
            raise forms.ValidationError(
                _("The template uses placeholders Simkerma does not know: %(names)s. Use only the ones listed below.")
                % {"names": ", ".join(check.unknown)},
                code="unknown_placeholder",
            )
        return upload
