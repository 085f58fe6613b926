"""`ivcs import-chains`: every row validated, refusals reported per row, all or nothing."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ivcs.chains.models import ChainEndUse, ChainLink
from ivcs.chains.services import import_chains
from tests.chains.conftest import DATA

pytestmark = pytest.mark.django_db


def test_import_loads_every_source(links: Any) -> None:
    assert links.counts == {"curated": 7, "derived": 3, "rules_of_origin": 1, "user": 0, "end_use": 12}
    link = ChainLink.objects.get(input="1803", product="1806", source="curated")
    assert link.weight == 1.0 and link.confidence == 0.9 and "Test fixture." in link.detail
    assert link.checked is not None
    assert ChainEndUse.objects.get(code="090121").end_use == "consumption"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "io"
    shutil.copytree(DATA, folder)
    return folder


def test_bad_rows_are_reported_one_per_line_and_nothing_is_written(hs_loaded: Any, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with (folder / "derived_links.csv").open("a", encoding="utf-8") as handle:
        handle.write('0000,1806,0.5,0.3,derived,"unknown input",0.1\n')
        handle.write('1806,1806,0.5,0.3,derived,"itself",0.1\n')
        handle.write('1801,1806,1.5,0.3,derived,"weight too big",0.1\n')
        handle.write('1801,1806,0.5,0.3,invented,"bad source",0.1\n')
    report = import_chains(folder)
    refused = "\n".join(report.refused)
    assert "line 6: input: not an HS 2022 code" in refused
    assert "line 7: input: a product cannot be its own input" in refused
    assert "line 8: weight" in refused
    assert "line 9: source" in refused
    assert not ChainLink.objects.exists()


def test_a_bad_curated_record_is_named(hs_loaded: Any, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "curated_chains.yaml").read_text(encoding="utf-8")
    (folder / "curated_chains.yaml").write_text(text.replace("role: secondary", "role: essential"), encoding="utf-8")
    report = import_chains(folder)
    assert any("#1 (1806) input 4: role" in line for line in report.refused), report.refused


def test_command_refuses_without_nomenclature_loaded(db: None) -> None:
    from ivcs.products.models import HsCode

    HsCode.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("import_chains", str(DATA), stdout=StringIO(), stderr=StringIO())


def test_command_dry_run_writes_nothing_and_if_changed_skips(hs_loaded: Any) -> None:
    out = StringIO()
    call_command("import_chains", str(DATA), "--dry-run", stdout=out)
    assert "nothing was written" in out.getvalue() and not ChainLink.objects.exists()
    call_command("import_chains", str(DATA), stdout=StringIO())
    first = set(ChainLink.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("import_chains", str(DATA), "--if-changed", stdout=out)
    assert "have not changed" in out.getvalue()
    assert set(ChainLink.objects.values_list("pk", flat=True)) == first


def test_reimport_replaces_links(links: Any, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "derived_links.csv").write_text("input,product,weight,confidence,source,detail,coefficient\n")
    report = import_chains(folder)
    assert not report.refused
    assert not ChainLink.objects.filter(source="derived").exists()
    assert ChainLink.objects.filter(source="curated").count() == 7
