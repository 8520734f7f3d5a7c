from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from simkerma.accounts.permissions import can_read
from simkerma.core.search import MAX_SEARCH_WORDS
from simkerma.partners.models import PARTNER_SEARCH, Partner, PartnerQuerySet
from simkerma.partners.names import name_key, similarity

NEAR_DUPLICATE_THRESHOLD = 0.85
# How many candidates sharing a word are scored in Python; the rest are ignored.
MAX_CANDIDATES = 300


@dataclass(frozen=True, kw_only=True)
class PartnerFilters:
    """What the partner list is narrowed to; empty values narrow nothing."""

    q: str = ""
    kind: str = ""
    category: str = ""  # a ministry partner category's code


def partner_list(*, user: Any, filters: PartnerFilters) -> PartnerQuerySet:
    """The partners of the list (page, export, API), by name, each with its number of agreements."""
    if not can_read(user):
        raise PermissionDenied
    partners = Partner.objects.search(filters.q) if filters.q else Partner.objects.all()
    if filters.kind in Partner.Kind.values:
        partners = partners.filter(kind=filters.kind)
    if filters.category:
        partners = partners.filter(ministry_category__code=filters.category)
    # A correlated subquery counts agreements for the rows of the page only, not for every partner.
    links = (
        Partner.agreements.through.objects.filter(partner_id=OuterRef("pk"))  # type: ignore[attr-defined]
        .order_by()
        .values("partner_id")
        .annotate(n=Count("agreement_id"))
        .values("n")  # type: ignore[misc]  # django-stubs does not see the annotation
    )
    return partners.annotate(agreement_count=Coalesce(Subquery(links), 0)).order_by("name", "pk")


@dataclass(frozen=True)
class SimilarPartner:
    partner: Partner
    score: float


def similar_partners(name: str, *, exclude_pk: int | None = None, limit: int = 5) -> list[SimilarPartner]:
    """Partners whose names are near-duplicates of `name`, best match first."""
    # No partner's name is longer than its column; a longer text cannot be a near-duplicate's.
    name = name[: Partner._meta.get_field("name").max_length]
    key = name_key(name)
    if not key:
        return []
    words = [word for word in key.split() if len(word) >= 3] or key.split()
    # Each word is one more condition: the longest words say most about which organisation is meant.
    words = sorted(set(words), key=lambda word: (-len(word), word))[:MAX_SEARCH_WORDS]
    condition = Q(name_key=key)
    for word in words:
        # A word of the name begins with it: the name index finds these, where a LIKE read every name.
        condition |= Q(pk__in=PARTNER_SEARCH.matching(word, ["name"]))
    # Exact keys first, so that a common word cannot push the real duplicate past the cap.
    candidates = (
        Partner.objects.filter(condition)
        .only("pk", "code", "name", "name_key", "city", "country")
        .annotate(exact=Case(When(name_key=key, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("exact", "pk")
    )
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    key_words = set(key.split())
    found = []
    for partner in candidates[:MAX_CANDIDATES]:
        score = similarity(name, partner.name)
        other_words = set(partner.name_key.split())
        # "Batamindo" against "Batamindo Investment": one name's words all inside the other's.
        if score < NEAR_DUPLICATE_THRESHOLD and (key_words <= other_words or other_words <= key_words):
            score = max(score, NEAR_DUPLICATE_THRESHOLD)
        if score >= NEAR_DUPLICATE_THRESHOLD:
            found.append(SimilarPartner(partner, round(score, 2)))
    found.sort(key=lambda item: (-item.score, item.partner.name))
    return found[:limit]
