"""Materials named in rules-of-origin texts: which HS headings a product-specific rule names as inputs.

A product-specific rule (PSR) is prose such as "Manufacture from yarn", "Manufacture ... in which the value of
all the materials of chapter 17 used does not exceed 30%" or "A change to heading 5208 from any other heading,
except from heading 5205 to heading 5207". This module reads such a text and returns the headings it names,
each with a *role*:

* ``uses``: the text names the material as something the product is made from or contains ("manufacture from",
  "materials of chapter 4 used", "non-originating materials of heading 8473", tolerances "materials of heading
  3205 may be used").
* ``except``: the text excludes the material ("except from heading 5205 to heading 5207", "except those of
  heading 4104 to heading 4113", "materials not classified within heading 2207", "waste and scrap of heading
  7802 may not be used"). Excluded headings are usually the closest precursors (that is why they are excluded),
  but sometimes they are sibling products; callers should treat them as weaker evidence.

Mentions of the product itself ("A change to a good of heading 5208") are dropped. Material *words* that carry
no code ("yarn", "natural fibres", "grapes") are mapped to heading ranges through the explicit table
:data:`MATERIAL_WORDS`; words are only read where the role is ``uses``.

Plain Python, no Django; every function is pure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

Role = str  # "uses" | "except"

# --- material words -> HS 2022 heading ranges -------------------------------------------------------------
# Ranges are inclusive HS4 bounds. The order matters: a more specific phrase is tried first and the text it
# matched is not matched again by a shorter phrase (so "cotton yarn" never also counts as generic "yarn").
Ranges = tuple[tuple[str, str], ...]
_YARN: Ranges = (("5004", "5006"), ("5106", "5110"), ("5204", "5207"), ("5306", "5308"), ("5401", "5406"))
_YARN += (("5508", "5511"), ("5605", "5606"))
_NATURAL_FIBRES: Ranges = (("5001", "5003"), ("5101", "5105"), ("5201", "5203"), ("5301", "5305"))
_STAPLE_FIBRES: Ranges = (("5501", "5507"),)
_WOVEN_FABRIC: Ranges = (("5007", "5007"), ("5111", "5113"), ("5208", "5212"), ("5309", "5311"), ("5407", "5408"))
_WOVEN_FABRIC += (("5512", "5516"),)
_KNITTED_FABRIC: Ranges = (("6001", "6006"),)

MATERIAL_WORDS: tuple[tuple[str, str, Ranges], ...] = (
    # (label, regex, heading ranges)
    ("silk yarn", r"silk yarn", (("5004", "5006"),)),
    ("wool yarn", r"wool(?:len)? yarn", (("5106", "5110"),)),
    ("cotton yarn", r"cotton yarn", (("5204", "5207"),)),
    ("coir or jute yarn", r"coir or jute yarn", (("5307", "5308"),)),
    ("jute yarn", r"jute yarn", (("5307", "5307"),)),
    ("coir or sisal yarn", r"(?:coir|sisal) yarn", (("5308", "5308"),)),
    ("other vegetable textile yarn", r"vegetable textile yarn", (("5306", "5308"),)),
    ("man-made filament yarn", r"(?:synthetic or artificial|man-made|nylon) filament yarn", (("5401", "5406"),)),
    ("nylon yarn", r"nylon yarn", (("5402", "5402"),)),
    ("yarn", r"yarns?", _YARN),
    ("cotton fibres", r"cotton fibres", (("5201", "5203"),)),
    ("raw silk or silk waste", r"raw silk or silk waste|silk waste", (("5002", "5003"),)),
    ("natural fibres", r"natural fibres|natural or man-made staple fibres", _NATURAL_FIBRES + _STAPLE_FIBRES),
    ("man-made staple fibres", r"man-made staple fibres|staple fibres|man-made fibres", _STAPLE_FIBRES),
    ("textile fibres", r"textile fibres", _NATURAL_FIBRES + _STAPLE_FIBRES),
    ("textile pulp", r"textile pulp", (("4702", "4702"),)),
    ("paper-making materials", r"paper-making materials", (("4701", "4707"),)),
    ("jute fabric", r"jute fabric", (("5310", "5310"),)),
    ("cotton fabrics", r"cotton (?:fabrics?|cloth)", (("5208", "5212"),)),
    ("knitted fabric", r"knitted (?:or crocheted )?(?:gas[- ]mantle )?fabrics?", _KNITTED_FABRIC),
    ("woven fabric", r"fabrics? \(other than knitted or crocheted\)", _WOVEN_FABRIC),
    ("fabric", r"fabrics?", _WOVEN_FABRIC + _KNITTED_FABRIC),
    ("grapes", r"grapes", (("0806", "0806"),)),
    ("fruit juice", r"fruit juices?", (("2009", "2009"),)),
    ("cocoa", r"cocoa beans|cocoa", (("1801", "1802"),)),
    ("cereals", r"cereals", (("1001", "1008"),)),
    ("sugar or molasses", r"sugar,? (?:or )?molasses", (("1701", "1703"),)),
    ("milk", r"milk(?! solids)", (("0401", "0402"),)),
    ("unwrought precious metals", r"unwrought precious metals|precious metals", (("7106", "7106"), ("7108", "7108"))),
    ("metals clad with precious metals", r"metals clad with precious metals", (("7107", "7107"), ("7109", "7109"))),
    ("precious or semi-precious stones", r"precious or semi-precious stones", (("7102", "7104"),)),
    ("rubber thread or cord", r"rubber thread(?: or cord)?", (("4007", "4007"),)),
    ("natural rubber", r"natural rubber", (("4001", "4001"),)),
    ("hard rubber", r"hard rubber", (("4017", "4017"),)),
    ("unalloyed aluminium", r"unalloyed aluminium", (("7601", "7601"),)),
    ("aluminium scrap", r"waste and scrap of aluminium", (("7602", "7602"),)),
    ("refined copper", r"refined copper", (("7403", "7403"),)),
    ("copper scrap", r"waste and scrap of copper", (("7404", "7404"),)),
    ("work lead", r"work\W{0,2} lead", (("7801", "7801"),)),
    ("wood in the rough", r"wood in the rough", (("4403", "4403"),)),
    ("furskins", r"furskins", (("4302", "4302"),)),
    ("sheep or lamb skins", r"sheep or lamb skins", (("4102", "4102"),)),
    ("tanning extracts", r"tanning extracts", (("3201", "3201"),)),
    ("rosin and resin acids", r"resin acids|rosins?", (("3806", "3806"),)),
    ("mucilages and thickeners", r"mucilages and thickeners", (("1302", "1302"),)),
    ("asbestos", r"asbestos", (("2524", "2524"),)),
    ("slate", r"worked slate", (("6803", "6803"),)),
    ("mica", r"mica", (("2525", "2525"),)),
    ("sulphur dioxide", r"sulphur dioxide", (("2811", "2811"),)),
    ("disodium tetraborate", r"disodium tetraborate", (("2840", "2840"),)),
    ("dolomite", r"dolomite", (("2518", "2518"),)),
    ("earth colours", r"earth colours", (("2530", "2530"),)),
    ("graphite", r"graphite", (("2504", "2504"),)),
    ("marble", r"marble", (("2515", "2515"),)),
    ("magnesite", r"magnesite|magnesium carbonate", (("2519", "2519"),)),
    ("wood tar", r"wood tar", (("3807", "3807"),)),
    ("bristles and hair", r"bristles and hair", (("0502", "0502"),)),
    ("polyester foils", r"polyester[- ]foils", (("3920", "3920"),)),
    ("battery cells", r"battery cells", (("8507", "8507"),)),
    ("tobacco", r"unmanufactured tobacco|tobacco refuse", (("2401", "2401"),)),
)
"""Explicit, documented mapping from material words to HS 2022 heading ranges.

Deliberately left out because they are too vague to map: "chemical materials", "paper", "stone", "base metal
parts", "forged blanks", "boards", "carving materials".
"""

_WORD_PATTERNS = [
    (label, re.compile(r"\b(?:" + rx + r")(?!\w)", re.IGNORECASE), ranges) for label, rx, ranges in MATERIAL_WORDS
]

# --- text cleaning ----------------------------------------------------------------------------------------
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")


def clean_rule_text(text: str) -> str:
    """Markdown/HTML rule text -> one line of plain text (links keep their label, emphasis is dropped)."""
    out = _LINK.sub(r"\1", text or "")
    out = _TAG.sub("", out)
    out = html.unescape(out).replace("\xa0", " ")
    out = out.replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", out).strip()


# --- code mentions ----------------------------------------------------------------------------------------
_TYPED = re.compile(r"\b(chapters?|headings?|subheadings?)\s+(\d{6}|\d{4}|\d{1,2})(?!\d)", re.IGNORECASE)
_BARE = re.compile(r"(?<![\d.,%])\b(\d{6}|\d{4})\b(?!\s*%|\d)")
_MONTH = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s*$")
_RANGE_GLUE = re.compile(r"^\s*(?:to|through|-|\u2013)\s*$", re.IGNORECASE)
_CHAPTER_TAIL = re.compile(r"^\s*(?:to|through|-|\u2013)\s*(?:chapter\s+)?(\d{1,2})\b", re.IGNORECASE)

# Role keywords, longest first so that "except from" is read as one token and "from" inside it is not.
_KEYWORDS = re.compile(
    r"\b(?P<product>change to|(?:a|the) goods? of|for a good of)\b"
    r"|\b(?P<except>except(?:\s+(?:from|those of|for|that of the product and(?: of)?))?|other than"
    r"|not classified (?:with)?in)\b"
    r"|\b(?P<reset>however|provided|in which|where|may be used|may he used|may be incorporated)\b"
    r"|\b(?P<from>from)\b",
    re.IGNORECASE,
)
_KNIT = re.compile(r"\bknit|\bcrochet", re.IGNORECASE)
_NOT_KNIT = re.compile(r"other than knitted", re.IGNORECASE)
_MAY_NOT = re.compile(r"\bmay not (?:be|he) used\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z-])")


@dataclass(frozen=True)
class Mention:
    """One material named by a rule text."""

    role: Role  # "uses" or "except"
    headings: tuple[str, ...]  # HS4 codes, sorted
    kind: str  # "heading" (a heading/subheading or a short range), "chapter", or "word"
    label: str  # the words as written ("heading 5205 to heading 5207", "chapter 17", "yarn")
    start: int  # character span in the cleaned text
    end: int


def _span_role(sentence: str) -> list[tuple[int, str]]:
    """Role changes inside one sentence, as (position, role) with role in uses/except/product."""
    events: list[tuple[int, str]] = [(0, "uses")]
    role = "uses"
    for m in _KEYWORDS.finditer(sentence):
        kind = m.lastgroup
        if kind == "product":
            role = "product"
        elif kind == "except":
            role = "except"
        elif kind == "reset" or (kind == "from" and role == "product"):
            role = "uses"
        else:
            continue
        events.append((m.end(), role))
    return events


def _role_at(events: list[tuple[int, str]], pos: int) -> str:
    role = "uses"
    for at, r in events:
        if at <= pos:
            role = r
        else:
            break
    return role


def _expand(lo: str, hi: str, universe: frozenset[str]) -> tuple[str, ...]:
    """Inclusive range of codes (2, 4 or 6 digits) -> the HS4 headings of ``universe`` inside it."""
    lo4 = (lo + "00")[:4] if len(lo) <= 2 else lo[:4]
    hi4 = (hi + "99")[:4] if len(hi) <= 2 else hi[:4]
    if hi4 < lo4:
        lo4, hi4 = hi4, lo4
    return tuple(sorted(h for h in universe if lo4 <= h <= hi4))


def _code_tokens(sentence: str) -> list[tuple[int, int, str, str]]:
    """(start, end, type, digits) for every code in a sentence; bare numbers count only after a typed one."""
    tokens: list[tuple[int, int, str, str]] = []
    typed = list(_TYPED.finditer(sentence))
    for m in typed:
        word = m.group(1).lower().rstrip("s")
        digits = m.group(2)
        if word == "chapter" and len(digits) > 2:
            continue
        if word in ("heading", "subheading") and len(digits) not in (4, 6):
            continue  # typos such as "heading 110" in the source
        tokens.append((m.start(), m.end(), word, digits.zfill(2) if word == "chapter" else digits))
    if typed:
        first = typed[0].start()
        taken = [(s, e) for s, e, _, _ in tokens]
        for m in _BARE.finditer(sentence):
            if m.start() < first or any(s <= m.start() < e for s, e in taken):
                continue
            digits = m.group(1)
            if _MONTH.search(sentence[max(0, m.start() - 12) : m.start()]):
                continue  # a date such as "31 December 2023"
            tokens.append((m.start(), m.end(), "heading" if len(digits) == 4 else "subheading", digits))
    tokens.sort()
    return tokens


def parse_rule_text(text: str, universe: frozenset[str]) -> list[Mention]:
    """Materials named by one rule text. ``universe`` is the set of valid HS4 headings (for range expansion).

    The text may be raw Markdown; it is cleaned first. Spans refer to :func:`clean_rule_text` output.
    """
    clean = clean_rule_text(text)
    mentions: list[Mention] = []
    offset = 0
    for sentence in _SENTENCE.split(clean):
        base = clean.find(sentence, offset)
        offset = base + len(sentence)
        events = _span_role(sentence)
        may_not = bool(_MAY_NOT.search(sentence))
        tokens = _code_tokens(sentence)
        used_spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            start, end, kind, lo = tokens[i]
            hi = lo
            # range "X to Y" (Y typed or bare) or chapter range "chapter 61 to 62"
            if i + 1 < len(tokens) and _RANGE_GLUE.match(sentence[end : tokens[i + 1][0]]):
                hi = tokens[i + 1][3]
                end = tokens[i + 1][1]
                i += 1
            elif kind == "chapter":
                tail = _CHAPTER_TAIL.match(sentence[end:])
                if tail:
                    hi = tail.group(1).zfill(2)
                    end += tail.end()
            i += 1
            role = _role_at(events, start)
            if role == "product":
                used_spans.append((start, end))
                continue
            if may_not:
                role = "except"
            headings = _expand(lo, hi, universe)
            if not headings:
                continue
            label = sentence[start:end]
            level = "chapter" if kind == "chapter" else "heading"
            mentions.append(Mention(role, headings, level, label, base + start, base + end))
            used_spans.append((start, end))
        # material words, only where the text says the material is used
        for label, pattern, ranges in _WORD_PATTERNS:
            for m in pattern.finditer(sentence):
                if any(s < m.end() and m.start() < e for s, e in used_spans):
                    continue
                if _role_at(events, m.start()) != "uses" or may_not:
                    continue
                if label == "fabric" and _NOT_KNIT.search(sentence):
                    label, ranges = "woven fabric", _WOVEN_FABRIC  # "...fabric (other than knitted)... the fabric used"
                elif label == "fabric" and _KNIT.search(sentence):
                    label, ranges = "knitted fabric", _KNITTED_FABRIC  # "knitting ... combined with cutting of fabric"
                headings = tuple(sorted({h for lo, hi in ranges for h in _expand(lo, hi, universe)}))
                if headings:
                    mentions.append(Mention("uses", headings, "word", label, base + m.start(), base + m.end()))
                used_spans.append((m.start(), m.end()))
    mentions.sort(key=lambda x: (x.start, x.end, x.role))
    return mentions


def excerpt(clean: str, start: int, end: int, width: int = 160) -> str:
    """A short quote of ``clean`` around [start, end), cut at word boundaries, with ellipses where cut."""
    if len(clean) <= width:
        return clean
    left = max(0, start - (width - (end - start)) // 2)
    right = min(len(clean), left + width)
    left = max(0, right - width)
    if left > 0:
        space = clean.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    if right < len(clean):
        space = clean.rfind(" ", end, right)
        right = space if space > end else right
    text = clean[left:right].strip()
    return ("..." if left > 0 else "") + text + ("..." if right < len(clean) else "")
