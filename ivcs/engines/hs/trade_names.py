"""Trade names: the words people and trade use ("palta", "castanha-do-pará", "t-shirt"), mapped to HS codes.

The curated list lives in data/hs/trade_names.csv with the columns `term,lang,countries,hs,note`
(`hs`: space-separated HS4/HS6 codes, most specific first; `countries`: space-separated ISO codes where
the term is used, may be empty). Loading is forgiving: a row with no term, an unknown language or no
well-formed code is skipped, and a missing file gives an empty list; it never raises.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ivcs.engines.hs.nomenclature import DEFAULT_DATA_DIR

DEFAULT_TRADE_NAMES = DEFAULT_DATA_DIR / "trade_names.csv"
_LANGS = ("es", "pt", "en")
_CODE = re.compile(r"^\d{4}(\d{2})?$")


@dataclass(frozen=True)
class TradeName:
    term: str
    lang: str  # es, pt or en ("" when the file did not say)
    codes: tuple[str, ...]  # HS4 or HS6 digits, most specific first
    countries: tuple[str, ...] = ()
    note: str = ""


def _codes(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in re.split(r"[\s,;]+", text or ""):
        code = raw.replace(".", "").strip()
        if _CODE.match(code) and code not in out:
            out.append(code)
    return tuple(out)


def load_trade_names(path: Path | None = None) -> list[TradeName]:
    """Read trade names from `path` (default data/hs/trade_names.csv); skip bad rows, never raise."""
    path = path or DEFAULT_TRADE_NAMES
    out: list[TradeName] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    term = (row.get("term") or "").strip()
                    lang = (row.get("lang") or "").strip().lower()
                    codes = _codes(row.get("hs") or "")
                    if not term or not codes or len(term) > 200:
                        continue
                    out.append(
                        TradeName(
                            term=term,
                            lang=lang if lang in _LANGS else "",
                            codes=codes,
                            countries=tuple((row.get("countries") or "").upper().split()),
                            note=(row.get("note") or "").strip(),
                        )
                    )
                except (AttributeError, TypeError, ValueError):
                    continue
    except (OSError, UnicodeDecodeError, csv.Error):
        return out
    return out
