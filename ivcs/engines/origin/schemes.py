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

The EU's agreements (EU destination): ``eu-andean``, ``eu-central-america``, ``eu-chile``, ``eu-mexico``, with the
product-specific rules of the UK Online Trade Tariff prototype (``data/rules_of_origin/eu_ott_prototype/``, older
prototype data) and the scheme metadata of ``roo_schemes_xi.json`` (Northern Ireland, which applies the EU's
agreements): parties are the EU members (resolved as below) and the partners of the XI scheme; see
:func:`eu_provisions`. :func:`load_all_provisions` is the one entry point for every scheme and its rule-set file.

Sides and destinations (:attr:`SchemeProvisions.sides`, :meth:`SchemeProvisions.destinations_for`): the UK schemes
are bilateral, GB against the partners (the UK-EU scheme: GB against the EU, a bloc with code ``"EU"``); the EU
schemes are the EU (code ``"EU"``) against the partners; CPTPP is plurilateral (every party its own side), with
the UK's relations limited to the parties the UK data lists (:data:`CPTPP_UNVERIFIED_PARTIES`).

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

BASE_DIR = Path(__file__).resolve().parents[3] / "data" / "rules_of_origin"
DATA_DIR = BASE_DIR / "uk_trade_tariff_backend"
EU_DIR_NAME = "eu_ott_prototype"
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


Side = tuple[str | None, tuple[str, ...]]  # (bloc code or None, ISO2 countries)


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
    # Who trades with whom under the scheme: each side is (bloc code or None, countries); an exporter on one side
    # may export to every *other* side. Empty: not stated (provisions built by older code), read as the UK
    # bilateral default, GB against the other parties.
    sides: tuple[Side, ...] = ()
    # Pairs of parties between which the scheme is not in force (CPTPP: GB with the parties the UK data does not
    # list), excluded from the destinations in both directions.
    not_in_force: tuple[tuple[str, str], ...] = ()

    def effective_sides(self) -> tuple[Side, ...]:
        if self.sides:
            return self.sides
        others = tuple(p for p in self.parties if p != UK)
        return ((None, (UK,)), (None, others)) if UK in self.parties else ()

    def destinations_for(self, exporter: str) -> tuple[str, ...]:
        """Where a product of ``exporter`` may go under the scheme: the countries of every other side, or the
        side's bloc code (``"EU"``) when it has one; ``()`` for a country on no side."""
        out: dict[str, None] = {}
        sides = self.effective_sides()
        if not any(exporter in countries for _, countries in sides):
            return ()
        blocked = {b for a, b in self.not_in_force if a == exporter} | {
            a for a, b in self.not_in_force if b == exporter
        }
        for code, countries in sides:
            if exporter in countries:
                continue
            if code is not None:
                out.setdefault(code)
                continue
            for c in countries:
                if c != exporter and c not in blocked:
                    out.setdefault(c)
        return tuple(out)

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
            "sides": [{"code": code, "countries": list(countries)} for code, countries in self.effective_sides()],
            "not_in_force": [list(pair) for pair in self.not_in_force],
        }


def sides_from_list(items: Iterable[Mapping[str, Any]]) -> tuple[Side, ...]:
    """Inverse of ``as_dict()["sides"]``: ``[{"code": "EU" | None, "countries": [...]}, ...]``."""
    out: list[Side] = []
    for item in items:
        code = item.get("code")
        out.append((None if code is None else str(code), tuple(str(c) for c in item.get("countries") or ())))
    return tuple(out)


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


# CPTPP parties the UK data does not list (its list is the parties the UK's CPTPP relations are in force with).
# General knowledge, NOT verified against the depositary (New Zealand) in this project: Canada and Mexico are
# original signatories of the CPTPP. They are added as parties so that they can export to the other parties; the
# UK's relations with them stay out (``not_in_force``), keeping GB's destinations to the data's list.
CPTPP_UNVERIFIED_PARTIES: tuple[str, ...] = ("CA", "MX")
PLURILATERAL = frozenset({"cptpp"})


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
            notes.append("textile weight tolerance: applied to materials failing a change of tariff classification")
        sides: tuple[Side, ...]
        not_in_force: tuple[tuple[str, str], ...] = ()
        if sid in PLURILATERAL:
            extra = [c for c in CPTPP_UNVERIFIED_PARTIES if c not in parties] if sid == "cptpp" else []
            if extra:
                not_in_force = tuple((UK, c) for c in extra)
                parties = [*parties, *extra]
                notes.append(
                    f"plurilateral: the rules are common to all parties; {', '.join(extra)} added as parties from "
                    "general knowledge (original CPTPP parties), UNVERIFIED against the depositary in this project; "
                    "the UK data lists only the parties the UK's CPTPP relations are in force with, so GB's "
                    f"destinations stay that list. For {', '.join(extra)} the UK's HS 2022 transposition of the "
                    "CPTPP rules is used, and the data's cumulation list (without them) is kept"
                )
            sides = tuple((None, (p,)) for p in dict.fromkeys(parties))
        elif "EU" in groups and set(groups["EU"]) <= set(parties) and sid == "eu":
            sides = ((None, (UK,)), ("EU", groups["EU"]))
        else:
            sides = ((None, (UK,)), (None, tuple(p for p in dict.fromkeys(parties) if p != UK)))
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
            sides=sides,
            not_in_force=not_in_force,
        )
    return out


def eu_members(schemes: list[Mapping[str, Any]]) -> tuple[str, ...]:
    """The ``"EU"`` group of ``roo_schemes_uk.json``: the EU scheme's bilateral cumulation countries without GB."""
    for s in schemes:
        if s["scheme_code"] == "eu":
            bilateral = s.get("cumulation_methods", {}).get("bilateral", {}).get("countries", [])
            return tuple(c for c in bilateral if c != UK and _is_iso2(c))
    return ()


@cache
def eu_member_states(data_dir: Path = DATA_DIR) -> frozenset[str]:
    """The EU's member states as the data groups them (``"EU"`` in ``roo_schemes_uk.json``)."""
    data = json.loads((data_dir / "roo_schemes_uk.json").read_text(encoding="utf-8"))
    return frozenset(eu_members(list(data["schemes"])))


# The EU agreements loaded as schemes: id -> (scheme code in roo_schemes_xi.json, HS edition of the annex headings).
# The prototype's rule sets keep the agreements' own headings (not transposed): EU-Chile and EU-Mexico have heading
# 8524 "Records, tapes and other recorded media" (deleted in HS 2007), EU-Andean and EU-Central America have
# heading 8486 (created in HS 2007) and no such 8524; the editions are inferred from that, and match the HS editions
# the UK continuity agreements' articles cite (:data:`LEGAL_HS`).
EU_SCHEMES: dict[str, tuple[str, str]] = {
    "eu-andean": ("andean", "HS 2007"),
    "eu-central-america": ("central-america", "HS 2007"),
    "eu-chile": ("chile", "HS 2002"),
    "eu-mexico": ("mexico", "HS 2002"),
}
EU_SOURCE = (
    "UK Online Trade Tariff prototype (trade-tariff/ott-prototype, commit e5ab46257d21, 2023-11-17, "
    "app/data/roo/xi/psr_new); scheme list roo_schemes_xi.json (trade-tariff/trade-tariff-backend, commit "
    "3c0266943e27, 2026-08-21)"
)
EU_NOTE = (
    "prototype data, older than the modernised EU-Chile and EU-Mexico agreements; check against Access2Markets "
    "before relying on it (EU-destination baseline only)"
)


def eu_provisions(xi_schemes: list[Mapping[str, Any]], members: Iterable[str]) -> dict[str, SchemeProvisions]:
    """The EU agreements of :data:`EU_SCHEMES` from a parsed ``roo_schemes_xi.json`` ``schemes`` list, with
    ``members`` the EU member states (:func:`eu_members`)."""
    eu = tuple(members)
    by_code = {str(s["scheme_code"]): s for s in xi_schemes}
    out: dict[str, SchemeProvisions] = {}
    for sid, (code, hs) in EU_SCHEMES.items():
        s = by_code.get(code)
        if s is None or not eu:
            continue
        partners, unresolved = _resolve(s.get("countries", []), {}, {code})
        partners = [p for p in partners if p not in eu]
        notes = [
            EU_NOTE,
            f"rule-set ranges use the agreement's own headings ({hs}, inferred from the data), not HS 2022: a "
            "product's HS 2022 code can fall under a heading whose content has changed since (check the heading)",
            "EU members resolved from roo_schemes_uk.json (the EU scheme's bilateral cumulation list without GB); "
            "San Marino and Andorra are not included",
            "cumulation: roo_schemes_xi.json lists none; bilateral cumulation between the EU and the partners is "
            "assumed (the agreement's basic cumulation), diagonal/extended none",
            "general value tolerance: not stated in the copied data (None, not applied)",
            "textile weight tolerance: not stated in the copied data (None, not applied)",
        ]
        if unresolved:
            notes.append(f"codes not resolved to ISO2 countries, left out: {', '.join(unresolved)}")
        parties = tuple(dict.fromkeys([*eu, *partners]))
        out[sid] = SchemeProvisions(
            id=sid,
            name=str(s.get("title", sid)),
            parties=parties,
            cumulation={"bilateral": parties},
            value_tolerance=None,
            textile_weight_tolerance=None,
            ord_version=None,
            ord_date=None,
            ord_title=None,
            valid_from=None,
            valid_to=None,
            source=EU_SOURCE,
            hs_version=f"{hs} (the agreement's headings as in the prototype data, not transposed; inferred)",
            legal_hs_version=hs,
            unresolved=tuple(unresolved),
            notes=tuple(notes),
            sides=(("EU", eu), (None, tuple(partners))),
        )
    return out


def load_provisions(data_dir: Path = DATA_DIR) -> dict[str, SchemeProvisions]:
    data = json.loads((data_dir / "roo_schemes_uk.json").read_text(encoding="utf-8"))
    return provisions_from_data(list(data["schemes"]))


def load_eu_provisions(data_dir: Path = DATA_DIR) -> dict[str, SchemeProvisions]:
    """The EU agreements (:data:`EU_SCHEMES`) from ``roo_schemes_xi.json`` and, for the EU members,
    ``roo_schemes_uk.json``, both in ``data_dir``; ``{}`` when the XI file is not there."""
    xi = data_dir / "roo_schemes_xi.json"
    if not xi.exists():
        return {}
    uk = json.loads((data_dir / "roo_schemes_uk.json").read_text(encoding="utf-8"))
    data = json.loads(xi.read_text(encoding="utf-8"))
    return eu_provisions(list(data["schemes"]), eu_members(list(uk["schemes"])))


def load_all_provisions(base_dir: Path = BASE_DIR) -> dict[str, tuple[SchemeProvisions, Path]]:
    """Every scheme with a rule-set file, and that file: the UK schemes (``uk_trade_tariff_backend/rule_sets/
    <id>.json``) and the EU agreements (``eu_ott_prototype/rule_sets/<id>.json``), in id order."""
    uk_dir = base_dir / DATA_DIR.name
    found: dict[str, tuple[SchemeProvisions, Path]] = {}
    for provisions, folder in (
        (load_provisions(uk_dir), uk_dir / "rule_sets"),
        (load_eu_provisions(uk_dir), base_dir / EU_DIR_NAME / "rule_sets"),
    ):
        for sid, p in provisions.items():
            path = folder / f"{sid}.json"
            if path.exists():
                found[sid] = (p, path)
    return dict(sorted(found.items()))


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
    """Every scheme with a rule-set file (or only ``names``), with its provisions: the UK schemes of ``data_dir``
    and the EU agreements of ``data_dir``'s sibling ``eu_ott_prototype/`` (:func:`load_all_provisions`)."""
    wanted = set(names) if names is not None else None
    out: dict[str, OriginScheme] = {}
    for sid, (provisions, path) in load_all_provisions(data_dir.parent).items():
        if wanted is not None and sid not in wanted:
            continue
        out[sid] = OriginScheme.build(provisions, load_scheme(path))
    return out


@cache
def default_schemes() -> dict[str, OriginScheme]:
    """The ten schemes of the project's data (six UK, four EU), loaded once per process (about 5 s)."""
    return load_origin_schemes()
