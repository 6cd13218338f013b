"""Fixtures of the core tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import URL

from core.db.database import Database


@pytest.fixture
async def one_connection(app_url: URL) -> AsyncIterator[Database]:
    """The application's database with a pool of one: every unit of work and read uses the
    same connection, whose protocol a test can trace (tests.support.protocol_trace)."""
    db = Database.connect(app_url, pool_size=1)
    db.engine.pool._max_overflow = 0  # type: ignore[attr-defined]
    try:
        yield db
    finally:
        await db.dispose()
