"""A tenant read in one round trip (core.db.one_trip), on the real server as the application
role: row-level security holds as in a unit of work, the protocol shows one sync where a
unit of work needs three exchanges, and the pooled connection comes back clean, after a
failed read too."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Uuid, bindparam, literal, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import InvalidRequestError

from core.db.database import Database
from core.db.one_trip import OneTripRead
from core.models import Bot
from core.provisioning import provision_tenant

BOTS = OneTripRead(select(Bot.id, Bot.tenant_id, Bot.allowed_origins, Bot.rate_limits))
# An IN list the statement carries itself, beside the caller's parameter.
ONE_BOT = OneTripRead(
    select(Bot.id).where(Bot.id == bindparam("bot_id", type_=Uuid), Bot.is_active.in_([True]))
)
DIVIDED = OneTripRead(select(literal(1) / bindparam("by")))


@pytest.fixture
async def one_connection(app_url: URL) -> AsyncIterator[Database]:
    """The application's database with a pool of one: every read uses the same connection."""
    db = Database.connect(app_url, pool_size=1)
    db.engine.pool._max_overflow = 0  # type: ignore[attr-defined]
    try:
        yield db
    finally:
        await db.dispose()


async def test_row_level_security_holds(one_connection: Database) -> None:
    db = one_connection
    first = await provision_tenant(db, name="First", allowed_origins=["https://first.example"])
    second = await provision_tenant(db, name="Second", allowed_origins=[])
    # No tenant condition in the statement: the policy alone decides what is seen.
    rows = await BOTS.rows(db, first.tenant_id, {})
    assert [(row[0], row[1]) for row in rows] == [(first.bot_id, first.tenant_id)]
    assert rows[0][2] == ["https://first.example"] and rows[0][3] == {}  # typed by psycopg
    assert await ONE_BOT.rows(db, first.tenant_id, {"bot_id": second.bot_id}) == []
    assert await ONE_BOT.rows(db, second.tenant_id, {"bot_id": second.bot_id}) == [(second.bot_id,)]
    with pytest.raises(InvalidRequestError, match="bot_id"):
        await ONE_BOT.rows(db, second.tenant_id, {})


async def test_one_round_trip(one_connection: Database) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Traced", allowed_origins=[])
    # libpq's protocol trace of the pool's one connection: each exchange the client waits
    # on ends with a Sync (extended protocol) or is a Query (simple protocol).
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, psycopg.AsyncConnection)
        pgconn = driver.pgconn
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace"
        with trace.open("w") as sink:
            pgconn.trace(sink.fileno())
            pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
            try:
                assert await ONE_BOT.rows(db, tenant.tenant_id, {"bot_id": tenant.bot_id})
                sent_one_trip = _exchanges(trace)
                async with db.tenant_session(tenant.tenant_id) as session:
                    await session.execute(select(Bot.id).where(Bot.id == tenant.bot_id))
                sent_unit_of_work = _exchanges(trace) - sent_one_trip
            finally:
                pgconn.untrace()
    assert sent_one_trip == 1
    assert sent_unit_of_work == 3  # BEGIN with the setting, the statement, COMMIT


def _exchanges(trace: Path) -> int:
    lines = trace.read_text().splitlines()
    return sum(
        1 for line in lines if line.startswith("F") and ("\tSync" in line or "\tQuery" in line)
    )


async def test_the_connection_goes_back_clean(one_connection: Database) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Clean", allowed_origins=[])
    assert await ONE_BOT.rows(db, tenant.tenant_id, {"bot_id": tenant.bot_id})
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, psycopg.AsyncConnection)
        assert driver.autocommit is False  # the pool's default again
        setting = await connection.scalar(text("SELECT current_setting('app.tenant_id', true)"))
        assert not setting  # the tenant's setting ended with the read's transaction
        await connection.rollback()

    # A failed read raises the server's error; its connection is not pooled again.
    with pytest.raises(psycopg.errors.DivisionByZero):
        await DIVIDED.rows(db, tenant.tenant_id, {"by": 0})
    assert await DIVIDED.rows(db, tenant.tenant_id, {"by": 1}) == [(1,)]
    async with db.tenant_session(tenant.tenant_id) as session:
        assert await session.scalar(select(Bot.id).where(Bot.id == tenant.bot_id))


async def test_tests_shared_connection_reads_as_a_unit_of_work(db: Database) -> None:
    tenant = await provision_tenant(db, name="Shared", allowed_origins=[])
    assert await ONE_BOT.rows(db, tenant.tenant_id, {"bot_id": tenant.bot_id}) == [(tenant.bot_id,)]
