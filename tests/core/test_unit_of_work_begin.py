"""Units of work that send their own BEGIN with the tenant's setting (core.db.tenancy), on
the real server as the application role through a pool of one connection made by
`Database.connect`: one round trip to begin, every statement in one transaction with the
tenant set, a commit inside the session beginning a real transaction again, errors rolled
back, and the connection back as the engine made it. An engine made otherwise (tests'
shared one) is switched to autocommit per checkout and back."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from core.db.database import Database
from core.models import Bot
from core.provisioning import provision_tenant
from tests.support.protocol_trace import driver_connection, protocol_trace, waits

TRANSACTION = text("SELECT txid_current()")
TENANT_SETTING = text("SELECT current_setting('app.tenant_id', true)")


async def test_begin_and_the_tenant_go_out_in_one_round_trip(one_connection: Database) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Traced", allowed_origins=[])
    async with protocol_trace(db) as sent:
        async with db.tenant_session(tenant.tenant_id) as session:
            assert await session.scalar(select(Bot.id)) == tenant.bot_id
        exchanges = waits(sent())
    assert len(exchanges) == 3  # BEGIN with the setting; the SELECT; COMMIT
    assert "\tQuery" in exchanges[0]
    assert "BEGIN; SELECT set_config('app.tenant_id'" in exchanges[0]
    assert str(tenant.tenant_id) in exchanges[0]
    assert "COMMIT" in exchanges[2]


async def test_every_statement_runs_in_the_one_transaction(one_connection: Database) -> None:
    db = one_connection
    first = await provision_tenant(db, name="First", allowed_origins=[])
    await provision_tenant(db, name="Second", allowed_origins=[])
    async with db.tenant_session(first.tenant_id) as session:
        began = await session.scalar(TRANSACTION)
        assert await session.scalar(TENANT_SETTING) == str(first.tenant_id)
        assert list(await session.scalars(select(Bot.id))) == [first.bot_id]  # RLS
        assert await session.scalar(TRANSACTION) == began
    async with db.system_session() as session:
        began = await session.scalar(TRANSACTION)
        assert await session.scalar(TENANT_SETTING) == ""
        assert await session.scalar(select(func.count()).select_from(Bot)) == 0
        assert await session.scalar(TRANSACTION) == began


async def test_an_error_takes_back_the_whole_unit_of_work(one_connection: Database) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Kept", allowed_origins=[])
    with pytest.raises(DBAPIError, match="division by zero"):
        async with db.tenant_session(tenant.tenant_id) as session:
            await session.execute(update(Bot).values(name="Renamed"))
            await session.execute(text("SELECT 1 / 0"))
    async with db.tenant_session(tenant.tenant_id) as session:
        assert await session.scalar(select(Bot.name)) == "Kept assistant"


async def test_a_commit_inside_the_session_begins_a_real_transaction_again(
    one_connection: Database,
) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Twice", allowed_origins=[])
    with pytest.raises(RuntimeError):
        async with db.tenant_session(tenant.tenant_id) as session:
            before = await session.scalar(TRANSACTION)
            await session.execute(update(Bot).values(name="Committed"))
            await session.commit()
            after = await session.scalar(TRANSACTION)
            assert after != before
            assert await session.scalar(TENANT_SETTING) == str(tenant.tenant_id)
            await session.execute(update(Bot).values(name="Taken back"))
            assert await session.scalar(TRANSACTION) == after  # not autocommitted
            raise RuntimeError("after the second write")
    async with db.tenant_session(tenant.tenant_id) as session:
        assert await session.scalar(select(Bot.name)) == "Committed"


async def test_the_connection_goes_back_as_the_engine_made_it(
    one_connection: Database,
) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Default", allowed_origins=[])
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.scalar(select(Bot.id))
    driver = await driver_connection(db)
    assert driver.autocommit is True  # as the engine made it: the hook begins transactions
    assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    async with db.engine.connect() as connection:
        assert not await connection.scalar(TENANT_SETTING)
        await connection.rollback()


async def test_an_engine_made_otherwise_is_switched_per_checkout_and_back(app_url: URL) -> None:
    engine = create_async_engine(app_url, pool_size=1, max_overflow=0)
    db = Database(engine=engine)
    try:
        tenant = await provision_tenant(db, name="Switched", allowed_origins=[])
        async with db.tenant_session(tenant.tenant_id) as session:
            began = await session.scalar(TRANSACTION)
            assert await session.scalar(TENANT_SETTING) == str(tenant.tenant_id)
            assert await session.scalar(TRANSACTION) == began
        assert (await driver_connection(db)).autocommit is False  # the engine's default
    finally:
        await engine.dispose()
