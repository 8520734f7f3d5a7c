"""Registries that higher layers fill from their AppConfig.ready().

A lower layer never imports a higher one (docs/architecture.md). When the lower layer needs what
the higher ones offer (the worker's planners, the home page's panels, the coming exporters and
import sheets) it keeps a `Registry`, and each app adds its entries when Django starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    item: T
    order: int


class Registry(Generic[T]):
    """Named entries kept in order. Registering a name again replaces its entry, so a ready() that
    runs twice (tests, autoreload) adds nothing."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, Entry[T]] = {}

    def register(self, name: str, item: T, *, order: int = 100) -> None:
        self._entries[name] = Entry(name=name, item=item, order=order)

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def entries(self) -> list[Entry[T]]:
        """By order, then by when they were first registered."""
        return sorted(self._entries.values(), key=lambda entry: entry.order)

    def items(self) -> list[T]:
        return [entry.item for entry in self.entries()]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __len__(self) -> int:
        return len(self._entries)
