"""The schema of the files in data/standards (see data/standards/FORMAT.md), checked with pydantic.

`read_catalogue(folder)` parses and validates every file and returns the valid records plus one
`Refusal` per record that failed (file, position, id, and why). Cross-file references (a
certifier's schemes, a requirement's schemes, a cost's scheme) are checked too, so a record that
names an unknown scheme is refused with that name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from ivcs.engines.standards.hsranges import HsRangeError, parse_range

ID = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=60)]
SECTOR_ID = Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)?$", max_length=60)]
COUNTRY = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
CURRENCY = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


def _hs_spec(value: str) -> str:
    try:
        return str(parse_range(value))
    except HsRangeError as exc:
        raise ValueError(str(exc)) from exc


HsSpec = Annotated[str, AfterValidator(_hs_spec)]
Url = Annotated[str, AfterValidator(lambda v: str(HttpUrl(v)))]
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Texts(Strict):
    en: str = Field(min_length=1, max_length=4000)
    es: str | None = Field(default=None, max_length=4000)
    pt: str | None = Field(default=None, max_length=4000)


class Source(Strict):
    url: str = Field(pattern=r"^https?://\S+$", max_length=1000)
    title: str | None = Field(default=None, max_length=500)
    date: str | None = None

    @model_validator(mode="before")
    @classmethod
    def from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"url": data}
        if isinstance(data, dict) and data.get("date") is not None:
            return {**data, "date": str(data["date"])}  # YAML reads 2024-05-01 as a date
        return data

    @model_validator(mode="after")
    def check(self) -> Source:
        if self.date is not None and not PARTIAL_DATE.match(self.date):
            raise ValueError(f"source date {self.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        return self


class Provenance(Strict):
    sources: list[Source] = Field(default_factory=list)
    checked: date
    verified: Literal["yes", "partial", "no"]
    unverified: list[str] = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="before")
    @classmethod
    def booleans_are_words(cls, data: Any) -> Any:
        # YAML reads a bare yes/no as a boolean.
        if isinstance(data, dict) and isinstance(data.get("verified"), bool):
            data = {**data, "verified": "yes" if data["verified"] else "no"}
        return data

    @model_validator(mode="after")
    def provenance_is_consistent(self) -> Provenance:
        if self.verified != "no" and not self.sources:
            raise ValueError("a verified (or partly verified) record needs at least one source")
        if self.verified == "partial" and not self.unverified:
            raise ValueError("verified: partial needs the list of unverified fields")
        return self


class SectorRecord(Provenance):
    id: SECTOR_ID
    name: Texts
    parent: SECTOR_ID | None = None
    hs: list[HsSpec] = Field(default_factory=list)


class RecognitionRecord(Provenance):
    by: ID
    scope: str | None = Field(default=None, max_length=300)
    checked: date | None = None  # type: ignore[assignment]  # inherits the scheme's
    verified: Literal["yes", "partial", "no"] = "yes"


SCHEME_KINDS = {
    "food_safety", "primary_production", "quality", "environment", "social", "sustainability", "organic",
    "fair_trade", "textile_product", "textile_chain", "information_security", "it_service", "halal_kosher",
    "product_safety", "management_system",
}  # fmt: skip


class SchemeRecord(Provenance):
    id: ID
    name: str = Field(min_length=2, max_length=200)
    short_name: str | None = Field(default=None, max_length=60)
    owner: str = Field(min_length=2, max_length=300)
    kind: str
    sectors: list[SECTOR_ID] = Field(min_length=1)
    hs: list[HsSpec] = Field(default_factory=list)
    scope: Texts
    description: Texts | None = None
    scheme_version: str | None = Field(default=None, max_length=200)
    validity_months: int | None = Field(default=None, ge=1, le=120)
    audit_cycle: Texts | None = None
    levels: list[str] = Field(default_factory=list)
    site: Url | None = None
    recognitions: list[RecognitionRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def known_kind(self) -> SchemeRecord:
        if self.kind not in SCHEME_KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(sorted(SCHEME_KINDS))}")
        return self


class EquivalenceRecord(Provenance):
    scheme: ID
    other: ID
    relation: Literal["equivalent", "includes", "benchmarked"]

    @model_validator(mode="after")
    def two_schemes(self) -> EquivalenceRecord:
        if self.scheme == self.other:
            raise ValueError("a relation needs two different schemes")
        return self


class OfficeRecord(Strict):
    country: COUNTRY
    city: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=60)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    url: Url | None = None
    sources: list[Source] = Field(default_factory=list)
    checked: date | None = None
    verified: Literal["yes", "partial", "no"] = "no"
    unverified: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def booleans_are_words(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("verified"), bool):
            data = {**data, "verified": "yes" if data["verified"] else "no"}
        return data


class CertifierRecord(Provenance):
    id: ID
    name: str = Field(min_length=2, max_length=200)
    site: Url | None = None
    accreditation: Texts | None = None
    schemes: list[ID] = Field(default_factory=list)
    offices: list[OfficeRecord] = Field(default_factory=list)


class Range(Strict):
    min: Money
    max: Money

    @model_validator(mode="after")
    def ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class MonthsRange(Strict):
    min: int = Field(ge=0, le=120)
    max: int = Field(ge=0, le=120)

    @model_validator(mode="after")
    def ordered(self) -> MonthsRange:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class CostPart(Strict):
    item: Literal[
        "audit_fee",
        "audit_days",
        "licence_fee",
        "consultancy",
        "training",
        "laboratory",
        "infrastructure",
        "registration",
        "other",
    ]
    min: Money
    max: Money
    unit: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def ordered(self) -> CostPart:
        if self.min > self.max:
            raise ValueError(f"{self.item}: min {self.min} is above max {self.max}")
        return self


class CostRecord(Provenance):
    scheme: ID
    country: Annotated[str, Field(pattern=r"^([A-Z]{2}|\*)$")]
    currency: CURRENCY
    total: Range
    parts: list[CostPart] = Field(default_factory=list)
    duration_months: MonthsRange | None = None
    basis: Texts | None = None


class Maximum(Strict):
    amount: Money
    currency: CURRENCY


PURPOSES = {"certification", "export", "innovation", "working_capital", "training", "investment", "promotion"}


class ProgrammeRecord(Provenance):
    id: ID
    country: Annotated[str, Field(pattern=r"^([A-Z]{2}|LATAM)$")]
    name: str = Field(min_length=2, max_length=300)
    institution: str = Field(min_length=2, max_length=300)
    instrument: Literal[
        "grant", "loan", "co_financing", "guarantee", "training", "technical_assistance", "subsidy", "matchmaking"
    ]
    purposes: list[str] = Field(min_length=1)
    schemes: list[ID] = Field(default_factory=list)
    eligibility: Texts | None = None
    coverage_percent: int | None = Field(default=None, ge=1, le=100)
    maximum: Maximum | None = None
    url: Url | None = None
    active: Literal["yes", "no", "unknown"] = "unknown"

    @model_validator(mode="before")
    @classmethod
    def active_words(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("active"), bool):
            data = {**data, "active": "yes" if data["active"] else "no"}
        return data

    @model_validator(mode="after")
    def known_purposes(self) -> ProgrammeRecord:
        unknown = sorted(set(self.purposes) - PURPOSES)
        if unknown:
            raise ValueError(f"unknown purposes {unknown}; use {sorted(PURPOSES)}")
        return self


class CourseRecord(Provenance):
    id: ID
    scheme: ID
    title: str = Field(min_length=2, max_length=300)
    provider: str = Field(min_length=2, max_length=200)
    kind: Literal["course", "guide", "toolkit", "webinar"]
    languages: list[Literal["en", "es", "pt", "fr", "de", "it", "zh", "ja"]] = Field(min_length=1)
    cost: Literal["free", "paid", "unknown"] = "unknown"
    url: Url | None = None


class RequirementRecord(Strict):
    scheme: ID | None = None
    any_of: list[ID] | None = None
    recognised_by: ID | None = None
    level: Literal["mandatory", "preferred"]
    note: Texts | None = None

    @model_validator(mode="after")
    def says_what(self) -> RequirementRecord:
        if not (self.scheme or self.any_of or self.recognised_by):
            raise ValueError("a requirement names a scheme, any_of a list of schemes, or recognised_by")
        if self.scheme and self.any_of:
            raise ValueError("use either scheme or any_of, not both")
        return self

    @property
    def options(self) -> list[str]:
        return [self.scheme] if self.scheme else list(self.any_of or [])


class RequirementSetRecord(Provenance):
    id: ID
    title: Texts
    hs: list[HsSpec] = Field(default_factory=list)
    requirements: list[RequirementRecord] = Field(min_length=1)


class BuyerRecord(Provenance):
    id: ID
    name: str = Field(min_length=2, max_length=200)
    demo: bool = False
    sectors: list[SECTOR_ID] = Field(default_factory=list)
    requirement_sets: list[RequirementSetRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def demo_is_visible(self) -> BuyerRecord:
        if self.demo and "demo" not in self.name.lower():
            raise ValueError("a fictional demo buyer's name must say so, e.g. 'Supermercados Andinos (Demo)'")
        if not self.demo and self.verified == "no":
            raise ValueError("a real buyer's requirements need a source (verified: yes or partial)")
        return self


FILES: dict[str, type[Provenance]] = {
    "sectors": SectorRecord,
    "schemes": SchemeRecord,
    "equivalences": EquivalenceRecord,
    "certifiers": CertifierRecord,
    "costs": CostRecord,
    "programmes": ProgrammeRecord,
    "courses": CourseRecord,
    "buyers": BuyerRecord,
}


@dataclass(frozen=True)
class Refusal:
    file: str
    position: int  # 1-based position of the record in its file
    id: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}.yaml #{self.position} ({self.id}): " + "; ".join(self.reasons)


@dataclass
class Catalogue:
    records: dict[str, list[Any]] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)

    def ids(self, name: str) -> set[str]:
        return {r.id for _, r in self.records.get(name, [])}


def _reasons(exc: ValidationError) -> tuple[str, ...]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        out.append(f"{where}: {message}" if where else message)
    return tuple(out)


def _raw_records(folder: Path, name: str) -> Iterator[tuple[int, Any]] | str:
    path = folder / f"{name}.yaml"
    if not path.exists():
        return f"missing file {path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return f"{path.name} is not valid YAML: {exc}"
    if not isinstance(data, dict) or not isinstance(data.get(name), list):
        return f"{path.name} must be a mapping with one key '{name}' holding a list"
    return enumerate(data[name], start=1)


def read_catalogue(folder: Path) -> Catalogue:
    """Parse and validate every file; records that fail are refused with their reasons."""
    cat = Catalogue()
    for name, model in FILES.items():
        cat.records[name] = []
        raw = _raw_records(folder, name)
        if isinstance(raw, str):
            cat.refused.append(Refusal(name, 0, "-", (raw,)))
            continue
        seen: set[str] = set()
        for position, item in raw:
            ident = str(item.get("id", item.get("scheme", "?"))) if isinstance(item, dict) else "?"
            try:
                record = model.model_validate(item)
            except ValidationError as exc:
                cat.refused.append(Refusal(name, position, ident, _reasons(exc)))
                continue
            key = getattr(record, "id", None)
            if key is not None:
                if key in seen:
                    cat.refused.append(Refusal(name, position, ident, (f"duplicate id {key!r}",)))
                    continue
                seen.add(key)
            cat.records[name].append((position, record))
    _check_references(cat)
    return cat


def _check_references(cat: Catalogue) -> None:
    """Refuse records that name a sector, scheme or parent the catalogue does not hold."""
    sectors = {r.id for _, r in cat.records["sectors"]}
    schemes = {r.id for _, r in cat.records["schemes"]}

    def keep(name: str, check: Any) -> None:
        kept = []
        for position, record in cat.records[name]:
            problems = check(record)
            if problems:
                ident = str(getattr(record, "id", None) or getattr(record, "scheme", "?"))
                cat.refused.append(Refusal(name, position, ident, tuple(problems)))
            else:
                kept.append((position, record))
        cat.records[name] = kept

    def unknown(kind: str, names: list[str], known: set[str]) -> list[str]:
        return [f"unknown {kind} {n!r}" for n in names if n not in known]

    keep("sectors", lambda r: unknown("parent sector", [r.parent] if r.parent else [], sectors))
    keep("schemes", lambda r: unknown("sector", r.sectors, sectors))
    schemes = {r.id for _, r in cat.records["schemes"]}
    keep("equivalences", lambda r: unknown("scheme", [r.scheme, r.other], schemes))
    keep("certifiers", lambda r: unknown("scheme", r.schemes, schemes))
    keep("costs", lambda r: unknown("scheme", [r.scheme], schemes))
    keep("programmes", lambda r: unknown("scheme", r.schemes, schemes))
    keep("courses", lambda r: unknown("scheme", [r.scheme], schemes))

    def buyer_refs(r: BuyerRecord) -> list[str]:
        problems = unknown("sector", r.sectors, sectors)
        set_ids: set[str] = set()
        for s in r.requirement_sets:
            if s.id in set_ids:
                problems.append(f"duplicate requirement set id {s.id!r}")
            set_ids.add(s.id)
            for i, req in enumerate(s.requirements, start=1):
                problems += [f"{s.id} requirement {i}: {p}" for p in unknown("scheme", req.options, schemes)]
        return problems

    keep("buyers", buyer_refs)
    # Requirement-set ids are global: two buyers may not reuse one.
    owners: dict[str, str] = {}
    kept = []
    for position, record in cat.records["buyers"]:
        clash = [s.id for s in record.requirement_sets if s.id in owners]
        if clash:
            cat.refused.append(
                Refusal("buyers", position, record.id, tuple(f"requirement set id {c!r} already used" for c in clash))
            )
            continue
        owners.update({s.id: record.id for s in record.requirement_sets})
        kept.append((position, record))
    cat.records["buyers"] = kept
