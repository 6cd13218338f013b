"""Retrieval reads from the read replica (`DATABASE_READ_URL`) as the application role under
row-level security, falls back to the primary while the replica is down (one warning per
outage) and returns to the replica when it is back.

The "replica" is the test server itself reached another way: a read-only connection
(`default_transaction_read_only=on`) with its own `application_name`, through a TCP relay
the test can take away. Which engine ran the retrieval is read off the engines' statements
(the catalogue's vector search is the only SQL ordering chunks by `embedding <=>`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.config import resolve_database_urls
from core.db.database import Database
from core.provisioning import provision_tenant
from core.settings import Settings
from engine.answer import AnswerService
from engine.answer_events import Question
from tests.dashboard_api.support import HashingEmbedder
from tests.support.index import SeedProduct, seed_store
from tests.support.tcp_relay import TcpDatabaseRelay

REPLICA_NAME = "shopbot-replica-test"
RETRY_S = 0.3
CATALOGUE = [
    SeedProduct("Trail Tent", "199.00", "A two person tent for wet trails.", ["Tents"]),
    SeedProduct("Down Sleeping Bag", "149.00", "Warm to minus ten.", ["Sleeping"]),
]


def replica_url(app_url: URL) -> URL:
    return app_url.update_query_dict(
        {"application_name": REPLICA_NAME, "options": "-c default_transaction_read_only=on"}
    )


class StatementLog:
    """The catalogue searches each engine ran (observed, not altered)."""

    def __init__(self, **engines: AsyncEngine) -> None:
        self.searches = dict.fromkeys(engines, 0)
        for name, engine in engines.items():
            event.listen(engine.sync_engine, "before_cursor_execute", self._counter(name))

    def _counter(self, name: str) -> Any:
        def count(*args: Any) -> None:
            if "embedding <=>" in args[2]:  # (conn, cursor, statement, ...)
                self.searches[name] += 1

        return count


async def seeded_tenant(db: Database, name: str) -> Question:
    created = await provision_tenant(db, name=name, allowed_origins=["https://shop.test"])
    await seed_store(db, created.tenant_id, HashingEmbedder(), CATALOGUE)
    return Question(
        tenant_id=created.tenant_id,
        bot_id=created.bot_id,
        message="Do you have a tent for wet trails?",
    )


def assert_tent_answered(result: Any) -> None:
    assert "Trail Tent" in [s["title"] for s in result.sources], result


@pytest.fixture
async def replica_db(app_url: URL) -> AsyncIterator[Database]:
    db = Database.connect(
        app_url, pool_size=2, read_url=replica_url(app_url), replica_retry_s=RETRY_S
    )
    try:
        yield db
    finally:
        await db.dispose()


async def test_retrieval_reads_the_replica_as_the_app_role_under_rls(
    replica_db: Database, owner_url: URL
) -> None:
    assert replica_db.replica is not None
    question = await seeded_tenant(replica_db, "Replica Outdoors")
    other = await seeded_tenant(replica_db, "Other Outdoors")
    log = StatementLog(primary=replica_db.engine, replica=replica_db.replica.engine)

    result = await AnswerService(replica_db, HashingEmbedder()).answer(question)

    assert_tent_answered(result)
    assert log.searches["replica"] >= 1 and log.searches["primary"] == 0, log.searches
    async with replica_db.read_session(question.tenant_id) as session:
        facts = (
            await session.execute(
                text(
                    "SELECT current_user, current_setting('application_name'),"
                    " current_setting('transaction_read_only')"
                )
            )
        ).one()
        tenants = set((await session.execute(text("SELECT tenant_id FROM products"))).scalars())
    assert tuple(facts) == ("shopbot_app", REPLICA_NAME, "on")
    assert tenants == {question.tenant_id} and other.tenant_id not in tenants
    owner = owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(owner) as conn:
        cursor = await conn.execute(
            "SELECT usename FROM pg_stat_activity WHERE application_name = %s", (REPLICA_NAME,)
        )
        assert {row[0] for row in await cursor.fetchall()} == {"shopbot_app"}


async def test_reads_fall_back_to_the_primary_while_the_replica_is_down_and_return(
    app_url: URL, caplog: pytest.LogCaptureFixture
) -> None:
    relay = await TcpDatabaseRelay(replica_url(app_url)).start()
    db = Database.connect(app_url, pool_size=2, read_url=relay.url, replica_retry_s=RETRY_S)
    assert db.replica is not None
    try:
        question = await seeded_tenant(db, "Flaky Replica Goods")
        service = AnswerService(db, HashingEmbedder())
        log = StatementLog(primary=db.engine, replica=db.replica.engine)
        assert_tent_answered(await service.answer(question))
        assert log.searches == {"primary": 0, "replica": 1}

        await relay.refuse()
        with caplog.at_level(logging.INFO, logger="core.db.replica"):
            for _ in range(4):
                assert_tent_answered(await service.answer(question))
            down_searches = dict(log.searches)
            await relay.resume()
            await asyncio.sleep(RETRY_S + 0.1)
            assert_tent_answered(await service.answer(question))
    finally:
        await relay.refuse()
        await db.dispose()
    assert down_searches == {"primary": 4, "replica": 1}
    assert log.searches == {"primary": 4, "replica": 2}
    messages = [r.getMessage() for r in caplog.records if r.name == "core.db.replica"]
    assert len([m for m in messages if "read replica unavailable" in m]) == 1, messages
    assert len([m for m in messages if "read replica is back" in m]) == 1, messages


def test_the_replica_url_is_read_from_its_conventional_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("DATABASE_READ_URL", "SHOPBOT_DATABASE_READ_URL"):
        monkeypatch.delenv("DATABASE_READ_URL", raising=False)
        monkeypatch.setenv(name, f"postgresql://replica.internal/{name.lower()}")
        assert Settings().database_read_url == f"postgresql://replica.internal/{name.lower()}"
        monkeypatch.delenv(name)
    assert Settings().database_read_url is None


async def test_a_replica_on_a_dead_port_from_the_start_never_fails_an_answer(
    app_url: URL, caplog: pytest.LogCaptureFixture
) -> None:
    given = app_url.render_as_string(hide_password=False)
    settings = Settings(
        database_url=given,
        app_database_url=given,
        database_read_url="postgresql://someone:secret@127.0.0.1:1/shop",
    )
    urls = resolve_database_urls(settings)
    assert urls.read is not None
    # The replica is reached as the application role, whatever the URL carried.
    assert (urls.read.username, urls.read.password) == (app_url.username, app_url.password)
    db = Database.connect(app_url, pool_size=2, read_url=urls.read, replica_retry_s=60)
    try:
        question = await seeded_tenant(db, "Dead Replica Goods")
        service = AnswerService(db, HashingEmbedder())
        with caplog.at_level(logging.WARNING, logger="core.db.replica"):
            results = [await service.answer(question) for _ in range(3)]
    finally:
        await db.dispose()
    for result in results:
        assert_tent_answered(result)
    warnings = [r for r in caplog.records if r.name == "core.db.replica"]
    assert len(warnings) == 1 and "connection failed" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]
