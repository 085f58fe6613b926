"""`ivcs import-standards`: validation per record, all-or-nothing writes, --dry-run, re-import."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from ivcs.standards.dataformat import read_catalogue
from ivcs.standards.models import Buyer, CostEstimate, Office, Requirement, Scheme
from ivcs.standards.services import import_catalogue
from tests.standards.conftest import CATALOGUE

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "standards"
    shutil.copytree(CATALOGUE, target)
    return target


def edit(folder: Path, name: str, change: Any) -> None:
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data[name])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_test_catalogue_loads_with_its_relations(catalogue: Any) -> None:
    fssc = Scheme.objects.get(id="fssc_22000")
    assert [r.by for r in fssc.recognitions.all()] == ["gfsi"]
    assert fssc.sectors.get().id == "food_beverage"
    assert Office.objects.filter(certifier_id="certi_uno").count() == 2
    assert CostEstimate.objects.get(scheme_id="brcgs_food").country == "*"
    demo = Buyer.objects.get(id="cafe_demo")
    assert demo.demo and demo.requirement_sets.get().hs == ["0901"]
    any_of = Requirement.objects.get(requirement_set_id="cafe_demo_green", position=1)
    assert set(any_of.schemes.values_list("id", flat=True)) == {"fssc_22000", "brcgs_food"}


def test_each_bad_record_is_refused_with_its_reason_and_nothing_is_written(folder: Path) -> None:
    def break_schemes(rows: list[dict[str, Any]]) -> None:
        rows[0]["kind"] = "magic"  # unknown kind
        rows[1]["validity_months"] = -3  # out of range
        rows.append({**rows[2]})  # duplicate id

    def break_costs(rows: list[dict[str, Any]]) -> None:
        rows[0]["total"] = {"min": "900", "max": "100"}  # backwards range

    def break_certifiers(rows: list[dict[str, Any]]) -> None:
        rows[0]["schemes"].append("no_such_scheme")
        rows[1]["offices"][0]["country"] = "Peru"

    def break_buyers(rows: list[dict[str, Any]]) -> None:
        rows[1]["name"] = "Café Importers"  # a demo buyer must say it is a demo
        rows[0]["verified"] = "no"  # a real buyer needs a source

    edit(folder, "schemes", break_schemes)
    edit(folder, "costs", break_costs)
    edit(folder, "certifiers", break_certifiers)
    edit(folder, "buyers", break_buyers)

    report = import_catalogue(folder)
    assert not report.written
    messages = [str(r) for r in report.refused]
    assert any("schemes.yaml #1 (iso_22000)" in m and "magic" in m for m in messages)
    assert any("schemes.yaml #2 (fssc_22000)" in m and "validity_months" in m for m in messages)
    assert any("schemes.yaml #6" in m and "duplicate id 'brcgs_food'" in m for m in messages)
    assert any("costs.yaml #1" in m and "above max" in m for m in messages)
    assert any("certi_uno" in m and "unknown scheme 'no_such_scheme'" in m for m in messages)
    assert any("certi_dos" in m and "offices.0.country" in m for m in messages)
    assert any("cafe_demo" in m and "must say so" in m for m in messages)
    assert any("burger_co" in m and "need a source" in m for m in messages)
    assert Scheme.objects.count() == 0 and Buyer.objects.count() == 0


def test_broken_yaml_and_a_missing_file_are_reported(folder: Path) -> None:
    (folder / "courses.yaml").unlink()
    (folder / "sectors.yaml").write_text("sectors: [unclosed\n", encoding="utf-8")
    cat = read_catalogue(folder)
    reasons = " ".join(r for refusal in cat.refused for r in refusal.reasons)
    assert "missing file courses.yaml" in reasons and "sectors.yaml is not valid YAML" in reasons
    # Without sectors, every scheme names an unknown sector: refused by reference, not silently kept.
    assert any(r.file == "schemes" and "unknown sector" in " ".join(r.reasons) for r in cat.refused)


def test_partial_verification_must_name_the_unverified_fields(folder: Path) -> None:
    edit(folder, "schemes", lambda rows: rows[2].update(unverified=[]))
    refused = [str(r) for r in import_catalogue(folder).refused]
    assert any("brcgs_food" in m and "unverified fields" in m for m in refused)


def test_dry_run_validates_and_writes_nothing(folder: Path, capsys: Any) -> None:
    call_command("import_standards", str(folder), "--dry-run")
    assert "every record is valid" in capsys.readouterr().out
    assert Scheme.objects.count() == 0


def test_command_fails_with_the_refusals_listed(folder: Path, capsys: Any) -> None:
    edit(folder, "programmes", lambda rows: rows[0].update(purposes=["fun"]))
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_standards", str(folder))
    assert "programmes.yaml #1 (co_calidad)" in capsys.readouterr().err


def test_reimport_updates_in_place_and_replaces_children(folder: Path) -> None:
    assert import_catalogue(folder).written
    scheme_pk_count = Scheme.objects.count()
    edit(folder, "certifiers", lambda rows: rows[0].update(offices=rows[0]["offices"][:1]))
    edit(folder, "schemes", lambda rows: rows[1].update(name="FSSC 22000 (v6)"))
    assert import_catalogue(folder).written
    assert Scheme.objects.count() == scheme_pk_count
    assert Scheme.objects.get(id="fssc_22000").name == "FSSC 22000 (v6)"
    assert Office.objects.filter(certifier_id="certi_uno").count() == 1


def test_the_shipped_catalogue_is_valid_and_large_enough() -> None:
    """data/standards: every record valid; the counts the issue asks for; facts carry sources."""
    cat = read_catalogue(Path(__file__).resolve().parents[2] / "data" / "standards")
    assert cat.refused == [], "\n".join(str(r) for r in cat.refused)
    records = {name: [r for _, r in rows] for name, rows in cat.records.items()}
    assert len(records["schemes"]) >= 35
    top = {"food_beverage", "ict", "textiles", "clothing_fashion"}
    for sector in top:
        assert any(any(s.split(".")[0] == sector for s in r.sectors) for r in records["schemes"]), sector
    countries = ["CL", "CO", "MX", "PE", "CR", "BR"]
    assert len(records["certifiers"]) >= 25
    for country in countries:
        present = [c for c in records["certifiers"] if any(o.country == country for o in c.offices)]
        assert len(present) >= 5, country
    assert len(records["programmes"]) >= 24
    for country in countries:
        assert sum(1 for p in records["programmes"] if p.country == country) >= 3, country
    for name, rows in records.items():
        for r in rows:
            assert r.sources or r.verified == "no", f"{name} {getattr(r, 'id', '')}"
    demo = [b for b in records["buyers"] if b.demo]
    real = [b for b in records["buyers"] if not b.demo]
    assert demo and real and all(b.sources for b in real)
