"""The operator scheme format: what it loads, and that it refuses bad documents row by row."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ivcs.engines.origin.grammar import MaxNonOriginating, TariffShift, Unparsed, is_structured
from ivcs.engines.origin.operator import OperatorSchemeError, load_operator_scheme

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "origin" / "fictional_scheme.yaml"


@pytest.fixture
def doc() -> dict[str, Any]:
    return dict(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


def test_the_example_loads_with_parsed_and_hand_structured_rules(doc: dict[str, Any]) -> None:
    loaded = load_operator_scheme(doc)
    p = loaded.provisions
    assert p.id == "example-fictional" and p.parties == ("CO", "PE", "CL")
    assert p.value_tolerance is not None and p.value_tolerance.percent == 10
    assert "not verified" in p.notes[0]
    coffee, chocolate = loaded.rule_sets
    assert (coffee.low, coffee.high) == ("0901210000", "0901229999")
    assert isinstance(coffee.rule, TariffShift) and coffee.rule.level == "chapter"
    assert (chocolate.low, chocolate.high) == ("1806000000", "1806999999")
    assert chocolate.rule == MaxNonOriginating(40.0)
    assert loaded.extras["proofs"][0]["summary"].startswith("Certificate")


def test_plurilateral_sides_let_every_party_export_to_the_others(doc: dict[str, Any]) -> None:
    p = load_operator_scheme(doc).provisions
    if not hasattr(p, "destinations_for"):
        pytest.fail("SchemeProvisions has no destinations_for")
    assert set(p.destinations_for("CO")) == {"PE", "CL"}
    assert p.destinations_for("BR") == ()


def test_text_the_parser_cannot_read_stays_a_manual_check(doc: dict[str, Any]) -> None:
    doc["rule_sets"][0]["text"] = "Manufacture in which the moon is full"
    rule = load_operator_scheme(doc).rule_sets[0].rule
    assert isinstance(rule, Unparsed) and not is_structured(rule)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(format="v0"), "format"),
        (lambda d: d.update(id="Bad Id"), "id:"),
        (lambda d: d.update(parties=["CO", "XX"]), "parties: not ISO"),
        (lambda d: d.update(verified="yes"), "verified"),
        (lambda d: d.update(surprise=1), "unknown fields: surprise"),
        (lambda d: d["rule_sets"][0].update({"from": "09012"}), "rule_sets[0].from"),
        (lambda d: d["rule_sets"][0].update({"from": "0902", "to": "0901"}), "rule_sets[0]: 'from'"),
        (lambda d: d["rule_sets"][1].update(structured={"kind": "nonsense"}), "rule_sets[1].structured"),
        (lambda d: d["rule_sets"][1].update(text=""), "rule_sets[1].text"),
        (lambda d: d.update(sides=[["CO"], ["AR"]]), "sides[1]: not among the parties"),
        (lambda d: d.update(value_tolerance={"percent": 300}), "value_tolerance"),
    ],
)
def test_bad_documents_are_refused_naming_the_place(doc: dict[str, Any], change: Any, problem: str) -> None:
    bad = copy.deepcopy(doc)
    change(bad)
    with pytest.raises(OperatorSchemeError) as err:
        load_operator_scheme(bad)
    assert any(problem in p for p in err.value.problems), err.value.problems


def test_every_bad_row_is_listed_not_only_the_first(doc: dict[str, Any]) -> None:
    doc["rule_sets"][0]["from"] = "x"
    doc["rule_sets"][1]["structured"] = {"kind": "nonsense"}
    with pytest.raises(OperatorSchemeError) as err:
        load_operator_scheme(doc)
    assert len(err.value.problems) == 2
