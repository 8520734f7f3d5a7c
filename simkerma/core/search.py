"""Word search boxes: a query is split into words, and each word adds one filter.

Every word is one more OR-filter or EXISTS in the SQL, so an unbounded query makes an unbounded
statement (SQLite refuses one past its expression depth). The boxes refuse longer queries with a
message; the querysets only ever look at the first words, whatever path the query came by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200


def search_words(query: str) -> list[str]:
    """The words to search for: at most MAX_SEARCH_WORDS, from the first MAX_SEARCH_LENGTH characters."""
    return query[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS]


def word_search(
    queryset: QuerySet[Any],
    query: str,
    fields: Sequence[str],
    extra: Callable[[str], Any] | None = None,
) -> QuerySet[Any]:
    """Keep the rows where every word is in one of `fields` (case-insensitive).

    `extra(word)` may add one more condition a word can match instead, such as an EXISTS on a related
    table (so rows are not repeated and no DISTINCT is needed).
    """
    for word in search_words(query):
        conditions = [Q(**{f"{name}__icontains": word}) for name in fields]
        if extra is not None:
            conditions.append(extra(word))
        queryset = queryset.filter(reduce(or_, conditions))
    return queryset


def search_problem(query: str) -> str | None:
    """Why this query is refused, in words for the user, or None when it is fine."""
    if len(query.strip()) > MAX_SEARCH_LENGTH:
        return str(
            _("Search text is too long: at most %(limit)d characters, this has %(count)d.")
            % {"limit": MAX_SEARCH_LENGTH, "count": len(query.strip())}
        )
    words = len(query.split())
    if words > MAX_SEARCH_WORDS:
        return str(
            _("Search for at most %(limit)d words at once; this has %(count)d.")
            % {"limit": MAX_SEARCH_WORDS, "count": words}
        )
    return None


def validate_search(value: str) -> None:
    problem = search_problem(value or "")
    if problem:
        raise ValidationError(problem, code="search_too_long")


class SearchField(forms.CharField):
    """A search box: optional, stripped, and bounded in length and words."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators.append(validate_search)
