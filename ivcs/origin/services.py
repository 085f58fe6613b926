"""The only writers of the origin domain: `import_origin` (every scheme the engine can load, all or
nothing) and the operators' hand-written forms (`set_hand_written`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ivcs.core import audit
from ivcs.engines.origin import schemes as engine
from ivcs.engines.origin.grammar import GrammarError, Rule, is_structured, rule_from_dict
from ivcs.engines.origin.operator import OperatorSchemeError, load_operator_scheme
from ivcs.engines.origin.parser import RuleSet as EngineRuleSet
from ivcs.engines.origin.parser import load_scheme
from ivcs.origin import selectors
from ivcs.origin.models import RuleSet, Scheme

# Scheme-level fields the engine may leave empty when the copied data does not state them.
OPTIONAL_FIELDS = ("value_tolerance", "textile_weight_tolerance", "ord_version", "ord_date", "legal_hs_version")


def default_folder() -> Path:
    return Path(settings.DATA_DIR) / "rules_of_origin"


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


# The UK data titles its CPTPP scheme "UK-Comprehensive and Progressive Agreement ... (CPTPP)"; its
# product-specific rules are the agreement's own (common to every party), so the tool shows the agreement's
# name, also for exports between other parties.
DISPLAY_NAMES = {"cptpp": "CPTPP (Comprehensive and Progressive Agreement for Trans-Pacific Partnership)"}


def _report(p: engine.SchemeProvisions, rule_sets: list[EngineRuleSet]) -> SchemeReport:
    missing = [name for name in OPTIONAL_FIELDS if getattr(p, name) is None]
    missing += [f"unresolved country code {c}" for c in p.unresolved]
    return SchemeReport(
        id=p.id,
        name=p.name,
        rule_sets=len(rule_sets),
        rules=sum(len(rs.rules) for rs in rule_sets),
        structured_rule_sets=sum(1 for rs in rule_sets if rs.structured),
        unparsed_rules=sum(1 for rs in rule_sets for r in rs.rules if not is_structured(r)),
        missing=missing,
    )


def scheme_extras(folder: Path) -> dict[str, dict[str, Any]]:
    """Proofs of origin and reference links per scheme, from the scheme lists next to the rule sets."""
    out: dict[str, dict[str, Any]] = {}
    for name, prefix in (("roo_schemes_uk.json", ""), ("roo_schemes_xi.json", "eu-")):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for s in data.get("schemes") or []:
            proofs = [
                {"summary": str(p.get("summary", "")), "subtext": str(p.get("subtext", ""))}
                for p in s.get("proofs") or []
                if isinstance(p, dict) and p.get("summary")
            ]
            links = [
                {"text": str(link.get("text", "")), "url": str(link.get("url", ""))}
                for link in s.get("links") or []
                if isinstance(link, dict) and str(link.get("url", "")).startswith("https://")
            ]
            out.setdefault(prefix + str(s.get("scheme_code")), {"proofs": proofs, "links": links})
    return out


def _kept_forms(scheme_ids: Iterable[str] | None = None) -> dict[tuple[str, str], tuple[Any, Any, Any]]:
    found = RuleSet.objects.filter(hand_written__isnull=False)
    if scheme_ids is not None:
        found = found.filter(scheme_id__in=list(scheme_ids))
    return {
        (scheme, key): (hw, by, at)
        for scheme, key, hw, by, at in found.values_list(
            "scheme_id", "key", "hand_written", "hand_written_by", "hand_written_at"
        )
    }


def _store(
    p: engine.SchemeProvisions,
    rule_sets: list[EngineRuleSet],
    counts: SchemeReport,
    *,
    extras: dict[str, Any],
    kept: dict[tuple[str, str], tuple[Any, Any, Any]],
    report: ImportReport,
    by_operator: bool,
    vintage_text: str | None = None,
) -> list[RuleSet]:
    """Write one scheme's row; return its rule set rows (not saved), hand-written forms carried over."""
    Scheme.objects.update_or_create(
        pk=p.id,
        defaults={
            "name": DISPLAY_NAMES.get(p.id, p.name)[:300],
            "parties": list(p.parties),
            "provisions": {**p.as_dict(), **extras, "name": DISPLAY_NAMES.get(p.id, p.name)},
            "source": p.source[:300],
            "vintage": (vintage(p) if vintage_text is None else vintage_text)[:200],
            "hs_version": p.hs_version[:20],
            "rule_sets": counts.rule_sets,
            "rules": counts.rules,
            "structured_rule_sets": counts.structured_rule_sets,
            "imported_at": timezone.now(),
            "by_operator": by_operator,
        },
    )
    rows: list[RuleSet] = []
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
    return rows


def import_origin(folder: Path | None = None, *, dry_run: bool = False) -> ImportReport:
    """Load every scheme of the shipped data (the UK schemes and the EU agreements, see
    `schemes.load_all_provisions`), and replace the stored schemes with them in one transaction (schemes
    entered by operators are left alone). Hand-written forms are carried over by key; any failure to read a
    file refuses the whole import.

    `folder` is the data root (default data/rules_of_origin); a folder holding a roo_schemes_uk.json and
    rule_sets/ directly (the layout of the UK data alone) is read as the UK schemes only."""
    folder = folder or default_folder()
    report = ImportReport()
    try:
        if (folder / "roo_schemes_uk.json").is_file():
            provisions = engine.load_provisions(folder)
            found = {
                sid: (p, folder / "rule_sets" / f"{sid}.json")
                for sid, p in provisions.items()
                if (folder / "rule_sets" / f"{sid}.json").is_file()
            }
            stray = [path for path in (folder / "rule_sets").glob("*.json") if path.stem not in provisions]
            report.refused += [f"{path.name}: no scheme {path.stem!r} in roo_schemes_uk.json" for path in stray]
            extras_dir = folder
        else:
            found = engine.load_all_provisions(folder)
            extras_dir = folder / engine.DATA_DIR.name
    except (OSError, ValueError, KeyError, TypeError) as exc:
        report.refused.append(f"{folder}: cannot read the scheme lists: {exc}")
        return report
    loaded: list[tuple[engine.SchemeProvisions, list[EngineRuleSet]]] = []
    if not found:
        report.refused.append(f"no rule sets found under {folder}")
    for _sid, (p, path) in sorted(found.items()):
        try:
            parsed = load_scheme(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            report.refused.append(f"{path.name}: cannot read: {exc}")
            continue
        rule_sets = list(parsed.rule_sets)
        report.schemes.append(_report(p, rule_sets))
        loaded.append((p, rule_sets))
    clash = Scheme.objects.filter(by_operator=True, pk__in=[p.id for p, _ in loaded]).values_list("pk", flat=True)
    for sid in clash:
        report.refused.append(f"scheme {sid!r} was entered by an operator; remove it before loading the data's")
    if report.refused or dry_run:
        return report
    extras = scheme_extras(extras_dir)
    with transaction.atomic():
        kept = _kept_forms()
        operator_ids = set(Scheme.objects.filter(by_operator=True).values_list("pk", flat=True))
        RuleSet.objects.exclude(scheme_id__in=operator_ids).delete()
        Scheme.objects.exclude(pk__in=[p.id for p, _ in loaded]).exclude(pk__in=operator_ids).delete()
        kept = {k: v for k, v in kept.items() if k[0] not in operator_ids}
        rows: list[RuleSet] = []
        for (p, rule_sets), counts in zip(loaded, report.schemes, strict=True):
            rows += _store(
                p, rule_sets, counts, extras=extras.get(p.id, {}), kept=kept, report=report, by_operator=False
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


def read_scheme_file(path: Path) -> Any:
    """A scheme document (JSON, or YAML by its extension); ValueError says why it cannot be read."""
    if path.stat().st_size > MAX_SCHEME_FILE:
        raise ValueError(f"larger than {MAX_SCHEME_FILE // 1_000_000} MB")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        return yaml.safe_load(text)
    return json.loads(text)


MAX_SCHEME_FILE = 20_000_000


def import_operator_scheme(path: Path, *, dry_run: bool = False, actor: Any = None) -> ImportReport:
    """Load (or replace) one scheme from an operator's file in the documented format (see
    ivcs.engines.origin.operator). Every refused row is reported and nothing is written then."""
    report = ImportReport()
    try:
        loaded = load_operator_scheme(read_scheme_file(path))
    except OperatorSchemeError as exc:
        report.refused += [f"{path.name}: {problem}" for problem in exc.problems]
        return report
    except (OSError, ValueError, yaml.YAMLError) as exc:
        report.refused.append(f"{path.name}: cannot read: {exc}")
        return report
    p = loaded.provisions
    counts = _report(p, loaded.rule_sets)
    report.schemes.append(counts)
    existing = Scheme.objects.filter(pk=p.id).first()
    if existing is not None and not existing.by_operator:
        report.refused.append(f"{path.name}: scheme {p.id!r} comes from the shipped data; choose another id")
    if report.refused or dry_run:
        return report
    extras = {k: v for k, v in loaded.extras.items() if k != "vintage"}
    with transaction.atomic():
        kept = _kept_forms([p.id])
        RuleSet.objects.filter(scheme_id=p.id).delete()
        rows = _store(
            p,
            loaded.rule_sets,
            counts,
            extras=extras,
            kept=kept,
            report=report,
            by_operator=True,
            vintage_text=str(loaded.extras.get("vintage", "")),
        )
        RuleSet.objects.bulk_create(rows, batch_size=1000)
        report.hand_written_dropped = sorted(f"{scheme}/{key}" for scheme, key in kept)
        audit.record("origin.scheme_entered", actor=actor, data={"scheme": p.id, "rule_sets": counts.rule_sets})
        transaction.on_commit(selectors.rules_changed)
    report.written = True
    return report


def remove_operator_scheme(scheme_id: str, *, actor: Any = None) -> bool:
    """Delete a scheme an operator entered (False when there is none by that id)."""
    with transaction.atomic():
        deleted, _ = Scheme.objects.filter(pk=scheme_id, by_operator=True).delete()
        if deleted:
            audit.record("origin.scheme_removed", actor=actor, data={"scheme": scheme_id})
            transaction.on_commit(selectors.rules_changed)
    return bool(deleted)


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
