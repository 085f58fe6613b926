"""Read a tariff-rate text, as printed in a national schedule, into a typed :class:`Rate`.

The text is always kept verbatim in :attr:`Rate.text`; :attr:`Rate.percent` is set only when the whole text is a
plain ad valorem rate (or free), never guessed. What this module understands, per market:

* ``US`` (HTSUS column 1): ``Free``, ``6.4%``, specific ``1.5¢/kg``, ``$1.04/kg``, ``21.9¢ each``, compound
  ``2.2¢/kg + 7.5%``, and references (``See 9822.05.10``, "The rate applicable to ...").
* ``JP`` (Japan Customs, Japanese text): ``無税``/``免税`` (free), ``3%``, specific ``25円/kg``, ``123.20円/l``,
  compound ``10%+50円/kg`` (full-width signs are read too) and "whichever is higher/lower"
  (``…のうちいずれか高い税率``), a rate in parentheses (a WTO rate that does not apply because the
  general or temporary rate is lower: see :func:`jp_parenthesised`),
  tariff-quota texts (``関税割当``), seasonal texts (``毎年…月…日``), and rates that differ by sub-item or by
  CPTPP party (kind ``conditional``). Japan Customs markers (◎ ● ◆ ※ *) are kept in the text and noted, not
  interpreted.
* ``GB``/``EU`` (UK Global Tariff 2021 and EU CET 2020): ``0.00%``/``12.00%``, specific ``26.00 GBP / hl`` or
  ``32.00 EUR / 100 kg``, compound (``+``, ``MIN``/``MAX``, the agricultural components ``EA``/``ADSZ``/``ADFM``),
  seasonal (``14.40% (01 JAN-14 JUL, …), 17.60% (15 JUL-31 OCT)``) and ``Entry Price``.

Anything else is kind ``unknown`` with the text kept. :func:`parse_rate` never raises.

Plain Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Final, Literal

RateKind = Literal[
    "free",  # 0 %, percent == 0
    "ad_valorem",  # a single percentage of the customs value, percent set
    "specific",  # an amount per unit (kg, litre, item ...): needs the quantity, never a %
    "compound",  # several components (ad valorem + specific, whichever higher/lower, MIN/MAX ...)
    "quota",  # a tariff-rate quota: the rate depends on whether the quota is filled
    "seasonal",  # the rate depends on the date of import
    "conditional",  # the rate depends on the sub-item or on the partner country, stated in the text
    "reference",  # points to another provision ("See 9823.04.01")
    "unknown",  # not understood: show the text verbatim
    "empty",  # no text at all
]
KINDS: Final[tuple[str, ...]] = (
    "free",
    "ad_valorem",
    "specific",
    "compound",
    "quota",
    "seasonal",
    "conditional",
    "reference",
    "unknown",
    "empty",
)
MARKETS: Final[tuple[str, ...]] = ("US", "JP", "GB", "EU")
AD_VALOREM_KINDS: Final[frozenset[str]] = frozenset({"free", "ad_valorem"})

NOTE_SPECIFIC = "specific duty: the amount depends on weight or quantity, not on value"
NOTE_COMPOUND = "compound duty: part of it depends on weight or quantity"
NOTE_QUOTA = "tariff-rate quota: the rate shown may apply only within the quota"
NOTE_SEASONAL = "seasonal rate: depends on the date of import"
NOTE_REFERENCE = "the rate is given by reference to another provision, which is not loaded"
NOTE_UNKNOWN = "rate text not understood: shown verbatim"
NOTE_JP_PARENTHESES = (
    "Japan rate in parentheses: for a WTO rate this means the general or temporary rate is equal or lower and "
    "applies instead (Japan Customs convention; verify)"
)


@dataclass(frozen=True, slots=True)
class Rate:
    """A duty rate. ``percent`` is set only for kinds ``free`` (0) and ``ad_valorem``; ``text`` is verbatim."""

    kind: RateKind
    percent: Decimal | None
    text: str
    notes: tuple[str, ...] = ()

    @property
    def is_ad_valorem(self) -> bool:
        """True when the rate is free or a plain percentage of value (so a saving can be computed)."""
        return self.kind in AD_VALOREM_KINDS and self.percent is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "percent": None if self.percent is None else str(self.percent),
            "text": self.text,
            "notes": list(self.notes),
        }


EMPTY: Final = Rate("empty", None, "", ())

_NUMBER = r"[0-9]+(?:[.,][0-9]+)*"
_PERCENT = re.compile(rf"({_NUMBER})\s*%")
_JP_MARKERS = re.compile(r"^(?:\*\*|\*|◎|●|※)+")
_JP_FOOTNOTE = re.compile(r"\s*◆\s*[0-9]+\s*$")


def _decimal(number: str) -> Decimal | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def _percent_rate(number: str, text: str, notes: tuple[str, ...]) -> Rate:
    value = _decimal(number)
    if value is None:
        return Rate("unknown", None, text, (*notes, NOTE_UNKNOWN))
    if value == 0:
        return Rate("free", Decimal(0), text, notes)
    return Rate("ad_valorem", value, text, notes)


# --- United States -------------------------------------------------------------------------------------------

_US_AD_VALOREM = re.compile(rf"({_NUMBER})\s*%")
_US_SPECIFIC = re.compile(rf"(?:\$\s*{_NUMBER}|{_NUMBER}\s*¢)\s*(?:/|each\b)")
_US_AD_VALOREM_PART = re.compile(rf"{_NUMBER}\s*%\s+on\s+\S")
_US_REFERENCE = re.compile(r"^(?:see\b|the rate (?:of duty )?applicable\b)", re.IGNORECASE)


def _parse_us(text: str, clean: str) -> Rate:
    if clean.casefold() == "free":
        return Rate("free", Decimal(0), text)
    match = _US_AD_VALOREM.fullmatch(clean)
    if match:
        return _percent_rate(match.group(1), text, ())
    if _US_REFERENCE.match(clean):
        return Rate("reference", None, text, (NOTE_REFERENCE,))
    parts = [part.strip() for part in clean.split(" + ")]
    specific = [bool(_US_SPECIFIC.match(part)) for part in parts]
    ad_valorem = [bool(_US_AD_VALOREM.fullmatch(part) or _US_AD_VALOREM_PART.match(part)) for part in parts]
    if not all(s or a for s, a in zip(specific, ad_valorem, strict=True)):
        return Rate("unknown", None, text, (NOTE_UNKNOWN,))
    if all(specific):
        return Rate("specific", None, text, (NOTE_SPECIFIC,))
    if any(specific):
        return Rate("compound", None, text, (NOTE_COMPOUND,))
    # Only ad valorem parts, but on parts of the article ("6% on the case + 5.3% on the battery").
    return Rate(
        "compound",
        None,
        text,
        ("ad valorem on parts of the article's value (case, strap, battery ...): shown verbatim",),
    )


# --- Japan ---------------------------------------------------------------------------------------------------

_JP_FREE = ("無税", "免税")
_JP_SPECIFIC = re.compile(rf"{_NUMBER}円\s*/\s*\S+")
_JP_COMPOUND_PLUS = re.compile(rf"{_NUMBER}%\s*\+\s*{_NUMBER}円\s*/\s*\S+")
_JP_BROKEN_LINE = re.compile(r"\s*\n\s*(?=[/(〜~+])|(?<=[+〜~])\s*\n\s*")  # a line broken inside one rate
_JP_SEASON = re.compile(r"毎年[0-9]+月[0-9]+日")


def jp_parenthesised(text: str) -> bool:
    """True when a Japanese rate text is wholly in parentheses, e.g. ``(無税)``, ``*(482円/kg)``, ``(5%)``:
    for a WTO rate this means the general or temporary rate applies instead."""
    clean = _JP_MARKERS.sub("", unicodedata.normalize("NFKC", text).strip())
    clean = _JP_FOOTNOTE.sub("", clean).replace("\n", "").strip()
    return clean.startswith("(") and clean.endswith(")") and clean.count("(") == 1 and clean.count(")") == 1


def _parse_jp(text: str, clean: str) -> Rate:
    notes: list[str] = []
    clean = _JP_BROKEN_LINE.sub("", clean)
    marker = _JP_MARKERS.match(clean)
    if marker:
        notes.append(f"Japan Customs marker {marker.group(0)!r} kept in the text, not interpreted")
        clean = clean[marker.end() :].strip()
    footnote = _JP_FOOTNOTE.search(clean)
    if footnote:
        notes.append(f"Japan Customs footnote {footnote.group(0).strip()!r} not interpreted")
        clean = clean[: footnote.start()].strip()
    if "\n" not in clean and jp_parenthesised(clean):
        notes.append(NOTE_JP_PARENTHESES)
        clean = clean[1:-1].strip()
    if not clean:
        return Rate("unknown", None, text, (*notes, NOTE_UNKNOWN))
    if "関税割当" in clean:
        return Rate("quota", None, text, (*notes, NOTE_QUOTA))
    if _JP_SEASON.search(clean):
        return Rate("seasonal", None, text, (*notes, NOTE_SEASONAL))
    if "に対する待遇" in clean:
        return Rate("conditional", None, text, (*notes, "the rate differs by partner country: see the text"))
    if "\n" in clean or "\u3000" in text or re.search(r"のもの\s", clean):
        if "いずれか" in clean and "のもの" not in clean:  # "a or b, whichever is lower\nbut not below c"
            return Rate("compound", None, text, (*notes, "whichever is higher or lower, with a floor: see the text"))
        return Rate("conditional", None, text, (*notes, "the rate differs by sub-item: see the text"))
    if "〜" in clean or "~" in clean or "一部" in clean or "非譲許" in clean:
        return Rate("unknown", None, text, (*notes, "a range or alternative over sub-items: shown verbatim"))
    if "課税価格" in clean or "基準輸入価格" in clean:
        return Rate(
            "unknown", None, text, (*notes, "the duty depends on the customs value (gate-price or differential duty)")
        )
    if clean in _JP_FREE:
        return Rate("free", Decimal(0), text, tuple(notes))
    match = _PERCENT.fullmatch(clean)
    if match:
        return _percent_rate(match.group(1), text, tuple(notes))
    if _JP_SPECIFIC.fullmatch(clean):
        return Rate("specific", None, text, (*notes, NOTE_SPECIFIC))
    if _JP_COMPOUND_PLUS.fullmatch(clean):
        return Rate("compound", None, text, (*notes, NOTE_COMPOUND))
    if "いずれか高い" in clean and "円" in clean:
        return Rate("compound", None, text, (*notes, "whichever is higher of an ad valorem and a specific duty"))
    if "いずれか低い" in clean and "円" in clean:
        return Rate("compound", None, text, (*notes, "whichever is lower of an ad valorem and a specific duty"))
    return Rate("unknown", None, text, (*notes, NOTE_UNKNOWN))


# --- United Kingdom and EU -----------------------------------------------------------------------------------

_MONTHS = r"(?:JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEP|OCT|NOV|DEC)"
_EU_SEASON = re.compile(rf"\([^)]*\b[0-9]{{1,2}}\s*{_MONTHS}\b[^)]*\)", re.IGNORECASE)
_EU_SPECIFIC = re.compile(rf"{_NUMBER}\s*(?:GBP|EUR|€|£)\s*/", re.IGNORECASE)
_EU_COMPONENT = re.compile(r"\b(?:EA|EAR|ADSZ|ADSZR|ADFM|ADFMR)\b")


def _parse_eu(text: str, clean: str) -> Rate:
    if clean.casefold() == "entry price":
        return Rate(
            "unknown",
            None,
            text,
            ("entry-price system: the duty depends on the import price; see the tariff for the rate",),
        )
    if _EU_SEASON.search(clean):
        return Rate("seasonal", None, text, (NOTE_SEASONAL,))
    match = _PERCENT.fullmatch(clean)
    if match:
        return _percent_rate(match.group(1), text, ())
    has_percent = bool(_PERCENT.search(clean))
    has_specific = bool(_EU_SPECIFIC.search(clean))
    if _EU_COMPONENT.search(clean) and has_percent:
        return Rate("compound", None, text, ("plus an agricultural component (EA/ADSZ/ADFM) that depends on content",))
    if has_percent and (has_specific or " MIN " in f" {clean} " or " MAX " in f" {clean} "):
        return Rate("compound", None, text, (NOTE_COMPOUND,))
    if has_specific and not has_percent and _EU_SPECIFIC.match(clean):
        parts = [part.strip() for part in clean.split("+")]
        if all(_EU_SPECIFIC.match(part) for part in parts):
            return Rate("specific", None, text, (NOTE_SPECIFIC,))
        return Rate("compound", None, text, (NOTE_COMPOUND,))
    return Rate("unknown", None, text, (NOTE_UNKNOWN,))


@lru_cache(maxsize=8192)
def parse_rate(text: str, market: str) -> Rate:
    """The rate printed as ``text`` in ``market``'s schedule (``US``, ``JP``, ``GB`` or ``EU``). Never raises."""
    clean = unicodedata.normalize("NFKC", text).strip()
    if not clean:
        return EMPTY if text == "" else Rate("empty", None, text, ())
    if market == "US":
        return _parse_us(text, " ".join(clean.split()))
    if market == "JP":
        return _parse_jp(text, clean)
    if market in ("GB", "EU"):
        return _parse_eu(text, " ".join(clean.split()))
    return Rate("unknown", None, text, (f"unknown market {market!r}: rate not read",))
