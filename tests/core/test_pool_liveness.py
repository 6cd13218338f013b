"""A pooled connection is pinged only after it sat idle (core.db.liveness): one the server
closed while it idled is replaced at checkout, and the request never sees it; one used a
moment ago is handed out without a round trip, so if the server closed it in that moment
its first statement fails, and the pool is renewed for the next."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from core.db import liveness
from core.db.database import Database

BACKEND = text("SELECT pg_backend_pid()")


@pytest.fixture
async def owner_engine(owner_url: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(owner_url, poolclass=NullPool)
    yield engine
    await engine.dispose()


async def _backend(db: Database) -> int:
    async with db.system_session() as session:
        pid = await session.scalar(BACKEND)
    assert isinstance(pid, int)
    return pid


async def _server_closes(owner_engine: AsyncEngine, pid: int) -> None:
    async with owner_engine.connect() as connection:
        closed = await connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert closed is True


@asynccontextmanager
async def _pinging_after(
    idle_s: float, app_url: URL, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Database]:
    """The application's database, with one pooled connection pinged after `idle_s`."""
    monkeypatch.setattr(liveness, "IDLE_BEFORE_PING_S", idle_s)
    db = Database.connect(app_url, pool_size=1)
    try:
        yield db
    finally:
        await db.dispose()


async def test_a_connection_closed_while_it_idled_is_replaced_at_checkout(
    app_url: URL, owner_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _pinging_after(0.2, app_url, monkeypatch) as db:
        first = await _backend(db)
        await _server_closes(owner_engine, first)
        await asyncio.sleep(0.3)  # idle past the threshold: pinged, found dead, replaced
        assert await _backend(db) != first


async def test_a_connection_used_a_moment_ago_is_not_pinged(
    app_url: URL, owner_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _pinging_after(60.0, app_url, monkeypatch) as db:
        first = await _backend(db)
        await _server_closes(owner_engine, first)
        with pytest.raises(DBAPIError) as failed:
            await _backend(db)  # no ping: the statement finds the connection closed
        assert failed.value.connection_invalidated
        assert await _backend(db) != first  # the pool made a new one
