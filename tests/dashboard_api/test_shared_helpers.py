"""The helpers every dashboard list, lookup and request schema goes through: the keyset page
(`PageRequest` → `Keyset`), the 404 of a missing row (`found`) and the shared value checks."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from core.models import AuditLogEntry, Bot
from dashboard_api.errors import InvalidCursor, ResourceNotFound, found
from dashboard_api.filters import within
from dashboard_api.pagination import PageRequest, SortKey, decode_cursor
from dashboard_api.validation import matching, not_blank, stripped_name

SORTS = (SortKey("created_at", Bot.created_at, datetime), SortKey("name", Bot.name, str))


@dataclass(frozen=True)
class Row:
    id: uuid.UUID
    name: str
    created_at: datetime


def _rows(count: int) -> list[Row]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [Row(uuid.uuid4(), f"bot {i}", start + timedelta(minutes=i)) for i in range(count)]


def test_a_page_keeps_limit_rows_and_points_past_the_last_by_its_sort_value() -> None:
    keyset = PageRequest(sort="-name", cursor=None, limit=2).keyset(SORTS)
    rows = _rows(3)  # the repository fetched one row past the page
    page = keyset.page(rows, lambda row: row.name)
    assert page.items == ["bot 0", "bot 1"]
    assert page.next_cursor is not None
    assert decode_cursor(page.next_cursor, keyset.sort) == ("bot 1", rows[1].id)


def test_the_last_page_has_no_cursor_and_an_explicit_key_is_used() -> None:
    keyset = PageRequest(sort="created_at", cursor=None, limit=5).keyset(SORTS)
    page = keyset.page(_rows(2), lambda row: row.id, key=lambda row: (row.created_at, row.id))
    assert len(page.items) == 2
    assert page.next_cursor is None


def test_an_unknown_sort_is_an_invalid_cursor() -> None:
    with pytest.raises(InvalidCursor):
        PageRequest(sort="-price", cursor=None, limit=5).keyset(SORTS)


def test_found_passes_a_row_through_and_names_a_missing_one() -> None:
    row = _rows(1)[0]
    assert found(row, "bot") is row
    with pytest.raises(ResourceNotFound) as raised:
        found(None, "sync job")
    assert raised.value.detail == "sync job not found"


def test_shared_value_checks() -> None:
    assert not_blank(" keep as sent ") == " keep as sent "
    assert stripped_name("  Shop  ") == "Shop"
    assert stripped_name(None) is None
    for blank in ("", "   "):
        with pytest.raises(ValueError, match="must not be blank"):
            stripped_name(blank)
    hex_colour = re.compile(r"^#[0-9a-f]{6}$")
    assert matching(None, hex_colour, "colour") is None
    assert matching("#1f6feb", hex_colour, "colour") == "#1f6feb"
    with pytest.raises(ValueError, match="colour"):
        matching("blue", hex_colour, "colour")


def test_within_bounds_from_inclusive_to_exclusive_and_leaves_open_sides_out() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert within(AuditLogEntry.created_at, None, None) == []
    (lower,) = within(AuditLogEntry.created_at, start, None)
    (upper,) = within(AuditLogEntry.created_at, None, start)
    assert str(lower) == "audit_log.created_at >= :created_at_1"
    assert str(upper) == "audit_log.created_at < :created_at_1"
