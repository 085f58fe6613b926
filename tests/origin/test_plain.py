"""Rules in plain words (ivcs.origin.plain): a sentence for every kind of the grammar."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from ivcs.engines.origin import grammar
from ivcs.engines.origin.grammar import (
    ALL_CODES,
    AllOf,
    AnyOf,
    CodeSet,
    ContentCondition,
    ManufactureFrom,
    MaterialOriginating,
    MaterialValueLimit,
    MaterialWhollyObtained,
    MaxNonOriginating,
    ProductScope,
    RegionalValueContent,
    SpecificProcess,
    TariffShift,
    Tolerance,
    Unparsed,
    WeightLimit,
    WhollyObtained,
)
from ivcs.origin import plain
from ivcs.origin.plain import plain_words

TRANSLATIONS = json.loads((Path(plain.__file__).parent / "messages_translations.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def words(rule: Any) -> str:
    return plain_words(rule.as_dict())


def test_every_kind_of_the_grammar_has_its_sentence() -> None:
    """Kinds read from grammar.py itself, so a kind added there and not here fails this test."""
    tree = ast.parse(Path(grammar.__file__).read_text(encoding="utf-8"))
    kinds = {
        value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values, strict=True)
        if isinstance(key, ast.Constant) and key.value == "kind" and isinstance(value, ast.Constant)
    }
    assert {"tariff_shift", "unparsed", "any_of"} <= kinds
    assert kinds <= set(plain._RENDERERS), kinds - set(plain._RENDERERS)


def test_wholly_obtained() -> None:
    assert words(WhollyObtained()) == "Wholly obtained in the exporting country"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (TariffShift("chapter"), "Made from materials of any chapter other than the product's"),
        (TariffShift("heading"), "Made from materials of any heading other than the product's"),
        (TariffShift("subheading"), "Made from materials of any subheading other than the product's"),
        (
            TariffShift("heading", except_=CodeSet.of("1701-1703")),
            "Made from materials of any heading other than the product's, except from headings 1701\N{EN DASH}1703",
        ),
        (
            TariffShift("subheading", from_=ALL_CODES, except_=CodeSet.of("04", "170111")),
            "Made from materials of any heading, the product's own included, except from chapter 04, subheading 170111",
        ),
        (
            TariffShift("chapter", from_=CodeSet.of("1701", "170211-170219", "50-52")),
            "Made from materials of heading 1701, subheadings 170211\N{EN DASH}170219, chapters 50\N{EN DASH}52",
        ),
        (
            TariffShift("heading", tolerance=Tolerance(20.0)),
            "Made from materials of any heading other than the product's; materials of the product's own heading "
            "may still be used up to 20% of the ex-works price",
        ),
        (
            TariffShift("chapter", except_=CodeSet.of("5208"), tolerance=Tolerance(10.0, CodeSet.of("5208"))),
            "Made from materials of any chapter other than the product's, except from heading 5208; materials of "
            "heading 5208 may still be used up to 10% of the ex-works price",
        ),
    ],
)
def test_tariff_shift(rule: TariffShift, expected: str) -> None:
    assert words(rule) == expected


def test_manufacture_from() -> None:
    assert words(ManufactureFrom(CodeSet.of("5205-5207"), "yarn")) == "Made from yarn (headings 5205\N{EN DASH}5207)"
    assert words(ManufactureFrom(CodeSet.of("52"), "")) == "Made from materials of chapter 52"


def test_max_non_originating() -> None:
    assert words(MaxNonOriginating(50)) == "Non-originating materials may be worth at most 50% of the ex-works price"
    assert words(MaxNonOriginating(40, "originating_value")) == (
        "Non-originating materials may be worth at most 40% of the value of the originating materials"
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            RegionalValueContent(45, "build_down"),
            "Regional value content of at least 45%, counted as the ex-works price minus the non-originating "
            "materials (build-down method)",
        ),
        (
            RegionalValueContent(55, "build_up"),
            "Regional value content of at least 55%, counted from the originating materials (build-up method)",
        ),
        (
            RegionalValueContent(35, "net_cost"),
            "Regional value content of at least 35% of the net cost (net-cost method)",
        ),
        (
            RegionalValueContent(50, "focused_value", CodeSet.of("8542")),
            "Regional value content of at least 50%, counting only the non-originating materials of heading 8542 "
            "(focused-value method)",
        ),
        (
            RegionalValueContent(50, "focused_value"),
            "Regional value content of at least 50%, counting only the non-originating materials the rule names "
            "(focused-value method)",
        ),
        (
            RegionalValueContent(30, "other"),
            "Regional value content of at least 30%, by a method set out in the legal text",
        ),
    ],
)
def test_rvc(rule: RegionalValueContent, expected: str) -> None:
    assert words(rule) == expected


def test_conditions_on_named_materials() -> None:
    assert words(MaterialValueLimit(CodeSet.of("17"), 30, description="sugar")) == (
        "Non-originating sugar may be worth at most 30% of the ex-works price"
    )
    assert words(MaterialValueLimit(CodeSet.of("17"), 30, "good_value")) == (
        "Non-originating materials of chapter 17 may be worth at most 30% of the value of the good"
    )
    assert words(MaterialWhollyObtained(CodeSet.of("03"))) == (
        "These materials must be wholly obtained: materials of chapter 03"
    )
    assert words(MaterialOriginating(CodeSet.of("0901"), description="coffee")) == (
        "These materials must be originating: coffee"
    )
    assert words(MaterialOriginating(CodeSet.of("5201"), 60.0, "cotton")) == (
        "At least 60% by weight of these materials must be originating: cotton"
    )
    assert words(WeightLimit(CodeSet.of("17"), 12.5, "sugar")) == (
        "Non-originating materials of this kind may weigh at most 12.5% of the product: sugar"
    )


def test_processes_conditions_and_unparsed_text() -> None:
    assert words(SpecificProcess("refining", "Refining of the oil")) == (
        "This process must be carried out in the exporting country: Refining of the oil"
    )
    assert words(ContentCondition("the cacao content is at least 30%")) == (
        "Condition on the product or its content: the cacao content is at least 30%"
    )
    assert words(Unparsed("Manufacture in which ...")) == (
        "This rule has not been read by the system; check the legal text"
    )


def test_combinations() -> None:
    assert words(AnyOf((TariffShift("heading"), MaxNonOriginating(50)))) == (
        "Either made from materials of any heading other than the product's, or non-originating materials may be "
        "worth at most 50% of the ex-works price"
    )
    assert words(AnyOf((WhollyObtained(), RegionalValueContent(40, "other"), MaxNonOriginating(50)))) == (
        "Any one of the following: wholly obtained in the exporting country; regional value content of at least 40%, "
        "by a method set out in the legal text; non-originating materials may be worth at most 50% of the ex-works "
        "price"
    )
    assert words(AllOf((ManufactureFrom(CodeSet.of("5205"), "yarn"), MaxNonOriginating(40)))) == (
        "All of the following: made from yarn (heading 5205); non-originating materials may be worth at most 40% "
        "of the ex-works price"
    )
    assert words(AllOf((WhollyObtained(),))) == "Wholly obtained in the exporting country"
    assert words(ProductScope("hake fillets", TariffShift("chapter"))) == (
        "For hake fillets: made from materials of any chapter other than the product's"
    )


def test_unknown_and_malformed_nodes_get_the_generic_sentence() -> None:
    assert plain_words({"kind": "teleportation"}) == (
        "A rule of a kind not described here (teleportation); check the legal text"
    )
    assert plain_words({"kind": "max_non_originating"}) == (
        "A rule of a kind not described here (max_non_originating); check the legal text"
    )
    assert plain_words({"kind": "any_of", "parts": []}).startswith("A rule of a kind not described here (any_of)")
    assert plain_words({}) == "A rule of a kind not described here (?); check the legal text"
    nested = {"kind": "all_of", "parts": [{"kind": "wholly_obtained"}, {"kind": "new_kind"}]}
    assert plain_words(nested) == (
        "All of the following: wholly obtained in the exporting country; a rule of a kind not described here "
        "(new_kind); check the legal text"
    )


def test_in_spanish_and_portuguese(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = AnyOf((TariffShift("heading", except_=CodeSet.of("1701-1703")), MaxNonOriginating(12.5))).as_dict()
    with translation.override("es"):
        monkeypatch.setattr(plain, "_", lambda msgid: TRANSLATIONS[msgid]["es"])
        assert plain_words(rule) == (
            "O bien fabricado a partir de materiales de cualquier partida arancelaria distinta de la del producto, "
            "excepto a partir de partidas 1701\N{EN DASH}1703, o bien el valor de los materiales no originarios no "
            "puede superar el 12,5% del precio franco fábrica"
        )
    with translation.override("pt-br"):
        monkeypatch.setattr(plain, "_", lambda msgid: TRANSLATIONS[msgid]["pt_BR"])
        assert plain_words(MaxNonOriginating(50).as_dict()) == (
            "O valor dos materiais não originários não pode exceder 50% do preço à saída da fábrica"
        )
