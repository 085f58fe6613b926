"""Schemes written by an operator: the import format for agreements that have no structured data in the
project (the Pacific Alliance, the Andean Community, Mercosur, ALADI bilaterals...). See docs/origin.md
("Adding an agreement") for the format and an example.

One JSON (or YAML, read by the caller) document per scheme::

    {
      "format": "ivcs-origin-scheme/1",
      "id": "pacific-alliance",                 # slug, unique among schemes
      "name": "...", "source": "...", "source_url": "https://...", "vintage": "...", "hs_version": "HS 2017",
      "verified": false,                         # has someone checked every rule against the legal text?
      "parties": ["CL", "CO", "MX", "PE"],       # ISO 3166-1 alpha-2
      "sides": "each",                           # "each" (plurilateral) or [["CL"], ["CO", "PE"]] or
                                                 # [{"code": "EU", "countries": [...]}, ...]
      "cumulation": {"bilateral": ["CL", "CO", "MX", "PE"]},
      "value_tolerance": {"percent": 10, "quote": "...", "source": "Art. 4.9"},   # optional
      "proofs": [{"summary": "Certificado de origen digital"}],                    # optional
      "rule_sets": [
        {"heading": "0901", "from": "090111", "to": "090190", "subdivision": "",
         "text": "A change to heading 09.01 from any other chapter.",
         "structured": {"kind": "tariff_shift", ...}}    # optional: the grammar's as_dict() form
      ]
    }

A rule set's ``structured`` form, when given, is checked by the grammar and used; otherwise the ``text`` is
read by the parser, and what it cannot read stays ``Unparsed`` (a manual check, never "qualifies"). Nothing is
guessed: a bad row is refused with its position and reason, and the caller refuses the whole file.

Plain Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pycountry

from .grammar import CodeSet, GrammarError, Rule, rule_from_dict
from .parser import RuleSet, parse_rule
from .schemes import SchemeProvisions, ValueTolerance

FORMAT = "ivcs-origin-scheme/1"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}$")
_HS = re.compile(r"^\d{4}(\d{2})?$")
_KNOWN_KEYS = {
    "format",
    "id",
    "name",
    "source",
    "source_url",
    "vintage",
    "hs_version",
    "verified",
    "parties",
    "sides",
    "cumulation",
    "value_tolerance",
    "proofs",
    "links",
    "notes",
    "rule_sets",
}


class OperatorSchemeError(ValueError):
    """A scheme document that cannot be loaded; ``problems`` lists every refusal ("rule_sets[3].from: ...")."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:5]) + (" ..." if len(self.problems) > 5 else ""))


@dataclass
class OperatorScheme:
    provisions: SchemeProvisions
    rule_sets: list[RuleSet]
    extras: dict[str, Any] = field(default_factory=dict)  # proofs, links, source_url, verified


def _iso2(code: Any) -> bool:
    return isinstance(code, str) and len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def _countries(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: expected a non-empty list of ISO 3166-1 alpha-2 codes")
        return ()
    bad = [c for c in value if not _iso2(c)]
    if bad:
        problems.append(f"{where}: not ISO 3166-1 alpha-2 codes: {', '.join(map(str, bad))}")
    return tuple(dict.fromkeys(c for c in value if _iso2(c)))


def _sides(value: Any, parties: tuple[str, ...], problems: list[str]) -> tuple[tuple[str | None, tuple[str, ...]], ...]:
    if value in (None, "each"):
        return tuple((None, (p,)) for p in parties)
    if not isinstance(value, list) or len(value) < 2:
        problems.append('sides: expected "each" or a list of at least two sides')
        return ()
    out: list[tuple[str | None, tuple[str, ...]]] = []
    for i, side in enumerate(value):
        code: str | None = None
        members: Any = side
        if isinstance(side, Mapping):
            code = side.get("code")
            members = side.get("countries")
            if code is not None and not (isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code)):
                problems.append(f"sides[{i}].code: expected two capital letters, e.g. EU")
                code = None
        countries = _countries(members, f"sides[{i}]", problems)
        stray = [c for c in countries if c not in parties]
        if stray:
            problems.append(f"sides[{i}]: not among the parties: {', '.join(stray)}")
        out.append((code, countries))
    return tuple(out)


def _text(value: Any, where: str, problems: list[str], *, required: bool = True, limit: int = 300) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}: expected text")
        return ""
    if len(value) > limit:
        problems.append(f"{where}: longer than {limit} characters")
    return value.strip()


def _rule_set(raw: Any, i: int, problems: list[str]) -> RuleSet | None:
    where = f"rule_sets[{i}]"
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: expected an object")
        return None
    before = len(problems)
    low, high = str(raw.get("from", "")), str(raw.get("to", raw.get("from", "")))
    for name, code in (("from", low), ("to", high)):
        if not _HS.match(code):
            problems.append(f"{where}.{name}: expected an HS code of 4 or 6 digits, got {code!r}")
    if not problems[before:] and low > high:
        problems.append(f"{where}: 'from' {low} is after 'to' {high}")
    text = _text(raw.get("text"), f"{where}.text", problems, limit=4000)
    heading = _text(raw.get("heading", low[:4]), f"{where}.heading", problems, limit=60)
    subdivision = _text(raw.get("subdivision"), f"{where}.subdivision", problems, required=False, limit=2000)
    rule: Rule | None = None
    structured = raw.get("structured")
    if structured is not None:
        try:
            if not isinstance(structured, Mapping):
                raise GrammarError("expected an object with a 'kind'")
            rule = rule_from_dict(dict(structured))
        except (GrammarError, ValueError, TypeError, KeyError, AttributeError) as exc:
            problems.append(f"{where}.structured: {exc}")
    if len(problems) > before:
        return None
    if rule is None:
        rule = parse_rule(text)
    return RuleSet(
        heading,
        subdivision,
        low.ljust(10, "0"),
        high.ljust(10, "9"),
        bool(raw.get("ex", False)),
        (text,),
        (rule,),
        rule,
    )


def load_operator_scheme(data: Mapping[str, Any]) -> OperatorScheme:
    """The provisions and rule sets of one operator document; OperatorSchemeError lists every refusal."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise OperatorSchemeError(["expected a JSON/YAML object"])
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}")
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        problems.append(f"unknown fields: {', '.join(map(str, unknown))}")
    sid = str(data.get("id", ""))
    if not _SLUG.match(sid):
        problems.append("id: expected a slug of 2-39 lower-case letters, digits and hyphens")
    name = _text(data.get("name"), "name", problems)
    source = _text(data.get("source"), "source", problems)
    hs_version = _text(data.get("hs_version"), "hs_version", problems, limit=20)
    vintage = _text(data.get("vintage"), "vintage", problems, required=False, limit=200)
    if not isinstance(data.get("verified"), bool):
        problems.append("verified: expected true or false (has every rule been checked against the legal text?)")
    parties = _countries(data.get("parties"), "parties", problems)
    sides = _sides(data.get("sides"), parties, problems)
    cumulation: dict[str, tuple[str, ...]] = {}
    for kind, countries in (data.get("cumulation") or {}).items():
        if kind not in ("bilateral", "diagonal", "extended"):
            problems.append(f"cumulation.{kind}: expected bilateral, diagonal or extended")
            continue
        cumulation[kind] = _countries(countries, f"cumulation.{kind}", problems)
    tolerance = None
    raw_tol = data.get("value_tolerance")
    if raw_tol is not None:
        try:
            percent = float(raw_tol["percent"])
            if not 0 < percent <= 100:
                raise ValueError
            tolerance = ValueTolerance(
                percent, CodeSet(), str(raw_tol.get("source", "")), _text(raw_tol.get("quote"), "quote", problems)
            )
        except (KeyError, TypeError, ValueError):
            problems.append("value_tolerance: expected {percent: 0-100, quote: the sentence, source: the article}")
    raw_sets = data.get("rule_sets")
    rule_sets: list[RuleSet] = []
    if not isinstance(raw_sets, list) or not raw_sets:
        problems.append("rule_sets: expected a non-empty list")
    else:
        for i, raw in enumerate(raw_sets):
            rs = _rule_set(raw, i, problems)
            if rs is not None:
                rule_sets.append(rs)
    if problems:
        raise OperatorSchemeError(problems)
    notes = [str(n) for n in data.get("notes") or []]
    if not data["verified"]:
        notes.insert(0, "entered by an operator and not verified against the legal text")
    kwargs: dict[str, Any] = {
        "id": sid,
        "name": name,
        "parties": parties,
        "cumulation": cumulation or {"bilateral": parties},
        "value_tolerance": tolerance,
        "textile_weight_tolerance": None,
        "ord_version": None,
        "ord_date": None,
        "ord_title": None,
        "valid_from": None,
        "valid_to": None,
        "source": source,
        "hs_version": hs_version,
        "notes": tuple(notes),
    }
    if "sides" in {f.name for f in fields(SchemeProvisions)}:
        kwargs["sides"] = sides
    extras = {
        "vintage": vintage,
        "source_url": str(data.get("source_url") or ""),
        "verified": bool(data["verified"]),
        "proofs": [p for p in data.get("proofs") or [] if isinstance(p, Mapping)],
        "links": [link for link in data.get("links") or [] if isinstance(link, Mapping)],
    }
    return OperatorScheme(SchemeProvisions(**kwargs), rule_sets, extras)
