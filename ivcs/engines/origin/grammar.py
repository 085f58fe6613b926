"""Typed grammar of product-specific rules of origin (PSR): what a rule text *requires*, as data.

A rule is a tree of frozen dataclasses. Leaves are single requirements:

* :class:`WhollyObtained`: the product itself is wholly obtained;
* :class:`TariffShift`: non-originating materials change chapter / heading / subheading. ``from_`` is ``None``
  for "from any other <level>" (the classic CC / CTH / CTSH), or an explicit :class:`CodeSet` ("from heading
  1701 to 1704"; :data:`ALL_CODES` for "materials of any heading", own heading included). ``except_`` lists
  the materials that may not be used, ``tolerance`` the value tolerance for materials otherwise excluded
  ("However, materials of the same heading ... may be used, provided ... 20%");
* :class:`ManufactureFrom`: made from the named materials ("manufacture from yarn"); the words are mapped to
  HS codes through the explicit table in :mod:`ivcs.engines.origin.words`;
* :class:`MaxNonOriginating`: value of non-originating materials at most ``percent`` of the ex-works price
  (EU MaxNOM) or, with ``basis="originating_value"``, of the value of the originating materials;
* :class:`RegionalValueContent`: CPTPP-style RVC at least ``percent`` under a ``method``;
* :class:`MaterialValueLimit`, :class:`MaterialWhollyObtained`, :class:`MaterialOriginating`,
  :class:`WeightLimit`: conditions on named materials;
* :class:`SpecificProcess`: a processing operation ("Refining", "Printing accompanied by ...");
* :class:`ContentCondition`: a recognised condition on the product or its content kept as text (cacao
  content, "the good is smoked from a good that is not smoked", polymer content ...);
* :class:`Unparsed`: text the parser did not understand. Never silently dropped.

:class:`AllOf` and :class:`AnyOf` combine rules; :class:`ProductScope` restricts a rule to part of a rule
set's range described in words ("A change to Merluccius ... of subheading 030444 ...").

Every node has ``describe()`` (short English) and ``as_dict()`` (JSON-able, with a ``"kind"`` key);
:func:`rule_from_dict` is the inverse, so operators can hand-write structured rules as JSON.

Plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, cast

Level = Literal["chapter", "heading", "subheading"]
RvcMethod = Literal["build_down", "build_up", "net_cost", "focused_value", "other"]
LEVELS: tuple[str, ...] = ("chapter", "heading", "subheading")
RVC_METHODS: tuple[str, ...] = ("build_down", "build_up", "net_cost", "focused_value", "other")
_DIGITS = {2: "chapter", 4: "heading", 6: "subheading"}


class GrammarError(ValueError):
    """A structured rule (usually from JSON) that does not fit the grammar."""


# --- code sets --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeSet:
    """A set of HS codes as inclusive ranges, kept as ranges: ``(("1701", "1704"),)``, ``(("04", "04"),)``.

    Both ends of a range have the same number of digits (2 = chapters, 4 = headings, 6 = subheadings);
    ``("1701", "1704")`` holds every code whose first four digits lie between 1701 and 1704.
    """

    ranges: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for low, high in self.ranges:
            if len(low) != len(high) or len(low) not in _DIGITS or not (low + high).isdigit() or low > high:
                raise GrammarError(f"bad HS range {low!r}-{high!r}")

    @staticmethod
    def of(*codes: str) -> CodeSet:
        """Single codes or "low-high" specs: ``CodeSet.of("04", "1701-1704")``."""
        out: list[tuple[str, str]] = []
        for code in codes:
            low, _, high = code.partition("-")
            out.append((low, high or low))
        return CodeSet(tuple(out))

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def contains(self, code: str) -> bool:
        """Whether an HS code (2 to 10 digits, dots allowed) lies in the set.

        A code shorter than a range's ends is inside only when it lies wholly inside ("17" is not inside
        1701-1704, "1702" is inside "17").
        """
        code = code.replace(".", "").strip()
        for low, high in self.ranges:
            n = len(low)
            if len(code) >= n:
                if low <= code[:n] <= high:
                    return True
            elif low <= code.ljust(n, "0") and code.ljust(n, "9") <= high:
                return True
        return False

    def union(self, other: CodeSet) -> CodeSet:
        return CodeSet(tuple(dict.fromkeys(self.ranges + other.ranges)))

    def minus(self, other: CodeSet) -> CodeSet:
        """The codes of this set that are not in ``other``, still as ranges ("chapter 17 except subheading
        170230" is ``170000-170229, 170231-179999``: the pieces are written at the finer of the two levels)."""
        pieces = list(self.ranges)
        for ex_low, ex_high in other.ranges:
            out: list[tuple[str, str]] = []
            for low, high in pieces:
                n = max(len(low), len(ex_low))
                lo, hi = int(low.ljust(n, "0")), int(high.ljust(n, "9"))
                elo, ehi = int(ex_low.ljust(n, "0")), int(ex_high.ljust(n, "9"))
                if ehi < lo or elo > hi:
                    out.append((low, high))
                    continue
                if lo < elo:
                    out.append((str(lo).zfill(n), str(elo - 1).zfill(n)))
                if ehi < hi:
                    out.append((str(ehi + 1).zfill(n), str(hi).zfill(n)))
            pieces = out
        return CodeSet(tuple(pieces))

    def describe(self) -> str:
        if self == ALL_CODES:
            return "any heading"
        parts = []
        for low, high in self.ranges:
            word = _DIGITS[len(low)]
            parts.append(f"{word} {low}" if low == high else f"{word}s {low}-{high}")
        return ", ".join(parts) if parts else "nothing"

    def as_list(self) -> list[str]:
        return [low if low == high else f"{low}-{high}" for low, high in self.ranges]

    @staticmethod
    def from_list(items: Iterable[str]) -> CodeSet:
        return CodeSet.of(*items)


ALL_CODES = CodeSet((("01", "97"),))
EMPTY = CodeSet()


# --- leaves -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WhollyObtained:
    def describe(self) -> str:
        return "wholly obtained"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "wholly_obtained"}


@dataclass(frozen=True, slots=True)
class Tolerance:
    """Materials otherwise excluded may be used up to ``percent`` of the ex-works price.

    ``materials`` ``None`` = materials of the same heading/level as the product.
    """

    percent: float
    materials: CodeSet | None = None

    def describe(self) -> str:
        what = "same-level materials" if self.materials is None else self.materials.describe()
        return f"{what} allowed up to {_pct(self.percent)} of ex-works"

    def as_dict(self) -> dict[str, Any]:
        return {"percent": self.percent, "materials": None if self.materials is None else self.materials.as_list()}


@dataclass(frozen=True, slots=True)
class TariffShift:
    level: Level
    from_: CodeSet | None = None
    except_: CodeSet = EMPTY
    tolerance: Tolerance | None = None

    def describe(self) -> str:
        abbr = {"chapter": "CC", "heading": "CTH", "subheading": "CTSH"}[self.level]
        text = abbr if self.from_ is None else f"change of {self.level} from {self.from_.describe()}"
        if self.except_:
            text += f" except from {self.except_.describe()}"
        if self.tolerance is not None:
            text += f" ({self.tolerance.describe()})"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "tariff_shift",
            "level": self.level,
            "from": None if self.from_ is None else self.from_.as_list(),
            "except": self.except_.as_list(),
            "tolerance": None if self.tolerance is None else self.tolerance.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class ManufactureFrom:
    materials: CodeSet
    description: str

    def describe(self) -> str:
        return f"manufacture from {self.description} ({self.materials.describe()})"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "manufacture_from", "materials": self.materials.as_list(), "description": self.description}


@dataclass(frozen=True, slots=True)
class MaxNonOriginating:
    percent: float
    basis: Literal["ex_works", "originating_value"] = "ex_works"

    def describe(self) -> str:
        if self.basis == "originating_value":
            return f"non-originating value <= {_pct(self.percent)} of originating value"
        return f"MaxNOM {_pct(self.percent)} (ex-works)"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "max_non_originating", "percent": self.percent, "basis": self.basis}


@dataclass(frozen=True, slots=True)
class RegionalValueContent:
    percent: float
    method: RvcMethod
    materials: CodeSet | None = None  # focused value: only these non-originating materials count

    def describe(self) -> str:
        text = f"RVC >= {_pct(self.percent)} ({self.method.replace('_', '-')})"
        return text + (f" on {self.materials.describe()}" if self.materials is not None else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "rvc",
            "percent": self.percent,
            "method": self.method,
            "materials": None if self.materials is None else self.materials.as_list(),
        }


@dataclass(frozen=True, slots=True)
class MaterialValueLimit:
    """The value of the named materials used is at most ``percent`` of the ``basis`` (ex-works price)."""

    materials: CodeSet
    percent: float
    basis: Literal["ex_works", "good_value"] = "ex_works"
    description: str = ""

    def describe(self) -> str:
        what = self.description or self.materials.describe()
        return f"value of {what} <= {_pct(self.percent)} of {self.basis.replace('_', '-')}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "material_value_limit",
            "materials": self.materials.as_list(),
            "percent": self.percent,
            "basis": self.basis,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class MaterialWhollyObtained:
    materials: CodeSet
    description: str = ""

    def describe(self) -> str:
        return f"{self.description or self.materials.describe()} wholly obtained"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "material_wholly_obtained",
            "materials": self.materials.as_list(),
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class MaterialOriginating:
    """At least ``percent`` (by weight; 100 = all) of the named materials used are originating."""

    materials: CodeSet
    percent: float = 100.0
    description: str = ""

    def describe(self) -> str:
        share = "all" if self.percent >= 100 else f">= {_pct(self.percent)} by weight of"
        return f"{share} {self.description or self.materials.describe()} originating"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "material_originating",
            "materials": self.materials.as_list(),
            "percent": self.percent,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class WeightLimit:
    """The weight of the named materials used is at most ``percent`` of the product's weight."""

    materials: CodeSet
    percent: float
    description: str = ""

    def describe(self) -> str:
        return f"weight of {self.description or self.materials.describe()} <= {_pct(self.percent)} of product"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "weight_limit",
            "materials": self.materials.as_list(),
            "percent": self.percent,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class SpecificProcess:
    name: str
    text: str

    def describe(self) -> str:
        return f"process: {self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "specific_process", "name": self.name, "text": self.text}


@dataclass(frozen=True, slots=True)
class ContentCondition:
    text: str

    def describe(self) -> str:
        return f"condition: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "content_condition", "text": self.text}


@dataclass(frozen=True, slots=True)
class Unparsed:
    text: str

    def describe(self) -> str:
        return f"UNPARSED: {self.text[:80]}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "unparsed", "text": self.text}


# --- combinations -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Rule, ...]

    def describe(self) -> str:
        return "(" + " AND ".join(p.describe() for p in self.parts) + ")"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "all_of", "parts": [p.as_dict() for p in self.parts]}


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Rule, ...]

    def describe(self) -> str:
        return "(" + " OR ".join(p.describe() for p in self.parts) + ")"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "any_of", "parts": [p.as_dict() for p in self.parts]}


@dataclass(frozen=True, slots=True)
class ProductScope:
    """``rule`` applies only to the products described (part of the rule set's range)."""

    product: str
    rule: Rule

    def describe(self) -> str:
        return f"[for {self.product}] {self.rule.describe()}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "product_scope", "product": self.product, "rule": self.rule.as_dict()}


Rule: TypeAlias = (
    WhollyObtained
    | TariffShift
    | ManufactureFrom
    | MaxNonOriginating
    | RegionalValueContent
    | MaterialValueLimit
    | MaterialWhollyObtained
    | MaterialOriginating
    | WeightLimit
    | SpecificProcess
    | ContentCondition
    | Unparsed
    | AllOf
    | AnyOf
    | ProductScope
)


def is_structured(rule: Rule) -> bool:
    """True when no part of the rule is :class:`Unparsed`."""
    if isinstance(rule, Unparsed):
        return False
    if isinstance(rule, AllOf | AnyOf):
        return all(is_structured(p) for p in rule.parts)
    if isinstance(rule, ProductScope):
        return is_structured(rule.rule)
    return True


def all_of(parts: Iterable[Rule]) -> Rule:
    """AllOf, flattened; a single part is returned as is."""
    flat: list[Rule] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, AllOf) else (p,))
    return flat[0] if len(flat) == 1 else AllOf(tuple(flat))


def any_of(parts: Iterable[Rule]) -> Rule:
    """AnyOf, flattened; a single part is returned as is."""
    flat: list[Rule] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, AnyOf) else (p,))
    return flat[0] if len(flat) == 1 else AnyOf(tuple(flat))


# --- from_dict --------------------------------------------------------------------------------------------


def _codes(value: Any) -> CodeSet:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GrammarError(f"expected a list of HS codes, got {value!r}")
    return CodeSet.from_list(cast(list[str], value))


def _opt_codes(value: Any) -> CodeSet | None:
    return None if value is None else _codes(value)


def _num(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GrammarError(f"expected a number, got {value!r}")
    return float(value)


def _choice(value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise GrammarError(f"expected one of {allowed}, got {value!r}")
    return str(value)


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Inverse of ``as_dict()``; raises :class:`GrammarError` on anything that does not fit."""
    try:
        kind = data["kind"]
        if kind == "wholly_obtained":
            return WhollyObtained()
        if kind == "tariff_shift":
            tol = data.get("tolerance")
            tolerance = None if tol is None else Tolerance(_num(tol["percent"]), _opt_codes(tol.get("materials")))
            level = cast(Level, _choice(data["level"], LEVELS))
            return TariffShift(level, _opt_codes(data.get("from")), _codes(data.get("except", [])), tolerance)
        if kind == "manufacture_from":
            return ManufactureFrom(_codes(data["materials"]), str(data["description"]))
        if kind == "max_non_originating":
            basis = _choice(data.get("basis", "ex_works"), ("ex_works", "originating_value"))
            return MaxNonOriginating(_num(data["percent"]), cast(Literal["ex_works", "originating_value"], basis))
        if kind == "rvc":
            method = cast(RvcMethod, _choice(data["method"], RVC_METHODS))
            return RegionalValueContent(_num(data["percent"]), method, _opt_codes(data.get("materials")))
        if kind == "material_value_limit":
            vbasis = _choice(data.get("basis", "ex_works"), ("ex_works", "good_value"))
            return MaterialValueLimit(
                _codes(data["materials"]),
                _num(data["percent"]),
                cast(Literal["ex_works", "good_value"], vbasis),
                str(data.get("description", "")),
            )
        if kind == "material_wholly_obtained":
            return MaterialWhollyObtained(_codes(data["materials"]), str(data.get("description", "")))
        if kind == "material_originating":
            return MaterialOriginating(
                _codes(data["materials"]), _num(data.get("percent", 100.0)), str(data.get("description", ""))
            )
        if kind == "weight_limit":
            return WeightLimit(_codes(data["materials"]), _num(data["percent"]), str(data.get("description", "")))
        if kind == "specific_process":
            return SpecificProcess(str(data["name"]), str(data["text"]))
        if kind == "content_condition":
            return ContentCondition(str(data["text"]))
        if kind == "unparsed":
            return Unparsed(str(data["text"]))
        if kind in ("all_of", "any_of"):
            parts = tuple(rule_from_dict(p) for p in data["parts"])
            if not parts:
                raise GrammarError(f"{kind} needs at least one part")
            return AllOf(parts) if kind == "all_of" else AnyOf(parts)
        if kind == "product_scope":
            return ProductScope(str(data["product"]), rule_from_dict(data["rule"]))
    except (KeyError, TypeError) as exc:
        raise GrammarError(f"malformed rule {dict(data)!r}: {exc}") from exc
    raise GrammarError(f"unknown rule kind {kind!r}")


def _pct(value: float) -> str:
    return f"{value:g}%"


def walk(rule: Rule) -> Iterator[Rule]:
    """Every node of a rule tree, the root first (AllOf, AnyOf and ProductScope hold the children)."""
    yield rule
    if isinstance(rule, AllOf | AnyOf):
        for part in rule.parts:
            yield from walk(part)
    elif isinstance(rule, ProductScope):
        yield from walk(rule.rule)
