"""Fixtures of the chains tests: the small test catalogue of links, an SME with owner/editor/viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ivcs.accounts.models import Organisation

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def links(hs_loaded: Any) -> Any:
    """The test links loaded (tests/chains/data), and the process graph forgotten before and after."""
    from ivcs.chains import selectors
    from ivcs.chains.services import import_chains

    selectors.forget()
    report = import_chains(DATA)
    assert not report.refused, report.refused
    yield report
    selectors.forget()


class Sme:
    def __init__(self, org: Organisation, owner: Any, editor: Any, viewer: Any) -> None:
        self.org, self.owner, self.editor, self.viewer = org, owner, editor, viewer


@pytest.fixture
def sme(make_org: Any, make_user: Any, hs_loaded: Any) -> Sme:
    owner, editor, viewer = make_user(), make_user(), make_user()
    org = make_org(owner=owner, members={"editor": editor, "viewer": viewer}, slug="choco-lima", country="PE")
    return Sme(org, owner, editor, viewer)


def good_bom(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "product": "1806.90",
        "name": "Tableta de chocolate 70 %",
        "notes": "",
        "inputs": [
            {
                "hs": "1803",
                "origin": "PE",
                "supplier": "Cacao Amazonas",
                "value_share": 40,
                "originating_declared": True,
            },
            {"hs": "1701.99", "origin": "CO", "value_share": 10.5, "originating_declared": False},
            {"hs": "4819", "origin": None, "value_share": None, "originating_declared": None},
        ],
    }
    data.update(changes)
    return data
