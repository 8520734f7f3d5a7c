from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from simkerma.imports.jobs import max_upload_bytes


class WorkbookUploadForm(forms.Form):
    """The file only: what it must be is checked by jobs.import_job_upload, which the view reports here."""

    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The data workbook, at most %(limit)s. It is checked first; nothing is saved until you confirm."
        ) % {"limit": filesizeformat(max_upload_bytes())}
