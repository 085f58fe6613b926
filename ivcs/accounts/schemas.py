"""API schemas of the accounts domain. Input schemas forbid unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, HttpUrl, field_validator

from ivcs.core.i18n import country_name, is_country_code

Kind = Literal["sme", "buyer", "tpo", "certifier", "operator"]
Role = Literal["owner", "editor", "viewer"]


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


def _country(value: str) -> str:
    if not is_country_code(value):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, e.g. CL")
    return value.upper()


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: Kind
    country: str
    country_name: str
    website: str
    description: str
    is_demo: bool = Field(description="True for the fictional demo data")
    created_at: datetime

    @staticmethod
    def resolve_country_name(obj: Any) -> str:
        return country_name(obj.country) if not isinstance(obj, dict) else obj["country_name"]


class OrganisationIn(StrictInput):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    country: str = Field(min_length=2, max_length=2, examples=["CL"])
    website: HttpUrl | None = None
    description: str = Field("", max_length=4000)

    _check_country = field_validator("country")(_country)


class OrganisationPatch(StrictInput):
    name: str | None = Field(None, min_length=1, max_length=200)
    country: str | None = Field(None, min_length=2, max_length=2)
    website: HttpUrl | None = None
    description: str | None = Field(None, max_length=4000)

    @field_validator("country")
    @classmethod
    def _check_country(cls, value: str | None) -> str | None:
        return None if value is None else _country(value)


class MemberOut(Schema):
    email: str
    full_name: str
    role: Role


class ApiKeyOut(Schema):
    prefix: str
    name: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyIn(StrictInput):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1, examples=[["org:read"]])


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret. Shown this once; store it now.")


class MeOut(Schema):
    kind: Literal["user", "api_key"]
    email: str | None = None
    full_name: str | None = None
    organisation: str | None = Field(None, description="For an API key: its organisation's slug")
    scopes: list[str] | None = None
    memberships: list[dict[str, str]] = []
