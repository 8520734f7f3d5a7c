from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from simkerma.accounts.permissions import can_manage_org, can_read, require
from simkerma.core.http import AuthedHttpRequest
from simkerma.org.forms import ProdiForm, UnitForm
from simkerma.org.models import Prodi, Unit


@require(can_read)
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    units = Unit.objects.prefetch_related(Prefetch("prodi", queryset=Prodi.objects.order_by("code")))
    return render(
        request,
        "org/unit_list.html",
        {"units": units, "year": timezone.localdate().year, "can_edit": can_manage_org(request.user)},
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
