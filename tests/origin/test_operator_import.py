"""An operator's scheme file: loaded with its report, kept across the data import, refused whole when a row
is bad, and assessed like any other scheme (with its unverified status shown)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import Client

from ivcs.origin import selectors, services
from ivcs.origin.models import RuleSet, Scheme

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "origin" / "fictional_scheme.yaml"


def test_an_operator_scheme_loads_survives_the_data_import_and_is_assessed(
    origin: Any, andean_folder: Path, client: Client
) -> None:
    report = services.import_operator_scheme(EXAMPLE)
    assert report.written and not report.refused
    scheme = Scheme.objects.get(pk="example-fictional")
    assert scheme.by_operator and scheme.rule_sets == 2 and scheme.structured_rule_sets == 2
    assert services.import_origin(andean_folder).written
    assert Scheme.objects.filter(pk="example-fictional").exists()
    assert RuleSet.objects.filter(scheme_id="example-fictional").count() == 2
    selectors.rules_changed()
    body = {
        "product": "180632",
        "exporter": "CO",
        "ex_works_price": "10",
        "inputs": [{"hs": "170199", "origin": "BR", "value": "3"}],
        "answers": {"insufficient_processing": False},
    }
    results = client.post("/api/v1/origin/assess", json.dumps(body), content_type="application/json").json()
    ours = next(r for r in results["results"] if r["agreement"]["id"] == "example-fictional")
    # MaxNOM 40 %: 30 % of non-originating sugar passes; the destinations are the other parties.
    assert {r["destination"] for r in results["results"] if r["agreement"]["id"] == "example-fictional"} == {
        "PE",
        "CL",
    }
    assert ours["status"] == "qualifies"
    assert any("not verified" in n for n in ours["agreement"]["notes"])


def test_a_bad_file_is_refused_whole_with_each_row_named(origin: Any, tmp_path: Path) -> None:
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    doc["rule_sets"][0]["from"] = "0901x"
    doc["rule_sets"][1]["structured"] = {"kind": "nope"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    report = services.import_operator_scheme(bad)
    assert not report.written and len(report.refused) == 2
    assert not Scheme.objects.filter(pk="example-fictional").exists()
    with pytest.raises(CommandError):
        call_command("import_origin", scheme_file=str(bad))


def test_an_operator_scheme_cannot_take_a_shipped_id(origin: Any, tmp_path: Path) -> None:
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    doc["id"] = "andean"
    clash = tmp_path / "clash.yaml"
    clash.write_text(yaml.safe_dump(doc), encoding="utf-8")
    report = services.import_operator_scheme(clash)
    assert not report.written and any("shipped data" in r for r in report.refused)
    assert not Scheme.objects.get(pk="andean").by_operator


def test_remove_an_operator_scheme(origin: Any) -> None:
    call_command("import_origin", scheme_file=str(EXAMPLE))
    call_command("import_origin", remove_scheme="example-fictional")
    assert not Scheme.objects.filter(pk="example-fictional").exists()
    with pytest.raises(CommandError):
        call_command("import_origin", remove_scheme="andean")
