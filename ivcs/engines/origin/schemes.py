"""Scheme-level provisions of rules of origin (parties, cumulation, tolerances, vintage) as data.

Read from the UK Trade Tariff files copied into ``data/rules_of_origin/uk_trade_tariff_backend/`` (see
``data/rules_of_origin/PROVENANCE.md``):

* ``roo_schemes_uk.json``: id, title, ``countries`` (ISO2 plus group codes), ``cumulation_methods`` (bilateral,
  diagonal, extended with country lists), the Origin Reference Document (ORD) version and date;
* the general value tolerance and the textile weight tolerance are *not* fields of that file (its
  ``features.tolerances`` flag is ``false`` for every scheme used here). They are stated in scheme articles,
  five of which are copied under ``articles/``; :data:`TOLERANCE_ARTICLES` is the explicit table of what those
  articles say, each figure with the sentence it comes from (a test checks that the sentence is in the file).
  Where no copied article states a tolerance, the field is ``None`` and :attr:`SchemeProvisions.notes` says so.

Group codes are resolved only from the data itself: ``"EU"`` becomes the EU members listed as the EU scheme's
bilateral cumulation partners (without GB); a scheme's own id in its ``countries`` ("andean") is dropped; a
code that is not an ISO 3166 alpha-2 code (``"UR"`` in the Central America extended list) is kept out of the
lists and reported in :attr:`SchemeProvisions.unresolved` -- never guessed.

Plain Python, no Django.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from .grammar import CodeSet
from .parser import RuleSet, Scheme, load_scheme

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "rules_of_origin" / "uk_trade_tariff_backend"
SOURCE = "UK Trade Tariff (trade-tariff/trade-tariff-backend, commit 3c0266943e27, 2026-08-21)"
# The rule sets' min/max are UK tariff commodity codes of the snapshot (2026-08-21), which is on HS 2022.
RANGES_HS_VERSION = "HS 2022"
UK = "GB"
CUMULATION_KINDS = ("bilateral", "diagonal", "extended")


@dataclass(frozen=True, slots=True)
class ValueTolerance:
    """Non-originating materials that fail the rule may still be used up to ``percent`` of the ex-works price
    (CPTPP: of the value of the good), except for products in ``excluded_products``."""

    percent: float
    excluded_products: CodeSet
    source: str  # file under DATA_DIR
    quote: str  # the sentence stating the percentage, verbatim
    exclusion_quote: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class WeightTolerance:
    """Textile materials failing the rule may be used up to ``percent`` of the weight (see ``quote``)."""

    percent: float
    products: CodeSet
    source: str
    quote: str


@dataclass(frozen=True, slots=True)
class SchemeProvisions:
    id: str
    name: str
    parties: tuple[str, ...]  # ISO2, the UK ("GB") included
    cumulation: Mapping[str, tuple[str, ...]]  # kind -> ISO2 countries whose materials count as originating
    value_tolerance: ValueTolerance | None
    textile_weight_tolerance: WeightTolerance | None
    ord_version: str | None
    ord_date: str | None
    ord_title: str | None
    valid_from: str | None
    valid_to: str | None
    source: str = SOURCE
    hs_version: str = RANGES_HS_VERSION
    legal_hs_version: str | None = None  # the HS edition the ORD's articles refer to, where they say
    unresolved: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def cumulation_countries(self, kinds: Iterable[str] = ("bilateral",)) -> frozenset[str]:
        return frozenset(c for kind in kinds for c in self.cumulation.get(kind, ()))

    def as_dict(self) -> dict[str, Any]:
        def tol(t: ValueTolerance | WeightTolerance | None) -> dict[str, Any] | None:
            if t is None:
                return None
            out: dict[str, Any] = {"percent": t.percent, "source": t.source, "quote": t.quote}
            if isinstance(t, ValueTolerance):
                out["excluded_products"] = t.excluded_products.as_list()
                out["note"] = t.note
            else:
                out["products"] = t.products.as_list()
            return out

        return {
            "id": self.id,
            "name": self.name,
            "parties": list(self.parties),
            "cumulation": {k: list(v) for k, v in self.cumulation.items()},
            "value_tolerance": tol(self.value_tolerance),
            "textile_weight_tolerance": tol(self.textile_weight_tolerance),
            "ord": {"version": self.ord_version, "date": self.ord_date, "title": self.ord_title},
            "valid": [self.valid_from, self.valid_to],
            "source": self.source,
            "hs_version": self.hs_version,
            "legal_hs_version": self.legal_hs_version,
            "unresolved": list(self.unresolved),
            "notes": list(self.notes),
        }


_TEXTILES = CodeSet.of("50-63")

# What the copied articles state. Percent, exclusions and the verbatim sentences they come from.
TOLERANCE_ARTICLES: dict[str, ValueTolerance] = {
    "andean": ValueTolerance(
        10.0,
        _TEXTILES,
        "articles/andean/sufficiently-worked.md",
        "their total value does not exceed 10 percent of the ex-works price of the product",
        "This paragraph shall not apply to products falling within Chapters 50 to 63 of HS 2007.",
    ),
    "central-america": ValueTolerance(
        10.0,
        _TEXTILES,
        "articles/central-america/sufficiently-worked.md",
        "their total value does not exceed 10 per cent of the ex-works price of the product",
        "This paragraph shall not apply to products falling within Chapters 50 to 63 of HS 2007",
    ),
    "chile": ValueTolerance(
        10.0,
        _TEXTILES,
        "articles/chile/sufficiently-worked.md",
        "their total value does not exceed 10 per cent of the ex-works price of the product",
        "shall not apply to products falling within chapters 50 to 63 of HS 2002",
    ),
    "mexico": ValueTolerance(
        10.0,
        _TEXTILES,
        "articles/mexico/sufficiently-worked.md",
        "their total value does not exceed 10 % of the ex-works price of the product",
        "This paragraph shall not apply to products falling within Chapters 50 to 63 of HS 2002.",
    ),
    "cptpp": ValueTolerance(
        10.0,
        # Paragraphs 4-5 (textiles: by weight) and paragraph 7 (named materials for the products below). The
        # exclusion is applied to the whole product, which is stricter than paragraph 7 (conservative).
        CodeSet.of(
            "50-63",
            "0401-0406",
            "1507-1508",
            "1512",
            "1514",
            "2008",
            "2105",
            "190110",
            "190120",
            "190190",
            "200911-200939",
            "210690",
            "220290",
            "230990",
        ),
        "articles/cptpp/tolerances.md",
        "if the value of all those materials does not exceed 10 per cent of the value of the good",
        "This article shall not apply to:",
        "Applies to materials failing the change in tariff classification only; the excluded products of "
        "paragraph 7 are excluded whole here (the article excludes named materials only).",
    ),
}
TEXTILE_ARTICLES: dict[str, WeightTolerance] = {
    "cptpp": WeightTolerance(
        10.0,
        _TEXTILES,
        "articles/cptpp/tolerances.md",
        "if the total weight of all those materials is not more than 10 per cent of the total weight of the good",
    ),
}
LEGAL_HS: dict[str, str] = {  # from the exclusion sentences above
    "andean": "HS 2007",
    "central-america": "HS 2007",
    "chile": "HS 2002",
    "mexico": "HS 2002",
    "cptpp": "HS 2012",
}


def _is_iso2(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def _resolve(
    codes: Iterable[str], groups: Mapping[str, tuple[str, ...]], scheme_ids: set[str]
) -> tuple[list[str], list[str]]:
    out: list[str] = []
    unresolved: list[str] = []
    for code in codes:
        if code in groups:
            out.extend(groups[code])
        elif code in scheme_ids:
            continue
        elif _is_iso2(code):
            out.append(code)
        else:
            unresolved.append(code)
    return list(dict.fromkeys(out)), unresolved


def provisions_from_data(schemes: list[Mapping[str, Any]]) -> dict[str, SchemeProvisions]:
    """Every scheme of a parsed ``roo_schemes_uk.json`` ``schemes`` list, as :class:`SchemeProvisions`."""
    ids = {str(s["scheme_code"]) for s in schemes}
    groups: dict[str, tuple[str, ...]] = {}
    for s in schemes:
        if s["scheme_code"] == "eu":
            bilateral = s.get("cumulation_methods", {}).get("bilateral", {}).get("countries", [])
            groups["EU"] = tuple(c for c in bilateral if c != UK and _is_iso2(c))
    out: dict[str, SchemeProvisions] = {}
    for s in schemes:
        sid = str(s["scheme_code"])
        notes: list[str] = []
        parties, unresolved = _resolve(s.get("countries", []), groups, ids)
        parties = [UK, *(p for p in parties if p != UK)]
        cumulation: dict[str, tuple[str, ...]] = {}
        for kind, body in (s.get("cumulation_methods") or {}).items():
            countries, bad = _resolve(body.get("countries", []), groups, ids)
            if kind == "bilateral" and UK not in countries:
                countries.insert(0, UK)
                notes.append("GB added to the bilateral cumulation list (the UK is the other party)")
            cumulation[kind] = tuple(countries)
            unresolved += bad
        if unresolved:
            notes.append(f"codes not resolved to ISO2 countries, left out: {', '.join(dict.fromkeys(unresolved))}")
        if set(cumulation) - {"bilateral"}:
            notes.append(
                "diagonal/extended cumulation is listed by the data; it is subject to conditions in the "
                "scheme's cumulation article (not checked here), so the assessor applies only bilateral "
                "cumulation unless asked to apply the others"
            )
        value_tol = TOLERANCE_ARTICLES.get(sid)
        textile_tol = TEXTILE_ARTICLES.get(sid)
        if value_tol is None:
            notes.append("general value tolerance: not stated in the copied data (None, not applied)")
        if textile_tol is None:
            notes.append(
                "textile weight tolerance: not stated in the copied data (the older agreements state it in the "
                "introductory notes to the list, not copied; None, not applied)"
            )
        else:
            notes.append("textile weight tolerance is recorded but the assessor does not apply it yet")
        ord_ = s.get("ord") or {}
        out[sid] = SchemeProvisions(
            id=sid,
            name=str(s.get("title", sid)),
            parties=tuple(dict.fromkeys(parties)),
            cumulation=cumulation,
            value_tolerance=value_tol,
            textile_weight_tolerance=textile_tol,
            ord_version=ord_.get("ord_version"),
            ord_date=ord_.get("ord_date"),
            ord_title=ord_.get("ord_title"),
            valid_from=s.get("validity_start_date"),
            valid_to=s.get("validity_end_date"),
            legal_hs_version=LEGAL_HS.get(sid),
            unresolved=tuple(dict.fromkeys(unresolved)),
            notes=tuple(notes),
        )
    return out


def load_provisions(data_dir: Path = DATA_DIR) -> dict[str, SchemeProvisions]:
    data = json.loads((data_dir / "roo_schemes_uk.json").read_text(encoding="utf-8"))
    return provisions_from_data(list(data["schemes"]))


def load_area_associations(data_dir: Path = DATA_DIR) -> dict[str, str | None]:
    """Country or area code -> scheme id (``roo_scheme_area_associations_220315.json``)."""
    data = json.loads((data_dir / "roo_scheme_area_associations_220315.json").read_text(encoding="utf-8"))
    return {str(k): (None if v is None else str(v)) for k, v in data.items()}


def rule_set_key(rs: RuleSet) -> str:
    """A stable key for a rule set: heading and a digest of range, subdivision and texts."""
    digest = "|".join((rs.low, rs.high, rs.subdivision, *rs.texts))
    return f"{rs.heading}#{hashlib.sha1(digest.encode('utf-8'), usedforsecurity=False).hexdigest()[:8]}"


@dataclass(frozen=True, slots=True)
class Candidates:
    """The rule sets covering one subheading, their keys, and whether their rules differ."""

    rule_sets: tuple[RuleSet, ...]
    keys: tuple[str, ...]
    distinct_rules: int


_WIDE = 400  # rule sets spanning more headings than this are checked for every code


@dataclass(frozen=True)
class OriginScheme:
    """A scheme's provisions with its parsed product-specific rule sets, indexed by heading."""

    provisions: SchemeProvisions
    rules: Scheme
    _by_heading: dict[str, tuple[tuple[int, RuleSet], ...]] = field(default_factory=dict, repr=False, compare=False)
    _wide: tuple[tuple[int, RuleSet], ...] = field(default=(), repr=False, compare=False)
    _memo: dict[str, Candidates] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.provisions.id

    @staticmethod
    def build(provisions: SchemeProvisions, rules: Scheme) -> OriginScheme:
        index: dict[str, list[tuple[int, RuleSet]]] = {}
        wide: list[tuple[int, RuleSet]] = []
        for pos, rs in enumerate(rules.rule_sets):
            if len(rs.low) < 4 or len(rs.high) < 4 or not (rs.low[:4] + rs.high[:4]).isdigit():
                continue
            low, high = int(rs.low[:4]), int(rs.high[:4])
            if high - low > _WIDE:
                wide.append((pos, rs))
                continue
            for heading in range(low, high + 1):
                index.setdefault(f"{heading:04d}", []).append((pos, rs))
        return OriginScheme(provisions, rules, {k: tuple(v) for k, v in index.items()}, tuple(wide))

    def rule_sets_for(self, hs6: str) -> tuple[RuleSet, ...]:
        """Rule sets whose commodity-code range covers the subheading, in file order."""
        return self.candidates(hs6).rule_sets

    def candidates(self, hs6: str) -> Candidates:
        found = self._memo.get(hs6)
        if found is None:
            pool = self._by_heading.get(hs6[:4], ()) + self._wide
            hits = [rs for _, rs in sorted(p for p in pool if p[1].low[:6] <= hs6 <= p[1].high[:6])]
            found = Candidates(tuple(hits), tuple(rule_set_key(rs) for rs in hits), len({rs.rule for rs in hits}))
            self._memo[hs6] = found
        return found


def load_origin_schemes(data_dir: Path = DATA_DIR, names: Iterable[str] | None = None) -> dict[str, OriginScheme]:
    """Every scheme with a ``rule_sets/<id>.json`` file (or only ``names``), with its provisions."""
    provisions = load_provisions(data_dir)
    wanted = set(names) if names is not None else None
    out: dict[str, OriginScheme] = {}
    for path in sorted((data_dir / "rule_sets").glob("*.json")):
        if wanted is not None and path.stem not in wanted:
            continue
        if path.stem not in provisions:
            continue
        out[path.stem] = OriginScheme.build(provisions[path.stem], load_scheme(path))
    return out


@cache
def default_schemes() -> dict[str, OriginScheme]:
    """The six schemes of the project's data, loaded once per process (about 3 s)."""
    return load_origin_schemes()
