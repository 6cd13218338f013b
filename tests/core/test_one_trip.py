"""A tenant read in one round trip (core.db.one_trip), on the real server as the application
role: row-level security holds as in a unit of work, the protocol shows one sync where a
unit of work needs three exchanges, and the pooled connection comes back clean, after a
failed read too."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import Uuid, bindparam, literal, select, text
from sqlalchemy.exc import InvalidRequestError

from core.db.database import Database
from core.db.one_trip import OneTripRead
from core.models import Bot
from core.provisioning import provision_tenant
from tests.support.protocol_trace import driver_connection, protocol_trace, waits

BOTS = OneTripRead(select(Bot.id, Bot.tenant_id, Bot.allowed_origins, Bot.rate_limits))
# An IN list the statement carries itself, beside the caller's parameter.
ONE_BOT = OneTripRead(
    select(Bot.id).where(Bot.id == bindparam("bot_id", type_=Uuid), Bot.is_active.in_([True]))
)
DIVIDED = OneTripRead(select(literal(1) / bindparam("by")))


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
    async with protocol_trace(db) as sent:
        assert await ONE_BOT.rows(db, tenant.tenant_id, {"bot_id": tenant.bot_id})
        sent_one_trip = len(waits(sent()))
        async with db.tenant_session(tenant.tenant_id) as session:
            await session.execute(select(Bot.id).where(Bot.id == tenant.bot_id))
        sent_unit_of_work = len(waits(sent())) - sent_one_trip
    assert sent_one_trip == 1
    assert sent_unit_of_work == 3  # BEGIN with the setting, the statement, COMMIT


async def test_the_connection_goes_back_clean(one_connection: Database) -> None:
    db = one_connection
    tenant = await provision_tenant(db, name="Clean", allowed_origins=[])
    assert await ONE_BOT.rows(db, tenant.tenant_id, {"bot_id": tenant.bot_id})
    assert (await driver_connection(db)).autocommit is True  # as the engine made it
    async with db.engine.connect() as connection:
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
