"""At most `chat_max_answers_in_flight` answers run at once in a process
(api/chat/answer_slots.py): a question past the cap is refused at once (429 `busy`,
Retry-After) before its session is read and without counting against the shopper's own
limits, and the slot comes back when the answer is done, however it ends (stored, failed,
or its shopper gone), or when the request fails before its answer starts."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from api.app import create_app
from api.chat.admission import BUSY_RETRY_AFTER_S, Busy
from api.chat.answer_slots import AnswerSlots
from api.dependencies import WIDGET_RUNTIME
from api.rate_limit import DEFAULT_LIMITS
from core.db.database import Database
from core.settings import Settings
from emulators.openai.server import FakeOpenAI
from emulators.openai.wire import Fault
from engine.answer import AnswerService
from engine.embeddings import shared_local_embedder
from tests.api.harness import (
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
    provision_shop,
    update_bot,
)
from tests.support.index import SeedProduct, seed_store


def test_slots_are_taken_up_to_the_cap_and_each_given_back_once() -> None:
    slots = AnswerSlots(2)
    first, second = slots.take(), slots.take()
    with pytest.raises(Busy) as refused:
        slots.take()
    assert refused.value.status_code == 429 and refused.value.retry_after == BUSY_RETRY_AFTER_S
    first.give_back()
    first.give_back()  # given back twice: one slot, not two
    third = slots.take()
    with pytest.raises(Busy):
        slots.take()
    second.give_back()
    third.give_back()
    assert slots.in_flight == 0 and slots.refused == 2
    unlimited = AnswerSlots(0)
    held = [unlimited.take() for _ in range(1000)]
    assert unlimited.in_flight == len(held) and unlimited.refused == 0


async def _all_given_back(slots: AnswerSlots) -> None:
    for _ in range(500):
        if slots.in_flight == 0:
            return
        await asyncio.sleep(0.01)
    pytest.fail(f"{slots.in_flight} slot(s) never given back")


async def test_a_question_past_the_cap_is_refused_until_the_answer_in_flight_is_done(
    committed_db: Database, fake_openai: FakeOpenAI
) -> None:
    # Committed: the answer in flight and the refused questions use connections of their own.
    db = committed_db
    shop = await provision_shop(db, name=f"Slots {uuid.uuid4()}")
    embedder = shared_local_embedder()
    await seed_store(
        db, shop.tenant_id, embedder, [SeedProduct("Trail Mug", "12.00", "An enamel mug.")]
    )
    await update_bot(
        db, shop, llm_settings={"provider": "openai", "model": "gpt-4o-mini", "timeout_s": 10}
    )
    service = AnswerService(
        db, embedder, openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url
    )
    deps = make_deps(db, answer_service=service)
    deps.settings = Settings(chat_max_answers_in_flight=1)
    app = create_app(deps)
    slots = WIDGET_RUNTIME.get(app).answer_slots
    assert slots.limit == 1  # the setting reaches the process
    fake_openai.reply_with("The Trail Mug is $12.00. It is enamel.")
    # The first answer stops after its first chunk for a while: it stays in flight.
    fake_openai.inject(Fault("stall", delay_s=1.5, after_chunks=1))
    async with client_for(app) as client:
        token = (await open_session(client, shop))["session_token"]

        async def ask(bearer_token: str = token) -> httpx.Response:
            return await client.post(
                "/widget/v1/chat", json={"message": "a mug?"}, headers=bearer(bearer_token)
            )

        first = asyncio.create_task(ask())
        while slots.in_flight == 0:
            await asyncio.sleep(0.01)
        refused = [await ask() for _ in range(DEFAULT_LIMITS["session"].burst + 2)]
        for response in refused:
            assert_problem(response, 429, "busy")
            assert response.headers["retry-after"] == "2"
        answered = await first
        assert answered.status_code == 200, answered.text
        assert "Trail Mug" in answered.json()["answer"]
        await _all_given_back(slots)  # its producer finishes its last transaction first
        # More were refused than the shopper's own burst: none of them counted there.
        again = await ask()
        assert again.status_code == 200, again.text
        # A question refused by the shopper's own limit, after its slot was taken, gives
        # the slot back: the next shopper is not refused `busy` by a leaked slot.
        for _ in range(DEFAULT_LIMITS["session"].burst + 1):
            await _all_given_back(slots)
            response = await ask()
            if response.status_code == 429:
                break
        assert_problem(response, 429, "rate_limited")
        assert slots.in_flight == 0
        # So does one whose session is bad: the slot is taken before the session is read.
        assert_problem(await ask("not-a-token"), 401, "invalid_session")
        assert slots.in_flight == 0
        metrics = (await client.get("/metrics")).text
        assert f'shopbot_rate_limit_rejections_total{{scope="busy"}} {len(refused)}.0' in metrics
