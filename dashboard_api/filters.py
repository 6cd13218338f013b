"""Query parameters shared by list endpoints: the same names and meaning everywhere.

`from` / `to` bound a timestamp (`from` inclusive, `to` exclusive); a date-time without an
offset is read as UTC; a plain date means its midnight UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from core.errors import ValidationFailed

DateFrom = Annotated[
    datetime | None,
    Query(alias="from", description="Inclusive lower bound (ISO 8601; UTC when no offset)"),
]
DateTo = Annotated[
    datetime | None, Query(description="Exclusive upper bound (ISO 8601; UTC when no offset)")
]


def aware(value: datetime | None) -> datetime | None:
    """UTC, or a 422 for a moment outside what can be stored (year 1 with a +14:00 offset...)."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationFailed("the date-time is out of range") from None


def within(
    column: InstrumentedAttribute[Any], start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    """The conditions `from` / `to` put on `column` (see above); None leaves that side open."""
    conditions: list[ColumnElement[bool]] = []
    if start:
        conditions.append(column >= start)
    if end:
        conditions.append(column < end)
    return conditions
