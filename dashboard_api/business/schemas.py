from __future__ import annotations

import re
import uuid
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictInt, field_validator

from dashboard_api.validation import matching, stripped_name

# ISO 4217 active codes (2024). Kept here rather than pulled from a package: the list
# changes about once a year and a wrong currency would print wrong prices.
ISO_4217 = frozenset(
    """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN
BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN
NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU
UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
""".split()
)
# Matches the column's CHECK constraint (migration 0008).
MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 3650
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")


def valid_timezone(value: str) -> str:
    if value not in _zones():
        raise ValueError("must be an IANA time zone such as Europe/Berlin or America/New_York")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("must be an IANA time zone such as Europe/Berlin") from None
    return value


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return _ZONES


def valid_website(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) address such as https://shop.example.com")
    return value.strip()


class BusinessOut(BaseModel):
    id: uuid.UUID
    name: str
    website: str | None = None
    currency: str
    timezone: str
    language: str
    support_email: str | None = None
    support_phone: str | None = None
    shipping_policy: str | None = None
    returns_policy: str | None = None
    retention_days: int | None = Field(
        default=None,
        description="Shoppers' conversations (messages, feedback, widget events) are deleted "
        "this many days after their last activity; null: kept until deleted",
    )
    created_at: datetime
    updated_at: datetime


class BusinessUpdate(BaseModel):
    """Only the fields sent change; `null` clears an optional field."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    website: str | None = Field(default=None, max_length=500)
    currency: str | None = Field(default=None, description="ISO 4217, e.g. EUR")
    timezone: str | None = Field(
        default=None, max_length=64, description="IANA, e.g. Europe/Berlin"
    )
    language: str | None = Field(
        default=None, max_length=16, description="BCP 47, e.g. en or pt-BR"
    )
    support_email: EmailStr | None = None
    support_phone: str | None = Field(default=None, max_length=64)
    shipping_policy: str | None = Field(default=None, max_length=20_000)
    returns_policy: str | None = Field(default=None, max_length=20_000)
    # Strict: `true` or "30" would otherwise become a retention that deletes data.
    retention_days: StrictInt | None = Field(
        default=None,
        ge=MIN_RETENTION_DAYS,
        le=MAX_RETENTION_DAYS,
        description=f"{MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days (30, 90, 180 and 365 "
        "are the usual choices): conversations idle for longer are deleted, hourly; null "
        "keeps them",
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return stripped_name(value)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return valid_website(value) if value else None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if code not in ISO_4217:
            raise ValueError("must be an ISO 4217 currency code such as USD or EUR")
        return code

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return valid_timezone(value) if value is not None else None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return matching(value, _LANGUAGE, "must be a language tag such as en, de or pt-BR")

    @field_validator("support_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return matching(value, _PHONE, "must be a phone number such as +1 555 010 0200")


# Columns that may be cleared with null; the others keep their value when null is sent.
REQUIRED_FIELDS = frozenset({"name", "currency", "timezone", "language"})
