"""Checking profile input: one function turns a plain dict into clean values or names every bad field.

Used by the services (API, pages, the import) before anything is written. Lookups (HS codes,
sectors, schemes) are done here so that a write never half-happens on an unknown value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ivcs.core.errors import FieldErrors
from ivcs.core.i18n import is_country_code
from ivcs.engines.nlq import BLOCS
from ivcs.engines.text import detect_language
from ivcs.profiles.models import (
    MAX_DESCRIPTION,
    MAX_PRODUCT_DESCRIPTION,
    MAX_PRODUCTS,
    BuyerType,
    CapacityUnit,
    Language,
    RevenueBand,
)

MAX_REGION = 120
MAX_LIST = 60
MAX_CAPACITY = Decimal("99999999999999.99")
MAX_EMPLOYEES = 10_000_000
MAX_CERTIFICATIONS = 60

FIELDS = frozenset(
    {
        "country",
        "region",
        "sectors",
        "description",
        "description_language",
        "capacity_volume",
        "capacity_unit",
        "employees",
        "revenue_band",
        "years_exporting",
        "markets_served",
        "languages",
        "interest_countries",
        "interest_buyer_types",
        "public",
        "contact_name",
        "contact_email",
        "contact_phone",
        "products",
        "certifications",
    }
)


class ProfileError(FieldErrors):
    """Input the profiles domain refuses (see FieldErrors): a code, a message and the field."""


@dataclass
class CleanProduct:
    hs: str
    description: str


@dataclass
class CleanCertification:
    standard: str
    expires: dt.date | None


@dataclass
class CleanProfile:
    country: str
    region: str = ""
    sectors: list[str] = field(default_factory=list)
    description: str = ""
    description_language: str = Language.ES
    capacity_volume: Decimal | None = None
    capacity_unit: str = ""
    employees: int | None = None
    revenue_band: str = ""
    years_exporting: int = 0
    markets_served: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interest_countries: list[str] = field(default_factory=list)
    interest_buyer_types: list[str] = field(default_factory=list)
    public: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    products: list[CleanProduct] = field(default_factory=list)
    certifications: list[CleanCertification] | None = None  # None: leave the certificates as they are

    # Fields that go straight onto the Profile row.
    ROW_FIELDS = (
        "country",
        "region",
        "description",
        "description_language",
        "capacity_volume",
        "capacity_unit",
        "employees",
        "revenue_band",
        "years_exporting",
        "markets_served",
        "languages",
        "interest_countries",
        "interest_buyer_types",
        "public",
        "contact_name",
        "contact_email",
        "contact_phone",
    )

    def row_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.ROW_FIELDS}


class _Collector:
    def __init__(self) -> None:
        self.errors: list[ProfileError] = []

    def add(self, code: str, message: str, field: str) -> None:
        self.errors.append(ProfileError(code, message, field))

    def raise_if_any(self) -> None:
        if self.errors:
            first = self.errors[0]
            first.errors = list(self.errors)
            raise first


def _text(c: _Collector, data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        c.add("invalid", _("Enter text."), name)
        return ""
    value = value.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if len(value) > limit:
        c.add(
            "too_long",
            _("At most %(limit)s characters (this has %(length)s).") % {"limit": limit, "length": len(value)},
            name,
        )
    return value


def _country(value: Any) -> str | None:
    if isinstance(value, str) and is_country_code(value.strip()):
        return value.strip().upper()
    return None


def _str_list(c: _Collector, data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(",", ";").split(";")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        c.add("invalid", _("Enter a list of codes."), name)
        return []
    items = [v.strip() for v in value if v.strip()]
    if len(items) > MAX_LIST:
        c.add("too_many", _("At most %(limit)s items.") % {"limit": MAX_LIST}, name)
    return list(dict.fromkeys(items))


def _countries(c: _Collector, data: dict[str, Any], name: str, *, blocs: bool = False) -> list[str]:
    out = []
    for item in _str_list(c, data, name):
        if blocs and item.upper() in BLOCS:
            out.append(item.upper())
            continue
        code = _country(item)
        if code is None:
            message = (
                _("Unknown country or bloc: %(value)s (ISO codes such as CO, or EU).")
                if blocs
                else _("Unknown country: %(value)s (ISO 3166-1 codes such as CO).")
            )
            c.add("invalid_country", message % {"value": item}, name)
        else:
            out.append(code)
    return list(dict.fromkeys(out))


def _choices(c: _Collector, data: dict[str, Any], name: str, allowed: list[str]) -> list[str]:
    items = [item.lower() for item in _str_list(c, data, name)]
    for item in items:
        if item not in allowed:
            c.add(
                "invalid_choice",
                _("Unknown value: %(value)s (one of %(allowed)s).") % {"value": item, "allowed": ", ".join(allowed)},
                name,
            )
    return [i for i in dict.fromkeys(items) if i in allowed]


def _choice(c: _Collector, data: dict[str, Any], name: str, allowed: list[str]) -> str:
    value = data.get(name)
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        c.add(
            "invalid_choice",
            _("Unknown value: %(value)s (one of %(allowed)s).") % {"value": value, "allowed": ", ".join(allowed)},
            name,
        )
        return ""
    return value.strip().lower()


def _integer(c: _Collector, data: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "x"
    try:
        number = int(str(value).strip())
    except ValueError:
        c.add("invalid", _("Enter a whole number."), name)
        return None
    if number < low:
        c.add("negative" if low == 0 else "too_small", _("At least %(low)s.") % {"low": low}, name)
        return None
    if number > high:
        c.add("too_large", _("At most %(high)s.") % {"high": high}, name)
        return None
    return number


def _decimal(c: _Collector, data: dict[str, Any], name: str) -> Decimal | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "x"
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        c.add("invalid", _("Enter a number."), name)
        return None
    if not number.is_finite():
        c.add("invalid", _("Enter a number."), name)
        return None
    if number < 0:
        c.add("negative", _("The capacity cannot be negative."), name)
        return None
    if number > MAX_CAPACITY:
        c.add("too_large", _("This number is too large."), name)
        return None
    return number.quantize(Decimal("0.01"))


def _boolean(c: _Collector, data: dict[str, Any], name: str) -> bool:
    value = data.get(name)
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "si", "sí", "sim", "y"}:
        return True
    if text in {"0", "false", "no", "não", "nao", "n"}:
        return False
    c.add("invalid", _("Enter yes or no."), name)
    return False


def _hs_digits(value: Any) -> str | None:
    from ivcs.engines.hs.nomenclature import normalise_code

    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    digits = normalise_code(str(value).strip())
    return digits if digits and len(digits) in (4, 6) else None


def _products(c: _Collector, data: dict[str, Any]) -> list[CleanProduct]:
    from ivcs.products.models import HsCode

    value = data.get("products")
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        c.add("invalid", _("Enter a list of products."), "products")
        return []
    if len(value) > MAX_PRODUCTS:
        c.add("too_many", _("At most %(limit)s products.") % {"limit": MAX_PRODUCTS}, "products")
        return []
    wanted: list[tuple[int, str, str]] = []
    for index, item in enumerate(value):
        where = f"products.{index}"
        if isinstance(item, str):
            item = {"hs": item}
        if not isinstance(item, dict):
            c.add("invalid", _("Enter a product as {hs, description}."), where)
            continue
        unknown_keys = set(item) - {"hs", "description"}
        if unknown_keys:
            c.add(
                "unknown_field",
                _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown_keys))},
                where,
            )
        digits = _hs_digits(item.get("hs"))
        if digits is None:
            c.add(
                "invalid_hs",
                _("An HS code of 4 or 6 digits, e.g. 0901 or 0901.21 (got %(value)s).") % {"value": item.get("hs")},
                f"{where}.hs",
            )
            continue
        description = _text(c, item, "description", MAX_PRODUCT_DESCRIPTION)
        if len(description) > MAX_PRODUCT_DESCRIPTION:
            c.errors[-1].field = f"{where}.description"
        wanted.append((index, digits, description))
    known = set(HsCode.objects.filter(code__in=[d for _i, d, _t in wanted]).values_list("code", flat=True))
    out: list[CleanProduct] = []
    seen: set[str] = set()
    for index, digits, description in wanted:
        if digits not in known:
            c.add("unknown_hs", _("Unknown HS code: %(code)s.") % {"code": digits}, f"products.{index}.hs")
        elif digits in seen:
            c.add("duplicate", _("This HS code is listed twice: %(code)s.") % {"code": digits}, f"products.{index}.hs")
        else:
            seen.add(digits)
            out.append(CleanProduct(digits, description[:MAX_PRODUCT_DESCRIPTION]))
    return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _certifications(c: _Collector, data: dict[str, Any]) -> list[CleanCertification] | None:
    from ivcs.standards.models import Scheme

    if "certifications" not in data or data["certifications"] is None:
        return None
    value = data["certifications"]
    if not isinstance(value, list | tuple):
        c.add("invalid", _("Enter a list of certifications."), "certifications")
        return None
    if len(value) > MAX_CERTIFICATIONS:
        c.add("too_many", _("At most %(limit)s items.") % {"limit": MAX_CERTIFICATIONS}, "certifications")
        return None
    known = set(Scheme.objects.values_list("id", flat=True))
    out: list[CleanCertification] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        where = f"certifications.{index}"
        if isinstance(item, str):
            standard, _sep, expires_text = item.partition(":")
            item = {"standard": standard, "expires": expires_text or None}
        if not isinstance(item, dict):
            c.add("invalid", _("Enter a certification as {standard, expires}."), where)
            continue
        standard = str(item.get("standard") or "").strip()
        if standard not in known:
            c.add("unknown_standard", _("Unknown standard: %(value)s.") % {"value": standard}, f"{where}.standard")
            continue
        if standard in seen:
            c.add("duplicate", _("This standard is listed twice: %(value)s.") % {"value": standard}, where)
            continue
        seen.add(standard)
        expires: dt.date | None = None
        if item.get("expires") not in (None, ""):
            try:
                expires = _date(item["expires"])
            except (TypeError, ValueError):
                c.add(
                    "invalid_date",
                    _("Enter the expiry date as YYYY-MM-DD (got %(value)s).") % {"value": item["expires"]},
                    f"{where}.expires",
                )
                continue
        out.append(CleanCertification(standard, expires))
    return out


def clean_profile(data: dict[str, Any], *, default_country: str | None = None) -> CleanProfile:
    """Check every field of `data` and return clean values; raise ProfileError naming each bad field."""
    from ivcs.standards.models import Sector

    c = _Collector()
    if not isinstance(data, dict):
        raise ProfileError("invalid", _("Send the profile as an object."), "body")
    unknown = sorted(set(data) - FIELDS)
    for name in unknown:
        c.add("unknown_field", _("Unknown field."), name)

    raw_country = data.get("country") or default_country
    country = _country(raw_country)
    if not raw_country:
        c.add("required", _("Choose the country the company is in."), "country")
    elif country is None:
        c.add(
            "invalid_country",
            _("Unknown country: %(value)s (ISO 3166-1 codes such as CO).") % {"value": raw_country},
            "country",
        )

    sectors = _str_list(c, data, "sectors")
    known_sectors = set(Sector.objects.filter(id__in=sectors).values_list("id", flat=True))
    for sector_id in sectors:
        if sector_id not in known_sectors:
            c.add("unknown_sector", _("Unknown sector: %(value)s.") % {"value": sector_id}, "sectors")

    description = _text(c, data, "description", MAX_DESCRIPTION)
    language = _choice(c, data, "description_language", Language.values)
    if not language:
        language = detect_language(description, default="pt" if country == "BR" else "es") if description else ""
        language = language or ("pt" if country == "BR" else "es")

    capacity = _decimal(c, data, "capacity_volume")
    unit = _choice(c, data, "capacity_unit", CapacityUnit.values)
    if capacity is not None and not unit:
        c.add("required", _("Choose the unit of the capacity."), "capacity_unit")

    contact_email = _text(c, data, "contact_email", 254)
    if contact_email:
        try:
            validate_email(contact_email)
        except DjangoValidationError:
            c.add("invalid_email", _("Enter a valid e-mail address."), "contact_email")

    clean = CleanProfile(
        country=country or "",
        region=_text(c, data, "region", MAX_REGION),
        sectors=[s for s in sectors if s in known_sectors],
        description=description,
        description_language=language,
        capacity_volume=capacity,
        capacity_unit=unit,
        employees=_integer(c, data, "employees", 0, MAX_EMPLOYEES),
        revenue_band=_choice(c, data, "revenue_band", RevenueBand.values),
        years_exporting=_integer(c, data, "years_exporting", 0, 100) or 0,
        markets_served=_countries(c, data, "markets_served"),
        languages=_choices(c, data, "languages", Language.values),
        interest_countries=_countries(c, data, "interest_countries", blocs=True),
        interest_buyer_types=_choices(c, data, "interest_buyer_types", BuyerType.values),
        public=_boolean(c, data, "public"),
        contact_name=_text(c, data, "contact_name", 150),
        contact_email=contact_email,
        contact_phone=_text(c, data, "contact_phone", 40),
        products=_products(c, data),
        certifications=_certifications(c, data),
    )
    c.raise_if_any()
    return clean
