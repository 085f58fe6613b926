"""Pagination for list operations: limit/offset with bounds, so that no query parameter can ask the
database for something it cannot do (an offset beyond a 64-bit integer crashed SQLite)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


class ShapedPage:
    """A queryset whose slices come out shaped by `shape` (e.g. as JSON dicts): the database
    paginates, `shape` runs only on the rows of the page. Give it to a @paginate operation."""

    def __init__(self, queryset: Any, shape: Callable[[Any], Any], prepare: Callable[[Any], Any] | None = None) -> None:
        self.queryset, self.shape, self.prepare = queryset, shape, prepare

    def all(self) -> ShapedPage:
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        rows = (self.prepare(self.queryset) if self.prepare else self.queryset)[window]
        return [self.shape(row) for row in rows]
