"""The only writers of the origin domain: `import_origin` (every scheme the engine can load, all or
nothing) and the operators' hand-written forms (`set_hand_written`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ivcs.core import audit
from ivcs.engines.origin import schemes as engine
from ivcs.engines.origin.grammar import GrammarError, Rule, is_structured, rule_from_dict
from ivcs.engines.origin.parser import RuleSet as EngineRuleSet
from ivcs.engines.origin.parser import load_scheme
from ivcs.origin import selectors
from ivcs.origin.models import RuleSet, Scheme

# Scheme-level fields the engine may leave empty when the copied data does not state them.
OPTIONAL_FIELDS = ("value_tolerance", "textile_weight_tolerance", "ord_version", "ord_date", "legal_hs_version")


def default_folder() -> Path:
    return Path(settings.DATA_DIR) / "rules_of_origin" / "uk_trade_tariff_backend"


def keys_of(rule_sets: Iterable[EngineRuleSet]) -> list[str]:
    """The engine's `rule_set_key` of each rule set, made unique within the scheme ("~2" for a repeat)."""
    seen: dict[str, int] = {}
    out = []
    for rs in rule_sets:
        key = engine.rule_set_key(rs)
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}~{seen[key]}")
    return out


def vintage(p: engine.SchemeProvisions) -> str:
    parts = [f"ORD {p.ord_version}" if p.ord_version else "", p.ord_date or ""]
    return " ".join(part for part in parts if part)


def parse_rule(data: Any) -> Rule:
    """A hand-written form checked by the engine's grammar; GrammarError says what does not fit."""
    if not isinstance(data, dict):
        raise GrammarError("expected a JSON object with a 'kind'")
    try:
        return rule_from_dict(data)
    except GrammarError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise GrammarError(f"malformed rule: {exc}") from exc


@dataclass
class SchemeReport:
    id: str
    name: str
    rule_sets: int
    rules: int
    structured_rule_sets: int
    unparsed_rules: int
    missing: list[str]

    @property
    def structured_share(self) -> float:
        return round(self.structured_rule_sets / self.rule_sets, 4) if self.rule_sets else 0.0


@dataclass
class ImportReport:
    schemes: list[SchemeReport] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    hand_written_kept: int = 0
    hand_written_dropped: list[str] = field(default_factory=list)  # "scheme/key" whose rule set is gone
    written: bool = False


def import_origin(folder: Path | None = None, *, dry_run: bool = False) -> ImportReport:
    """Load every scheme with a rule_sets/<id>.json and provisions in roo_schemes_uk.json, and replace
    the stored schemes with them in one transaction. Hand-written forms are carried over by key; any
    failure to read a file refuses the whole import (nothing is written)."""
    folder = folder or default_folder()
    report = ImportReport()
    try:
        provisions = engine.load_provisions(folder)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        report.refused.append(f"{folder / 'roo_schemes_uk.json'}: cannot read: {exc}")
        return report
    loaded: list[tuple[engine.SchemeProvisions, list[EngineRuleSet]]] = []
    paths = sorted((folder / "rule_sets").glob("*.json"))
    if not paths:
        report.refused.append(f"no rule_sets/*.json in {folder}")
    for path in paths:
        if path.stem not in provisions:
            report.refused.append(f"{path.name}: no scheme {path.stem!r} in roo_schemes_uk.json")
            continue
        try:
            parsed = load_scheme(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            report.refused.append(f"{path.name}: cannot read: {exc}")
            continue
        p, rule_sets = provisions[path.stem], list(parsed.rule_sets)
        missing = [name for name in OPTIONAL_FIELDS if getattr(p, name) is None]
        missing += [f"unresolved country code {c}" for c in p.unresolved]
        report.schemes.append(
            SchemeReport(
                id=p.id,
                name=p.name,
                rule_sets=len(rule_sets),
                rules=sum(len(rs.rules) for rs in rule_sets),
                structured_rule_sets=sum(1 for rs in rule_sets if rs.structured),
                unparsed_rules=sum(1 for rs in rule_sets for r in rs.rules if not is_structured(r)),
                missing=missing,
            )
        )
        loaded.append((p, rule_sets))
    if report.refused or dry_run:
        return report
    now = timezone.now()
    with transaction.atomic():
        kept = {
            (scheme, key): (hw, by, at)
            for scheme, key, hw, by, at in RuleSet.objects.filter(hand_written__isnull=False).values_list(
                "scheme_id", "key", "hand_written", "hand_written_by", "hand_written_at"
            )
        }
        RuleSet.objects.all().delete()
        Scheme.objects.exclude(pk__in=[p.id for p, _ in loaded]).delete()
        rows: list[RuleSet] = []
        for (p, rule_sets), counts in zip(loaded, report.schemes, strict=True):
            Scheme.objects.update_or_create(
                pk=p.id,
                defaults={
                    "name": p.name[:300],
                    "parties": list(p.parties),
                    "provisions": p.as_dict(),
                    "source": p.source[:300],
                    "vintage": vintage(p)[:200],
                    "hs_version": p.hs_version[:20],
                    "rule_sets": counts.rule_sets,
                    "rules": counts.rules,
                    "structured_rule_sets": counts.structured_rule_sets,
                    "imported_at": now,
                },
            )
            for position, (rs, key) in enumerate(zip(rule_sets, keys_of(rule_sets), strict=True)):
                hw, by, at = kept.pop((p.id, key), (None, None, None))
                if hw is not None:
                    report.hand_written_kept += 1
                rows.append(
                    RuleSet(
                        scheme_id=p.id,
                        key=key,
                        position=position,
                        heading=rs.heading[:60],
                        min_code=rs.low[:6],
                        max_code=rs.high[:6],
                        low=rs.low[:12],
                        high=rs.high[:12],
                        ex=rs.ex,
                        subdivision=rs.subdivision,
                        texts=list(rs.texts),
                        parsed={**rs.as_dict(), "rules": [r.as_dict() for r in rs.rules]},
                        structured=rs.structured,
                        hand_written=hw,
                        hand_written_by_id=by,
                        hand_written_at=at,
                    )
                )
        RuleSet.objects.bulk_create(rows, batch_size=1000)
        report.hand_written_dropped = sorted(f"{scheme}/{key}" for scheme, key in kept)
        audit.record(
            "origin.imported",
            data={
                "schemes": {s.id: {"rule_sets": s.rule_sets, "rules": s.rules} for s in report.schemes},
                "hand_written_kept": report.hand_written_kept,
                "hand_written_dropped": report.hand_written_dropped,
            },
        )
        transaction.on_commit(selectors.rules_changed)
    report.written = True
    return report


def set_hand_written(rule_set: RuleSet, form: dict[str, Any] | None, *, actor: Any = None) -> RuleSet:
    """Store (or clear, with None) an operator's structured form; GrammarError if it does not parse."""
    if form is not None:
        parse_rule(form)
    with transaction.atomic():
        rule_set.hand_written = form
        rule_set.hand_written_by = actor if getattr(actor, "is_authenticated", False) else None
        rule_set.hand_written_at = timezone.now() if form is not None else None
        rule_set.save(update_fields=["hand_written", "hand_written_by", "hand_written_at"])
        audit.record(
            "origin.hand_written", actor=actor, obj=rule_set, data={"scheme": rule_set.scheme_id, "key": rule_set.key}
        )
        transaction.on_commit(selectors.rules_changed)
    return rule_set
