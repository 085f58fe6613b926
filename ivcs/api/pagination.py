"""Pagination for list operations: limit/offset with bounds, so that no query parameter can ask the
database for something it cannot do (an offset beyond a 64-bit integer crashed SQLite)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")
