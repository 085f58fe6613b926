"""Parse product-specific rule texts (UK Trade Tariff rule sets) into the typed grammar.

:func:`parse_rule` reads one rule text and returns a grammar node; :class:`~.grammar.Unparsed` when any clause
is not understood (the parser never guesses: a rule is *structured* only when every clause was read).
:func:`parse_rule_set` reads one rule set of the JSON files; :func:`load_scheme` a whole file, with a
:meth:`Scheme.coverage` report. ``python -m ivcs.engines.origin.parser [DIR ...] [--markdown]`` prints the
coverage of every ``*.json`` in the DIRs (default: the UK and the EU prototype rule sets) as JSON or Markdown.

How the texts are read:

* Markdown links, ``<abbr>`` tags, bold/italic marks and HTML entities are removed; references to notes
  ("See introductory note 6.", "See also Appendix 1 (...)") are dropped (they carry no requirement here).
* A text is split into clauses on its bullets ("Manufacture: - from ..., and - in which ..."), on
  "provided that" and on "However, ..." sentences; every clause must match one of the clause patterns below,
  and the clauses are joined with :func:`~.grammar.all_of`.
* CPTPP (NAFTA-style) texts: "A change to <product> from <source>[, except from <codes>][, provided ...]" and
  "No change in tariff classification required for <product>, provided ...". Lists of RVC methods
  ("- a) 35% under the build-up method. - b) 45% under the build-down method.") are alternatives.
* Exceptions that name only part of a heading ("bones of heading 0506", "assemblies of uppers ... of heading 6406",
  "active cathode materials") are never read as the whole heading: each becomes a
  :class:`~.grammar.ContentCondition` "no non-originating ... are used" next to the tariff shift
  (:func:`except_items`); exactly coded ones ("materials of heading 0203") go into ``except_``.
* "However, X may not be used" adds X to the exceptions; "However, X may be used" lets X through: with exact codes
  as the shift's own tolerance of 100% of the ex-works price, in words as "the rule OR a condition that the only
  materials failing it are X". "The value of the materials of the same heading as the product ... does not exceed
  N%" is a change of heading with an own tolerance of N% for same-heading materials (the same requirement).
* Provisos a machine cannot decide are conditions (questions) next to the rule: "within the limits of the
  applicable annual quota", "(until 31 December 2023)" (only for a one-sentence rule), the UK-Mexico printing
  quota, the rule for sets, "the origin ... shall be retained"; the chapter 39 "predominates by weight" proviso
  relaxes the rule: the rule OR the relaxed reading confirmed. A value limit on materials named in words only
  ("the uncut glassware") and a "Manufacture from <one material named in words>" not in the word table are
  conditions with the rule's words, never guessed codes.
* EU prototype data (``eu_ott_prototype``): "30 per cent", "47,5%", footnote marks glued to words ("single yarn9"),
  alternatives joined in one text ("... or Manufacture from ..."), lost bullets ("Manufacture: in which A, where
  B"); rows with no rule text at all (title rows of EU-Mexico) are skipped by :func:`load_scheme` and counted.
* In a rule set, a rule whose text starts with a list letter ("- b) ...") or with "However," / "Followed in
  both cases" continues the previous rule's text. Rules with operator "or" are alternatives of the rule
  before them; a rule with no operator after the first starts a further requirement, joined with AND (CPTPP
  uses this for rules scoped to different products of the same subheading).
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import words
from .grammar import (
    ALL_CODES,
    AllOf,
    CodeSet,
    ContentCondition,
    Level,
    ManufactureFrom,
    MaterialOriginating,
    MaterialValueLimit,
    MaterialWhollyObtained,
    MaxNonOriginating,
    ProductScope,
    RegionalValueContent,
    Rule,
    RvcMethod,
    SpecificProcess,
    TariffShift,
    Tolerance,
    Unparsed,
    WeightLimit,
    WhollyObtained,
    all_of,
    any_of,
    is_structured,
)

# --- normalising ------------------------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_NOTES = re.compile(
    r"\s*(?:See (?:also )?(?:introductory note|Appendix|note)[^.]*(?:\([^)]*\))?\.?"
    r"|For (?:the )?special conditions relating to [^.]*?(?:introductory notes? [\d.]+(?: and [\d.]+)?)\.?"
    r"|Note: Where more than one product-specific rule is applicable[^.]*\.)",
    re.I,
)


def normalise(text: str) -> str:
    """Plain one-line text: no Markdown, tags, entities, emphasis or note references."""
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ").replace("*", "")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(\d) ?per ?cent\b", r"\1%", text).replace(" :", ":")
    text = re.sub(r"(\d),(\d+) ?%", r"\1.\2%", text)  # "47,5%"
    text = re.sub(r"\bnon- originating\b", "non-originating", text, flags=re.I)
    text = re.sub(r"^Manufacturing\b", "Manufacture", text)
    # EU prototype data: footnote marks glued to a word ("single yarn9", "Printing17accompanied", "product6")
    text = re.sub(r"(?<=[a-z]{2})\d{1,2}(?=[a-z]|\s|$|\.)", lambda m: " " if m.end() < len(text) else "", text)
    text = re.sub(r"\bPrinting(?=accompanied)", "Printing ", text).replace("singleyarn", "single yarn")
    text = re.sub(r"\s+", " ", text).replace(" ,", ",").strip()
    text = re.sub(r" ?\((?:\s*\))?\.?$", ".", text)  # "Manufacture from yarn (" / "yarn ()": a lost footnote mark
    text = _NOTES.sub("", text).strip()
    return text


# --- codes ------------------------------------------------------------------------------------------------

_CODE_TOKEN = re.compile(
    r"\s*(?:(?P<kind>subheadings?|headings?|chapters?)|(?P<num>\d{1,4}(?:\.\d{2}){0,2}|\d{6})"
    r"|(?P<range>to|through|-)|(?P<sep>,? ?and|,? ?or|,))(?=\s|$|,|\.|;)",
    re.I,
)
_WIDTH = {"chapter": 2, "heading": 4, "subheading": 6}


def parse_codes(text: str) -> CodeSet | None:
    """A list of codes ("heading 7106, heading 7108 and heading 7110", "chapter 7 and chapter 8",
    "subheading 854411 through 854460", "heading 1202 to heading 1207", "18.06") or None if anything else."""
    text = text.strip().rstrip(".")
    pos, kind, pending_range, want_number = 0, "", False, False
    ranges: list[tuple[str, str]] = []
    while pos < len(text):
        m = _CODE_TOKEN.match(text, pos)
        if not m or (want_number and not m.group("num")):
            return None  # "heading and 3702": a level word must be followed by a number
        pos = m.end()
        want_number = bool(m.group("kind"))
        if m.group("kind"):
            kind = m.group("kind").lower().rstrip("s")
            continue
        if m.group("range"):
            if not ranges or pending_range:
                return None
            pending_range = True
            continue
        if m.group("sep"):
            continue
        digits = m.group("num").replace(".", "")
        this_kind = kind
        width = _WIDTH.get(kind, 0)
        if len(digits) in (4, 6) and len(digits) != width:
            this_kind = "heading" if len(digits) == 4 else "subheading"
        if not this_kind or (this_kind == "chapter" and len(digits) > 2):
            return None
        code = digits.zfill(_WIDTH[this_kind])
        if len(code) != _WIDTH[this_kind]:
            return None
        if pending_range:
            low = ranges.pop()[0]
            if len(low) != len(code) or low > code:
                return None
            ranges.append((low, code))
            pending_range = False
        else:
            ranges.append((code, code))
    if not ranges or pending_range or want_number:
        return None
    return CodeSet(tuple(ranges))


# --- clause patterns --------------------------------------------------------------------------------------

_P = r"(?P<pct>\d+(?:\.\d+)?) ?%"
_EXW = r"(?:of )?(?:the value of )?the ex[- ]works(?: price)?(?: \(EXW\))? of the (?:products?|set|printed fabric)"
_MAT = r"(?:(?:all|any) )?(?:the )?(?:non-originating )?"
Builder = Callable[[re.Match[str]], Rule | None]
_ABBR: dict[str, Level] = {"CC": "chapter", "CTH": "heading", "CTSH": "subheading"}
_LEVEL_OF_WORD: dict[str, Level] = {"chapter": "chapter", "heading": "heading", "subheading": "subheading"}
_LEVEL_OF_DIGITS: dict[str, Level] = {"2": "chapter", "4": "heading", "6": "subheading"}


def _pct(m: re.Match[str]) -> float:
    return float(m.group("pct"))


# Words that make a material description a condition rather than a name: never read as materials.
_VAGUE = re.compile(r"\b(?:any|except|expect|including|provided|other than|which|not|same|than|if)\b", re.I)


def _materials(m: re.Match[str]) -> tuple[CodeSet, str] | None:
    """Codes and description of a "<description> of <codes>" or table-word group."""
    desc = (m.groupdict().get("desc") or "").strip()
    codes_text = m.groupdict().get("codes")
    if codes_text:
        if _VAGUE.search(desc):
            return None
        codes = parse_codes(codes_text)
        if codes is None:
            return None
        desc = "" if desc in ("", "materials", "the materials") else desc
        return codes, desc
    table = words.lookup(desc)
    return (table, desc) if table is not None else None


def _mv(m: re.Match[str]) -> Rule | None:
    if not m.groupdict().get("codes") and (m.groupdict().get("desc") or "").strip() == "materials":
        return MaxNonOriginating(_pct(m))  # "the value of non-originating materials used does not exceed 50% ..."
    got = _materials(m)
    if got is None:
        return None
    codes = got[0]
    if m.groupdict().get("exc"):  # "chapter 17, except of materials from subheading 170230,"
        excluded = parse_codes(m.group("exc"))
        if excluded is None:
            return None
        codes = codes.minus(excluded)
    return MaterialValueLimit(codes, _pct(m), "ex_works", got[1])


def _wo(m: re.Match[str]) -> Rule | None:
    got = _materials(m)
    return None if got is None else MaterialWhollyObtained(got[0], got[1])


def _orig(m: re.Match[str]) -> Rule | None:
    got = _materials(m)
    pct = float(m.group("pct")) if m.groupdict().get("pct") else 100.0
    return None if got is None else MaterialOriginating(got[0], pct, got[1])


def _weight(m: re.Match[str]) -> Rule | None:
    got = _materials(m)
    return None if got is None else WeightLimit(got[0], _pct(m), got[1])


def _from(m: re.Match[str]) -> Rule | None:
    what = _QUALIFIER.sub("", m.group("what")).strip(" .")
    table = words.lookup(what)
    if table is not None:
        return ManufactureFrom(table, what)
    whole = _from_items([what])
    if whole is not None:
        return whole
    if re.search(r"(?:^|\s)- ", what):
        return _from_items(re.split(r"(?:^|\s)- ", what))
    return _from_items(re.split(r", (?:or )?", what))


_QUALIFIER = re.compile(
    r",? ?(?:not )?carded (?:or|of) combed (?:or|of) otherwise (?:processed|prepared) for spinning", re.I
)


def _from_items(items: list[str]) -> Rule | None:
    codes = CodeSet()
    descs = []
    for raw in items:
        item = re.sub(r"^(?:or |- )+", "", raw.strip(" ,;.-"))
        item = re.sub(r",? (?:or|and)$", "", item).strip(" ,")
        if not item:
            continue
        sub = _FROM_ITEM.fullmatch(_QUALIFIER.sub("", item).strip(" ,"))
        got = _materials(sub) if sub else None
        if got is None:
            return None
        codes = codes.union(got[0])
        descs.append(item)
    return ManufactureFrom(codes, "; ".join(descs)) if descs else None


_FROM_ITEM = re.compile(
    r"(?P<desc>[\w ,'\"-]+?)(?: (?:of|from|classified in) (?P<codes>(?:chapter|heading|subheading)[\d ,.a-z-]+))?",
    re.I,
)


_CODE_SPAN = re.compile(
    r"(?:chapters?|headings?|subheadings?) \d{1,6}(?:\.\d{2}){0,2}"
    r"(?:(?:,? and |,? or |, | to | through |-)(?:(?:chapters?|headings?|subheadings?) )?\d{1,6}(?:\.\d{2}){0,2}\b)*",
    re.I,
)
_EXACT_PREFIX = re.compile(
    r"(?:for )?(?:from )?(?:the )?(?:other )?(?:non-originating )?"
    r"(?:(?:materials?|materiales|those) (?:(?:of|from|classified (?:with)?in) )?)?",
    re.I,
)


# Words that show the text goes on beyond an exception list (another clause, an allowance, a proviso).
_NOT_AN_EXCEPTION = re.compile(
    r"\b(?:that of the product|however|in which|used|may|(?<!-)originating|obtained|quota|provided|where|until|value"
    r"|weight|exceed)\b|\. ",
    re.I,
)


def _exception_condition(item: str) -> ContentCondition:
    item = re.sub(r"^(?:from |for )?(?:non-originating )?", "", item.strip(" ,;.-"), flags=re.I)
    return ContentCondition(f"no non-originating {item} are used")


def except_items(text: str) -> tuple[CodeSet, list[Rule]] | None:
    """An exception list of a tariff-shift rule: the exactly coded part ("materials of heading 0203, heading 0206
    or heading 0207") as codes, and every item naming only *part* of a heading or no code at all ("bones of
    heading 0506", "assemblies of uppers ... of heading 6406", "active cathode materials") as a
    :class:`ContentCondition` "no non-originating ... are used" (a question, never read as the whole heading).
    None when a code cannot be read."""
    text = text.strip(" .,;:")
    if _NOT_AN_EXCEPTION.search(text):
        return None
    codes = CodeSet()
    conditions: list[Rule] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        prefix = text[pos : m.start()]
        start = pos
        pos = m.end()
        got = parse_codes(m.group(0))
        if got is None or re.search(r"(?:heading|subheading)s? (?:\d{1,3}|\d{5})\b", m.group(0), re.I):
            return None  # "heading 110": a truncated code is not read
        cleaned = re.sub(r"^(?:[,;]|\s|-|and/or |and |or )+", "", prefix)
        if _EXACT_PREFIX.fullmatch(cleaned.strip() + " ") or not cleaned.strip():
            codes = codes.union(got)
            continue
        if re.search(r"\bex$", cleaned.strip(), re.I) or not re.search(r"(?:of|from|in)\s*$", cleaned):
            return None  # "heading ex 0713", "potato starch heading 1108": not a reading we trust
        conditions.append(_exception_condition(re.sub(r"^(?:[,;]|\s|-|and/or |and |or )+", "", text[start:pos])))
    rest = re.sub(r"^(?:[,;]|\s|-|and/or |and |or )+", "", text[pos:]).strip(" .,;")
    if rest:
        if re.search(r"\d", rest) or not re.fullmatch(r"[\w ,'()-]+", rest):
            return None
        conditions.append(_exception_condition(rest))
    if not codes and not conditions:
        return None
    return codes, conditions


def _cth(level: Level, listed_means_any: bool = False, any_heading: bool = False) -> Builder:
    """CC/CTH/CTSH, with exceptions. ``listed_means_any``: the text names the excluded codes *instead of* the
    product's own ("a heading other than heading 3701 or heading 3702"), so materials of any heading not listed
    qualify (``from_`` = all codes); ``any_heading``: "from materials of any heading [except ...]" (own heading
    included). Exceptions naming part of a heading become conditions (:func:`except_items`)."""

    def build(m: re.Match[str]) -> Rule | None:
        exc = m.groupdict().get("exc")
        got = except_items(exc) if exc else (CodeSet(), [])
        if got is None:
            return None
        except_, conditions = got
        if conditions and listed_means_any:
            return None
        from_ = ALL_CODES if any_heading or (listed_means_any and exc) else None
        return all_of([TariffShift(level, from_, except_), *conditions])

    return build


def _abbr_shift(m: re.Match[str]) -> Rule | None:
    return _cth(_ABBR[m.group("abbr").upper()])(m)


def _any_heading(m: re.Match[str]) -> Rule | None:
    return _cth("heading", any_heading=True)(m)


def _eu_shift(m: re.Match[str]) -> Rule | None:
    return _cth(_LEVEL_OF_DIGITS[m.group("digits")])(m)


_PROVISO = re.compile(r"\b(?:provided|except|however|where|may be used|value|weight|not exceed)\b", re.I)


def _process(m: re.Match[str]) -> Rule | None:
    text = m.group(0).strip(" .")
    if _PROVISO.search(text):  # a condition the process pattern does not read: not understood
        return None
    return SpecificProcess(m.group("name").lower(), text)


_PROCESS_WORDS = (
    r"refining|operations of refining|printing|weaving|spinning|extrusion|twisting|flocking|tufting|coating"
    r"|making-up|yarn dyeing|dyeing|cutting|grinding|calcination|destructive distillation|distillation"
    r"|purification|electrolytic|alloying|fusion|cleaning|enriching|beading|rubberising|nonwoven fabric formation"
    r"|a chemical reaction|the operation of diffusion|retreading|drying|knitting|needle-punching|bleaching|impregnation"
    r"|carding or combing|retanning|splicing|planing|sanding|lamination|surfacing|hand-decoration"
    r"|turning, drilling, reaming, threading, deburring and sandblasting|destillation|removal of wool|making up"
)

# (pattern, builder) tried in order with fullmatch on one clause (case-insensitive).
_CLAUSES: list[tuple[re.Pattern[str], Builder]] = [
    (re.compile(p, re.I), b)
    for p, b in [
        # tariff shifts, EU 2010s wording
        (
            r"from (?:non-originating )?materials of any heading,? except (?:that|those) of the product"
            r"(?: and (?P<exc>.+))?",
            _cth("heading"),
        ),
        (
            r"from materials of any other chapter,? except (?:that of the product|those of the product)"
            r"(?: and (?P<exc>chapter[\d ,a-z]+))?",
            _cth("chapter"),
        ),
        (
            r"(?:in which )?all the materials used are classified (?:with)?in a heading other than that of the "
            r"product,? except (?P<exc>.+)",
            _cth("heading"),
        ),
        (
            r"(?:in which )?all the materials used are classified (?:with)?in a heading other than "
            r"(?:that of the product"
            r"|(?P<exc>heading[\d ,a-z]+))",
            _cth("heading", listed_means_any=True),
        ),
        (
            r"(?:in which )?all the materials used are classified within a chapter other than (?:that of the product|"
            r"(?P<exc>chapter \d+))",
            _cth("chapter", listed_means_any=True),
        ),
        (
            r"(?:in which )?all the materials used are classified within a subheading other than that of the product",
            _cth("subheading"),
        ),
        (
            r"(?:CTH|CTSH|CC): all non-originating materials used in the production of the good have undergone a "
            r"change in tariff classification at the (?P<digits>[246])-digit level \((?:tariff heading|subheading"
            r"|chapter)\)(?:,? except from (?P<exc>.+))?",
            _eu_shift,
        ),
        (
            r"(?P<abbr>CTH|CTSH|CC)(?: except from (?P<exc>.+))?",
            _abbr_shift,
        ),
        (r"from materials not classified (?:with)?in (?P<exc>heading[\d ,a-z]+)", _any_heading),
        (
            r"from (?:non-originating )?materials? of any heading(?:,? except:? (?P<exc>.+))?",
            _any_heading,
        ),
        (
            r"from (?:non-originating )?materials of any heading,? including (?:other )?materials of "
            r"(?:heading \d{4}|a different \"group\" in this heading)",
            _any_heading,
        ),
        # value limits. "Materials of the same heading as the product" up to N%: a heading change whose own
        # tolerance lets same-heading materials through up to N% (the same requirement, relative to the product)
        (
            r"(?:in which |where )?(?:, )?(?:within the above limit, )?the (?:total )?value of (?:all |any )?(?:the )?"
            r"(?:non-originating )?materials (?:classified )?(?:of|in|within) the same heading(?: as the product)? "
            rf"(?:used )?does not exceed {_P} {_EXW}",
            lambda m: TariffShift("heading", None, CodeSet(), Tolerance(_pct(m))),
        ),
        (
            r"(?:where, )?within the above limit, the materials classified within the same heading as the product "
            rf"are only used up to a value of {_P} {_EXW}",
            lambda m: TariffShift("heading", None, CodeSet(), Tolerance(_pct(m))),
        ),
        (
            rf"(?:in which |where )?the value of all the (?:non-originating )?materials used "
            rf"does not exceed {_P} {_EXW}",
            lambda m: MaxNonOriginating(_pct(m)),
        ),
        (
            rf"a maximum of {_P} of the ex-works price \(EXW\) is made up of non-originating parts \(MAXNOM\)",
            lambda m: MaxNonOriginating(_pct(m)),
        ),
        (
            r"(?:in which |where )?the value of all the non-originating materials used does not exceed the value of "
            r"(?:all )?the originating materials used",
            lambda m: MaxNonOriginating(100.0, "originating_value"),
        ),
        (
            r"(?:in which |where )?(?:, )?(?:within the above limit, )?"
            rf"the (?:total )?value of {_MAT}(?P<desc>[\w ,'-]*?) ?of "
            r"(?P<codes>(?:chapter|heading|subheading)[\d ,a-z]+?)"
            r"(?:, except (?:of )?materials (?:from|of) (?P<exc>(?:chapter|heading|subheading) [\d ,a-z]+?),)? "
            rf"used (?:does|must|may|shall) not exceed {_P} {_EXW}",
            _mv,
        ),
        (
            rf"(?:in which |where )?the value of {_MAT}(?P<desc>[\w -]+?) used does not exceed {_P} {_EXW}",
            _mv,
        ),
        (
            r"(?:where, )?within the above limit, the (?:value of (?:all )?the )?materials classified within "
            rf"(?P<codes>(?:chapter|heading|subheading)[\d ,a-z]+?)(?:, taken together,)? (?:are|is) only used up to "
            rf"a value of {_P} {_EXW}",
            _mv,
        ),
        # wholly obtained / originating materials
        (
            rf"(?:in which )?{_MAT}(?P<desc>[\w ,'-]*?) ?of (?P<codes>(?:chapter|heading|subheading)[\d ,a-z]+?) "
            r"(?:used )?(?:are|is|must be|shall be) wholly obtained",
            _wo,
        ),
        (rf"(?:in which )?{_MAT}(?P<desc>[\w ,'-]+?) (?:used )?(?:are|is|must be) wholly obtained", _wo),
        (
            rf"(?:in which )?{_MAT}(?P<desc>[\w ,'-]*?) ?of (?P<codes>(?:chapter|heading|subheading)[\d ,a-z]+?) "
            r"(?:used )?(?:are|is|must be|must already be) originating",
            _orig,
        ),
        (rf"(?:in which )?{_MAT}(?P<desc>[\w ,'-]+?) (?:used )?(?:are|is|must be|must already be) originating", _orig),
        (
            rf"(?:in which )?at least {_P} by weight of {_MAT}(?P<desc>[\w ,'-]*?) ?of "
            r"(?P<codes>(?:chapter|heading|subheading)[\d ,a-z]+?) (?:used )?"
            r"(?:are|is|must already be|must be) originating",
            _orig,
        ),
        (
            rf"(?:in which )?the (?:total )?weight of {_MAT}(?P<desc>[\w ,'-]*?) ?(?:of|from) "
            r"(?P<codes>(?:chapter|heading|subheading)[\d ,a-z]+?) (?:used )?"
            rf"does not exceed {_P} of the (?:total )?weight "
            r"of the product",
            _weight,
        ),
        (
            r"all (?:the )?(?:animals|products) of chapter (?P<ch>\d+) (?:shall be|are) wholly obtained",
            lambda m: WhollyObtained(),
        ),
        # manufacture from materials
        (r"from:? (?P<what>.+)", _from),
        # specific processes
        (rf"(?P<name>{_PROCESS_WORDS})\b.*", _process),
    ]
]


def _parse_clause(clause: str) -> Rule:
    clause = clause.strip(" ,;.")
    clause = re.sub(r"^(?:and |or )", "", clause).strip()
    clause = re.sub(r"^(?:manufacture|production|other operations)(?: by [\w ]+?)?(?=\s|:|$)", "", clause, flags=re.I)
    clause = clause.strip(" :,-")
    for pattern, build in _CLAUSES:
        m = pattern.fullmatch(clause)
        if m:
            rule = build(m)
            if rule is not None:
                return rule
    return Unparsed(clause)


# --- EU-style sentences -----------------------------------------------------------------------------------

_TOLERANCE = re.compile(
    r"(?:However, |The )?(?:non-originating )?(?:other )?"
    r"(?:materials of the same (?:heading|subheading|description|group)"
    r"(?: as the product)?|materials classified within the same heading|(?:the )?materials of this description"
    r"|(?:the other )?materials (?:of|from|classified within) "
    r"(?P<codes>(?:heading|chapter|subheading)[\d ,a-z]+?)|(?P<these>these materials)) may (?:also )?(?:be|he) used,? "
    rf"provided (?:that )?their (?:total )?value,? (?:taken together,? )?does not exceed {_P} {_EXW}\.?$",
    re.I,
)
_OWN_VALUE = re.compile(
    rf"(?P<head>(?:Manufacture|Production) from .+?),? provided (?:that )?(?:its|their) (?:total )?value,? "
    rf"(?:taken together,? )?does not exceed {_P} {_EXW}\.?",
    re.I,
)
_PROVIDED_VALUE = re.compile(
    r"(?P<head>.+?),? (?:provided (?:that )?|where )"
    rf"(?P<cond>the (?:total )?value of .+? does not exceed {_P} {_EXW})\.?$",
    re.I,
)


_ALLOWANCE = re.compile(
    r"(?P<head>.+?)\.? However,? (?P<what>(?:(?!provided|\. ).)+?) may (?P<neg>not )?(?:also )?(?:be|he) used\.?",
    re.I,
)


def _allowance(head: str, what: str, negative: bool) -> Rule:
    """ "<rule>. However, <X> may be used." / "... may not be used."

    * "may not be used" adds X to the exceptions of the rule's (single) tariff shift (:func:`except_items`);
    * "may be used" with X exactly coded ("materials of subheading 960891 or subheading 960899") on a change of
      chapter/heading/subheading: X is let through without a value limit (own tolerance of 100% of the
      ex-works price);
    * otherwise (X described in words: "handles of base metal", "mustard flour or meal or prepared mustard"):
      the rule as written, OR a condition that the only materials failing it are X (a question).
    """
    base = _parse_eu(head)
    if not is_structured(base):
        return Unparsed(head)
    what = what.strip(" ,")
    if negative:
        got = except_items(what)
        if got is None or not isinstance(base, TariffShift) or base.tolerance is not None:
            return Unparsed(head)
        return all_of([replace(base, except_=base.except_.union(got[0])), *got[1]])
    if isinstance(base, TariffShift) and base.from_ is None and base.tolerance is None:
        coded = re.fullmatch(r"(?:non-originating )?materials (?:of|from|classified (?:with)?in) (?P<c>.+)", what, re.I)
        codes = parse_codes(coded.group("c")) if coded else None
        if codes is not None:
            return replace(base, tolerance=Tolerance(100.0, codes))
    if isinstance(base, TariffShift) and base.from_ is not None:
        return Unparsed(head)  # "materials of any heading. However, X may be used": nothing to allow
    return any_of(
        [base, ContentCondition(f'the only materials used that do not meet the rule "{head.strip(" .")}" are {what}')]
    )


def _flat(rules: list[Rule]) -> list[Rule]:
    return [q for r in rules for q in (r.parts if isinstance(r, AllOf) else (r,))]


_UNNAMED_VALUE = re.compile(
    rf"the (?:total )?value of (?:all )?(?:the )?(?:non-originating )?(?P<desc>[a-z][a-z ,'-]*?) (?:used )?"
    rf"does not exceed {_P} {_EXW}",
    re.I,
)


def _value_condition(cond: str) -> Rule:
    """A value limit on materials the word table does not name ("the uncut glassware", "the forged blanks"): the
    limit as a condition (a question), not guessed codes."""
    rule = _parse_clause(cond)
    if is_structured(rule):
        return rule
    m = _UNNAMED_VALUE.fullmatch(cond.strip(" ."))
    if m and not _VAGUE.search(m.group("desc")) and m.group("desc").strip() not in ("materials", "the materials"):
        return ContentCondition(cond.strip(" ."))
    return rule


# EU-Mexico (prototype data), products of heading 3002: "Manufacture from materials of any heading, including other
# materials of heading 3002, except for waste pharmaceuticals of heading 3006. However, materials of this description
# or waste pharmaceuticals of heading 3006 may also be used, provided their value, taken together, does not exceed
# 20% ...": the heading rule, and the allowance sentence kept whole as a condition.
_THIS_DESCRIPTION = re.compile(
    r"(?P<head>.+?including other materials of heading \d{4}), except (?:for )?(?P<x>[a-z][a-z ]+ of heading \d{4})\. "
    r"(?P<allow>However, materials of this description or (?P=x) may (?:also )?be used,? provided [^.]+)\.?",
    re.I,
)


def _parse_eu(text: str) -> Rule:
    tol: Tolerance | None = None
    described = _THIS_DESCRIPTION.fullmatch(text)
    if described:
        base = _parse_eu(described.group("head"))
        if not isinstance(base, TariffShift):
            return Unparsed(text)
        allow = described.group("allow")
        return all_of([base, ContentCondition(f"the materials named here stay within this allowance: {allow}")])
    m = _TOLERANCE.search(text)
    if m:
        codes = parse_codes(m.group("codes")) if m.group("codes") else None
        if m.group("codes") and codes is None:
            return Unparsed(text)
        tol = Tolerance(_pct(m), codes)
        these = bool(m.group("these"))  # "these materials": the exceptions just listed, not the same heading
        text = text[: m.start()].strip(" ,.")
    else:
        these = False
        allowance = _ALLOWANCE.fullmatch(text)
        if allowance:
            return _allowance(allowance.group("head"), allowance.group("what"), bool(allowance.group("neg")))
    # "However, the value of all the materials of heading 2909 used must not exceed 20% ..."
    text = re.sub(r"\. However, (?=the value of)", ", and ", text)
    head = text
    provided: Rule | None = None
    pm = _PROVIDED_VALUE.fullmatch(text)
    if pm and not text.lower().startswith(("manufacture:", "manufacture in which:")):
        head, provided = pm.group("head"), _value_condition(pm.group("cond"))
    own = _OWN_VALUE.fullmatch(text)
    if own and not these and tol is None:  # "Manufacture from leather of heading 4104 to heading 4107 provided its
        source = _parse_clause(own.group("head"))  # value does not exceed 50% ..."
        if isinstance(source, ManufactureFrom):
            return all_of([source, MaterialValueLimit(source.materials, _pct(own), "ex_works", source.description)])
        return Unparsed(text)
    if re.match(r"(?:Manufacture|Production)(?: in which)?: (?!-|from )", head, re.I) and " - " not in head:
        # EU prototype data, bullets lost: "Manufacture: in which A, where B" / "Manufacture in which: A, B, C"
        body = re.sub(r"^(?:Manufacture|Production)(?: in which)?: ", "", head, flags=re.I)
        clauses = re.split(r", (?:and )?(?=(?:in which|where,?|the value|the weight|all the|any|from) )", body)
    elif re.match(r"(?:Manufacture|Production)(?: in which)?:? (?:-|from:|in which:)", head, re.I) and not re.match(
        r"(?:Manufacture|Production) from:", head, re.I
    ):
        body = re.sub(r"^(?:Manufacture|Production)(?: in which)?:? ?", "", head, flags=re.I)
        clauses = [c for c in re.split(r"(?:^|,? and)? ?- |, and (?=in which)", body) if c.strip(" ,")]
    elif re.match(r"(?:Manufacture|Production|Other operations)(?: in which)?:? ", head, re.I) and not re.match(
        r"(?:Manufacture|Production):? from", head, re.I
    ):
        clauses = [c for c in re.split(r",? and (?=- |in which )|,? - ", head) if c.strip(" ,")]
    else:
        clauses = [head]
    parts: list[Rule] = []
    for clause in clauses:
        pm2 = re.fullmatch(r"(?P<head>.+?),? provided that:? (?P<conds>.+)", clause, re.I)
        if pm2 and not isinstance(_parse_clause(clause), SpecificProcess):
            parts.extend(_flat(_split_and(pm2.group("head"))))
            for cond in re.split(r"(?:^|,? and)? ?- (?:[a-z]\) )?", pm2.group("conds")):
                if cond.strip(" ,"):
                    parts.extend(_flat(_split_and(cond)))
            continue
        parts.extend(_flat(_split_and(clause)))
    if provided is not None:
        parts.append(provided)
    if tol is not None:
        shifts = [i for i, p in enumerate(parts) if isinstance(p, TariffShift)]
        if len(shifts) != 1:
            return Unparsed(text)
        shift = parts[shifts[0]]
        assert isinstance(shift, TariffShift)
        if shift.tolerance is not None:
            return Unparsed(text)
        if these:  # the listed exceptions, read exactly, and nothing described in words among them
            if not shift.except_ or any(isinstance(p, ContentCondition) for p in parts):
                return Unparsed(text)
            tol = Tolerance(tol.percent, shift.except_)
        parts[shifts[0]] = TariffShift(shift.level, shift.from_, shift.except_, tol)
    return all_of(parts)


def _split_and(clause: str) -> list[Rule]:
    """One clause, or two when it is "<CTH clause> and A maximum of ..." (EU CTH + MaxNOM in one text)."""
    rule = _parse_clause(clause)
    if not isinstance(rule, Unparsed):
        return [rule]
    m = re.fullmatch(r"(.+?),? (?:and )?((?:in which|A maximum|the value|the weight) .+)", clause.strip(" ."), re.I)
    if m:
        a, b = _parse_clause(m.group(1)), _parse_clause(m.group(2))
        if is_structured(a) and is_structured(b):
            return [a, b]
    return [rule]


# --- CPTPP sentences --------------------------------------------------------------------------------------

_ONE_CODE = r"(?:(?:chapter|heading|subheading) )?\d[\d.]*"
_CODES_RE = rf"{_ONE_CODE}(?:(?: (?:through|to) |,? and |,? or |, |-){_ONE_CODE})*"
_CHANGE = re.compile(
    rf"A change to (?P<product>.+?) from (?P<source>any other (?:chapter|heading|subheading)|{_CODES_RE}"
    rf"(?: or any other (?:chapter|heading|subheading))?)(?:,? except from (?P<exc>{_CODES_RE}))?"
    r"(?:,? provided (?:that )?(?P<cond>.+))?",
    re.I,
)
_NO_CHANGE = re.compile(
    r"No change in tariff classification (?:is )?required for (?P<product>.+?),? provided (?:that )?(?P<cond>.+)", re.I
)
_RVC = re.compile(
    rf"{_P} under the (?P<method>build-down|build-up|net cost|focused value) method"
    r"(?: taking into account only the non-originating materials of (?P<codes>.+?))?",
    re.I,
)
_METHODS: dict[str, RvcMethod] = {
    "build-down": "build_down",
    "build-up": "build_up",
    "net cost": "net_cost",
    "focused value": "focused_value",
}
_GOOD = re.compile(rf"(?:a good of |any other good of |a good of )?(?P<codes>{_CODES_RE})", re.I)


def _rvc(text: str) -> Rule:
    text = text.strip(" .")
    m = re.fullmatch(r"there is a regional value content of not less than:? (?P<rest>.+)", text, re.I)
    if not m:
        return _cptpp_condition(text)
    items = [i for i in re.split(r"\.? ?- [a-z]\) ", " " + m.group("rest")) if i.strip()]
    parts: list[Rule] = []
    for item in items:
        rm = _RVC.fullmatch(item.strip(" .;"))
        if not rm:
            return Unparsed(text)
        materials = None
        if rm.group("codes"):
            materials = parse_codes(rm.group("codes"))
            if materials is None:
                return Unparsed(text)
        parts.append(RegionalValueContent(_pct(rm), _METHODS[rm.group("method").lower()], materials))
    return any_of(parts) if parts else Unparsed(text)


def _cptpp_condition(text: str) -> Rule:
    text = text.strip(" .")
    if text.lower().startswith("there is a regional value content"):
        return _rvc(text)
    m = re.fullmatch(r"the good is (?P<p>[\w ]+?) from a good that is not (?P=p)", text, re.I)
    if m:
        return SpecificProcess(m.group("p").lower(), text)
    if re.fullmatch(
        r"the good is cut or knit to shape, or both, and sewn or otherwise assembled in the territory of one or more "
        r"of the Parties",
        text,
        re.I,
    ):
        return SpecificProcess("cut or knit to shape and sewn or assembled in the Parties", text)
    if re.fullmatch(
        r"(?:not less than \d+(?:\.\d+)? ?% by weight of the total polymer content is originating"
        r"|the (?:dry )?weight of (?:the )?non-originating materials of .+? does not exceed \d+(?:\.\d+)? ?% by "
        r"(?:dry )?weight of the materials of .+? used in the (?:preparation|production) of the good"
        r"|the total alcoholic volume of the non-originating materials does not exceed \d+(?:\.\d+)? ?% of the "
        r"volume of the total alcoholic strength of the good)",
        text,
        re.I,
    ):
        return ContentCondition(text)
    m = re.fullmatch(
        r"the value of (?:all )?(?:the )?non-originating (?P<desc>[\w ]+?) of (?P<codes>.+?) "
        rf"does not exceed {_P} of the value of the good",
        text,
        re.I,
    )
    if m:
        codes = parse_codes(m.group("codes"))
        if codes is not None:
            return MaterialValueLimit(codes, _pct(m), "good_value", m.group("desc"))
    return Unparsed(text)


def _scope(product: str, rule: Rule) -> Rule:
    good = _GOOD.fullmatch(product.strip())
    if good is not None and parse_codes(good.group("codes")) is not None:
        return rule
    return ProductScope(product.strip(), rule)


def _parse_cptpp(text: str) -> Rule:
    text = text.strip().rstrip(".")
    m = _NO_CHANGE.fullmatch(text)
    if m:
        cond = m.group("cond")
        rule = _rvc(cond) if cond.lower().startswith("there is") else _cptpp_condition(cond)
        return _scope(m.group("product"), rule)
    m = _CHANGE.fullmatch(text)
    if not m:
        return Unparsed(text)
    source = m.group("source")
    except_ = parse_codes(m.group("exc")) if m.group("exc") else CodeSet()
    if except_ is None:
        return Unparsed(text)
    shifts: list[Rule] = []
    other = re.search(r"any other (chapter|heading|subheading)$", source, re.I)
    if other:
        shifts.append(TariffShift(_LEVEL_OF_WORD[other.group(1).lower()], None, except_))
    explicit = re.sub(r" or any other (?:chapter|heading|subheading)$", "", source, flags=re.I)
    if not explicit.lower().startswith("any other"):
        codes = parse_codes(explicit)
        if codes is None:
            return Unparsed(text)
        level = _LEVEL_OF_DIGITS[str(len(codes.ranges[0][0]))]
        shifts.insert(0, TariffShift(level, codes, except_))
    rule = any_of(shifts)
    if m.group("cond"):
        cond = _cptpp_condition(m.group("cond"))
        rule = all_of([rule, cond])
    return _scope(m.group("product"), rule)


# --- public API -------------------------------------------------------------------------------------------


# Provisos a machine cannot decide, kept as conditions (questions) next to the rule they limit.
_QUOTA = re.compile(r"(?P<rule>.+?),? -? ?within the limits of the applicable annual quota\.?", re.I)
_UNTIL = re.compile(r"(?P<rule>[^.]+?)\.? \(until (?P<date>\d{1,2} [A-Z][a-z]+ \d{4})\)\.?")
_EXPORT_QUOTA = re.compile(
    r"(?P<rule>.+?)\. (?P<proviso>(?:For (?:heading|subheading) [^.]+?, )?the printing rule "
    r"(?:shall apply|applies) only to exports from [^.]+? for an aggregate annual quota of [^.]+?\."
    r"(?: This quota will be allocated [^.]+\.?)?)",
    re.I,
)
_SET = re.compile(
    r"Each item in the set (?:must|shall) satisfy the rule,? which would apply to it if it were not included in the "
    r"set[.,] (?:However, |provided that )non-originating articles may be incorporated,? provided (?:that )?their "
    rf"total value does not exceed {_P} of the ex-works price(?: \(EXW\))? of the set\.?",
    re.I,
)


# "In the case of the products composed of materials classified within both heading 3901 to heading 3906 ... and
# ... heading 3907 to heading 3911 ..., this restriction only applies to that group of materials which predominates
# by weight in the product." It relaxes the rule: the rule as written, OR the relaxed reading confirmed (a question).
_PREDOMINANT = re.compile(
    r"(?P<rule>.+?)\.? (?P<proviso>In the case of (?:the )?products composed of materials classified (?:with)?in both "
    r"heading 3901 to heading 3906, on the one hand, and (?:with)?in heading 3907 to heading 3911, on the other hand, "
    r"this restriction only applies to that group of materials which predominates by weight in the product)\.?",
    re.I,
)
_BY_TREATMENT = re.compile(
    r"(?:Manufacture|Production) by (?P<name>(?:electrolytic|thermal)(?: or (?:electrolytic|thermal))? treatment) "
    r"(?P<rest>(?:in which|from) .+)",
    re.I,
)


# Two rules joined in one text by " or " before a capitalised rule opening (the EU prototype data joins the
# alternatives of a rule set this way): read as alternatives, each of which must be understood.
_JOINED_OR = re.compile(
    r"\.? or (?=(?:Manufacture|Production|Printing|Making up|Other operations|Operations|Weaving|Knitting|Spinning"
    r"|Dyeing|Coating|Refining|Flocking|Tufting|Extrusion|Twisting|Embroidering|Cutting) )"
)


_RETAINED = re.compile(
    r"The origin of the (?:pharmaceutical )?product in its original classification (?:before it became waste )?"
    r"shall (?:be|he) retained\.?",
    re.I,
)
# "Manufacture from asbestos concentrate": one material named in words the table does not have, nothing else.
_UNNAMED_SOURCE = re.compile(r"(?:Manufacture|Production) from (?P<desc>[a-z][a-z ,'-]{2,60}?)\.?")


def _provisos(text: str) -> tuple[str, list[Rule]]:
    """The rule text without its quota / time-limit proviso, and the proviso as a condition."""
    m = _QUOTA.fullmatch(text)
    if m:
        return m.group("rule"), [ContentCondition("the export is within the limits of the applicable annual quota")]
    m = _UNTIL.fullmatch(text)
    if m:
        date = m.group("date")
        return m.group("rule"), [
            ContentCondition(f"the export takes place on or before {date} (the rule applies until then)")
        ]
    m = _EXPORT_QUOTA.fullmatch(text)
    if m:
        return m.group("rule"), [
            ContentCondition(f"the export is one the printing rule may be used for: {m.group('proviso')}")
        ]
    return text, []


def parse_rule(text: str) -> Rule:
    """The grammar node of one rule text; :class:`Unparsed` (whole text) unless every clause was understood."""
    clean = normalise(text)
    if not clean:
        return Unparsed(text)
    body, provisos = _provisos(clean)
    if re.match(r"(?:A change to|No change in tariff classification)", body, re.I):
        rule = _parse_cptpp(body)
    elif re.fullmatch(
        r"(?:All (?:the )?)?(?:animals|products) of chapter \d+ (?:shall be|are) wholly obtained\.?", body, re.I
    ):
        rule = WhollyObtained()
    elif (pre := _PREDOMINANT.fullmatch(body)) is not None:
        strict = parse_rule(pre.group("rule"))
        relaxed = ContentCondition(
            f"the product is composed of materials of both heading 3901 to heading 3906 and heading 3907 to heading "
            f'3911, and the rule "{pre.group("rule").strip(" .")}" is met when its restriction is applied only to the '
            "group of materials which predominates by weight in the product"
        )
        rule = any_of([strict, relaxed]) if is_structured(strict) else strict
    elif (treated := _BY_TREATMENT.fullmatch(body)) is not None:
        rest = _parse_eu("Manufacture " + treated.group("rest"))
        rule = all_of([SpecificProcess(treated.group("name").lower(), body.strip(" .")), rest])
    elif len(alternatives := _JOINED_OR.split(body)) > 1:  # EU prototype: "<rule> or Manufacture from ..."
        rule = any_of([parse_rule(a) for a in alternatives])
    elif _SET.fullmatch(body):  # the rule for sets: each item's own rule, 15% of non-originating articles
        rule = ContentCondition(f"the set meets the rule for sets: {body.strip(' .')}")
    elif _RETAINED.fullmatch(body):
        rule = ContentCondition(f"the product was originating in its original classification ({body.strip(' .')})")
    else:
        rule = _parse_eu(body)
        unnamed = _UNNAMED_SOURCE.fullmatch(body)
        if not is_structured(rule) and unnamed and not _VAGUE.search(unnamed.group("desc")):
            desc = unnamed.group("desc")
            rule = ContentCondition(
                f"the product is manufactured from {desc}: no non-originating material used is at a later stage of "
                f"manufacture than {desc} (the material words are not in the parser's table)"
            )
    if provisos and is_structured(rule):
        rule = all_of([rule, *provisos])
    return rule if is_structured(rule) else Unparsed(clean)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One rule set of a scheme: the rules for a heading (or part of it, ``ex``) over a commodity code range."""

    heading: str
    subdivision: str
    low: str  # 10-digit commodity code, inclusive
    high: str
    ex: bool
    texts: tuple[str, ...]
    rules: tuple[Rule, ...]  # one per text (after joining continuations)
    rule: Rule  # the combination

    @property
    def hs_range(self) -> CodeSet:
        return CodeSet(((self.low[:6], self.high[:6]),))

    @property
    def structured(self) -> bool:
        return all(is_structured(r) for r in self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "subdivision": self.subdivision,
            "range": [self.low, self.high],
            "ex": self.ex,
            "rule": self.rule.as_dict(),
            "structured": self.structured,
        }


_CONTINUATION = re.compile(r"^(?:- [b-z]\)|However,|Followed in both cases)", re.I)


def parse_rule_set(raw: Mapping[str, Any]) -> RuleSet:
    """Read one ``rule_sets`` entry; see the module docstring for how operators and continuations combine."""
    groups: list[list[list[str]]] = []  # requirement -> alternatives -> texts
    for item in raw.get("rules", []):
        text = str(item.get("rule", ""))
        if groups and _CONTINUATION.match(normalise(text)):
            groups[-1][-1].append(text)
        elif groups and item.get("operator") == "or":
            groups[-1].append([text])
        else:
            groups.append([[text]])
    texts: list[str] = []
    rules: list[Rule] = []
    requirement: list[Rule] = []
    for group in groups:
        alternatives: list[Rule] = []
        for pieces in group:
            joined = " ".join(normalise(p) for p in pieces)
            rule = parse_rule(joined)
            texts.append(joined)
            rules.append(rule)
            alternatives.append(rule)
        requirement.append(any_of(alternatives))
    heading = str(raw.get("heading", ""))
    combined = all_of(requirement) if requirement else Unparsed("")
    return RuleSet(
        heading=heading,
        subdivision=str(raw.get("subdivision") or ""),
        low=str(raw.get("min", "")),
        high=str(raw.get("max", "")),
        ex=heading.lower().startswith("ex"),
        texts=tuple(texts),
        rules=tuple(rules),
        rule=combined if not isinstance(combined, AllOf) or combined.parts else Unparsed(""),
    )


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    rule_sets: tuple[RuleSet, ...] = field(default_factory=tuple)
    skipped_titles: int = 0  # rows with no rule text at all (title rows of the EU prototype data), not loaded

    def coverage(self, top: int = 10) -> dict[str, Any]:
        """Rule sets, rules, structured rule sets (every rule structured) and share, most frequent unparsed."""
        total = len(self.rule_sets)
        structured = sum(1 for rs in self.rule_sets if rs.structured)
        unparsed: Counter[str] = Counter(
            text for rs in self.rule_sets for text, r in zip(rs.texts, rs.rules, strict=True) if not is_structured(r)
        )
        return {
            "scheme": self.name,
            "rule_sets": total,
            "rules": sum(len(rs.rules) for rs in self.rule_sets),
            "structured_rule_sets": structured,
            "structured_share": round(structured / total, 4) if total else 0.0,
            "skipped_titles": self.skipped_titles,
            "top_unparsed": [{"count": n, "text": t} for t, n in unparsed.most_common(top)],
        }


def load_scheme(path: str | Path) -> Scheme:
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    raws = list(data.get("rule_sets", []))
    kept = [raw for raw in raws if any(str(r.get("rule") or "").strip() for r in raw.get("rules") or [])]
    return Scheme(path.stem, tuple(parse_rule_set(raw) for raw in kept), len(raws) - len(kept))


def markdown(report: Sequence[Mapping[str, Any]], width: int = 140) -> str:
    """The coverage reports as the Markdown tables of ``PARSE_REPORT.md``."""
    lines = [
        "| scheme | rule sets | rules | structured rule sets | share | title rows skipped |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report:
        share = f"{100 * r['structured_share']:.1f}%"
        skipped = r.get("skipped_titles", 0)
        lines.append(
            f"| {r['scheme']} | {r['rule_sets']} | {r['rules']} | {r['structured_rule_sets']} | {share} | {skipped} |"
        )
    for r in report:
        lines += ["", f"### {r['scheme']}: most frequent unparsed texts", "", "| n | text |", "|---:|---|"]
        for item in r["top_unparsed"]:
            text = str(item["text"]).replace("|", "/")
            text = text if len(text) <= width else text[: width - 1] + "…"
            lines.append(f"| {item['count']} | {text} |")
    return "\n".join(lines) + "\n"


DEFAULT_DIRS = (
    "data/rules_of_origin/uk_trade_tariff_backend/rule_sets",
    "data/rules_of_origin/eu_ott_prototype/rule_sets",
)


def main(argv: Sequence[str]) -> int:
    """``python -m ivcs.engines.origin.parser [DIR ...] [--markdown]``: coverage of every scheme file in the DIRs
    (default: the UK and the EU prototype rule sets)."""
    args = [a for a in argv if not a.startswith("--")]
    folders = [Path(a) for a in args] if args else [Path(d) for d in DEFAULT_DIRS]
    report = [load_scheme(p).coverage() for folder in folders for p in sorted(folder.glob("*.json"))]
    if "--markdown" in argv:
        print(markdown(report), end="")
    else:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
