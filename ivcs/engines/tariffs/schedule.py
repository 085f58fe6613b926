"""National tariff schedules, indexed by market and HS 2022 subheading, and the answer to "what duty, and what
saving under which programme?".

Loaded once per process (:func:`load_schedules`, cached) from the files copied into ``data/tariffs/`` (see its
PROVENANCE.md and docs/tariffs.md):

* ``US``: USITC HTS 2026 Revision 10, one line per 8-digit HTS line; MFN = column 1 General; programmes from
  column 1 Special (CL, CO, PE, USMCA S/S+, CAFTA-DR P/P+). Chapter 99 additional duties are NOT included.
* ``JP``: Japan Customs tariff schedule 2026-07-09. The schedule is a tree: a rate printed on a group applies to
  the lines under it unless a line prints its own, so each leaf row inherits, column by column, from its
  ancestors. MFN: the WTO rate, unless it is in parentheses (then the temporary rate if set, else the general
  rate); where the WTO rate is not in parentheses but the base rate is lower, the lower applies. An empty EPA
  cell (after inheritance) means no concession under that agreement.
* ``GB``: UK Global Tariff as launched (1 Jan 2021), codes CN 2021 = HS 2017, mapped to HS 2022 through the UNSD
  correlation table; MFN only.
* ``EU``: the EU CET of 2020 from the same file (a proxy for the current EU MFN), same mapping; MFN only.

Plain Python, no Django.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final, TextIO

from .rates import EMPTY, NOTE_JP_PARENTHESES, Rate, jp_parenthesised, parse_rate

DATA_DIR: Final = Path(__file__).resolve().parents[3] / "data" / "tariffs"
US_FILE: Final = DATA_DIR / "usitc_hts_2026_rev10" / "us_hts8_rates_latam_programs.csv.gz"
JP_FILE: Final = DATA_DIR / "japan_customs_tariff_2026_07_09" / "jp_tariff_lines_epa_rates.csv.gz"
UK_FILE: Final = DATA_DIR / "uk_global_tariff_2021" / "global-uk-tariff.csv.gz"
CORRELATION_FILE: Final = DATA_DIR / "unsd_hs2022_hs2017_correlation" / "hs2022_hs2017_correlations.csv"
# An HS 2022 subheading fed by more HS 2017 subheadings than this (the new e-waste 8549 and display-module 8524
# subheadings draw on about a thousand) cannot be given the 2021 lines of its sources: they would be wrong.
MAX_HS2017_SOURCES: Final = 10
PER: Final = Decimal(1000)
CENT: Final = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Source:
    publisher: str
    dataset: str
    date: str  # the schedule's date or vintage, ISO where known
    licence: str
    attribution: str
    url: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "publisher": self.publisher,
            "dataset": self.dataset,
            "date": self.date,
            "licence": self.licence,
            "attribution": self.attribution,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Programme:
    """A preferential tariff programme of one market: which exporters it covers, from which column(s)."""

    id: str
    name: str
    market: str
    exporters: tuple[str, ...]  # ISO 3166 alpha-2 of the partner countries (not only ours)
    columns: tuple[str, ...]  # the source column(s), first one preferred
    source: Source
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "market": self.market,
            "exporters": list(self.exporters),
            "columns": list(self.columns),
            "source": self.source.as_dict(),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Market:
    id: str
    name: str
    source: Source
    programmes: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "source": self.source.as_dict(),
            "programmes": list(self.programmes),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class TariffLine:
    """One national tariff line under the HS 6-digit subheading asked for."""

    code: str
    description: str
    path: str  # the descriptions of the line's ancestors, " > " joined ("" when the source has none)
    mfn: Rate
    preferential: Rate | None  # None: no programme asked, or no concession on this line
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "description": self.description,
            "path": self.path,
            "mfn": self.mfn.as_dict(),
            "preferential": None if self.preferential is None else self.preferential.as_dict(),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class RateRange:
    """The rates of several lines: ``low``/``high`` percent when every line is free or ad valorem, else None;
    ``texts`` are the distinct verbatim texts, ``kinds`` the distinct kinds, both in line order."""

    low: Decimal | None
    high: Decimal | None
    texts: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def single(self) -> bool:
        return len(self.texts) == 1

    @property
    def ad_valorem(self) -> bool:
        return self.low is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "low": None if self.low is None else str(self.low),
            "high": None if self.high is None else str(self.high),
            "single": self.single,
            "texts": list(self.texts),
            "kinds": list(self.kinds),
        }


@dataclass(frozen=True, slots=True)
class TariffSummary:
    mfn: RateRange | None
    preferential: RateRange | None
    saving_per_1000: tuple[Decimal, Decimal] | None  # (min, max) over the lines, per 1,000 of customs value
    saving_note: str = ""  # why there is no saving figure, when there is none

    def as_dict(self) -> dict[str, Any]:
        saving = self.saving_per_1000
        return {
            "mfn": None if self.mfn is None else self.mfn.as_dict(),
            "preferential": None if self.preferential is None else self.preferential.as_dict(),
            "saving_per_1000": None if saving is None else {"min": str(saving[0]), "max": str(saving[1])},
            "saving_note": self.saving_note,
        }


@dataclass(frozen=True, slots=True)
class TariffAnswer:
    market: str
    hs6: str
    programme: Programme | None
    lines: tuple[TariffLine, ...]
    summary: TariffSummary
    source: Source | None
    notes: tuple[str, ...]
    known: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "market": self.market,
            "hs6": self.hs6,
            "programme": None if self.programme is None else self.programme.as_dict(),
            "lines": [line.as_dict() for line in self.lines],
            "summary": self.summary.as_dict(),
            "source": None if self.source is None else self.source.as_dict(),
            "notes": list(self.notes),
            "known": self.known,
        }


@dataclass(frozen=True, slots=True)
class _Line:
    code: str
    description: str
    path: str
    mfn: Rate
    preferential: Mapping[str, Rate]  # programme id -> rate; a missing id means no concession on this line
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class Schedules:
    """Everything loaded: lines by market and HS 2022 subheading, plus the HS 2017 -> 2022 mapping notes."""

    lines: dict[str, dict[str, tuple[_Line, ...]]] = field(default_factory=dict)
    market_notes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # market -> hs6 -> notes
    unmapped: dict[str, dict[str, str]] = field(default_factory=dict)  # market -> hs6 -> why no lines


# --- Sources, markets and programmes -------------------------------------------------------------------------

US_SOURCE: Final = Source(
    publisher="U.S. International Trade Commission (USITC)",
    dataset="Harmonized Tariff Schedule of the United States (HTSUS), 2026 Revision 10",
    date="2026-06",
    licence="US Government work, public domain (17 U.S.C. 105)",
    attribution="Source: USITC, HTSUS 2026 Revision 10",
    url="https://hts.usitc.gov/",
)
JP_SOURCE: Final = Source(
    publisher="Japan Customs (財務省関税局・税関)",
    dataset="Customs Tariff Schedule of Japan (実行関税率表), version 2026_07_09",
    date="2026-07-09",
    licence="Japan Customs website terms (not verified; Government of Japan Standard Terms of Use assumed)",
    attribution="Source: Japan Customs (財務省関税局・税関), tariff schedule 2026-07-09",
    url="https://www.customs.go.jp/tariff/2026_07_09/index.htm",
)
GB_SOURCE: Final = Source(
    publisher="UK Department for International Trade",
    dataset="UK Global Tariff as launched (CN 2021 / HS 2017 codes)",
    date="2021-01-01",
    licence="Open Government Licence v3.0 (Crown copyright)",
    attribution="Contains public sector information licensed under the Open Government Licence v3.0.",
    url="https://github.com/uktrade/global-uk-tariff",
)
EU_SOURCE: Final = Source(
    publisher="European Union CET, as published beside the UKGT by the UK Department for International Trade",
    dataset="EU Common External Tariff (MFN) of 2020, proxy for the current EU MFN (CN 2020 / HS 2017 codes)",
    date="2020",
    licence="Open Government Licence v3.0 (Crown copyright)",
    attribution="Contains public sector information licensed under the Open Government Licence v3.0.",
    url="https://github.com/uktrade/global-uk-tariff",
)
UNSD_CREDIT: Final = "HS 2022-HS 2017 correlation: United Nations Statistics Division (UNSD)"

NO_PREFERENCES_NOTE: Final = "no preferential rates are loaded for this market: MFN only"
CHAPTER_99_NOTE: Final = (
    "US chapter 99 additional duties (Section 232, Section 301, IEEPA and other surcharges) are NOT included"
)

MARKETS: Final[dict[str, Market]] = {
    "US": Market(
        "US",
        "United States",
        US_SOURCE,
        ("us-chile", "us-colombia", "us-peru", "usmca", "cafta-dr"),
        (CHAPTER_99_NOTE,),
    ),
    "JP": Market("JP", "Japan", JP_SOURCE, ("jp-mexico-epa", "jp-chile-epa", "jp-peru-epa", "cptpp")),
    "GB": Market(
        "GB",
        "United Kingdom",
        GB_SOURCE,
        (),
        (
            NO_PREFERENCES_NOTE,
            "UK Global Tariff of 1 January 2021: a baseline, amended since; verify against the live UK Trade Tariff",
            UNSD_CREDIT,
        ),
    ),
    "EU": Market(
        "EU",
        "European Union",
        EU_SOURCE,
        (),
        (
            NO_PREFERENCES_NOTE,
            "EU CET of 2020 used as a proxy for the current EU MFN; verify against the current CN/TARIC",
            UNSD_CREDIT,
        ),
    ),
}
MARKET_ALIASES: Final = {"UK": "GB"}
CPTPP_PARTIES: Final = ("AU", "BN", "CA", "CL", "GB", "MX", "MY", "NZ", "PE", "SG", "VN")

PROGRAMMES: Final[dict[str, Programme]] = {
    p.id: p
    for p in (
        Programme(
            "us-chile", "United States-Chile Free Trade Agreement", "US", ("CL",), ("us_chile_fta_CL",), US_SOURCE
        ),
        Programme(
            "us-colombia",
            "United States-Colombia Trade Promotion Agreement",
            "US",
            ("CO",),
            ("us_colombia_tpa_CO",),
            US_SOURCE,
            ("'See 9918.04.xx' points to Colombia TPA quota provisions in chapter 99, not loaded",),
        ),
        Programme(
            "us-peru", "United States-Peru Trade Promotion Agreement", "US", ("PE",), ("us_peru_tpa_PE",), US_SOURCE
        ),
        Programme(
            "usmca",
            "United States-Mexico-Canada Agreement (USMCA)",
            "US",
            ("MX", "CA"),
            ("usmca_S", "usmca_S_plus"),
            US_SOURCE,
            ("special program indicators S and S+; S+ entries refer to chapter 98 provisions, not loaded",),
        ),
        Programme(
            "cafta-dr",
            "Dominican Republic-Central America-United States Free Trade Agreement (CAFTA-DR)",
            "US",
            ("CR", "DO", "GT", "HN", "NI", "SV"),
            ("cafta_dr_P", "cafta_dr_P_plus"),
            US_SOURCE,
            ("special program indicators P and P+; P+ entries mostly refer to chapter 98 provisions, not loaded",),
        ),
        Programme(
            "jp-mexico-epa", "Japan-Mexico Economic Partnership Agreement", "JP", ("MX",), ("epa_mexico",), JP_SOURCE
        ),
        Programme(
            "jp-chile-epa", "Japan-Chile Economic Partnership Agreement", "JP", ("CL",), ("epa_chile",), JP_SOURCE
        ),
        Programme("jp-peru-epa", "Japan-Peru Economic Partnership Agreement", "JP", ("PE",), ("epa_peru",), JP_SOURCE),
        Programme(
            "cptpp",
            "Comprehensive and Progressive Agreement for Trans-Pacific Partnership (CPTPP), Japan's schedule",
            "JP",
            CPTPP_PARTIES,
            ("epa_cptpp",),
            JP_SOURCE,
            (
                "parties other than Japan as of the data's date (the UK acceded in December 2024); some lines carry "
                "party-specific rates in the text",
            ),
        ),
    )
}


def markets() -> list[Market]:
    """The markets with loaded rates, in a fixed order (US, JP, GB, EU)."""
    return list(MARKETS.values())


def programmes_for(market: str, exporter: str) -> list[Programme]:
    """The programmes of ``market`` whose partners include ``exporter`` (ISO alpha-2); [] when none is loaded."""
    market_id = _market_id(market)
    country = exporter.strip().upper()
    return [p for p in PROGRAMMES.values() if p.market == market_id and country in p.exporters]


def _market_id(market: str) -> str:
    code = market.strip().upper()
    return MARKET_ALIASES.get(code, code)


# --- Loading -------------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    handle: TextIO
    with (
        gzip.open(path, "rt", encoding="utf-8", newline="")
        if path.suffix == ".gz"
        else path.open(encoding="utf-8", newline="")
    ) as handle:
        yield from csv.DictReader(handle)


def _load_us() -> dict[str, tuple[_Line, ...]]:
    by_hs6: dict[str, list[_Line]] = defaultdict(list)
    for row in _read_csv(US_FILE):
        preferential: dict[str, Rate] = {}
        notes: list[str] = []
        for programme in ("us-chile", "us-colombia", "us-peru", "usmca", "cafta-dr"):
            columns = PROGRAMMES[programme].columns
            rates = [parse_rate(row[column], "US") for column in columns]
            present = [r for r in rates if r.kind != "empty"]
            if present:
                preferential[programme] = present[0]
                if len(present) > 1:
                    notes.append(f"{programme}: also '{present[1].text}' ({columns[1]})")
        if row["footnotes"].strip():
            notes.append(f"footnotes: {row['footnotes'].strip()}")
        if "9903." in row["footnotes"]:
            notes.append("a footnote refers to chapter 99 (additional duties), which is not applied here")
        if "entered during the period" in row["description"]:
            notes.append("seasonal line: the rate depends on the date of entry (see the description)")
        if row["quota_quantity"].strip():
            notes.append(f"tariff-rate quota quantity: {row['quota_quantity'].strip()}")
        by_hs6[row["hs6"]].append(
            _Line(
                code=row["hts"],
                description=row["description"],
                path=row["parent_path"],
                mfn=parse_rate(row["general_mfn"], "US"),
                preferential=preferential,
                notes=tuple(notes),
            )
        )
    return {hs6: tuple(lines) for hs6, lines in by_hs6.items()}


JP_RATE_COLUMNS: Final = ("jp_general_statutory", "jp_temporary", "jp_wto_mfn")
JP_PROGRAMME_COLUMNS: Final = {
    "jp-mexico-epa": "epa_mexico",
    "jp-chile-epa": "epa_chile",
    "jp-peru-epa": "epa_peru",
    "cptpp": "epa_cptpp",
}


def _jp_leaves(rows: Iterable[dict[str, str]]) -> Iterator[tuple[dict[str, str], dict[str, str], int]]:
    """Each leaf row of the schedule tree with its rates inherited from its ancestors (column by column), and the
    number of columns inherited. Ancestry is read from ``parent_path_ja`` (the descriptions of every ancestor,
    including the groups without rates that are not rows of the file), not from ``level`` alone."""
    columns = (*JP_RATE_COLUMNS, *JP_PROGRAMME_COLUMNS.values())
    stack: list[tuple[str, str, dict[str, str]]] = []  # (hs6, the node's own path, effective rates)
    pending: tuple[dict[str, str], dict[str, str], int] | None = None
    for row in rows:
        hs6, parent = row["hs6"], row["parent_path_ja"]
        while stack and not (stack[-1][0] == hs6 and _jp_under(parent, stack[-1][1])):
            stack.pop()
        if pending is not None and not (stack and stack[-1][2] is pending[1]):
            yield pending  # the previous row has no descendant: it is a leaf
        inherited = stack[-1][2] if stack else {}
        effective = {c: row[c].strip() or inherited.get(c, "") for c in columns}
        taken = sum(1 for c in columns if not row[c].strip() and inherited.get(c))
        own_path = f"{parent} > {row['desc_ja']}" if parent else row["desc_ja"]
        stack.append((hs6, own_path, effective))
        pending = (row, effective, taken)
    if pending is not None:
        yield pending


def _jp_under(parent_path: str, ancestor_path: str) -> bool:
    return parent_path == ancestor_path or parent_path.startswith(ancestor_path + " > ")


def _jp_mfn(general: str, temporary: str, wto: str) -> tuple[Rate, tuple[str, ...]]:
    base_text = temporary or general
    base = parse_rate(base_text, "JP") if base_text else EMPTY
    if not wto:
        return base, ()
    wto_rate = parse_rate(wto, "JP")
    if jp_parenthesised(wto):
        if base_text:
            return base, (f"WTO rate {wto} in parentheses: the {_jp_base_name(temporary)} rate applies",)
        return wto_rate, ("WTO rate in parentheses but no general or temporary rate printed: WTO rate shown",)
    if base.percent is not None and wto_rate.percent is not None and base.percent < wto_rate.percent:
        return base, (f"the {_jp_base_name(temporary)} rate {base_text} is lower than the WTO rate {wto}",)
    return wto_rate, ()


def _jp_base_name(temporary: str) -> str:
    return "temporary" if temporary else "general"


def _load_jp() -> dict[str, tuple[_Line, ...]]:
    by_hs6: dict[str, list[_Line]] = defaultdict(list)
    seen: dict[str, int] = defaultdict(int)
    for row, rates, taken in _jp_leaves(_read_csv(JP_FILE)):
        mfn, notes = _jp_mfn(rates["jp_general_statutory"], rates["jp_temporary"], rates["jp_wto_mfn"])
        line_notes = list(notes)
        if taken:
            line_notes.append("rates printed on a group row of the schedule apply to this line")
        if mfn.kind == "empty":
            line_notes.append("no MFN rate printed for this line in the schedule")
        preferential = {
            programme: parse_rate(rates[column], "JP")
            for programme, column in JP_PROGRAMME_COLUMNS.items()
            if rates[column]
        }
        code = f"{row['stat_code']}.{row['hs_suffix']}" if row["hs_suffix"] else row["stat_code"]
        seen[code] += 1
        by_hs6[row["hs6"]].append(
            _Line(
                code=code,
                description=row["desc_ja"],
                path=row["parent_path_ja"],
                mfn=mfn,
                preferential=preferential,
                notes=tuple(line_notes),
            )
        )
    out: dict[str, tuple[_Line, ...]] = {}
    split_note = "the schedule splits this code by season or condition (see the description)"
    for hs6, lines in by_hs6.items():
        out[hs6] = tuple(
            _Line(ln.code, ln.description, ln.path, ln.mfn, ln.preferential, (*ln.notes, split_note))
            if seen[ln.code] > 1
            else ln
            for ln in lines
        )
    return out


def _load_correlation() -> dict[str, list[tuple[str, str]]]:
    by_2022: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _read_csv(CORRELATION_FILE):
        by_2022[row["hs2022"]].append((row["hs2017"], row["relationship"]))
    return by_2022


def _load_uk(
    correlation: Mapping[str, list[tuple[str, str]]],
) -> tuple[dict[str, dict[str, tuple[_Line, ...]]], dict[str, tuple[str, ...]], dict[str, str]]:
    by_2017: dict[str, dict[str, list[_Line]]] = {"GB": defaultdict(list), "EU": defaultdict(list)}
    for row in _read_csv(UK_FILE):
        hs2017 = row["commodity"][:6]
        flags = []
        if row["suspension_applies"] == "True":
            flags.append("a UK tariff suspension may lower the rate paid (suspension_applies)")
        if row["trade_remedy_applies"] == "True":
            flags.append("a UK trade remedy applies (trade_remedy_applies)")
        if row["atq_applies"] == "True":
            flags.append("a UK autonomous tariff quota applies (atq_applies)")
        for market, column in (("GB", "ukgt_duty_rate"), ("EU", "cet_duty_rate")):
            by_2017[market][hs2017].append(
                _Line(
                    code=row["commodity"],
                    description=row["description"],
                    path="",
                    mfn=parse_rate(row[column], market),
                    preferential={},
                    notes=tuple(flags) if market == "GB" else (),
                )
            )
    feeds: dict[str, set[str]] = defaultdict(set)  # HS 2017 -> the HS 2022 subheadings it feeds
    for hs2022, pairs in correlation.items():
        for hs2017, _ in pairs:
            feeds[hs2017].add(hs2022)
    lines: dict[str, dict[str, tuple[_Line, ...]]] = {"GB": {}, "EU": {}}
    notes: dict[str, tuple[str, ...]] = {}
    unmapped: dict[str, str] = {}
    for hs2022, pairs in correlation.items():
        sources = sorted({hs2017 for hs2017, _ in pairs})
        if len(sources) > MAX_HS2017_SOURCES:
            unmapped[hs2022] = (
                f"HS 2022 subheading {hs2022} correlates with {len(sources)} HS 2017 subheadings (UNSD): the 2021 "
                "lines cannot be assigned to it"
            )
            continue
        relationships = sorted({relationship for _, relationship in pairs})
        text: list[str] = []
        if relationships != ["1:1"]:
            others = sorted({h for s in sources for h in feeds[s]} - {hs2022})
            shown = ", ".join(others[:6]) + (" ..." if len(others) > 6 else "")
            text.append(
                f"mapped from HS 2017 {', '.join(sources)} ({'/'.join(relationships)}, UNSD correlation): not 1:1"
                + (f"; those HS 2017 lines also cover goods now in HS 2022 {shown}" if others else "")
                + (f"; HS 2022 {hs2022} joins {len(sources)} HS 2017 subheadings" if len(sources) > 1 else "")
            )
        elif sources != [hs2022]:
            text.append(f"HS 2022 {hs2022} corresponds 1:1 to HS 2017 {sources[0]} (UNSD correlation)")
        for market in ("GB", "EU"):
            found = tuple(line for s in sources for line in by_2017[market].get(s, ()))
            if found:
                lines[market][hs2022] = found
        if text:
            notes[hs2022] = tuple(text)
    return lines, notes, unmapped


@cache
def load_schedules() -> Schedules:
    """Read every copied file once per process."""
    uk_lines, uk_notes, unmapped = _load_uk(_load_correlation())
    return Schedules(
        lines={"US": _load_us(), "JP": _load_jp(), "GB": uk_lines["GB"], "EU": uk_lines["EU"]},
        market_notes={"GB": uk_notes, "EU": uk_notes},
        unmapped={"GB": unmapped, "EU": unmapped},
    )


# --- Answering -----------------------------------------------------------------------------------------------

LINE_NOTES_SHOWN: Final = (
    "seasonal line",
    "tariff-rate quota",
    "the schedule splits",
    "a footnote refers to chapter 99",
)
_HS6 = re.compile(r"[0-9]{6}")
_NO_SUMMARY = TariffSummary(None, None, None, "no rate loaded")


def _range(rates: list[Rate]) -> RateRange | None:
    if not rates:
        return None
    texts = tuple(dict.fromkeys(r.text for r in rates))
    kinds = tuple(dict.fromkeys(r.kind for r in rates))
    percents = [r.percent for r in rates if r.is_ad_valorem and r.percent is not None]
    if len(percents) == len(rates):
        return RateRange(min(percents), max(percents), texts, kinds)
    return RateRange(None, None, texts, kinds)


def _saving(lines: tuple[TariffLine, ...]) -> tuple[tuple[Decimal, Decimal] | None, str, list[str]]:
    savings: list[Decimal] = []
    notes: list[str] = []
    for line in lines:
        preferential = line.mfn if line.preferential is None else line.preferential
        if not line.mfn.is_ad_valorem or line.mfn.percent is None:
            reason = {
                "specific": "specific duty: the saving depends on weight or quantity",
                "compound": "compound duty: the saving depends on weight or quantity as well as value",
                "empty": "no MFN rate loaded on some line",
            }.get(line.mfn.kind, f"MFN rate of kind '{line.mfn.kind}' on line {line.code}: not a plain percentage")
            return None, reason, notes
        if not preferential.is_ad_valorem or preferential.percent is None:
            reason = {
                "specific": "specific preferential duty: the saving depends on weight or quantity",
                "compound": "compound preferential duty: the saving depends on weight or quantity as well as value",
                "quota": "tariff-rate quota: the saving depends on whether the quota is filled",
                "seasonal": "seasonal preferential rate: the saving depends on the date of import",
                "reference": "the preferential rate refers to another provision, which is not loaded",
            }.get(
                preferential.kind,
                f"preferential rate of kind '{preferential.kind}' on line {line.code}: not a plain percentage",
            )
            return None, reason, notes
        difference = line.mfn.percent - preferential.percent
        if difference < 0:
            notes.append(
                f"line {line.code}: the preferential rate {preferential.text} is higher than the MFN rate "
                f"{line.mfn.text}; the MFN rate would normally be claimed instead"
            )
        savings.append((difference * PER / 100).quantize(CENT))
    if not savings:
        return None, "no lines", notes
    return (min(savings), max(savings)), "", notes


def _answer(market: str, hs6: str, notes: list[str], source: Source | None = None) -> TariffAnswer:
    return TariffAnswer(market, hs6, None, (), _NO_SUMMARY, source, tuple(dict.fromkeys(notes)), False)


def lookup(market: str, hs6: str, programme: str | None = None) -> TariffAnswer:
    """The tariff lines under HS 2022 subheading ``hs6`` in ``market`` (US, JP, GB or UK, EU), their MFN rates and,
    when ``programme`` is a programme id of that market, its preferential rates; a summary with the saving per
    1,000 of customs value when every line is ad valorem or free. Never raises: an unknown market, code or
    programme gives ``known=False`` (or no preferential rates) with a note saying why."""
    market_id = _market_id(market)
    code = re.sub(r"[\s.\-]", "", hs6 or "")
    if market_id not in MARKETS:
        return _answer(market_id, code, [f"no tariff rates are loaded for market {market!r}"])
    info = MARKETS[market_id]
    if not _HS6.fullmatch(code[:6]) or not code.isdigit():
        return _answer(market_id, code, [f"{hs6!r} is not an HS code (6 digits expected)"], info.source)
    notes: list[str] = []
    if len(code) > 6:
        notes.append(f"code {code} read as its HS 6-digit subheading {code[:6]}")
        code = code[:6]
    schedules = load_schedules()
    chosen: Programme | None = None
    if programme is not None:
        chosen = PROGRAMMES.get(programme)
        if chosen is None:
            notes.append(f"unknown programme {programme!r}: no preferential rates shown")
        elif chosen.market != market_id:
            notes.append(f"programme {programme!r} is not a programme of market {market_id}: no preferential rates")
            chosen = None
    if not info.programmes and programme is not None:
        notes.append(NO_PREFERENCES_NOTE)
    stored = schedules.lines[market_id].get(code)
    if not stored:
        why = schedules.unmapped.get(market_id, {}).get(code, f"no tariff line under HS {code} in the {info.name} data")
        return _answer(market_id, code, [*notes, why, *info.notes], info.source)

    lines = tuple(
        TariffLine(
            code=line.code,
            description=line.description,
            path=line.path,
            mfn=line.mfn,
            preferential=None if chosen is None else line.preferential.get(chosen.id),
            notes=line.notes,
        )
        for line in stored
    )
    notes.extend(info.notes)
    notes.extend(schedules.market_notes.get(market_id, {}).get(code, ()))
    if chosen is not None:
        notes.extend(chosen.notes)
    mfn = _range([line.mfn for line in lines])
    if mfn is not None and not mfn.single:
        notes.append(f"{len(lines)} national lines with different MFN rates: see each line")
    preferential: RateRange | None = None
    saving: tuple[Decimal, Decimal] | None = None
    saving_note = "no programme chosen"
    if chosen is not None:
        conceded = [line.preferential for line in lines if line.preferential is not None]
        if not conceded:
            if all(line.mfn.kind == "free" for line in lines):
                notes.append(f"the MFN rate is already free: no preference under {chosen.name} is needed")
            else:
                notes.append(f"no concession under {chosen.name} on any line: the MFN rate applies")
            saving, saving_note, _ = _saving(lines)
        else:
            if len(conceded) < len(lines):
                notes.append(
                    f"no concession under {chosen.name} on {len(lines) - len(conceded)} of {len(lines)} lines: "
                    "the MFN rate applies there (an empty cell in the schedule)"
                )
            preferential = _range(conceded)
            saving, saving_note, saving_notes = _saving(lines)
            notes.extend(saving_notes)
    notes.extend(note for line in lines for note in line.notes if note.startswith(LINE_NOTES_SHOWN))
    for line in lines:
        notes.extend(line.mfn.notes)
        if line.preferential is not None:
            notes.extend(line.preferential.notes)
    if market_id == "JP" and any("in parentheses" in note for line in lines for note in line.notes):
        notes.append(NOTE_JP_PARENTHESES)
    return TariffAnswer(
        market=market_id,
        hs6=code,
        programme=chosen,
        lines=lines,
        summary=TariffSummary(mfn, preferential, saving, "" if saving is not None else saving_note),
        source=info.source,
        notes=tuple(dict.fromkeys(notes)),
        known=True,
    )
