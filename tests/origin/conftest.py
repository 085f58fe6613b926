"""Fixtures of the origin tests: the andean scheme only (quick to import), from the project's data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ivcs.origin.services import default_folder

T_SHIRT_SEWN = "Chapter 61#6684e0b5"  # andean, 6109: "obtained by sewing together ... knitted fabric"


@pytest.fixture(scope="session")
def andean_folder(tmp_path_factory: Any) -> Path:
    folder = tmp_path_factory.mktemp("origin")
    shutil.copy(default_folder() / "uk_trade_tariff_backend" / "roo_schemes_uk.json", folder)
    (folder / "rule_sets").mkdir()
    shutil.copy(default_folder() / "uk_trade_tariff_backend" / "rule_sets" / "andean.json", folder / "rule_sets")
    return folder


@pytest.fixture
def origin(db: None, andean_folder: Path) -> Any:
    from ivcs.origin import selectors
    from ivcs.origin.services import import_origin

    selectors.forget()
    report = import_origin(andean_folder)
    assert report.written and not report.refused, report.refused
    selectors.rules_changed()
    yield report
    selectors.forget()
