"""Reads of the origin domain, and the engine objects the assessor works on.

The engine's `OriginScheme`s are built from the database (not from the data files): each stored rule
set becomes an engine `RuleSet` with its parsed form read back through `rule_from_dict`, or the
operator's hand-written form where there is one; the scheme's provisions come from its stored
`provisions` JSON. Each process keeps the built schemes and rebuilds them when a stamp changes (kept
in the shared cache; `rules_changed()` drops it after an import or an operator's edit).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from ivcs.core.stamps import SharedStamp
from ivcs.engines.origin.grammar import CodeSet, GrammarError, Rule, SpecificProcess, Unparsed, rule_from_dict, walk
from ivcs.engines.origin.parser import RuleSet as EngineRuleSet
from ivcs.engines.origin.parser import Scheme as EngineRules
from ivcs.engines.origin.schemes import (
    OriginScheme,
    SchemeProvisions,
    ValueTolerance,
    WeightTolerance,
    sides_from_list,
)
from ivcs.origin.models import RuleSet, Scheme

STAMP_KEY = "origin:rules-stamp"

_lock = threading.Lock()
_built: dict[str, LoadedScheme] | None = None
_stamp: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class LoadedScheme:
    """An engine scheme with what the API says about it."""

    row: Scheme
    engine: OriginScheme
    hand_written: frozenset[str]  # keys of rule sets using an operator's form


def _compute_stamp() -> tuple[Any, ...]:
    row = RuleSet.objects.aggregate(n=Count("pk"), top=Max("pk"), hw=Max("hand_written_at"))
    latest = Scheme.objects.aggregate(at=Max("imported_at"), n=Count("pk"))
    return (row["n"], row["top"], str(row["hw"]), str(latest["at"]), latest["n"])


STAMP = SharedStamp(STAMP_KEY, _compute_stamp)


def rules_changed() -> None:
    """Call after any write to Scheme or RuleSet (the import, an operator's edit)."""
    STAMP.drop()


def forget() -> None:
    """Drop the built schemes of this process (tests)."""
    global _built, _stamp
    with _lock:
        _built, _stamp = None, None


def provisions_of(data: dict[str, Any]) -> SchemeProvisions:
    """The inverse of `SchemeProvisions.as_dict()` (the stored `Scheme.provisions`)."""

    def value_tol(t: dict[str, Any] | None) -> ValueTolerance | None:
        if not t:
            return None
        return ValueTolerance(
            float(t["percent"]),
            CodeSet.from_list(t.get("excluded_products") or []),
            str(t.get("source", "")),
            str(t.get("quote", "")),
            note=str(t.get("note", "")),
        )

    def weight_tol(t: dict[str, Any] | None) -> WeightTolerance | None:
        if not t:
            return None
        return WeightTolerance(
            float(t["percent"]),
            CodeSet.from_list(t.get("products") or []),
            str(t.get("source", "")),
            str(t.get("quote", "")),
        )

    ord_ = data.get("ord") or {}
    valid = [*(data.get("valid") or ()), None, None]
    return SchemeProvisions(
        id=str(data["id"]),
        name=str(data.get("name", data["id"])),
        parties=tuple(data.get("parties") or ()),
        cumulation={k: tuple(v) for k, v in (data.get("cumulation") or {}).items()},
        value_tolerance=value_tol(data.get("value_tolerance")),
        textile_weight_tolerance=weight_tol(data.get("textile_weight_tolerance")),
        ord_version=ord_.get("version"),
        ord_date=ord_.get("date"),
        ord_title=ord_.get("title"),
        valid_from=valid[0],
        valid_to=valid[1],
        source=str(data.get("source", "")),
        hs_version=str(data.get("hs_version", "")),
        legal_hs_version=data.get("legal_hs_version"),
        unresolved=tuple(data.get("unresolved") or ()),
        notes=tuple(data.get("notes") or ()),
        sides=sides_from_list(data.get("sides") or ()),
        not_in_force=tuple((str(a), str(b)) for a, b in data.get("not_in_force") or ()),
    )


def _rule(data: Any) -> Rule:
    try:
        return rule_from_dict(data)
    except (GrammarError, ValueError, TypeError, KeyError, AttributeError):
        return Unparsed("")  # never guessed: an unreadable stored form is a manual check


def engine_rule_set(row: RuleSet) -> EngineRuleSet:
    """The engine's rule set of a stored row, the hand-written form (if any) in place of the parsed one."""
    texts = tuple(row.texts)
    if row.hand_written is not None:
        rule = _rule(row.hand_written)
        rules: tuple[Rule, ...] = tuple(rule for _ in texts) or (rule,)
    else:
        rule = _rule(row.parsed.get("rule"))
        rules = tuple(_rule(r) for r in row.parsed.get("rules") or ())
        if len(rules) != len(texts):
            rules = tuple(rule for _ in texts)
    return EngineRuleSet(row.heading, row.subdivision, row.low, row.high, row.ex, texts, rules, rule)


def _build() -> dict[str, LoadedScheme]:
    out: dict[str, LoadedScheme] = {}
    by_scheme: dict[str, list[RuleSet]] = {}
    fields = ("scheme_id", "heading", "subdivision", "low", "high", "ex", "texts", "parsed", "hand_written", "key")
    for row in RuleSet.objects.only(*fields).order_by("scheme_id", "position").iterator(chunk_size=2000):
        by_scheme.setdefault(row.scheme_id, []).append(row)
    for scheme in Scheme.objects.order_by("id"):
        rows = by_scheme.get(scheme.pk, [])
        rules = EngineRules(scheme.pk, tuple(engine_rule_set(r) for r in rows))
        provisions = provisions_of({**scheme.provisions, "id": scheme.pk})
        out[scheme.pk] = LoadedScheme(
            scheme,
            OriginScheme.build(provisions, rules),
            frozenset(r.key for r in rows if r.hand_written is not None),
        )
    return out


def loaded_schemes() -> dict[str, LoadedScheme]:
    """id -> the scheme as the engine sees it (hand-written forms applied), rebuilt when the data changed."""
    global _built, _stamp
    stamp = STAMP.get()
    with _lock:
        if _built is None or stamp != _stamp:
            _built, _stamp = _build(), stamp
        return _built


def agreements() -> list[Scheme]:
    return list(Scheme.objects.order_by("id"))


def scheme_ids() -> set[str]:
    return set(Scheme.objects.values_list("pk", flat=True))


def rule_sets_covering(hs: str, agreement: str | None = None) -> list[RuleSet]:
    """Rule sets whose range covers the heading (4 digits: any part of it) or subheading (6 digits)."""
    if len(hs) == 4:
        found = RuleSet.objects.filter(min_code__lte=f"{hs}99", max_code__gte=f"{hs}00")
    else:
        found = RuleSet.objects.filter(min_code__lte=hs, max_code__gte=hs)
    if agreement:
        found = found.filter(scheme_id=agreement)
    return list(found.select_related("scheme").order_by("scheme_id", "position"))


def citation(scheme: Scheme, heading: str) -> str:
    """Where the rule comes from, e.g. "UK-Andean ..., ORD 1.1 2023-01-01, product-specific rules, 6109"."""
    parts = [scheme.name, scheme.vintage, f"product-specific rules, {heading}".strip(", "), scheme.source]
    return "; ".join(p for p in parts if p)


def form_in_use(row: RuleSet) -> dict[str, Any]:
    return row.hand_written if row.hand_written is not None else dict(row.parsed.get("rule") or {})


def processes_for(hs6: str) -> list[str]:
    """Names of the specific processes the rules covering the subheading mention, in every scheme."""
    names: dict[str, None] = {}
    for loaded in loaded_schemes().values():
        for rs in loaded.engine.candidates(hs6).rule_sets:
            for node in walk(rs.rule):
                if isinstance(node, SpecificProcess):
                    names.setdefault(str(node.name))
    return sorted(names, key=str.lower)


def all_destinations(exporter: str) -> list[str]:
    """Every destination some loaded scheme offers to `exporter`, in a stable order."""
    out: dict[str, None] = {}
    for loaded in loaded_schemes().values():
        for d in loaded.engine.provisions.destinations_for(exporter):
            out.setdefault(d)
    return list(out)
