"""Figures cached until the data behind them changes.

A count over a whole year's records (the KPI report, the dashboard, the home page's counts) grows
with the data. Such a figure is cached under the versions of the data it reads. Each version is a
row of `DataVersion`, bumped inside the transaction of every write to that data:

- a reader takes the versions first and caches what it computed under them; a write that commits
  while it computes has already bumped a version, so the next reader recomputes;
- a write that rolls back rolls its bump back with it;
- nothing is ever served that a committed write has made stale.

An app names the models whose writes bump a version with `watch(name, *models)` in its
`AppConfig.ready()` (saves, deletes and many-to-many changes); code that writes around the
models (bulk inserts, raw SQL) calls `bump(name)` itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from simkerma.core.models import DataVersion

T = TypeVar("T")
# A cached figure is dropped after a day at the latest, so entries under old versions do not pile up.
CACHE_SECONDS = 24 * 3600
MAX_KEY_LENGTH = 200


def bump(name: str) -> None:
    """Mark the data `name` as changed, in the current transaction."""
    if not DataVersion.objects.filter(name=name).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(name=name, defaults={"value": 1})


def versions(names: Iterable[str]) -> tuple[int, ...]:
    """The current versions of `names`, in their order (0 for data never written), in one query."""
    wanted = list(names)
    stored = dict(DataVersion.objects.filter(name__in=wanted).values_list("name", "value"))
    return tuple(stored.get(name, 0) for name in wanted)


def _versioned_key(key: str, depends_on: Iterable[str]) -> str:
    """The cache key: `key` and the versions, hashed when long (the database cache holds 255
    characters, memcached 250)."""
    names = sorted(depends_on)
    full = "figures:" + key + ":" + ":".join(f"{n}={v}" for n, v in zip(names, versions(names), strict=True))
    return full if len(full) <= MAX_KEY_LENGTH else "figures:" + hashlib.sha256(full.encode()).hexdigest()


def cached(key: str, depends_on: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave before while none of the data in `depends_on` has changed."""
    full_key = _versioned_key(key, depends_on)
    hit = cache.get(full_key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    value = compute()
    cache.set(full_key, value, CACHE_SECONDS)
    return value


def cached_until(
    key: str, depends_on: Iterable[str], now: dt.datetime, compute: Callable[[], tuple[T, dt.datetime | None]]
) -> T:
    """Like `cached`, for a figure that also changes with the clock (a pending deadline passing).

    `compute()` gives the figure at `now` and the last moment it still holds if no data changes
    (None: until the data changes). It is served for any moment from `now` to that one.
    """
    full_key = _versioned_key(key, depends_on)
    hit = cache.get(full_key)
    if hit is not None:
        value, since, until = hit
        if since <= now and (until is None or now <= until):
            return value  # type: ignore[no-any-return]
    value, until = compute()
    cache.set(full_key, (value, now, until), CACHE_SECONDS)
    return value


def watch(name: str, *watched: type[models.Model]) -> None:
    """Bump `name` on every save, delete and many-to-many change of these models."""

    def changed(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # fixtures loading: the loader bumps once at the end if it needs to
        if kwargs.get("action", "post_").startswith("pre_"):
            return
        bump(name)

    for model in watched:
        uid = f"core.versions:{name}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through  # type: ignore[union-attr]
            m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")
