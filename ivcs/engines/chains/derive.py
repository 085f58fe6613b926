"""Derive candidate "product <- input" links between HS 2022 headings from public data.

No public product-level (HS6) input-output table exists, so links are derived through industries and then
narrowed with rules-of-origin evidence. The method, its parameters, figures and limits are documented in
``data/input_output/DERIVATION.md``; in short:

1. HS6 -> US BEA 2017 detailed industry, through HS6 -> NAICS (concordance R package, WITS) and NAICS -> BEA
   (useeior MasterCrosswalk2017), splitting a many-to-many HS6 equally over its NAICS codes and then over the
   BEA codes of each NAICS code.
2. Direct requirements a_ij = Use[commodity i, industry j] / total industry output of j (row ``T008`` of the
   Use table, which equals the row totals of the Make table), for goods commodities only.
3. Commodity i -> the HS6 goods it covers (a BEA detail commodity has the code of the industry that makes it,
   so the same HS6 -> BEA map is read backwards), keeping inputs whose BEC Rev.4 end use is intermediate.
4. Product heading P <- input heading G: sum over the industries j of P (weighted by P's HS6 share) and the
   commodities i bought by j of a_ij, split over the eligible headings of i in proportion to their HS6 count.
5. Rules of origin (UK PSR rule sets) name materials of products; those become their own links, they decide
   how a commodity's coefficient is split where they name some of its headings, and they raise the confidence
   of derived links they agree with.

Plain Python (stdlib only), no Django. ``python -m ivcs.engines.chains.derive --help``; ``build()`` for callers.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from ivcs.engines.chains.roo_materials import Mention, clean_rule_text, excerpt, parse_rule_text

# --- parameters (documented in DERIVATION.md) -------------------------------------------------------------
MIN_COEFFICIENT = 0.001
"""A derived link whose per-heading coefficient ($ of input per $ of product output) is below this is dropped."""
MIN_WEIGHT = 0.02
"""... and so is one below this fraction of the product's largest derived coefficient (unless the RoO name it)."""
MAX_INPUTS = 10
"""At most this many derived links per product (best affinity-ranked first)."""
MAX_ROO_INPUTS = 12
"""At most this many rules-of-origin links per product (corroborated and specific ones first)."""
MAX_NAMED_EXTRA = 8
"""Derived links beyond MAX_INPUTS that the product's RoO name are kept, up to this many more."""
CORROBORATION = 0.0001
"""An industry-table coefficient at least this large corroborates a rules-of-origin mention that needs it."""
AFFINITY = {"same_chapter": 2.0, "roo_chapter": 1.5, "same_section": 1.25}
"""Ranking multipliers of a derived input heading relative to the product (the largest one applies)."""
SELF_SHARE = 0.5
"""When a purchased commodity covers the product's own heading, that heading takes at least this share of the
purchase (HS headings often hold both the raw and the processed form: green and roasted coffee, bulk and bottled
wine); the share is then dropped, since a heading is not its own input."""
INTRA_RANK = 0.5
"""Ranking multiplier of a derived input whose largest contribution is an intra-industry purchase (the buying
industry's own commodity: a precursor made in the same industry, or a sibling product)."""
ROO_WEIGHT = {"uses": 0.5, "except": 0.3}
"""Fixed ``weight`` of rules-of-origin links, by the role of the mention."""
NAME_WIDTH = 24
"""BEA industry/commodity names longer than this are shortened in ``detail``."""
QUOTE_WIDTH = 90
"""Length of the rule quote in ``detail``."""

GOODS_SECTORS = ("11", "21", "31", "32", "33")
NOT_GOODS = frozenset({"115000"})  # support activities for agriculture and forestry (a service)
NOT_GOODS_PREFIXES = ("213",)  # support activities for mining (drilling services)
SCRAP = "S00401"  # BEA "Scrap"; US trade codes NAICS 910000 (waste and scrap) to it
ENERGY = frozenset({"211000", "212100", "324110"})  # oil and gas, coal, refinery products
ENERGY_FEEDSTOCK_BUYERS = ("324", "325")  # petroleum/coal products and chemicals use energy goods as feedstock
FOOD_BUYERS = ("311", "312")  # food, beverage and tobacco manufacturing
FOOD_BEC = frozenset({"112", "122"})  # BEC food and beverages "mainly for household consumption"
CAPITAL_BUYERS = ("333", "334", "335", "336")  # machinery, computers, electrical and transport equipment makers
CAPITAL_TYPE = 0.5  # a commodity with at least this HS6 share of capital goods is bought as equipment
# Goods commodities that the HS6 -> NAICS concordance never reaches (raw milk is traded as processed-milk HS6; the
# foam and laminate industries' goods are coded to the plastics-film industry). They are given the HS6 they sell,
# on the input side only. Machine shops (332710) and coating/heat treating (332800) sell work, not goods: none.
COMMODITY_HS6_SUPPLEMENT: dict[str, tuple[str, ...]] = {
    "112120": ("040110", "040120", "040140", "040150"),  # dairy cattle and milk production -> milk and cream
    "326130": ("392190",),  # laminated plastics plate, sheet and shape -> other plates and sheets of plastics
    "326140": ("392111",),  # polystyrene foam products -> cellular plates and sheets of polymers of styrene
    "326150": ("392113",),  # urethane and other foam products -> cellular plates and sheets of polyurethanes
}
SPECIAL_NAICS = {"910000": SCRAP}  # 920000 used goods, 930000 returned goods, 990000 special provisions: none

AGREEMENTS: tuple[tuple[str, str], ...] = (
    ("andean", "UK-Andean"),
    ("central-america", "UK-Central America"),
    ("chile", "UK-Chile"),
    ("mexico", "UK-Mexico"),
    ("cptpp", "UK CPTPP"),
    ("eu", "UK-EU TCA"),
)

# HS sections by chapter ranges (for chapter affinity)
_SECTIONS: tuple[tuple[int, int], ...] = (
    (1, 5), (6, 14), (15, 15), (16, 24), (25, 27), (28, 38), (39, 40), (41, 43), (44, 46), (47, 49), (50, 63),
    (64, 67), (68, 70), (71, 71), (72, 83), (84, 85), (86, 89), (90, 92), (93, 93), (94, 96), (97, 97),
)  # fmt: skip

END_USES = ("intermediate", "capital", "consumption", "not_classified")
LINK_FIELDS = ("input", "product", "weight", "confidence", "source", "detail", "coefficient")

# source files, relative to the source directory
F_HS6_NAICS = "concordance_r/hs6_naics.csv"
F_HS6_BEC = "concordance_r/hs6_bec4.csv"
F_BEC_ENDUSE = "un_bec4/bec4_to_sna_enduse.csv"
F_CROSSWALK = "useeior_bea2017/MasterCrosswalk2017.csv"
F_USE = "useeior_bea2017/bea2017_detail_use_producer_before_redef_long.csv"
F_MAKE = "useeior_bea2017/bea2017_detail_make_before_redef_long.csv"
F_COMMODITIES = "useeior_bea2017/Detail_CommodityCodeName_2017.csv"
F_INDUSTRIES = "useeior_bea2017/Detail_IndustryCodeName_2017.csv"


def section_of(code: str) -> int:
    """HS section number (1-21) of a code's chapter; 0 when unknown."""
    chapter = int(code[:2])
    for n, (lo, hi) in enumerate(_SECTIONS, start=1):
        if lo <= chapter <= hi:
            return n
    return 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _short(name: str, width: int = NAME_WIDTH) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip(" ,") + "…"


# --- step 1: HS6 -> BEA ------------------------------------------------------------------------------------
def naics_to_bea(crosswalk: Iterable[dict[str, str]]) -> dict[str, frozenset[str]]:
    """NAICS code (2017 or 2012, 2-6 digits) -> BEA 2017 detail codes."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in crosswalk:
        bea = r["BEA_2017_Detail_Code"]
        for key in ("NAICS_2017_Code", "NAICS_2012_Code"):
            code = r[key].strip()
            if code:
                out[code].add(bea)
    return {k: frozenset(v) for k, v in out.items()}


def bea_of_naics(naics: str, table: dict[str, frozenset[str]]) -> frozenset[str]:
    """BEA detail codes of one 6-digit NAICS code (US trade codes mix 2002-2017 vintages and use 'X' fillers).

    Exact match first; otherwise the BEA codes listed for the 5-, 4- then 3-digit parent.
    """
    if naics in SPECIAL_NAICS:
        return frozenset({SPECIAL_NAICS[naics]})
    if naics in table:
        return table[naics]
    digits = naics.rstrip("X")
    for k in (5, 4, 3):
        if len(digits) >= k and digits[:k] in table:
            return table[digits[:k]]
    return frozenset()


def hs6_to_bea(hs6_naics: Iterable[dict[str, str]], table: dict[str, frozenset[str]]) -> dict[str, dict[str, float]]:
    """HS6 -> {BEA detail code: share}; the shares of an HS6 sum to 1 (an HS6 with no resolved code is absent)."""
    naics_by_hs6: dict[str, set[str]] = defaultdict(set)
    for r in hs6_naics:
        naics_by_hs6[r["HS6_6d"]].add(r["NAICS_6d"])
    out: dict[str, dict[str, float]] = {}
    for hs6, naics_codes in naics_by_hs6.items():
        resolved = [(n, sorted(bea_of_naics(n, table))) for n in sorted(naics_codes)]
        resolved = [(n, b) for n, b in resolved if b]
        if not resolved:
            continue
        shares: dict[str, float] = defaultdict(float)
        for _, beas in resolved:
            for b in beas:
                shares[b] += 1.0 / len(resolved) / len(beas)
        out[hs6] = dict(sorted(shares.items()))
    return out


# --- step 4: end use ---------------------------------------------------------------------------------------
_END_USE_PRIORITY = {e: n for n, e in enumerate(END_USES)}


def end_use_table(
    hs6_codes: Iterable[str], hs6_bec: Iterable[dict[str, str]], bec_enduse: Iterable[dict[str, str]]
) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """HS6 -> SNA end use, and HS6 -> its BEC codes.

    An HS6 with several BEC codes (the UN table's n:n rows) takes the most frequent end use among them; ties go
    to intermediate, then capital, consumption, not_classified. An HS6 without BEC code is not_classified.
    """
    sna = {r["bec4_code_padded3"]: r["sna_end_use"] for r in bec_enduse}
    becs: dict[str, list[str]] = defaultdict(list)
    for r in hs6_bec:
        if r["HS6_6d"]:
            becs[r["HS6_6d"]].append(r["BEC4_3d"])
    out: dict[str, str] = {}
    for hs6 in sorted(set(hs6_codes) | set(becs)):
        counts: dict[str, int] = defaultdict(int)
        for b in becs.get(hs6, []):
            counts[sna.get(b, "not_classified")] += 1
        out[hs6] = min(counts, key=lambda e: (-counts[e], _END_USE_PRIORITY[e])) if counts else "not_classified"
    return out, {k: frozenset(v) for k, v in becs.items()}


# --- step 2: direct requirements ---------------------------------------------------------------------------
def is_goods_commodity(code: str) -> bool:
    """Agriculture, mining (not mining services) and manufacturing commodities, and scrap."""
    if code == SCRAP:
        return True
    return code[:2] in GOODS_SECTORS and code not in NOT_GOODS and not code.startswith(NOT_GOODS_PREFIXES)


@dataclass
class UseTable:
    use: dict[str, dict[str, float]]  # industry j -> commodity i -> $ million (producer prices)
    output: dict[str, float]  # industry j -> total industry output (row T008)

    def coefficient(self, commodity: str, industry: str) -> float:
        """Direct requirement a_ij: $ of commodity i bought per $ of industry j's output."""
        x = self.output.get(industry, 0.0)
        return self.use.get(industry, {}).get(commodity, 0.0) / x if x > 0 else 0.0


def load_use(use_rows: Iterable[dict[str, str]], make_rows: Iterable[dict[str, str]]) -> UseTable:
    """Read the Use table and check that its T008 row equals the Make table's industry totals (to rounding)."""
    use: dict[str, dict[str, float]] = defaultdict(dict)
    output: dict[str, float] = {}
    for r in use_rows:
        row, col, value = r["row_code"], r["col_code"], float(r["value_musd"])
        if row == "T008":
            output[col] = value
        elif not row.startswith(("T", "V")):
            use[col][row] = value
    make_total = {r["industry_code"]: float(r["value_musd"]) for r in make_rows if r["commodity_code"] == "T008"}
    for industry, total in make_total.items():
        if industry in output and abs(output[industry] - total) > max(2.0, 1e-4 * total):
            raise ValueError(f"Use T008 and Make total differ for industry {industry}")
    industries = {j: x for j, x in output.items() if not j.startswith(("T", "F"))}
    return UseTable(dict(use), industries)


# --- loading -------------------------------------------------------------------------------------------------
@dataclass
class Sources:
    hs6_bea: dict[str, dict[str, float]]
    end_use: dict[str, str]
    becs: dict[str, frozenset[str]]
    table: UseTable
    commodity_names: dict[str, str]
    industry_names: dict[str, str]
    universe: frozenset[str]  # HS4 headings


def load_sources(source_dir: Path) -> Sources:
    hs6_naics_rows = _rows(source_dir / F_HS6_NAICS)
    hs6_bea = hs6_to_bea(hs6_naics_rows, naics_to_bea(_rows(source_dir / F_CROSSWALK)))
    hs6_all = {r["HS6_6d"] for r in hs6_naics_rows if r["HS6_6d"]}
    end_use, becs = end_use_table(hs6_all, _rows(source_dir / F_HS6_BEC), _rows(source_dir / F_BEC_ENDUSE))
    commodities = _rows(source_dir / F_COMMODITIES)
    industries = _rows(source_dir / F_INDUSTRIES)
    commodity_names = {r["BEA_2017_Detail_Commodity_Code"]: r["BEA_2017_Detail_Commodity_Name"] for r in commodities}
    commodity_names[SCRAP] = "Scrap"
    return Sources(
        hs6_bea=hs6_bea,
        end_use=end_use,
        becs=becs,
        table=load_use(_rows(source_dir / F_USE), _rows(source_dir / F_MAKE)),
        commodity_names=commodity_names,
        industry_names={r["BEA_2017_Detail_Industry_Code"]: r["BEA_2017_Detail_Industry_Name"] for r in industries},
        universe=frozenset(h[:4] for h in end_use),
    )


# --- rules of origin ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RooEvidence:
    agreement: str  # label, e.g. "UK-Andean"
    order: int  # position of the agreement in AGREEMENTS
    heading_label: str  # the rule set's heading, e.g. "ex 1806", "Chapter 61"
    single_heading: bool  # the rule set covers one heading (or part of one), not a range of headings
    mention: Mention
    quote: str


def product_headings(lo: str, hi: str, headings: Sequence[str]) -> list[str]:
    """HS4 headings (``headings`` sorted) inside a rule set's 10-digit min/max range."""
    return list(headings[bisect_left(headings, lo[:4]) : bisect_right(headings, hi[:4])])


def read_rule_mentions(rules_dir: Path, universe: frozenset[str]) -> dict[str, dict[str, list[RooEvidence]]]:
    """product HS4 -> input HS4 -> evidence, for every material a rule names (before any filtering).

    A chapter named by a rule of a product of that same chapter is skipped: "all the materials of chapter 9 used
    are wholly obtained" for coffee means the coffee itself, and spreading it over chapter 9 gives siblings. So is
    a material word whose headings include the product's own ("unprinted fabric" for a fabric).
    """
    out: dict[str, dict[str, list[RooEvidence]]] = defaultdict(lambda: defaultdict(list))
    headings = sorted(universe)
    parsed: dict[str, tuple[str, list[Mention]]] = {}  # the agreements share much of their wording
    for order, (name, label) in enumerate(AGREEMENTS):
        path = rules_dir / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for rule_set in data.get("rule_sets", []):
            if rule_set.get("valid") is False:
                continue
            lo, hi = str(rule_set.get("min", "")), str(rule_set.get("max", ""))
            products = product_headings(lo, hi, headings)
            if not products:
                continue
            single = lo[:4] == hi[:4]
            for rule in rule_set.get("rules", []):
                text = rule.get("rule") or ""
                if text not in parsed:
                    parsed[text] = (clean_rule_text(text), parse_rule_text(text, universe))
                clean, mentions = parsed[text]
                for m in mentions:
                    ev = RooEvidence(
                        label,
                        order,
                        str(rule_set.get("heading", "")),
                        single,
                        m,
                        excerpt(clean, m.start, m.end, QUOTE_WIDTH),
                    )
                    for product in products:
                        if m.kind == "chapter" and product[:2] in {g[:2] for g in m.headings}:
                            continue
                        if m.kind == "word" and product in m.headings:
                            continue  # "unprinted fabric" for a fabric: the product's own heading in another state
                        for g in m.headings:
                            if g != product:
                                out[product][g].append(ev)
    return out


# --- the derivation ----------------------------------------------------------------------------------------
class Contribution(NamedTuple):
    value: float  # share of the product's coefficient on one input heading
    industry: str
    commodity: str
    n_headings: int  # headings the commodity's coefficient was split over
    narrowed: bool  # split restricted to headings the product's RoO name
    own: bool = False  # the split covered the product's own heading, which kept SELF_SHARE or more


@dataclass
class Purchase:
    commodity: str
    coefficient: float  # a_ij
    heads: dict[str, float]  # eligible input headings of the commodity and their HS6 mass (sorted keys)
    pool: dict[str, float]  # headings a RoO mention may narrow the split to (heads + household foods)

    @property
    def total(self) -> float:
        return self._totals[0]

    @property
    def pool_total(self) -> float:
        return self._totals[1]

    @cached_property
    def _totals(self) -> tuple[float, float]:
        return sum(self.heads.values()), sum(self.pool.values())


@dataclass
class Derivation:
    links: list[dict[str, object]]
    end_use: dict[str, str]
    stats: dict[str, object] = field(default_factory=dict)


class Deriver:
    """The pipeline over loaded sources; see the module docstring and DERIVATION.md."""

    def __init__(self, sources: Sources) -> None:
        self.s = sources
        self.product_industries = self._product_industries()
        self.purchases = self._purchases()

    # product heading -> industries, weighted by the mean HS6 share, renormalised over industries with output
    def _product_industries(self) -> dict[str, dict[str, float]]:
        by_heading: dict[str, list[str]] = defaultdict(list)
        for hs6 in sorted(self.s.end_use):
            by_heading[hs6[:4]].append(hs6)
        out: dict[str, dict[str, float]] = {}
        for heading, codes in sorted(by_heading.items()):
            mass: dict[str, float] = defaultdict(float)
            for hs6 in codes:
                for bea, share in self.s.hs6_bea.get(hs6, {}).items():
                    if bea in self.s.table.output:
                        mass[bea] += share
            total = sum(mass.values())
            if total > 0:
                out[heading] = {j: v / total for j, v in sorted(mass.items())}
        return out

    # industry -> what it buys: goods commodities with the input headings eligible for that buyer
    def _purchases(self) -> dict[str, list[Purchase]]:
        food_hs6 = {h for h, b in self.s.becs.items() if b & FOOD_BEC}
        strict: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        food: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        supply = {hs6: dict(shares) for hs6, shares in self.s.hs6_bea.items()}
        for bea, codes in COMMODITY_HS6_SUPPLEMENT.items():
            for hs6 in codes:
                supply.setdefault(hs6, {})[bea] = 1.0
        for hs6, shares in sorted(supply.items()):
            use = self.s.end_use.get(hs6, "not_classified")
            for bea, share in shares.items():
                if not is_goods_commodity(bea):
                    continue
                if use == "intermediate":
                    strict[bea][hs6[:4]] += share
                    food[bea][hs6[:4]] += share
                elif use == "consumption" and hs6 in food_hs6:
                    food[bea][hs6[:4]] += share
        mass: dict[str, float] = defaultdict(float)
        capital: dict[str, float] = defaultdict(float)
        for hs6, shares in self.s.hs6_bea.items():
            for bea, share in shares.items():
                mass[bea] += share
                if self.s.end_use.get(hs6) == "capital":
                    capital[bea] += share
        capital_type = {bea for bea in mass if capital[bea] >= CAPITAL_TYPE * mass[bea]}
        out: dict[str, list[Purchase]] = {}
        for j, bought in sorted(self.s.table.use.items()):
            if j not in self.s.table.output or self.s.table.output[j] <= 0:
                continue
            is_food = j.startswith(FOOD_BUYERS)
            rows = []
            for i, value in sorted(bought.items()):
                if value <= 0 or not is_goods_commodity(i):
                    continue
                if i in ENERGY and not j.startswith(ENERGY_FEEDSTOCK_BUYERS):
                    continue  # fuel, except as a chemical feedstock
                if i in capital_type and not j.startswith(CAPITAL_BUYERS):
                    continue  # equipment (its parts are intermediate goods, but bought here for upkeep)
                # intermediate headings; a food industry falls back on household-food headings (BEC 112/122) when
                # the commodity has no intermediate one, and a RoO may name one of those (grapes for wine)
                pool = dict(sorted((food if is_food else strict).get(i, {}).items()))
                heads = dict(sorted(strict.get(i, {}).items())) or pool
                if heads:
                    rows.append(Purchase(i, value / self.s.table.output[j], heads, pool))
            out[j] = rows
        return out

    def contributions(
        self, product: str, named_any: set[str] | None = None, named_specific: set[str] | None = None
    ) -> dict[str, list[Contribution]]:
        """Input heading -> contributions to the product's coefficient.

        Without RoO sets (``None``) every purchase is split over all the headings it may cover, household foods
        included for a food industry (the plain split, used only to corroborate and narrow RoO mentions).
        With them: a purchase from another industry is split only over the headings the RoO name specifically (a
        heading, a range or a material word) when it covers any of them; an intra-industry purchase (commodity =
        buying industry) keeps, in the product's own chapter, only headings numbered below the product (HS orders a
        chapter roughly from raw to processed, so higher ones are mostly siblings) or named by the RoO. The
        product's own heading takes at least SELF_SHARE of a split that covers it and is then dropped.
        """
        plain = named_any is None
        any_set = named_any or set()
        specific = named_specific or set()
        chapter = product[:2]
        out: dict[str, list[Contribution]] = defaultdict(list)
        for j, s in self.product_industries.get(product, {}).items():
            for p in self.purchases.get(j, []):
                heads = p.pool if plain else p.heads
                narrowed = False
                if not plain and p.commodity == j:
                    heads = {g: m for g, m in heads.items() if g[:2] != chapter or g <= product or g in any_set}
                elif not plain and specific:
                    hit = {g: m for g, m in p.pool.items() if g in specific}
                    if hit:
                        if product in heads:
                            hit[product] = heads[product]
                        heads, narrowed = dict(sorted(hit.items())), True
                total = p.total if heads is p.heads else p.pool_total if heads is p.pool else sum(heads.values())
                own = heads.get(product, 0.0)
                others = total - own
                if total <= 0 or others <= 0:
                    continue
                scale = s * p.coefficient * (1.0 - max(SELF_SHARE, own / total) if own else 1.0) / others
                for g, m in heads.items():
                    if g != product:
                        out[g].append(Contribution(scale * m, j, p.commodity, len(heads), narrowed, own > 0))
        return out

    def plain_coefficients(self, product: str) -> tuple[dict[str, float], dict[str, float]]:
        """The plain split summed per input heading: all purchases, and purchases from other industries only."""
        total: dict[str, float] = defaultdict(float)
        other: dict[str, float] = defaultdict(float)
        for g, cs in self.contributions(product).items():
            for c in cs:
                total[g] += c.value
                if c.commodity != c.industry:
                    other[g] += c.value
        return dict(total), dict(other)

    def run(self, rules_dir: Path) -> Derivation:
        stats: dict[str, object] = {
            "hs6": len(self.s.end_use),
            "hs6_mapped_to_bea": len(self.s.hs6_bea),
            "hs4": len(self.s.universe),
            "products_with_industry": len(self.product_industries),
        }
        # pass 1: plain coefficients, to corroborate and narrow rules-of-origin mentions
        plain: dict[str, dict[str, float]] = {}
        plain_other: dict[str, dict[str, float]] = {}  # without intra-industry purchases
        for product in sorted(self.product_industries):
            plain[product], plain_other[product] = self.plain_coefficients(product)
        roo = self._accept_roo(read_rule_mentions(rules_dir, self.s.universe), plain, plain_other, stats)
        derived = self._derived_links(roo, stats)
        derived_pairs = {(str(x["product"]), str(x["input"])) for x in derived}
        roo_links = self._roo_links(roo, derived_pairs, plain, stats)
        links = derived + roo_links
        links.sort(key=lambda x: (str(x["product"]), str(x["source"]), -float(str(x["weight"])), str(x["input"])))
        stats["links"] = len(links)
        stats["products"] = len({x["product"] for x in links})
        return Derivation(links, dict(self.s.end_use), stats)

    @staticmethod
    def _accept_roo(
        raw: dict[str, dict[str, list[RooEvidence]]],
        plain: dict[str, dict[str, float]],
        plain_other: dict[str, dict[str, float]],
        stats: dict[str, object],
    ) -> dict[str, dict[str, list[RooEvidence]]]:
        """Keep the rules-of-origin mentions that are evidence of an input (see DERIVATION.md, step 5)."""
        roo: dict[str, dict[str, list[RooEvidence]]] = {}
        dropped = {"except": 0, "range": 0, "group": 0}
        for product in sorted(raw):
            coef = plain.get(product, {})
            coef_other = plain_other.get(product, {})
            candidates = {g for g, v in coef.items() if v >= CORROBORATION}
            keep: dict[str, list[RooEvidence]] = {}
            for g, evs in sorted(raw[product].items()):
                accepted = []
                for ev in evs:
                    m = ev.mention
                    if m.role == "except":
                        # exclusions name precursors but also sibling products: keep the ones the industry table
                        # corroborates through a purchase from another industry
                        if coef_other.get(g, 0.0) < CORROBORATION:
                            dropped["except"] += 1
                            continue
                    elif not ev.single_heading and coef.get(g, 0.0) < CORROBORATION:
                        dropped["range"] += 1  # a rule shared by a range of headings names the union of their needs
                        continue
                    elif m.kind in ("chapter", "word") and len(m.headings) > 1:
                        overlap = set(m.headings) & candidates
                        if overlap and g not in overlap:
                            dropped["group"] += 1  # keep the headings of a chapter/word the table also gives
                            continue
                    accepted.append(ev)
                if accepted:
                    keep[g] = accepted
            if keep:
                roo[product] = keep
        stats["roo_pairs_named"] = sum(len(v) for v in raw.values())
        stats["roo_pairs_kept"] = sum(len(v) for v in roo.values())
        stats["roo_dropped_except_uncorroborated"] = dropped["except"]
        stats["roo_dropped_range_rule_uncorroborated"] = dropped["range"]
        stats["roo_dropped_group_outside_table"] = dropped["group"]
        return roo

    def _derived_links(
        self, roo: dict[str, dict[str, list[RooEvidence]]], stats: dict[str, object]
    ) -> list[dict[str, object]]:
        links: list[dict[str, object]] = []
        n_pairs = n_threshold = n_relative = n_agreeing = 0
        for product in sorted(self.product_industries):
            evidence = roo.get(product, {})
            named_any = set(evidence)
            named_specific = {g for g, evs in evidence.items() if any(ev.mention.kind != "chapter" for ev in evs)}
            roo_chapters = {g[:2] for g in named_any}
            contrib = self.contributions(product, named_any, named_specific)
            coef = {g: sum(c.value for c in cs) for g, cs in contrib.items()}
            n_pairs += len(coef)

            def affinity(g: str, product: str = product, roo_chapters: set[str] = roo_chapters) -> float:
                if g[:2] == product[:2]:
                    return AFFINITY["same_chapter"]
                if g[:2] in roo_chapters:
                    return AFFINITY["roo_chapter"]
                if section_of(g) == section_of(product):
                    return AFFINITY["same_section"]
                return 1.0

            above = [g for g in coef if coef[g] >= MIN_COEFFICIENT]
            n_threshold += len(above)
            if not above:
                continue
            top = max(coef.values())
            above = [g for g in above if coef[g] >= MIN_WEIGHT * top or g in named_any]
            n_relative += len(above)
            best_of = {g: max(contrib[g], key=lambda c: (c.value, c.industry, c.commodity)) for g in above}
            intra = {g for g, c in best_of.items() if c.commodity == c.industry}
            ranked = sorted(above, key=lambda g: (-coef[g] * affinity(g) * (INTRA_RANK if g in intra else 1.0), g))
            kept = [g for n, g in enumerate(ranked) if n < MAX_INPUTS or g in named_any][: MAX_INPUTS + MAX_NAMED_EXTRA]
            top = max(coef[g] for g in kept)
            for g in kept:
                w = coef[g] / top
                best = best_of[g]
                agreeing = evidence.get(g, [])
                if agreeing:
                    n_agreeing += 1
                    n_agreements = len({ev.agreement for ev in agreeing})
                    confidence = 0.60 + 0.20 * w + 0.05 * min(n_agreements - 1, 2)
                else:
                    confidence = (0.15 if g in intra else 0.20) + 0.15 * w + (0.05 if affinity(g) > 1.0 else 0.0)
                links.append(
                    {
                        "input": g,
                        "product": product,
                        "weight": round(w, 4),
                        "confidence": round(confidence, 3),
                        "source": "derived",
                        "detail": self._derived_detail(best, len(contrib[g]) - 1, agreeing),
                        "coefficient": round(coef[g], 6),
                    }
                )
        stats["derived_pairs_before_threshold"] = n_pairs
        stats["derived_pairs_above_threshold"] = n_threshold
        stats["derived_pairs_above_relative_floor"] = n_relative
        stats["derived_links"] = len(links)
        stats["derived_links_agreeing_with_roo"] = n_agreeing
        return links

    def _derived_detail(self, best: Contribution, more: int, agreeing: list[RooEvidence]) -> str:
        a = self.s.table.coefficient(best.commodity, best.industry)
        industry = _short(self.s.industry_names.get(best.industry, "?"))
        commodity = _short(self.s.commodity_names.get(best.commodity, "?"))
        plural = "s" if best.n_headings > 1 else ""
        bought = "its own output" if best.commodity == best.industry else f"{best.commodity} ({commodity})"
        text = (
            f"BEA 2017 Use table: {best.industry} ({industry}) buys {bought} for {a:.4f} of output, "
            f"split over {best.n_headings} heading{plural}"
        )
        if best.narrowed:
            text += " named by RoO"
        if best.own:
            text += f", own heading kept {SELF_SHARE:.0%}+"
        if more:
            text += f"; +{more} other purchase{'s' if more > 1 else ''}"
        if agreeing:
            text += f"; agrees with {min(agreeing, key=lambda ev: ev.order).agreement} RoO"
        return text

    @staticmethod
    def _roo_links(
        roo: dict[str, dict[str, list[RooEvidence]]],
        derived_pairs: set[tuple[str, str]],
        plain: dict[str, dict[str, float]],
        stats: dict[str, object],
    ) -> list[dict[str, object]]:
        """One link per named (product, input); per product the most confident first, then specific mentions,
        then inputs the industry table gives more of (so cotton yarn comes before silk yarn for T-shirts)."""
        order = [label for _, label in AGREEMENTS]
        out: list[dict[str, object]] = []
        for product in sorted(roo):
            rows = []
            for g, evs in sorted(roo[product].items()):
                uses = [ev for ev in evs if ev.mention.role == "uses"]
                role = "uses" if uses else "except"
                first = min(uses or evs, key=lambda ev: (ev.order, ev.mention.kind != "heading", ev.mention.start))
                agreements = sorted({ev.agreement for ev in evs}, key=order.index)
                corroborated = (product, g) in derived_pairs
                confidence = (0.45 if role == "uses" else 0.35) + 0.05 * min(len(agreements) - 1, 2)
                confidence += 0.10 if corroborated else 0.0
                also = f" (+{len(agreements) - 1} more)" if len(agreements) > 1 else ""
                verb = "names" if role == "uses" else "excludes"
                detail = (
                    f"{first.agreement} rules of origin{also}, {first.heading_label} {verb} "
                    f'{first.mention.label}: "{first.quote}"'
                )
                specific = first.mention.kind == "heading"
                tie = -plain.get(product, {}).get(g, 0.0)
                rows.append((-round(confidence, 3), not specific, tie, g, role, confidence, detail))
            rows.sort()
            for _, _, _, g, role, confidence, detail in rows[:MAX_ROO_INPUTS]:
                out.append(
                    {
                        "input": g,
                        "product": product,
                        "weight": ROO_WEIGHT[role],
                        "confidence": round(confidence, 3),
                        "source": "rules_of_origin",
                        "detail": detail,
                        "coefficient": None,
                    }
                )
        stats["roo_links"] = len(out)
        stats["roo_links_agreeing_with_derived"] = sum(
            1 for x in out if (str(x["product"]), str(x["input"])) in derived_pairs
        )
        return out


def derive(source_dir: str | Path, rules_dir: str | Path) -> Derivation:
    """Run the whole derivation; links, end-use table and counts."""
    return Deriver(load_sources(Path(source_dir))).run(Path(rules_dir))


def build(source_dir: str | Path, rules_dir: str | Path) -> tuple[list[dict[str, object]], dict[str, str]]:
    """Links (dicts with the LINK_FIELDS keys; ``coefficient`` None for RoO links) and HS6 -> end use."""
    result = derive(source_dir, rules_dir)
    return result.links, result.end_use


# --- output ------------------------------------------------------------------------------------------------
_DIGITS = {"weight": 4, "confidence": 3, "coefficient": 6}


def _cell(key: str, value: object) -> str:
    if value is None:
        return ""
    if key in _DIGITS:
        return f"{float(str(value)):.{_DIGITS[key]}f}"
    return str(value)


def write_links(path: Path, links: Sequence[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(LINK_FIELDS)
        for link in links:
            writer.writerow([_cell(k, link.get(k)) for k in LINK_FIELDS])


def write_end_use(path: Path, end_use: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("hs6", "end_use"))
        for hs6 in sorted(end_use):
            writer.writerow((hs6, end_use[hs6]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Derive product <- input links between HS headings.")
    parser.add_argument("--source", default="data/input_output/source", help="folder with the copied source tables")
    parser.add_argument(
        "--rules", default="data/rules_of_origin/uk_trade_tariff_backend/rule_sets", help="folder of rule-set JSON"
    )
    parser.add_argument("--out", default="data/input_output", help="where derived_links.csv and end_use.csv go")
    args = parser.parse_args(argv)
    result = derive(args.source, args.rules)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_links(out / "derived_links.csv", result.links)
    write_end_use(out / "end_use.csv", result.end_use)
    counts: dict[str, int] = defaultdict(int)
    for e in result.end_use.values():
        counts[e] += 1
    for key, value in result.stats.items():
        print(f"{key}: {value}")
    print("end_use: " + ", ".join(f"{e} {counts[e]}" for e in END_USES))
    print(f"wrote {out / 'derived_links.csv'} and {out / 'end_use.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
