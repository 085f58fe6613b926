"""Gazetteer: country, bloc, subdivision and city names of es/pt/en, folded and matched on token n-grams.

Sources: pycountry (ISO 3166-1 names and their es / pt_BR translations, ISO 3166-2 subdivisions of the six
IVCS countries) and the curated CSV files under data/geo (aliases, blocs, demonyms, cities and producer
regions, and names that are ordinary words unless capitalised).
"""

from __future__ import annotations

import csv
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from ivcs.engines.text import fold

from .model import BLOCS

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "geo"
SME_COUNTRIES = ("CL", "CO", "MX", "PE", "CR", "BR")
MAX_NGRAM = 8
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)

# Priority of a name: curated beats official, official beats the short forms derived from "X, República de".
_CURATED, _OFFICIAL, _DERIVED = 3, 2, 1


@dataclass(frozen=True)
class GeoEntry:
    name: str  # canonical name
    country: str  # ISO alpha-2 or bloc code
    kind: str  # country | subdivision | city | bloc
    subdivision: str = ""  # ISO 3166-2 code when known


@dataclass(frozen=True)
class Gazetteer:
    """Folded token tuples -> candidate entries. Several candidates mean an ambiguous name (Amazonas)."""

    names: dict[tuple[str, ...], tuple[GeoEntry, ...]]
    capitalized: frozenset[tuple[str, ...]]  # names that are ordinary words unless capitalised
    upper_only: frozenset[tuple[str, ...]]  # abbreviations that are words in lower case (EU, US, CAN)
    demonyms: dict[str, str]  # folded words joined by one space -> ISO alpha-2 or bloc code
    bloc_members: dict[str, frozenset[str]]
    countries: frozenset[str] = field(default_factory=frozenset)
    max_len: int = MAX_NGRAM

    def lookup(self, key: tuple[str, ...]) -> tuple[GeoEntry, ...]:
        return self.names.get(key, ())

    def is_valid_code(self, code: str) -> bool:
        return code in self.countries or code in self.bloc_members


def _key(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(name)))


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    yield from csv.DictReader(lines)


def _translations() -> list[gettext.NullTranslations]:
    out: list[gettext.NullTranslations] = []
    for locale in ("es", "pt_BR", "pt"):
        try:
            out.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale]))
        except OSError:
            continue
    return out


def _country_names(name: str) -> list[tuple[str, int]]:
    """The official name plus short forms: 'Corea, República de' -> 'Corea'; 'Bolivia (Estado ...)' -> 'Bolivia'."""
    out = [(name, _OFFICIAL)]
    short = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if short != name:
        out.append((short, _DERIVED))
    if "," in short:
        out.append((short.split(",")[0].strip(), _DERIVED))
    return out


def build_gazetteer(data_dir: Path) -> Gazetteer:
    # key -> {(country, kind, subdivision): (priority, GeoEntry)}
    table: dict[tuple[str, ...], dict[tuple[str, str, str], tuple[int, GeoEntry]]] = {}

    def add(name: str, entry: GeoEntry, priority: int) -> None:
        key = _key(name)
        if not key or len(key) > MAX_NGRAM:
            return
        slot = table.setdefault(key, {})
        ident = (entry.country, entry.kind, entry.subdivision)
        if ident not in slot or slot[ident][0] < priority:
            slot[ident] = (priority, entry)

    translations = _translations()
    countries: set[str] = set()
    for country in pycountry.countries:
        code = str(country.alpha_2)
        countries.add(code)
        base = str(country.name)
        entry = GeoEntry(base, code, "country")
        english = [
            base,
            str(getattr(country, "common_name", "") or ""),
            str(getattr(country, "official_name", "") or ""),
        ]
        for name in english:
            for variant, priority in _country_names(name) if name else []:
                add(variant, entry, priority)
        for translation in translations:
            local = translation.gettext(base)
            for variant, priority in _country_names(local):
                add(variant, entry, priority)

    for code in SME_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=code) or []:  # type: ignore[no-untyped-call]
            add(str(sub.name), GeoEntry(str(sub.name), code, "subdivision", str(sub.code)), _OFFICIAL)

    for row in _rows(data_dir / "places.csv"):
        entry = GeoEntry(row["name"], row["country"], row["kind"], row.get("subdivision") or "")
        add(row["name"], entry, _CURATED)

    upper_only: set[tuple[str, ...]] = set()
    capitalized: set[tuple[str, ...]] = set()
    curated_aliases: dict[tuple[str, ...], list[GeoEntry]] = {}
    for row in _rows(data_dir / "aliases.csv"):
        entry = GeoEntry(row["alias"], row["code"], row["kind"])
        known = curated_aliases.setdefault(_key(row["alias"]), [])
        if all((old.country, old.kind) != (entry.country, entry.kind) for old in known):
            known.append(entry)
        if row.get("match") == "upper":
            upper_only.add(_key(row["alias"]))
        elif row.get("match") == "capitalized":
            capitalized.add(_key(row["alias"]))
    for row in _rows(data_dir / "capitalized.csv"):
        capitalized.add(_key(row["name"]))

    names: dict[tuple[str, ...], tuple[GeoEntry, ...]] = {}
    for key, slot in table.items():
        ranked = sorted(slot.values(), key=lambda item: -item[0])
        kept = [entry for priority, entry in ranked if priority > _DERIVED]
        derived = [entry for priority, entry in ranked if priority == _DERIVED]
        # A derived short form survives only when it names one country and nothing else.
        if not kept and len({entry.country for entry in derived}) == 1:
            kept = derived[:1]
        if kept:
            names[key] = tuple(kept)
    for key, entries in curated_aliases.items():
        # Curated country/bloc aliases replace generated countries but keep subdivisions and cities of that name.
        others = [entry for entry in names.get(key, ()) if entry.kind in ("subdivision", "city")]
        names[key] = tuple(entries) + tuple(others)

    # Demonyms of one or two words ("peruana", "costa rican"), keyed by their folded words joined by a space.
    demonyms = {" ".join(_key(row["demonym"])): row["code"] for row in _rows(data_dir / "demonyms.csv")}
    bloc_members = {row["code"]: frozenset(row["members"].split()) for row in _rows(data_dir / "blocs.csv")}
    for bloc in BLOCS:
        bloc_members.setdefault(bloc, frozenset())
    max_len = max((len(key) for key in names), default=1)
    return Gazetteer(
        names=names,
        capitalized=frozenset(capitalized),
        upper_only=frozenset(upper_only),
        demonyms=demonyms,
        bloc_members=bloc_members,
        countries=frozenset(countries),
        max_len=max_len,
    )


@lru_cache(maxsize=8)
def _cached(data_dir: Path) -> Gazetteer:
    return build_gazetteer(data_dir)


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """The gazetteer built from pycountry and the CSV files in data_dir (default data/geo); cached per directory."""
    return _cached((data_dir or DEFAULT_DATA_DIR).resolve())
