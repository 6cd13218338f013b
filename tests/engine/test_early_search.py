"""A question that opens a conversation is searched while its turn is written
(engine.answer_search), on the real database with sessions that really commit: the search
runs while the turn's admission waits on a lock the test holds, and a follow-up's search
waits for the turn. With the scope its caller read (`Question.scope`, the widget API's) the
search runs before the turn has even loaded the bot. A refused question stops its search
and leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import URL

from core.billing import usage
from core.db.database import Database
from core.ids import TenantId
from core.models import Conversation, Message
from core.models.billing import UsageMetric
from core.provisioning import provision_tenant
from engine.answer import AnswerService
from engine.answer_events import QuestionStored
from engine.bot_config import load_bot
from engine.embeddings import shared_local_embedder
from engine.quota import MessageQuotaExhausted
from tests.engine.support import CATALOGUE
from tests.engine.support import question as _question
from tests.support.index import seed_store

WAIT_S = 10.0
SEARCHED = "JOIN search_vocabularies"  # retrieval's first statement (core.search_vocabulary)
FREE_MESSAGES = 500  # the Free plan's messages_per_month (migration 0005)


@pytest.fixture
async def shop(committed_db: Database):
    tenant = await provision_tenant(committed_db, name="Early Outfitters", allowed_origins=[])
    await seed_store(committed_db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    return tenant


@contextmanager
def sent(db: Database) -> Iterator[list[str]]:
    """The SQL the application role sends, in order."""
    statements: list[str] = []

    def capture(conn, cursor, statement, *args) -> None:
        statements.append(" ".join(statement.split()))

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)


@contextmanager
def held(owner_url: URL, lock: str) -> Iterator[Callable[[], None]]:
    """`lock` taken by another connection until `release()`."""
    conninfo = owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        conn.execute(lock)
        yield conn.rollback
        conn.rollback()


def admissions_held(owner_url: URL):
    """The month's counters locked against writes: a turn's admission (its last statement
    before COMMIT) waits."""
    return held(owner_url, "LOCK TABLE usage_counters IN SHARE ROW EXCLUSIVE MODE")


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(WAIT_S):
        while not condition():
            await asyncio.sleep(0.005)


async def test_a_new_conversation_is_searched_while_its_turn_is_written(
    committed_db: Database, shop, owner_url: URL
) -> None:
    service = AnswerService(committed_db, shared_local_embedder())
    with sent(committed_db) as statements, admissions_held(owner_url) as release:
        answering = asyncio.create_task(service.answer(_question(shop, "a waterproof jacket?")))
        # The turn's admission is sent and waits on the lock; the search runs meanwhile.
        await _until(lambda: any("INSERT INTO usage_counters" in s for s in statements))
        await _until(lambda: any(SEARCHED in s for s in statements))
        assert not answering.done()
        release()
        result = await answering
    assert result.sources[0]["title"] == "Alpine Rain Jacket"


async def test_with_its_scope_a_new_conversation_is_searched_before_the_bot_is_loaded(
    committed_db: Database, shop, owner_url: URL
) -> None:
    async with committed_db.tenant_session(shop.tenant_id) as session:
        scope = (await load_bot(session, shop.tenant_id, shop.bot_id)).scope
    question = replace(_question(shop, "a waterproof jacket?"), scope=scope)
    service = AnswerService(committed_db, shared_local_embedder())
    # Every read of the bots table waits: the turn's first statement (the bot) among them.
    with sent(committed_db) as statements, held(owner_url, "LOCK TABLE bots") as release:
        answering = asyncio.create_task(service.answer(question))
        # Both at once: whichever of the two units of work sends first (the search started
        # with the scope, the turn loading the bot) is a race the test does not decide.
        await _until(
            lambda: (
                any(SEARCHED in s for s in statements) and any("FROM bots" in s for s in statements)
            )
        )
        loading = [s for s in statements if "FROM bots" in s]
        assert loading and not answering.done()  # sent, and waiting on the lock
        release()
        result = await answering
    assert result.sources[0]["title"] == "Alpine Rain Jacket"
    # Without the scope it waits for the bot: nothing searched while the bot is locked.
    with sent(committed_db) as statements, held(owner_url, "LOCK TABLE bots") as release:
        answering = asyncio.create_task(service.answer(replace(question, scope=None)))
        await _until(lambda: any("FROM bots" in s for s in statements))
        await asyncio.sleep(0.3)  # time for a search that should not start
        assert not any(SEARCHED in s for s in statements)
        release()
        assert (await answering).sources[0]["title"] == "Alpine Rain Jacket"


async def test_a_follow_up_is_searched_after_its_turn(
    committed_db: Database, shop, owner_url: URL
) -> None:
    service = AnswerService(committed_db, shared_local_embedder())
    first = await service.answer(_question(shop, "a waterproof jacket?"))
    follow_up = _question(
        shop, "do you sell an ultralight tent?", conversation_id=first.conversation_id
    )
    with sent(committed_db) as statements, admissions_held(owner_url) as release:
        answering = asyncio.create_task(service.answer(follow_up))
        await _until(lambda: any("INSERT INTO usage_counters" in s for s in statements))
        await asyncio.sleep(0.3)  # time for a search that should not start
        assert not any(SEARCHED in s for s in statements)
        release()
        result = await answering
    assert result.sources and result.conversation_id == first.conversation_id


async def test_a_refused_question_stops_its_search_and_keeps_nothing(
    committed_db: Database, shop
) -> None:
    tenant_id = TenantId(shop.tenant_id)
    async with committed_db.tenant_session(tenant_id) as session:
        await usage.add(session, tenant_id, UsageMetric.MESSAGES, FREE_MESSAGES)
    service = AnswerService(committed_db, shared_local_embedder())
    events = []
    with pytest.raises(MessageQuotaExhausted):
        async for answer_event in service.stream(_question(shop, "a warm tent?")):
            events.append(answer_event)
    assert not any(isinstance(e, QuestionStored) for e in events)
    await asyncio.sleep(0)  # a search left running would still be among the tasks
    searches = [t for t in asyncio.all_tasks() if "TurnSearcher" in repr(t.get_coro())]
    assert not searches
    async with committed_db.tenant_session(tenant_id) as session:
        for model in (Conversation, Message):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
