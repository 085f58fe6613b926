"""The assessor's messages: every user-facing text is a Msg (English text + registered key + params), the
English is unchanged by it, and the templates are read from the source. No Django."""

from __future__ import annotations

import json
import pickle
import string
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from ivcs.engines.origin.assess import (
    LIST_KEY,
    Assessment,
    Msg,
    assess,
    assess_rule,
    hs_codes,
    message_templates,
    rule_set_key,
    template_fields,
)
from ivcs.engines.origin.grammar import (
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
from ivcs.engines.origin.schemes import OriginScheme, load_origin_schemes


@pytest.fixture(scope="module")
def schemes() -> dict[str, OriginScheme]:
    return load_origin_schemes(names=["andean", "eu", "cptpp"])


def _inp(hs: str, origin: str | None, value: float | int, **extra: Any) -> dict[str, Any]:
    return {"hs": hs, "origin": origin, "value": Decimal(str(value)), **extra}


def _choice(scheme: OriginScheme, hs6: str, heading: str) -> str:
    return next(rule_set_key(rs) for rs in scheme.rule_sets_for(hs6) if rs.heading == heading)


def _uncovered(scheme: OriginScheme) -> str | None:
    """A subheading no rule set of the scheme covers, if there is one."""
    return next((c for c in sorted(hs_codes()) if len(c) == 6 and not scheme.candidates(c).rule_sets), None)


def _answered(first: Assessment, value: bool) -> dict[str, Any]:
    """Every yes/no question of an assessment answered ``value``, and the weights and net cost given."""
    answers: dict[str, Any] = {"product_weight": 10, "net_cost": 50}
    answers.update({q.key: value for q in first.questions if q.kind in ("condition", "process", "product_scope")})
    return answers


def real_assessments(schemes: dict[str, OriginScheme]) -> list[Assessment]:
    """Assessments on the real rule sets and on hand-made rules that reach (nearly) every message."""
    andean, eu, cptpp = schemes["andean"], schemes["eu"], schemes["cptpp"]
    sewn = {"process:cut or knit to shape and sewn or assembled in the parties": True}
    yarn = _inp("520512", "CN", 1, weight=Decimal("0.01"))
    laptop = [_inp("847330", "CN", 30)]
    textile = [
        assess("847130", "MX", laptop, 100, cptpp, answers={}),
        assess("847130", "MX", laptop, 100, cptpp, answers={"insufficient_processing": True}),
        assess("847130", "MX", laptop, 100, cptpp, answers={"insufficient_processing": False}),
        assess("610910", "MX", [_inp("520512", "CN", 1)], 100, cptpp, answers=sewn),
        assess("610910", "MX", [yarn], 100, cptpp, answers={**sewn, "component_weight": Decimal("0.2")}),
    ]
    coffee = _choice(andean, "090121", "0901")
    p = andean.provisions
    bill = [
        _inp("5205", "CN", 2),
        _inp("520812", "IN", 1, name="tela"),
        _inp("6006", None, 1),
        _inp("5402", "CO", 1),
        _inp("5407", "CN", 0.5),
        _inp("5208", "CN", 0.5),
        _inp("6109", "CN", 0.5),
        _inp("611090", "CN", 0.5),
        _inp("610910", "CN", 0.5),
        _inp("6006", "CN", 0.5, originating_declared=True),
    ]
    heavy = [_inp("1701", "BR", 20, weight=Decimal(3)), _inp("1702", "CO", 5, weight=Decimal(1))]
    light = [_inp("1701", "BR", 20), _inp("1702", "CO", 5)]
    both = [_inp("1806", "CN", 0.6), _inp("1701", "CN", 0.6)]
    rules = [
        TariffShift(
            "heading",
            except_=CodeSet.of("5208-5210", "5401", "61", "62-63", "540711-540719", "520811", "520812-520819"),
            tolerance=Tolerance(20.0),
        ),
        TariffShift("chapter", from_=CodeSet.of("52")),
        TariffShift("heading", from_=CodeSet.of("520811-520819")),
        TariffShift("heading", from_=CodeSet.of("01-97")),
        TariffShift("heading", from_=CodeSet()),
        TariffShift("subheading"),
        TariffShift("chapter"),
        AllOf((ManufactureFrom(CodeSet.of("5205-5206"), "yarn"), WhollyObtained())),
        AnyOf((MaxNonOriginating(10), MaxNonOriginating(20, "originating_value"))),
        AnyOf((RegionalValueContent(90, "build_down"), RegionalValueContent(90, "build_up"))),
        AnyOf((ContentCondition("made by hand"), MaxNonOriginating(1))),
        RegionalValueContent(90, "focused_value", CodeSet.of("52")),
        RegionalValueContent(95, "net_cost"),
        RegionalValueContent(40, "other"),
        MaterialValueLimit(CodeSet.of("52"), 1, description="cotton"),
        MaterialValueLimit(CodeSet.of("54"), 50),
        MaterialValueLimit(CodeSet.of("520811-520819"), 50),
        MaterialWhollyObtained(CodeSet.of("52")),
        MaterialOriginating(CodeSet.of("17"), 60),
        WeightLimit(CodeSet.of("17"), 10),
        SpecificProcess("Dyeing", "Dyeing of the fabric"),
        ContentCondition("cotton content at least 50%"),
        ProductScope("knitted shirts", TariffShift("heading")),
        Unparsed("something the parser does not read"),
    ]
    out = [
        assess("090121", "CO", [_inp("090111", "BR", 60)], 100, andean),  # which rule set?
        assess("090121", "CO", [_inp("090111", "BR", 60)], 100, andean, answers={"rule_set": coffee}),
        assess(
            "090121",
            "CO",
            [_inp("090111", "CO", 55), _inp("090111", "VN", 5)],
            100,
            andean,
            answers={"rule_set": coffee},
        ),
        assess("180632", "CO", [_inp("1701", "BR", 35), _inp("1801", "CO", 30)], 100, andean),
        assess("847130", "DE", [_inp("8473", "CN", 30), _inp("8542", "GB", 10), _inp("3907", "US", 5)], 100, eu),
        assess("220421", "PE", [_inp("0806", "CL", 50, originating_declared=False)], 100, cptpp),
        assess("610910", "CO", bill, 10, andean, cumulation=("bilateral", "extended")),
        assess_rule(
            AllOf((TariffShift("chapter"), MaterialWhollyObtained(CodeSet.of("17")))), "180690", "CO", both, 10, p
        ),
    ]
    uncovered = _uncovered(andean)
    if uncovered is not None:
        out.append(assess(uncovered, "CO", bill, 10, andean))
    for rule in rules:
        for inputs, price in ((bill, 10), (heavy, 100), (light, 100)):
            first = assess_rule(rule, "610910", "CO", inputs, price, p)
            out.append(first)
            for value in (True, False):
                out.append(assess_rule(rule, "610910", "CO", inputs, price, p, answers=_answered(first, value)))
        out.append(assess_rule(rule, "170490", "CO", heavy, 100, p, processes=["dyeing"]))
    return out + textile


# Messages that only some data reaches (a scheme with diagonal cumulation for the input's origin, rule sets with
# an empty description or the same rule twice, a subheading without rules): checked by the source scan alone.
DATA_DEPENDENT = {
    "cumulation.diagonal",
    "choice.no_description",
    "note.same_rule",
    "question.no_rule",  # every subheading has a rule set in the schemes loaded today
    "reason.no_rule_set",
}


def _message_values(a: Assessment) -> Iterator[Any]:
    """Every user-facing text of an assessment."""
    yield from a.reasons
    yield from a.applied
    yield from a.suggestions
    yield from a.notes
    for q in a.questions:
        yield q.text
        yield from (label for _, label in q.choices)
    for v in a.inputs:
        yield v.basis
        yield from v.reasons


def _check(msg: Any, templates: dict[str, str], seen: set[str]) -> None:
    assert isinstance(msg, Msg), repr(msg)
    seen.add(msg.key)
    if msg.key == LIST_KEY:
        assert str(msg) == ", ".join(msg.params[str(i)] for i in range(len(msg.params)))
    else:
        assert msg.key in templates, msg.key
        assert set(msg.params) == template_fields(templates[msg.key])
        assert str(msg) == templates[msg.key].format_map(msg.params)
    for value in msg.params.values():
        assert isinstance(value, str)
        if isinstance(value, Msg):
            _check(value, templates, seen)


def test_the_templates_are_read_from_the_source() -> None:
    templates = message_templates()
    assert len(templates) >= 60
    assert templates["tariff_shift.excluded"] == "excluded by the rule: {codes}"
    assert LIST_KEY not in templates
    for key, template in templates.items():
        assert key and template.strip(), key
        assert all(name.isidentifier() for name in template_fields(template)), key
        # only plain {name} placeholders: no conversions or format specs for a translator to keep
        assert all(not spec and not conv for _, _, spec, conv in string.Formatter().parse(template)), key


def test_every_text_of_real_assessments_is_a_registered_message(schemes: dict[str, OriginScheme]) -> None:
    templates = message_templates()
    seen: set[str] = set()
    for a in real_assessments(schemes):
        for value in _message_values(a):
            _check(value, templates, seen)
    assert set(templates) - seen <= DATA_DEPENDENT, sorted(set(templates) - seen - DATA_DEPENDENT)


def test_as_dict_keeps_its_shape_and_english(schemes: dict[str, OriginScheme]) -> None:
    for a in real_assessments(schemes):
        plain = a.as_dict()
        dumped = json.loads(json.dumps(plain))
        assert dumped == plain  # Msg is a str: JSON and equality are the English text's
        structured = json.loads(json.dumps(a.as_dict(structured=True)))
        assert structured.keys() == plain.keys()
        assert [r["text"] for r in structured["reasons"]] == plain["reasons"]
        assert [q["text"]["text"] for q in structured["questions"]] == [q["text"] for q in plain["questions"]]
        for v, sv in zip(plain["inputs"], structured["inputs"], strict=True):
            assert [r["text"] for r in sv["reasons"]] == v["reasons"]
            assert sv["basis"]["key"].startswith("origin.")
        assert structured["status"] == plain["status"] and structured["figures"] == dumped["figures"]


def test_nested_messages_keep_their_parts(schemes: dict[str, OriginScheme]) -> None:
    andean = schemes["andean"]
    a = assess("180632", "CO", [_inp("1701", "BR", 35), _inp("1801", "CO", 30)], 100, andean)
    why = a.inputs[0].reasons[1]
    assert isinstance(why, Msg) and why.key == "what_why"
    assert isinstance(why.params["why"], Msg)
    structured = why.as_dict()
    assert structured["text"] == str(why) and structured["params"]["why"]["key"] == why.params["why"].key
    failing = assess_rule(TariffShift("heading"), "610910", "CO", [_inp("6109", "CN", 1), _inp("6109", "US", 1)], 10)
    listed = failing.reasons[0].params["materials"]
    assert isinstance(listed, Msg) and listed.key == LIST_KEY and str(listed) == "HS 6109, HS 6109"
    assert [p.key for p in listed.params.values() if isinstance(p, Msg)] == ["material.label", "material.label"]


def test_a_message_survives_pickling_and_behaves_as_its_text() -> None:
    a = assess_rule(WhollyObtained(), "610910", "CO", [_inp("5205", "CN", 1, name="hilo")], 10)
    msg = a.reasons[0]
    back = pickle.loads(pickle.dumps(msg))  # noqa: S301  (our own bytes)
    assert isinstance(back, Msg) and back == msg and back.key == msg.key and back.params == msg.params
    assert msg == "wholly obtained: non-originating hilo (HS 5205) do not meet it"
    assert type(str(msg)) is str and hash(msg) == hash(str(msg))
    assert msg.startswith("wholly obtained") and f"{msg}" == str(msg)
