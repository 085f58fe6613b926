from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CATALOGUE = Path(__file__).parent / "catalogue"


@pytest.fixture
def catalogue(db: None) -> Any:
    """The small test catalogue of tests/standards/catalogue loaded (made-up facts, real shapes)."""
    from ivcs.standards.services import import_catalogue

    report = import_catalogue(CATALOGUE)
    assert report.written and not report.refused, [str(r) for r in report.refused]
    return report
