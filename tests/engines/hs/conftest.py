"""One index per test session: default_index() (nomenclature + trade names, vectors from var/cache/hs)."""

from __future__ import annotations

import pytest

from ivcs.engines.hs.search import HsSearchIndex, default_index


@pytest.fixture(scope="session")
def index() -> HsSearchIndex:
    return default_index()
