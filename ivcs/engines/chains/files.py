"""The chain data files read into plain data: links for `ChainGraph.build` and the end-use table.

* `load_links(derived_csv, curated_yaml)`:
  - the derived CSV (header `input,product,weight,confidence,source,detail,coefficient`; `source`
    is `derived` or `rules_of_origin`, `derived` when empty; `coefficient` is informative only);
  - the curated YAML: a list of `{product, inputs: [{hs, role, note}], how_checked, checked}` (or a
    mapping holding that list). A role gives the weight: main 1.0, secondary 0.6, minor 0.3,
    packaging 0.3 (an unknown role 0.6, reported); every curated link has confidence 0.9 and source
    `curated`. `hs` may hold several codes separated by spaces or commas. The YAML is read with
    every scalar as a string, so 0701 stays "0701" (YAML 1.1 would read it as the octal 449).
* `load_end_use(csv)`: HS code -> end-use category, from a CSV whose header names the code column
  (`hs6`, `hs`, `code` or `hs_code`) and the category column (`end_use`, `category` or `bec`).

A missing file (or None) gives [] / {}. Rows that cannot be read (a malformed code, a number out of
range, an unknown source) are skipped; pass a list as `problems` to receive one line per skipped or
defaulted row (file, line, reason). Codes are normalised ("0901.21" -> "090121").
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ivcs.engines.chains.graph import SOURCES, ChainGraph, Link, UnknownCode, related

ROLE_WEIGHTS = {"main": 1.0, "secondary": 0.6, "minor": 0.3, "packaging": 0.3}
DEFAULT_ROLE_WEIGHT = 0.6
CURATED_CONFIDENCE = 0.9
DERIVED_SOURCES = SOURCES - {"curated"}
CODE_COLUMNS = ("hs6", "hs", "code", "hs_code")
USE_COLUMNS = ("end_use", "category", "bec")

PathLike = str | os.PathLike[str]


def load_links(
    derived_csv: PathLike | None, curated_yaml: PathLike | None, *, problems: list[str] | None = None
) -> list[Link]:
    """Links of both files (derived first, then curated), in file order; see the module docstring."""
    notes: list[str] = [] if problems is None else problems
    return [*_derived(derived_csv, notes), *_curated(curated_yaml, notes)]


def load_end_use(path: PathLike | None, *, problems: list[str] | None = None) -> dict[str, str]:
    """HS code (normalised) -> end-use category; {} when the file is missing."""
    notes: list[str] = [] if problems is None else problems
    if path is None or not Path(path).is_file():
        return {}
    out: dict[str, str] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in reader.fieldnames or ()]
        code_column = next((f for f in CODE_COLUMNS if f in fields), None)
        use_column = next((f for f in USE_COLUMNS if f in fields), None)
        if code_column is None or use_column is None:
            wanted = f"a code column ({'/'.join(CODE_COLUMNS)}) and an end-use column ({'/'.join(USE_COLUMNS)})"
            notes.append(f"{path}: the header lacks {wanted}")
            return {}
        for number, row in enumerate(reader, start=2):
            clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            try:
                code = ChainGraph.normalise(clean[code_column])
            except UnknownCode as error:
                notes.append(f"{path}:{number}: {error}")
                continue
            if clean[use_column]:
                out[code] = clean[use_column]
    return out


def _derived(path: PathLike | None, notes: list[str]) -> Iterator[Link]:
    if path is None or not Path(path).is_file():
        return
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                given = ChainGraph.normalise(row.get("input") or "")
                product = ChainGraph.normalise(row.get("product") or "")
                weight = float(row.get("weight") or "nan")
                confidence = float(row.get("confidence") or "nan")
            except ValueError as error:  # UnknownCode is a ValueError
                notes.append(f"{path}:{number}: {error}")
                continue
            source = (row.get("source") or "").strip() or "derived"
            if source not in DERIVED_SOURCES:
                notes.append(f"{path}:{number}: unknown source {source!r}")
                continue
            if not (0.0 < weight <= 1.0 and 0.0 < confidence <= 1.0):
                notes.append(f"{path}:{number}: weight {weight} or confidence {confidence} not in (0, 1]")
                continue
            if related(given, product):
                notes.append(f"{path}:{number}: {given} is {product} or its heading/subheading")
                continue
            yield Link(given, product, weight, confidence, source, (row.get("detail") or "").strip())


def _curated(path: PathLike | None, notes: list[str]) -> Iterator[Link]:
    if path is None or not Path(path).is_file():
        return
    with Path(path).open(encoding="utf-8") as handle:
        data: Any = yaml.load(handle, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds strings only
    if isinstance(data, dict):
        data = next((value for value in data.values() if isinstance(value, list)), [])
    if not isinstance(data, list):
        notes.append(f"{path}: expected a list of chains")
        return
    for index, chain in enumerate(data, start=1):
        if not isinstance(chain, dict):
            notes.append(f"{path}: chain {index} is not a mapping")
            continue
        try:
            product = ChainGraph.normalise(str(chain.get("product", "")))
        except UnknownCode as error:
            notes.append(f"{path}: chain {index}: {error}")
            continue
        how = str(chain.get("how_checked") or "").strip()
        for item in chain.get("inputs") or []:
            if not isinstance(item, dict):
                notes.append(f"{path}: chain {index} ({product}): an input is not a mapping")
                continue
            role = str(item.get("role") or "").strip().lower()
            weight = ROLE_WEIGHTS.get(role)
            if weight is None:
                notes.append(f"{path}: chain {index} ({product}): unknown role {role!r}, weight {DEFAULT_ROLE_WEIGHT}")
                weight = DEFAULT_ROLE_WEIGHT
            note = str(item.get("note") or "").strip()
            detail = f"curated ({role or 'no role'}){': ' + note if note else ''}{' [' + how + ']' if how else ''}"
            for raw in str(item.get("hs") or "").replace(",", " ").split():
                try:
                    given = ChainGraph.normalise(raw)
                except UnknownCode as error:
                    notes.append(f"{path}: chain {index} ({product}): {error}")
                    continue
                if related(given, product):
                    notes.append(f"{path}: chain {index}: {given} is {product} or its heading/subheading")
                    continue
                yield Link(given, product, weight, CURATED_CONFIDENCE, "curated", detail)
