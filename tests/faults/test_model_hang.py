"""The model endpoint hanging past the bot's timeout while shoppers ask: a request that
hangs before the first token is answered from the catalogue's facts (the offline
answerer), one that hangs mid-answer ends with what was shown and a note, both with `done`
within the timeout; the stored answer is exactly what the shopper was shown, no 5xx, no
traceback, and the requests after the hang are the model's again.

The fake OpenAI server hangs each of the first requests (`slow_first_token` and `stall`
faults, far past the timeout), then answers normally."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import URL

from core.db.database import Database
from core.ids import TenantId
from core.models import Bot
from emulators.openai import FakeOpenAI
from emulators.openai.wire import Fault
from engine.answer import PROVIDER_FAILED_NOTE, AnswerService
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client
from tests.support.log_records import our_tracebacks
from tests.support.shopper_load import (
    ShopperLoad,
    assert_no_lost_or_duplicated_rows,
    provision_load_shop,
)

CHAT = "/v1/chat/completions"
ORIGIN = "https://hang.shop.test"
TIMEOUT_S = 1.0  # the bot's model timeout (the least a merchant may set)
HANG_S = 15.0  # how long the fake would hang: far past the timeout
HUNG_PAIRS = 3  # requests hung before the first token, and as many mid-answer
MODEL_TEXT = "The Trail Tent is a two person tent for wet trails. It packs small and pitches fast."
# Slow machine allowance on top of the timeout (retrieval, the fallback answer, SQL).
SLACK_S = 4.0


async def test_the_model_hanging_past_its_timeout_under_load(
    committed_db: Database, app_url: URL, fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    shop = await provision_load_shop(committed_db, "Hanging Model Goods", origin=ORIGIN)
    llm = {"provider": "openai", "model": "gpt-4o-mini", "max_retries": 0, "timeout_s": TIMEOUT_S}
    async with committed_db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot).where(Bot.tenant_id == shop.tenant_id).values(llm_settings=llm)
        )
    fake_openai.reply_fn(lambda messages: MODEL_TEXT)
    service = AnswerService(
        committed_db,
        HashingEmbedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )
    app = composed_app(committed_db, app_url, answer_service=service)
    clients = [composed_client(app, ip=f"198.51.100.{50 + i}") for i in range(4)]
    load = ShopperLoad(clients, shop.widget_key, ORIGIN)
    stop = asyncio.Event()
    try:
        with caplog.at_level(logging.WARNING):
            shoppers = asyncio.create_task(load.run(stop))
            await load.warmed_up()
            fake_openai.inject(
                *[
                    Fault("slow_first_token", delay_s=HANG_S),
                    Fault("stall", after_chunks=3, delay_s=HANG_S),
                ]
                * HUNG_PAIRS
            )
            hung_from, hang_injected = len(fake_openai.requests_to(CHAT)), time.monotonic()
            await until(lambda: len(fake_openai.requests_to(CHAT)) >= hung_from + 2 * HUNG_PAIRS)
            # Two more answers each: at least one asked after the hang was over.
            seen = [len(load.of(shopper)) for shopper in range(len(clients))]
            await until(lambda: all(len(load.of(i)) >= n + 2 for i, n in enumerate(seen)))
            stop.set()
            await shoppers
    finally:
        stop.set()
        for client in clients:
            await client.aclose()

    assert {o.status for o in load.outcomes} == {200}
    assert all(o.answered for o in load.outcomes), [o.events for o in load.outcomes]
    # Past the warm-up (a process's first answers load what it loads once).
    slowest = max(o.ended - o.started for o in load.after(hang_injected))
    assert slowest < TIMEOUT_S + SLACK_S, slowest
    answers = [str(o.body["answer"]) for o in load.outcomes if o.body]
    cut = [a for a in answers if a.endswith(PROVIDER_FAILED_NOTE)]
    from_facts = [a for a in answers if "packs small" not in a and PROVIDER_FAILED_NOTE not in a]
    assert len(cut) == HUNG_PAIRS and len(from_facts) == HUNG_PAIRS, answers
    assert all(MODEL_TEXT not in a for a in cut)  # only what came before the hang
    # Every answer asked after the last hang ended is the model's whole answer again.
    hung = [o for o in load.outcomes if o.body and MODEL_TEXT not in str(o.body["answer"])]
    after = load.after(max(o.ended for o in hung))
    assert len(after) >= 2 and all(o.body and MODEL_TEXT in o.body["answer"] for o in after)
    assert not our_tracebacks(caplog.records), "a hung model must not log a traceback"
    counts = await assert_no_lost_or_duplicated_rows(committed_db, shop.tenant_id, load)
    print(f"model hang: {counts}")  # shown with -s
    stored = await stored_answers(committed_db, shop.tenant_id)
    for outcome in load.outcomes:
        assert outcome.body is not None
        content, status = stored[uuid.UUID(str(outcome.body["message_id"]))]
        assert content == outcome.body["answer"]  # exactly what the shopper was shown
        assert status == ("error" if content.endswith(PROVIDER_FAILED_NOTE) else "ok")


async def until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the load did not get through the hang"
        await asyncio.sleep(0.1)


async def stored_answers(db: Database, tenant_id: TenantId) -> dict[uuid.UUID, tuple[str, str]]:
    async with db.tenant_session(tenant_id) as session:
        rows = await session.execute(
            text("SELECT id, content, status FROM messages WHERE role = 'assistant'")
        )
        return {row.id: (row.content, row.status) for row in rows}
