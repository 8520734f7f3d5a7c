"""Pages for what the official reports need: the outputs a partner uses (on the activity's page)
and the ministry's list of forms of cooperation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_read, require
from simkerma.activities.permissions import can_manage_cooperation_forms
from simkerma.activities.reporting import ActivityOutput, CooperationForm
from simkerma.activities.reporting_forms import CooperationFormForm, OutputForm
from simkerma.activities.reporting_services import (
    activity_output_create,
    activity_output_delete,
    activity_output_update,
    cooperation_form_delete,
    cooperation_form_save,
)
from simkerma.activities.views import get_activity_for_user, refuse
from simkerma.core.http import AuthedHttpRequest


@require(can_read)
def output_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk, write=True)
    form = OutputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity_output_create(activity=activity, data=form.to_data(), user=request.user)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Output recorded."))
            return redirect(f"{activity.get_absolute_url()}#outputs")
    return render(request, "activities/output_form.html", {"form": form, "activity": activity, "output": None})


def _output_for_user(request: AuthedHttpRequest, activity_pk: int, pk: int) -> ActivityOutput:
    activity = get_activity_for_user(request, activity_pk, write=True)
    output = get_object_or_404(ActivityOutput, pk=pk, activity_id=activity.pk)
    output.activity = activity
    return output


@require(can_read)
def output_edit(request: AuthedHttpRequest, pk: int, output_pk: int) -> HttpResponse:
    output = _output_for_user(request, pk, output_pk)
    form = OutputForm(request.POST or None, instance=output)
    if request.method == "POST" and form.is_valid():
        try:
            activity_output_update(output=output, data=form.to_data(), user=request.user)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Output saved."))
            return redirect(f"{output.activity.get_absolute_url()}#outputs")
    context = {"form": form, "activity": output.activity, "output": output}
    return render(request, "activities/output_form.html", context)


@require_POST
@require(can_read)
def output_delete(request: AuthedHttpRequest, pk: int, output_pk: int) -> HttpResponse:
    output = _output_for_user(request, pk, output_pk)
    activity_output_delete(output=output, user=request.user)
    messages.success(request, _("Output deleted: %(title)s") % {"title": output.title})
    return redirect(f"{output.activity.get_absolute_url()}#outputs")


def _may_see_forms(user: object) -> bool:
    return bool(getattr(user, "is_team", False))


@require(_may_see_forms)
def cooperation_forms(request: AuthedHttpRequest) -> HttpResponse:
    """The ministry's forms of cooperation, with how many activities name each; the Kapokja adds
    and changes them here."""
    manage = can_manage_cooperation_forms(request.user)
    form = CooperationFormForm(request.POST or None) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = cooperation_form_save(data=form.to_data(), user=request.user)
            except ValidationError as error:
                refuse(form, error)
            else:
                messages.success(request, _("Form of cooperation added: %(name)s") % {"name": entry.name})
                return redirect("activities:cooperation_forms")
    entries = CooperationForm.objects.annotate(used=Count("activities")).order_by("order", "code")
    context = {"entries": entries, "form": form, "manage": manage}
    return render(request, "activities/cooperation_forms.html", context)


@require(can_manage_cooperation_forms)
def cooperation_form_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CooperationForm, pk=pk)
    form = CooperationFormForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            cooperation_form_save(entry=entry, data=form.to_data(), user=request.user)
        except ValidationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Form of cooperation saved: %(name)s") % {"name": entry.name})
            return redirect("activities:cooperation_forms")
    return render(request, "activities/cooperation_form_edit.html", {"form": form, "entry": entry})


@require_POST
@require(can_manage_cooperation_forms)
def cooperation_form_delete_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CooperationForm, pk=pk)
    try:
        cooperation_form_delete(entry=entry, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Form of cooperation deleted: %(name)s") % {"name": entry.name})
    return redirect("activities:cooperation_forms")
