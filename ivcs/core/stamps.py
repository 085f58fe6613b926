"""A version stamp of some reference tables, kept in the shared cache so that every process can tell
cheaply (one cache read) whether its in-memory copy is stale. Writers drop it after committing; the
next reader recomputes it from the tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class SharedStamp:
    def __init__(self, key: str, compute: Callable[[], tuple[Any, ...]]) -> None:
        self.key, self.compute = key, compute

    def get(self) -> tuple[Any, ...]:
        from django.core.cache import cache

        stamp = cache.get(self.key)
        if stamp is None:
            stamp = self.compute()
            cache.set(self.key, stamp, timeout=None)
        return tuple(stamp)

    def drop(self) -> None:
        from django.core.cache import cache

        cache.delete(self.key)
