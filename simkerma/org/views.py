from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.accounts.permissions import can_manage_org, can_read, require
from simkerma.core.http import AuthedHttpRequest
from simkerma.org.forms import LecturerCountForm, ProdiForm, UnitForm, YearForm
from simkerma.org.models import LecturerCount, Prodi, Unit
from simkerma.org.services import can_enter_lecturer_counts, lecturer_count_prodi, lecturer_counts_save


@require(can_read)
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    units = Unit.objects.prefetch_related(Prefetch("prodi", queryset=Prodi.objects.order_by("code")))
    return render(
        request,
        "org/unit_list.html",
        {
            "units": units,
            "year": timezone.localdate().year,
            "can_edit": can_manage_org(request.user),
            "can_enter_counts": can_enter_lecturer_counts(request.user),
        },
    )


def _save(request: HttpRequest, form_class: type, instance: object, template: str) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save()
        messages.success(request, _("Saved: %(obj)s") % {"obj": obj})
        return redirect("org:list")
    return render(request, template, {"form": form, "object": instance})


@require(can_manage_org)
def unit_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk) if pk else Unit()
    return _save(request, UnitForm, unit, "org/unit_form.html")


@require(can_manage_org)
def prodi_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    prodi = get_object_or_404(Prodi, pk=pk) if pk else Prodi()
    return _save(request, ProdiForm, prodi, "org/prodi_form.html")


@require(can_enter_lecturer_counts)
def lecturer_counts(request: AuthedHttpRequest) -> HttpResponse:
    """The number of permanent lecturers (NDTPS) of each study programme in a year, entered on one page."""
    year_form = YearForm(request.GET or {"year": timezone.localdate().year})
    year = year_form.cleaned_data["year"] if year_form.is_valid() else timezone.localdate().year
    prodi = lecturer_count_prodi(request.user)
    stored = dict(LecturerCount.objects.filter(year=year, prodi__in=prodi).values_list("prodi_id", "ndtps"))
    # The prodi active in the year, and any other that already has a count for it.
    prodi = [p for p in prodi if p.is_active_in(year) or p.pk in stored]
    form = LecturerCountForm(request.POST or None, prodi=prodi, stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            saved = lecturer_counts_save(year=year, counts=form.counts(), user=request.user)
        except ValidationError as error:
            by_code = {p.code: form.key(p) for p in prodi}
            for name, items in error.message_dict.items():
                form.add_error(by_code.get(name), items)
        except IntegrityError:
            form.add_error(None, _("Someone saved the counts of this year at the same moment; send them again."))
        else:
            messages.success(
                request,
                _("Lecturer counts of %(year)s saved: %(written)s changed, %(removed)s removed.")
                % {"year": year, "written": saved.written, "removed": saved.removed},
            )
            return redirect(f"{request.path}?year={year}")
    context = {"form": form, "year_form": year_form, "year": year}
    return render(request, "org/lecturer_counts.html", context)
