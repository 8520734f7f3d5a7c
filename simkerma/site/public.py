"""The public page: the year's headline figures and the partners and agreements marked public.

It needs no account. Only agreements marked public and in force today are listed, with the names
of their partners; no contact, e-mail address, phone number or address of a partner appears. The
search looks at the agreements' numbers and titles and the partners' names and cities only, so it
tells nothing about what is not shown. Views are rate-limited like the other public pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from simkerma.agreements.models import Agreement, today
from simkerma.agreements.selectors import AGREEMENTS, PARTNERS
from simkerma.core.pagination import CountedPaginator
from simkerma.core.search import SearchField, word_search
from simkerma.core.versions import cached
from simkerma.kpis import engine
from simkerma.kpis.views import this_year
from simkerma.partners.models import Partner
from simkerma.servicedesk.ratelimit import hit

PUBLIC_PARTNER_FIELDS = ("pk", "name", "kind", "city", "website")


class PublicSearchForm(forms.Form):
    q = SearchField(label=_("Search partners and agreements"))


def public_agreements(query: str = "") -> QuerySet[Agreement]:
    """Agreements marked public and in force today, soonest ending last, with their partners' public fields."""
    qs: QuerySet[Agreement] = Agreement.objects.filter(is_public=True).valid_on(today())
    if query:
        qs = word_search(qs, query, ["number", "title"], extra=_partner_named)
    partners = Partner.objects.only(*PUBLIC_PARTNER_FIELDS).order_by("name")
    return (
        qs.only("pk", "kind", "number", "title", "level", "fields", "start_date", "end_date")
        .prefetch_related(Prefetch("partners", queryset=partners))
        .order_by("-start_date", "pk")
    )


def public_partners(query: str = "") -> QuerySet[Partner]:
    """The partners of the public agreements in force today, by name."""
    shown = Agreement.objects.filter(is_public=True).valid_on(today())
    through = Agreement.partners.through.objects.filter(partner_id=OuterRef("pk"), agreement__in=shown)
    qs: QuerySet[Partner] = Partner.objects.filter(Exists(through))
    if query:
        qs = word_search(qs, query, ["name", "city"])
    return qs.only(*PUBLIC_PARTNER_FIELDS).order_by("name", "pk")


def public_counts() -> tuple[int, int]:
    """How many public agreements are in force today, and how many partners they name. Both read
    every agreement, so they are cached under the agreements' and partners' versions, keyed by the day."""

    def compute() -> tuple[int, int]:
        return public_agreements().count(), public_partners().count()

    return cached(f"public:counts:{today().isoformat()}", [AGREEMENTS, PARTNERS], compute)


def _partner_named(word: str) -> Exists:
    return Exists(Agreement.partners.through.objects.filter(agreement_id=OuterRef("pk"), partner__name__icontains=word))


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(settings.SIMKERMA_PUBLIC_VIEW_WINDOW)
    return response


@never_cache
def public_page(request: HttpRequest) -> HttpResponse:
    if not hit(
        request,
        scope="public-view",
        limit=int(settings.SIMKERMA_PUBLIC_VIEW_LIMIT),
        window=int(settings.SIMKERMA_PUBLIC_VIEW_WINDOW),
    ):
        return _too_many(request)
    form = PublicSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    year = this_year()
    size = settings.SIMKERMA_PAGE_SIZE
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "year": year,
        # The figures of `kpi --year` shown here; the unit matrix is not.
        "report": {
            "prodi_coverage": engine.prodi_coverage(year),
            "aspects": engine.aspects(year),
            "service_times": engine.service_times(year),
        },
    }
    agreements, partners = public_agreements(query), public_partners(query)
    if query:
        pages = Paginator(agreements, size), Paginator(partners, size)
    else:
        agreement_count, partner_count = public_counts()
        pages = (
            CountedPaginator(agreements, size, count=agreement_count),
            CountedPaginator(partners, size, count=partner_count),
        )
    context["agreements"] = pages[0].get_page(request.GET.get("page"))
    context["partners"] = pages[1].get_page(request.GET.get("mitra"))
    return render(request, "site/public.html", context)
