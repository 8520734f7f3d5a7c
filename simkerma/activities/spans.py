"""Which activities overlap a period, found through an index however many there are.

"Starts on or before the period's last day and ends on or after its first" cannot be answered by
one index: the start date bounds the rows only from above, and at the large scale nearly every
activity started before the month shown. So each activity carries its span class, a column the
database computes from its dates: class 0 is a one-day activity, class k (1 ≤ k < TOP) one that
lasts 2^(k-1) to 2^k - 1 days after its start, and TOP anything longer. An activity of class k that
reaches a day started at most 2^k - 1 days before it; the overlap is then, for each class, one range
of the (span class, start date, end date, status) index, and only the rows of that range are tested
for their end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, IntegerField, Q
from django.db.models.sql.compiler import SQLCompiler

# The classes 0..TOP: TOP holds every activity of 2^(TOP-1) days (about 45 years) or longer.
TOP = 15


def reach(span_class: int) -> int | None:
    """How many days before a day an activity of this class may have started and still reach it."""
    return None if span_class >= TOP else 2**span_class - 1


class SpanClass(Func):
    """The span class of a row's (start date, end date), as SQL both databases can store and index.

    The length is whole days from the start to the end (the start when there is no end); the
    class is a CASE over it, so no function of the database's own is needed.
    """

    arity = 2
    output_field = IntegerField()

    def __init__(self, start: str = "start_date", end: str = "end_date", **extra: Any) -> None:
        super().__init__(F(start), F(end), **extra)

    def _case(self, days: str) -> str:
        whens = " ".join(f"WHEN {days} < {2**k} THEN {k}" for k in range(TOP))
        return f"CASE {whens} ELSE {TOP} END"

    def _sql(self, compiler: SQLCompiler, days: str) -> Any:
        """The CASE over `days`, an expression of the columns `{start}` and `{end}`."""
        (start, start_params), (end, end_params) = (compiler.compile(arg) for arg in self.source_expressions)
        return self._case(days.format(start=start, end=end)), [*end_params, *start_params, *start_params] * TOP

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        return self._sql(compiler, "CAST(julianday(COALESCE({end}, {start})) - julianday({start}) AS INTEGER)")

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        return self._sql(compiler, "(COALESCE({end}, {start}) - {start})")

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any) -> Any:
        raise NotSupportedError(f"The span class needs SQLite or PostgreSQL, not {connection.vendor}.")


def earliest_start(span_class: int, first: dt.date) -> dt.date:
    """The earliest start of an activity of this class that still reaches `first`."""
    days = reach(span_class)
    if days is None:
        return dt.date.min
    try:
        return first - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


def reaches(first: dt.date) -> Q:
    """Activities whose last day is `first` or later."""
    return Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)


def in_class(span_class: int, earliest: dt.date, last: dt.date) -> Q:
    """The activities of one class starting between `earliest` and `last`: one range of the index."""
    return Q(span_class=span_class, start_date__gte=earliest, start_date__lte=last)


def overlap(first: dt.date, last: dt.date) -> Q:
    """Activities with at least one day between first and last (both included)."""
    ranges = Q()
    for span_class in range(TOP + 1):
        ranges |= in_class(span_class, earliest_start(span_class, first), last)
    return ranges & reaches(first)
