#!/usr/bin/env python3
"""Validate the matching demo data and its labelled relevance set, and print their counts.

Run with the project venv:  .venv/bin/python tests/data/check_matching_data.py
Exits 1 on any error or when a coverage target is not met.

Files checked:
  data/demo/opportunities.json        fictional buyers and purchasing opportunities
  data/demo/profiles.json             fictional SME supplier profiles
  tests/data/matching_relevance.csv   profile,opportunity,grade,note (grade 0..3)

This script checks form, references and coverage only. It never runs the matching engine and
never recomputes a grade.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
import yaml

HERE = Path(__file__).resolve().parent
DEMO_TENANTS = {"ivcs", "procomex-demo"}  # the default site and the demo partner site
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from ivcs.engines.hs.nomenclature import default_nomenclature  # noqa: E402
from ivcs.engines.matching.data import UNITS  # noqa: E402

OPPORTUNITIES = ROOT / "data" / "demo" / "opportunities.json"
PROFILES = ROOT / "data" / "demo" / "profiles.json"
RELEVANCE = HERE / "matching_relevance.csv"
SECTORS = ROOT / "data" / "standards" / "sectors.yaml"
SCHEMES = ROOT / "data" / "standards" / "schemes.yaml"

LANGS = {"es", "pt", "en"}
FREQUENCIES = {"once", "weekly", "monthly", "quarterly", "yearly"}
INCOTERMS = {"EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"}
STATUSES = {"published", "draft", "closed"}
LEVELS = {"mandatory", "preferred"}
BANDS = {"micro", "small", "medium", "large"}
SME_COUNTRIES = ("CL", "CO", "MX", "PE", "CR", "BR")
SERVICES_SECTOR = "ict.software_services"

# Coverage targets of the brief.
MIN_OPPORTUNITIES, MIN_PROFILES, MIN_PROFILES_PER_COUNTRY = 48, 66, 9
MIN_LABELLED_OPPORTUNITIES, MIN_RELEVANCE_ROWS, MIN_CROSS_LINGUAL = 40, 1200, 10
SECTOR_SHARE = {
    "food_beverage": (0.40, 0.60),
    "textiles": (0.10, 0.20),
    "clothing_fashion": (0.15, 0.25),
    "ict": (0.10, 0.20),
}
MIN_LANGUAGE_SHARE = 0.25
DEADLINE, EXPIRY = (20, 120), (-30, 900)


def in_scope(code: str, patterns: list[str]) -> bool:
    """Whether an HS code falls under one of a sector's prefixes or inclusive ranges ("02-04")."""
    for pattern in patterns:
        low, _, high = str(pattern).partition("-")
        high = high or low
        if low <= code[: len(low)] <= high:
            return True
    return False


def country_ok(code: object) -> bool:
    return isinstance(code, str) and len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡\d\"])", text.strip()) if s])


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nomenclature = default_nomenclature()
        self.sectors = {s["id"]: s for s in yaml.safe_load(SECTORS.read_text(encoding="utf-8"))["sectors"]}
        self.schemes = {s["id"] for s in yaml.safe_load(SCHEMES.read_text(encoding="utf-8"))["schemes"]}

    def err(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    # ------------------------------------------------------------------ shared checks
    def hs(self, where: str, code: object) -> bool:
        if not (isinstance(code, str) and re.fullmatch(r"\d{6}", code)):
            self.err(where, f"HS code {code!r} is not 6 digits")
            return False
        entry = self.nomenclature.entries.get(code)
        if entry is None or entry.level != 6:
            self.err(where, f"HS code {code} is not an HS 2022 subheading")
            return False
        return True

    def countries(self, where: str, codes: object, field: str) -> None:
        if not isinstance(codes, list):
            self.err(where, f"{field} is not a list")
            return
        for code in codes:
            if not country_ok(code):
                self.err(where, f"{field}: {code!r} is not an ISO 3166-1 alpha-2 code")

    def sector_ids(self, where: str, ids: object) -> list[str]:
        if not isinstance(ids, list) or not ids:
            self.err(where, "sectors missing")
            return []
        for sid in ids:
            if sid not in self.sectors:
                self.err(where, f"unknown sector {sid!r}")
        return [s for s in ids if s in self.sectors]

    def sector_consistency(self, where: str, sectors: list[str], codes: list[str], services: bool) -> None:
        """Every product lies in a declared sector; every declared subsector holds a product."""
        for code in codes:
            if not any(in_scope(code, self.sectors[s]["hs"]) for s in sectors):
                self.err(where, f"HS {code} is in none of the sectors {sectors}")
        for sid in sectors:
            if self.sectors[sid]["parent"] is None:
                continue
            if sid == SERVICES_SECTOR:
                if not services:
                    self.err(where, f"{sid} declared without services")
                continue
            if not any(in_scope(code, self.sectors[sid]["hs"]) for code in codes):
                self.err(where, f"subsector {sid} covers none of its products")
            if self.sectors[sid]["parent"] not in sectors:
                self.err(where, f"subsector {sid} without its parent sector")

    def certification_ask(self, where: str, ask: object) -> None:
        if not isinstance(ask, dict) or ask.get("level") not in LEVELS:
            self.err(where, f"certification {ask!r} needs level mandatory|preferred")
            return
        options, recognised = ask.get("any_of", []), ask.get("recognised_by")
        if not options and not recognised:
            self.err(where, "certification needs any_of or recognised_by")
        if recognised is not None and recognised != "gfsi":
            self.err(where, f"recognised_by {recognised!r} is not a known recognition body")
        for scheme in options:
            if scheme not in self.schemes:
                self.err(where, f"unknown scheme {scheme!r}")

    # ------------------------------------------------------------------ opportunities
    def check_opportunities(self) -> tuple[dict[str, dict], dict[str, dict]]:
        data = json.loads(OPPORTUNITIES.read_text(encoding="utf-8"))
        if "fictional" not in data.get("_about", "").lower():
            self.err("opportunities.json", "_about must say the data is fictional")
        buyers: dict[str, dict] = {}
        for b in data["buyers"]:
            where = f"buyer {b.get('slug')}"
            if not str(b.get("slug", "")).startswith("demo-"):
                self.err(where, "slug must start with demo-")
            if not str(b.get("name", "")).endswith("(Demo)"):
                self.err(where, "name must end with (Demo)")
            if not country_ok(b.get("country")):
                self.err(where, f"country {b.get('country')!r} is not ISO2")
            if b.get("tenant") not in DEMO_TENANTS:
                self.err(where, f"tenant must be one of {sorted(DEMO_TENANTS)} (data/demo/accounts.json)")
            if b["slug"] in buyers:
                self.err(where, "duplicate slug")
            buyers[b["slug"]] = b
        opportunities: dict[str, dict] = {}
        for o in data["opportunities"]:
            where = f"opportunity {o.get('key')}"
            if not re.fullmatch(r"opp-\d{3}", str(o.get("key"))):
                self.err(where, "key must look like opp-001")
            if o["key"] in opportunities:
                self.err(where, "duplicate key")
            opportunities[o["key"]] = o
            if o.get("buyer") not in buyers:
                self.err(where, f"unknown buyer {o.get('buyer')!r}")
            if o.get("language") not in LANGS:
                self.err(where, f"language {o.get('language')!r}")
            if not o.get("title") or not 2 <= sentences(o.get("description", "")) <= 5:
                self.err(where, "title missing or description not 2-5 sentences")
            codes = [p.get("hs") for p in o.get("products", [])]
            ok_codes = [c for c in codes if self.hs(where, c)]
            for p in o.get("products", []):
                if not p.get("text"):
                    self.err(where, "product without text")
            services = o.get("services_allowed")
            if not isinstance(services, bool):
                self.err(where, "services_allowed must be a boolean")
            if not codes and not services:
                self.err(where, "no products and services not allowed")
            sectors = self.sector_ids(where, o.get("sectors"))
            self.sector_consistency(where, sectors, ok_codes, bool(services))
            quantity = o.get("quantity")
            if quantity is not None and not re.fullmatch(r"\d+(\.\d+)?", str(quantity)):
                self.err(where, f"quantity {quantity!r} is not a number string")
            if o.get("unit") not in UNITS:
                self.err(where, f"unit {o.get('unit')!r} not in {UNITS}")
            if o.get("frequency") not in FREQUENCIES:
                self.err(where, f"frequency {o.get('frequency')!r}")
            if not country_ok(o.get("delivery_country")):
                self.err(where, f"delivery_country {o.get('delivery_country')!r}")
            if not o.get("delivery_place"):
                self.err(where, "delivery_place missing")
            if o.get("incoterm") not in INCOTERMS:
                self.err(where, f"incoterm {o.get('incoterm')!r}")
            self.countries(where, o.get("eligible_countries"), "eligible_countries")
            for ask in o.get("certifications", []):
                self.certification_ask(where, ask)
            if not DEADLINE[0] <= int(o.get("deadline_in_days", 0)) <= DEADLINE[1]:
                self.err(where, f"deadline_in_days {o.get('deadline_in_days')} outside {DEADLINE}")
            if not o.get("contact_method"):
                self.err(where, "contact_method missing")
            if o.get("status") not in STATUSES:
                self.err(where, f"status {o.get('status')!r}")
        return buyers, opportunities

    # ------------------------------------------------------------------ profiles
    def check_profiles(self) -> dict[str, dict]:
        data = json.loads(PROFILES.read_text(encoding="utf-8"))
        if "fictional" not in data.get("_about", "").lower():
            self.err("profiles.json", "_about must say the data is fictional")
        profiles: dict[str, dict] = {}
        for p in data["profiles"]:
            where = f"profile {p.get('slug')}"
            if not str(p.get("slug", "")).startswith("demo-sme-"):
                self.err(where, "slug must start with demo-sme-")
            if p["slug"] in profiles:
                self.err(where, "duplicate slug")
            profiles[p["slug"]] = p
            if not str(p.get("name", "")).endswith("(fictional)"):
                self.err(where, "name must end with (fictional)")
            if p.get("country") not in SME_COUNTRIES:
                self.err(where, f"country {p.get('country')!r} is not one of {SME_COUNTRIES}")
            if not p.get("region"):
                self.err(where, "region missing")
            products = p.get("products", [])
            is_services = SERVICES_SECTOR in (p.get("sectors") or [])
            if not (1 <= len(products) <= 3 or (is_services and not products)):
                self.err(where, "needs 1-3 products (or none for a software services firm)")
            ok_codes = [pr["hs"] for pr in products if self.hs(where, pr.get("hs"))]
            for pr in products:
                if not pr.get("text"):
                    self.err(where, "product without text")
            sectors = self.sector_ids(where, p.get("sectors"))
            self.sector_consistency(where, sectors, ok_codes, is_services)
            if not 2 <= sentences(p.get("description", "")) <= 4:
                self.err(where, "description must have 2-4 sentences")
            if p.get("description_language") not in LANGS:
                self.err(where, "description_language must be es, pt or en")
            if not re.fullmatch(r"\d+(\.\d+)?", str(p.get("capacity_volume"))):
                self.err(where, f"capacity_volume {p.get('capacity_volume')!r}")
            if p.get("capacity_unit") not in UNITS:
                self.err(where, f"capacity_unit {p.get('capacity_unit')!r}")
            if not isinstance(p.get("employees"), int) or p["employees"] <= 0:
                self.err(where, "employees must be a positive integer")
            if p.get("revenue_band") not in BANDS:
                self.err(where, f"revenue_band {p.get('revenue_band')!r}")
            if not isinstance(p.get("years_exporting"), int) or p["years_exporting"] < 0:
                self.err(where, "years_exporting must be a non-negative integer")
            self.countries(where, p.get("markets_served"), "markets_served")
            self.countries(where, p.get("interest_countries"), "interest_countries")
            if not p.get("languages") or set(p["languages"]) - LANGS:
                self.err(where, f"languages {p.get('languages')!r}")
            if not isinstance(p.get("interest_buyer_types"), list):
                self.err(where, "interest_buyer_types must be a list")
            for cert in p.get("certifications", []):
                if cert.get("scheme") not in self.schemes:
                    self.err(where, f"unknown scheme {cert.get('scheme')!r}")
                days = cert.get("expires_in_days")
                if not isinstance(days, int) or not EXPIRY[0] <= days <= EXPIRY[1]:
                    self.err(where, f"expires_in_days {days!r} outside {EXPIRY}")
            if p.get("public") is not True:
                self.err(where, "public must be true")
        return profiles

    # ------------------------------------------------------------------ relevance
    def check_relevance(self, opportunities: dict[str, dict], profiles: dict[str, dict]) -> tuple[list[dict], set[str]]:
        with RELEVANCE.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != ["profile", "opportunity", "grade", "note"]:
                self.err("matching_relevance.csv", f"columns {reader.fieldnames}")
            rows = list(reader)
        seen: set[tuple[str, str]] = set()
        labelled: dict[str, set[str]] = defaultdict(set)
        cross: set[str] = set()
        for n, row in enumerate(rows, start=2):
            where = f"matching_relevance.csv line {n}"
            pair = (row["profile"], row["opportunity"])
            if row["profile"] not in profiles:
                self.err(where, f"unknown profile {row['profile']!r}")
            if row["opportunity"] not in opportunities:
                self.err(where, f"unknown opportunity {row['opportunity']!r}")
                continue
            if row["grade"] not in {"0", "1", "2", "3"}:
                self.err(where, f"grade {row['grade']!r} not in 0..3")
            if pair in seen:
                self.err(where, f"duplicate pair {pair}")
            seen.add(pair)
            labelled[row["opportunity"]].add(row["profile"])
            if opportunities[row["opportunity"]]["status"] != "published":
                self.err(where, f"{row['opportunity']} is not published")
            if "cross-lingual" in row["note"]:
                cross.add(row["opportunity"])
        # completeness: every profile of the opportunity's top-level sector is graded
        for key, graded in labelled.items():
            top = [s for s in opportunities[key]["sectors"] if "." not in s]
            expected = {slug for slug, p in profiles.items() if set(top) & set(p["sectors"])}
            missing = expected - graded
            if missing:
                self.err(
                    f"relevance {key}",
                    f"{len(missing)} profiles of sector {top} not graded, e.g. {sorted(missing)[:3]}",
                )
            if not any(r["grade"] in {"2", "3"} for r in rows if r["opportunity"] == key):
                self.err(f"relevance {key}", "no profile graded 2 or 3")
        return rows, cross

    # ------------------------------------------------------------------ run
    def run(self) -> int:
        buyers, opportunities = self.check_opportunities()
        profiles = self.check_profiles()
        rows, cross = self.check_relevance(opportunities, profiles)
        labelled = {r["opportunity"] for r in rows}

        total = len(opportunities)
        by_sector = Counter(next(s for s in o["sectors"] if "." not in s) for o in opportunities.values())
        by_lang = Counter(o["language"] for o in opportunities.values())
        by_status = Counter(o["status"] for o in opportunities.values())
        by_delivery = Counter(o["delivery_country"] for o in opportunities.values())
        by_country = Counter(p["country"] for p in profiles.values())
        by_psector = Counter(s for p in profiles.values() for s in p["sectors"] if "." not in s)
        by_dlang = Counter(p["description_language"] for p in profiles.values())
        grades = Counter(r["grade"] for r in rows)
        expired = sum(1 for p in profiles.values() for c in p["certifications"] if c["expires_in_days"] < 0)
        soon = sum(1 for p in profiles.values() for c in p["certifications"] if 0 <= c["expires_in_days"] <= 90)
        none = sum(1 for p in profiles.values() if not p["certifications"])

        if total < MIN_OPPORTUNITIES:
            self.errors.append(f"{total} opportunities < {MIN_OPPORTUNITIES}")
        for sector, (low, high) in SECTOR_SHARE.items():
            if not low <= by_sector[sector] / total <= high:
                self.errors.append(
                    f"opportunity share of {sector} {by_sector[sector] / total:.0%} outside {low:.0%}-{high:.0%}"
                )
        for lang in LANGS:
            if by_lang[lang] / total < MIN_LANGUAGE_SHARE:
                self.errors.append(f"opportunities in {lang}: {by_lang[lang]} below {MIN_LANGUAGE_SHARE:.0%}")
        if len(profiles) < MIN_PROFILES:
            self.errors.append(f"{len(profiles)} profiles < {MIN_PROFILES}")
        for country in SME_COUNTRIES:
            if by_country[country] < MIN_PROFILES_PER_COUNTRY:
                self.errors.append(f"{country}: {by_country[country]} profiles < {MIN_PROFILES_PER_COUNTRY}")
        if len(labelled) < MIN_LABELLED_OPPORTUNITIES:
            self.errors.append(f"{len(labelled)} labelled opportunities < {MIN_LABELLED_OPPORTUNITIES}")
        if len(rows) < MIN_RELEVANCE_ROWS:
            self.errors.append(f"{len(rows)} relevance rows < {MIN_RELEVANCE_ROWS}")
        if len(cross) < MIN_CROSS_LINGUAL:
            self.errors.append(f"{len(cross)} cross-lingual opportunities < {MIN_CROSS_LINGUAL}")

        print(f"opportunities.json: {len(buyers)} buyers, {total} opportunities")
        print("  per sector:", dict(by_sector.most_common()))
        print("  per language:", dict(sorted(by_lang.items())))
        print("  per status:", dict(by_status.most_common()))
        print("  delivery countries:", dict(by_delivery.most_common()))
        print(f"profiles.json: {len(profiles)} profiles")
        print("  per country:", dict(sorted(by_country.items())))
        print("  per sector:", dict(by_psector.most_common()))
        print("  description language:", dict(sorted(by_dlang.items())))
        print(f"  certificates: {expired} expired, {soon} expiring within 90 days; {none} profiles without any")
        print(f"matching_relevance.csv: {len(rows)} rows, {len(labelled)} opportunities labelled")
        print("  grades:", dict(sorted(grades.items())))
        print(f"  cross-lingual opportunities ({len(cross)}):", ", ".join(sorted(cross)))
        if self.errors:
            print(f"\n{len(self.errors)} error(s):")
            for error in self.errors:
                print("  -", error)
            return 1
        print("\nOK")
        return 0


if __name__ == "__main__":
    sys.exit(Checker().run())
