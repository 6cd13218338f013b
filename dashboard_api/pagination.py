"""Cursor pagination shared by every list endpoint.

Lists are keyset-paginated on `(sort column, id)`, so a page never skips or repeats a row
while others are inserted. The cursor is opaque to clients: URL-safe base64 of a small JSON
object holding the sort it belongs to and the last row's key. A cursor from another sort
(or a tampered one) is a 400 `invalid_cursor`. Sorts are named like `created_at` /
`-created_at` (descending), the same way on every endpoint.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from dashboard_api.errors import InvalidCursor

T = TypeVar("T")
Out = TypeVar("Out")
# Any SELECT, whatever its columns: the keyset keeps the statement's own row type.
SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])
MAX_LIMIT = 100

LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1–100).")]
CursorQuery = Annotated[
    str | None, Query(max_length=512, description="`next_cursor` from the previous page.")
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class SortKey:
    """One allowed sort: its public name and the column behind it."""

    name: str
    column: InstrumentedAttribute[Any]
    kind: type  # datetime | str | int


@dataclass(frozen=True)
class Sort:
    key: SortKey
    descending: bool

    @property
    def token(self) -> str:
        return ("-" if self.descending else "") + self.key.name


def parse_sort(value: str, allowed: Sequence[SortKey]) -> Sort:
    """`-created_at` → (created_at, descending). Unknown names were rejected by the Query enum."""
    descending = value.startswith("-")
    name = value.lstrip("-")
    for key in allowed:
        if key.name == name:
            return Sort(key, descending)
    raise InvalidCursor(f"unknown sort {value!r}")


def _encode_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _decode_value(value: Any, kind: type) -> Any:
    try:
        if kind is datetime:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError("naive datetime")
            return parsed
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is str and isinstance(value, str):
            return value
    except (TypeError, ValueError):
        pass
    raise InvalidCursor("the cursor is malformed")


def encode_cursor(sort: Sort, value: Any, row_id: uuid.UUID) -> str:
    raw = json.dumps(
        {"s": sort.token, "v": _encode_value(value), "i": str(row_id)}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(data, dict):
            raise ValueError
        row_id = uuid.UUID(str(data["i"]))
        token = data["s"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor("the cursor is malformed") from None
    if token != sort.token:
        raise InvalidCursor("the cursor belongs to another sort order")
    return _decode_value(data.get("v"), sort.key.kind), row_id


def apply_keyset(
    statement: SelectT,
    sort: Sort,
    id_column: InstrumentedAttribute[Any],
    cursor: str | None,
    limit: int,
) -> SelectT:
    """Order by (sort column, id) and start after the cursor; fetches one extra row so the
    caller can tell whether there is a next page."""
    column = sort.key.column
    if cursor:
        value, row_id = decode_cursor(cursor, sort)
        key = tuple_(column, id_column)
        statement = statement.where(
            key < (value, row_id) if sort.descending else key > (value, row_id)
        )
    if sort.descending:
        statement = statement.order_by(column.desc(), id_column.desc())
    else:
        statement = statement.order_by(column.asc(), id_column.asc())
    return statement.limit(limit + 1)


def page_of(
    rows: Sequence[T], sort: Sort, limit: int, key: Callable[[T], tuple[Any, uuid.UUID]]
) -> tuple[list[T], str | None]:
    """Cut the extra row off and build the next cursor from the last row kept."""
    items = list(rows[:limit])
    if len(rows) <= limit or not items:
        return items, None
    value, row_id = key(items[-1])
    return items, encode_cursor(sort, value, row_id)


@dataclass(frozen=True)
class PageRequest:
    """A list endpoint's page parameters as the client sent them (the sort still a name)."""

    sort: str
    cursor: str | None
    limit: int

    def keyset(self, allowed: Sequence[SortKey]) -> Keyset:
        return Keyset(parse_sort(self.sort, allowed), self.cursor, self.limit)


@dataclass(frozen=True)
class Keyset:
    """One page of one list, its sort parsed: the repository narrows its query with
    `apply`, the service cuts the rows it got into a `Page` with `page`."""

    sort: Sort
    cursor: str | None
    limit: int

    def apply(self, statement: SelectT, id_column: InstrumentedAttribute[Any]) -> SelectT:
        return apply_keyset(statement, self.sort, id_column, self.cursor, self.limit)

    def page(
        self,
        rows: Sequence[T],
        out: Callable[[T], Out],
        key: Callable[[T], tuple[Any, uuid.UUID]] | None = None,
    ) -> Page[Out]:
        """`key` reads a row's (sort value, id); by default the attributes named by the sort
        and `id`, which fits every list whose rows are the sorted model itself."""
        kept, next_cursor = page_of(rows, self.sort, self.limit, key or self._attribute_key)
        return Page(items=[out(row) for row in kept], next_cursor=next_cursor)

    def _attribute_key(self, row: Any) -> tuple[Any, uuid.UUID]:
        return getattr(row, self.sort.key.name), row.id
