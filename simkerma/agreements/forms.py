from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from simkerma.agreements.models import ALLOWED_PARENT_KINDS, Agreement, Kind, Signatory, Status
from simkerma.core.choices import Field, Level
from simkerma.core.concurrency import OneTimeTokenFormMixin, VersionedFormMixin
from simkerma.core.dates import validate_date_range
from simkerma.core.search import SearchField
from simkerma.core.uploads import validate_pdf
from simkerma.core.widgets import PickerWidget
from simkerma.org.models import Prodi, Unit
from simkerma.partners.models import Partner

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AgreementForm(VersionedFormMixin, OneTimeTokenFormMixin, forms.ModelForm):
    submission_purpose = "agreements.agreement"

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "partner_number",
            "title",
            "parent",
            "partners",
            "units",
            "prodi",
            "level",
            "fields",
            "scope",
            "start_date",
            "end_date",
            "signed_on",
            "signed_scan",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "signed_on": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "units": forms.CheckboxSelectMultiple,
            "prodi": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "number": _("Leave empty to take the next number in the office's scheme (e.g. 001/MOU.PL29/III/2025)."),
            "parent": _("MoA under an MoU; IA under an MoU or MoA."),
        }
        error_messages = {"number": {"unique": _("This number is already used by another agreement.")}}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: list[str] = []
        self.fields["number"].required = False
        self.fields["partners"].widget = PickerWidget(
            search_url=str(reverse_lazy("partners:pick")), model=Partner, multiple=True
        )
        self.fields["parent"].widget = PickerWidget(
            search_url=str(reverse_lazy("agreements:pick_parent")), model=Agreement, multiple=False
        )
        # The picker offers only MoU and MoA; any agreement still validates here, so that an IA sent
        # as a parent gets the rule ("its parent must be …") rather than a generic invalid choice.
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = Agreement.objects.all()
        units = cast(forms.ModelMultipleChoiceField, self.fields["units"])
        units.queryset = Unit.objects.order_by("kind", "code")
        prodi = cast(forms.ModelMultipleChoiceField, self.fields["prodi"])
        prodi.queryset = Prodi.objects.select_related("unit").order_by("code")
        if user is not None and user.is_unit_scoped and self.instance.pk is not None:
            units.help_text = _(
                "You change the links of your own unit and its study programmes; links to other units stay "
                "as they are, and only the cooperation team changes them."
            )
        self.fields["signed_scan"].widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})

    def clean_number(self) -> str:
        return " ".join((self.cleaned_data.get("number") or "").split())

    def clean_signed_scan(self) -> Any:
        scan = self.cleaned_data.get("signed_scan")
        if scan and hasattr(scan, "content_type"):  # a new upload, not the stored file
            validate_pdf(scan)
        return scan

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_dates(cleaned)
        self._check_parent(cleaned)
        self._check_children(cleaned)
        self._check_unit_scope(cleaned)
        return cleaned

    def _check_dates(self, cleaned: dict[str, Any]) -> None:
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date (%(end)s) is before the start date (%(start)s).")
                % {"end": date_format(end), "start": date_format(start)},
            )

    def _check_parent(self, cleaned: dict[str, Any]) -> None:
        parent: Agreement | None = cleaned.get("parent")
        kind = cleaned.get("kind")
        if not parent or not kind:
            return
        if self.instance.pk and (parent.pk == self.instance.pk or parent.parent_id == self.instance.pk):
            self.add_error("parent", _("An agreement cannot hang under itself or under its own child."))
            return
        if parent.kind not in ALLOWED_PARENT_KINDS[kind]:
            allowed = ", ".join(str(Kind(k).label) for k in sorted(ALLOWED_PARENT_KINDS[kind]))
            message: StrOrPromise
            if allowed:
                message = _("A %(kind)s cannot hang under a %(parent)s; its parent must be: %(allowed)s.") % {
                    "kind": Kind(kind).label,
                    "parent": parent.get_kind_display(),
                    "allowed": allowed,
                }
            else:
                message = _("An MoU is the top of the tree and has no parent agreement.")
            self.add_error("parent", message)
            return
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and (start < parent.start_date or end > parent.end_date):
            self.warnings.append(
                _("This agreement (%(start)s – %(end)s) runs outside its parent %(number)s (%(pstart)s – %(pend)s).")
                % {
                    "start": date_format(start),
                    "end": date_format(end),
                    "number": parent.number,
                    "pstart": date_format(parent.start_date),
                    "pend": date_format(parent.end_date),
                }
            )

    def _check_children(self, cleaned: dict[str, Any]) -> None:
        """A change of kind must leave every agreement under this one allowed where it hangs."""
        kind = cleaned.get("kind")
        if not kind or not self.instance.pk:
            return
        child_kinds = set(self.instance.children.values_list("kind", flat=True))
        stranded = sorted(k for k in child_kinds if kind not in ALLOWED_PARENT_KINDS[k])
        if stranded:
            self.add_error(
                "kind",
                _("Agreements of kind %(children)s hang under this one; a %(kind)s cannot hold them.")
                % {"children": ", ".join(str(Kind(k).label) for k in stranded), "kind": Kind(kind).label},
            )

    def _check_unit_scope(self, cleaned: dict[str, Any]) -> None:
        user = self.user
        if user is None or not user.is_unit_scoped:
            return
        units = cleaned.get("units") or []
        prodi = cleaned.get("prodi") or []
        if not any(u.pk == user.unit_id for u in units) and not any(p.unit_id == user.unit_id for p in prodi):
            self.add_error(
                "units",
                _("You can only record agreements that name your own unit (%(unit)s) or one of its study programmes.")
                % {"unit": user.unit},
            )


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["side", "name", "position", "organisation"]


SignatoryFormSet = inlineformset_factory(
    Agreement, Signatory, form=SignatoryForm, extra=2, can_delete=True, max_num=20, validate_max=True
)


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DateInput(), validators=[validate_date_range])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean_terminated_on(self) -> dt.date:
        day = self.cleaned_data["terminated_on"]
        if day < self.agreement.start_date:
            raise forms.ValidationError(
                _("An agreement cannot end before it starts (%(start)s).")
                % {"start": date_format(self.agreement.start_date)}
            )
        if day > self.agreement.end_date:
            raise forms.ValidationError(
                _("It already ends on %(end)s; early termination must be on or before that date.")
                % {"end": date_format(self.agreement.end_date)}
            )
        return day


SORTS = {
    "number": "number",
    "title": "title",
    "start": "start_date",
    "end": "end_date",
    "kind": "kind",
}


class AgreementFilterForm(forms.Form):
    q = SearchField(label=_("Search"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices])
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *Level.choices])
    field = forms.ChoiceField(label=_("Field"), required=False, choices=[("", _("All")), *Field.choices])
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.order_by("code"))
    prodi = forms.ModelChoiceField(label=_("Study programme"), required=False, queryset=Prodi.objects.order_by("code"))
    partner = SearchField(label=_("Partner"))
    year = forms.IntegerField(label=_("Year in force"), required=False, min_value=1990, max_value=2100)
    sort = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(key, key) for key in SORTS] + [(f"-{key}", key) for key in SORTS],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.label_from_instance = lambda u: u.code  # type: ignore[method-assign,assignment]
        prodi = cast(forms.ModelChoiceField, self.fields["prodi"])
        prodi.label_from_instance = lambda p: f"{p.code} {p.name}"  # type: ignore[method-assign,assignment]

    def filter(self, qs: Any) -> Any:
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.search(data["q"])
        if data.get("status"):
            qs = qs.with_status(data["status"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("level"):
            qs = qs.filter(level=data["level"])
        if data.get("field"):
            qs = qs.with_field(data["field"])
        if data.get("unit"):
            qs = qs.for_unit(data["unit"])
        if data.get("prodi"):
            qs = qs.for_prodi(data["prodi"])
        if data.get("partner"):
            term = data["partner"].strip()
            qs = qs.for_partners(Partner.objects.search(term))
        if data.get("year"):
            qs = qs.in_year(data["year"])
        sort = data.get("sort") or "-start"
        field = SORTS[sort.lstrip("-")]
        return qs.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
