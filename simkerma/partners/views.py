from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simkerma.accounts.permissions import can_manage_partners, can_read, require
from simkerma.core.concurrency import StaleEdit
from simkerma.core.history import CREATED, EDITED, history_page
from simkerma.core.http import AuthedHttpRequest
from simkerma.core.widgets import render_picker_results
from simkerma.partners import selectors
from simkerma.partners.forms import CategoryForm, ContactFormSet, MergeForm, PartnerFilterForm, PartnerForm
from simkerma.partners.models import Partner, PartnerCategory, PartnerContact
from simkerma.partners.sections import partner_sections
from simkerma.partners.selectors import similar_partners
from simkerma.partners.services import (
    MergeConflict,
    can_manage_partner_categories,
    partner_category_delete,
    partner_category_save,
    partner_merge,
    partner_save,
)


def get_partner_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Partner:
    """The one place that decides whether this user may see or change this partner."""
    allowed = can_manage_partners(request.user) if write else can_read(request.user)
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(Partner.objects.select_related("ministry_category"), pk=pk)


@require(can_read)
def partner_list(request: AuthedHttpRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET)
    form.is_valid()  # a search too long is said, and the list shows every partner of the kind chosen
    problem = form.errors["q"][0] if "q" in form.errors else None
    partners = selectors.partner_list(user=request.user, filters=form.to_filters())
    page = Paginator(partners, settings.SIMKERMA_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "query": request.GET.get("q", "").strip(),
        "search_problem": problem,
        "kind": request.GET.get("kind", ""),
        "kinds": Partner.Kind.choices,
        "category": request.GET.get("category", ""),
        "categories": PartnerCategory.objects.values_list("code", "name") if not request.htmx else (),
        "can_edit": can_manage_partners(request.user),
    }
    template = "partners/_list_results.html" if request.htmx else "partners/partner_list.html"
    return render(request, template, context)


@require(can_read)
def partner_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    context = {
        "partner": partner,
        "contacts": partner.contacts.all(),
        "merges": partner.merges.select_related("merged_by"),
        "can_edit": can_manage_partners(request.user),
    }
    return render(request, "partners/partner_detail.html", context | partner_sections(partner))


def _save_partner(request: HttpRequest, partner: Partner) -> HttpResponse:
    creating = partner.pk is None
    form = PartnerForm(request.POST or None, instance=partner)
    formset = ContactFormSet(request.POST or None, instance=partner, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = partner_save(
                partner=partner,
                data=form.to_data(formset),
                user=request.user,
                reason=CREATED if creating else EDITED,
                opened_version=form.opened_version,
            )
        except StaleEdit as error:
            form.refuse_stale(error)
        except ValidationError as error:
            form.refuse(error)
        except IntegrityError:
            form.add_error("code", _("This code is already used by another partner."))
        else:
            messages.success(request, _("Partner saved: %(name)s") % {"name": saved.name})
            return redirect(saved)
    return render(
        request,
        "partners/partner_form.html",
        {"form": form, "formset": formset, "partner": partner, "similar": form.similar},
    )


@require(can_manage_partners)
def partner_create(request: AuthedHttpRequest) -> HttpResponse:
    return _save_partner(request, Partner())


@require(can_manage_partners)
def partner_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _save_partner(request, get_partner_for_user(request, pk, write=True))


@require(can_read)
def partner_check_name(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: near-duplicates of the name being typed."""
    exclude = request.GET.get("exclude")
    similar = similar_partners(
        request.GET.get("name", ""),
        exclude_pk=int(exclude) if exclude and exclude.isascii() and exclude.isdigit() else None,
    )
    return render(request, "partners/_similar.html", {"similar": similar})


@require(can_manage_partners)
def partner_merge_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    source = get_partner_for_user(request, pk, write=True)
    form = MergeForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target_code"]
        try:
            partner_merge(source=source, target=target, user=request.user)
        except MergeConflict as conflict:
            messages.error(request, " ".join(conflict.messages))
            return redirect(target if Partner.objects.filter(pk=target.pk).exists() else "partners:list")
        messages.success(
            request,
            _("%(source)s was merged into %(target)s. Its contacts and agreements now belong here.")
            % {"source": source.name, "target": target.name},
        )
        return redirect(target)
    return render(
        request,
        "partners/partner_merge.html",
        {"partner": source, "form": form, "similar": similar_partners(source.name, exclude_pk=source.pk)},
    )


@require(can_read)
def partner_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    return history_page(request, partner, (PartnerContact, PartnerContact.history.filter(partner_id=partner.pk)))


@require(can_read)
def partner_pick(request: AuthedHttpRequest) -> HttpResponse:
    """htmx: partners matching the picker's search box."""
    return render_picker_results(request, "partners__q", lambda query: Partner.objects.search(query).order_by("name"))


@require(can_read)
def category_list(request: AuthedHttpRequest) -> HttpResponse:
    """The ministry's partner categories (IKU), each with the number of partners in it."""
    categories = PartnerCategory.objects.annotate(partner_count=Count("partners")).order_by("order", "code")
    context = {"categories": categories, "can_edit": can_manage_partner_categories(request.user)}
    return render(request, "partners/category_list.html", context)


@require(can_manage_partner_categories)
def category_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(PartnerCategory, pk=pk) if pk else PartnerCategory()
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            saved = partner_category_save(category=category, data=form.to_data(), user=request.user)
        except ValidationError as error:
            for name, items in error.message_dict.items():
                form.add_error(name if name in form.fields else None, items)
        except IntegrityError:
            form.add_error("code", _("This code is already used by another category."))
        else:
            messages.success(request, _("Partner category saved: %(name)s") % {"name": saved.name})
            return redirect("partners:categories")
    used = category.pk is not None and Partner.objects.filter(ministry_category_id=category.pk).exists()
    return render(request, "partners/category_form.html", {"form": form, "category": category, "used": used})


@require_POST
@require(can_manage_partner_categories)
def category_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(PartnerCategory, pk=pk)
    try:
        partner_category_delete(category=category, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Partner category deleted: %(name)s") % {"name": category.name})
    return redirect("partners:categories")
