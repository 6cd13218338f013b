"""A question is refused at once (429 `busy`, Retry-After) once the process's event loop has
been behind (api/chat/admission.py; here without the second's grace, but for the test of
it), and taken again once it has caught up. The loop is put behind for real: tasks on it
that each hold it for a few milliseconds at every turn."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from api.chat.admission import BUSY_RETRY_AFTER_S, Busy, LoopAdmission
from api.dependencies import WIDGET_RUNTIME
from api.rate_limit import DEFAULT_LIMITS
from core.db.database import Database
from core.settings import Settings
from engine.answer import AnswerService
from engine.embeddings import shared_local_embedder
from tests.api.harness import Shop, assert_problem, bearer, client_for, make_deps, open_session
from tests.support.index import SeedProduct, seed_store


@contextlib.asynccontextmanager
async def busy_loop(tasks: int = 10, each_s: float = 0.004) -> AsyncIterator[None]:
    """`tasks` tasks that each hold the loop for `each_s` at every turn of it: whatever
    yields waits about tasks x each_s to run again, as behind an overloaded loop."""
    stop = asyncio.Event()

    async def hog() -> None:
        while not stop.is_set():
            time.sleep(each_s)
            await asyncio.sleep(0)

    hogs = [asyncio.create_task(hog()) for _ in range(tasks)]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*hogs)


async def test_admission_refuses_while_the_loop_is_behind_and_recovers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    admission = LoopAdmission(max_lag_ms=10, sustained_s=0)
    for _ in range(5):  # a loop that keeps up
        await admission.admit()
    assert admission.lag_s < 0.005

    refused = 0
    caplog.set_level("WARNING", logger="api.chat.admission")
    async with busy_loop():  # about 40 ms behind
        for _ in range(10):
            try:
                await admission.admit()
            except Busy as busy:
                refused += 1
                assert busy.status_code == 429 and busy.retry_after == BUSY_RETRY_AFTER_S
    # Smoothed: the first slow turn alone refuses nobody; a sustained lag refuses.
    assert 0 < refused < 10
    assert admission.refused == refused
    # An overload is reported, not every refusal: one line for all of these.
    assert len(caplog.records) == 1 and "refused" in caplog.records[0].getMessage()

    for _ in range(30):  # caught up: questions are taken again
        with_lag = admission.lag_s
        try:
            await admission.admit()
            break
        except Busy:
            assert admission.lag_s < with_lag  # every refused question measures too
    else:
        pytest.fail("admission never recovered on an idle loop")


async def test_admission_at_zero_never_refuses_nor_does_a_short_burst() -> None:
    for admission in (LoopAdmission(max_lag_ms=0), LoopAdmission(max_lag_ms=5, sustained_s=30)):
        async with busy_loop():
            for _ in range(5):
                await admission.admit()
        assert admission.refused == 0
    # The burst did put it behind: only its short life kept it from refusing.
    assert admission.lag_s > 0.005


async def test_a_busy_server_answers_429_busy_and_keeps_the_shoppers_limit(
    db: Database, shop: Shop, redis_client: Redis
) -> None:
    embedder = shared_local_embedder()
    await seed_store(
        db, shop.tenant_id, embedder, [SeedProduct("Trail Mug", "12.00", "An enamel mug.")]
    )
    deps = make_deps(db, redis=redis_client, answer_service=AnswerService(db, embedder))
    deps.settings = Settings(chat_busy_loop_lag_ms=5)
    app = create_app(deps)
    admission = WIDGET_RUNTIME.get(app).admission
    assert admission.max_lag_s == 0.005  # the setting reaches the process's admission
    admission.sustained_s = 0  # refuse from the first question behind, for a short test
    async with client_for(app) as client:
        token = (await open_session(client, shop))["session_token"]

        async def ask() -> httpx.Response:
            return await client.post(
                "/widget/v1/chat", json={"message": "a mug?"}, headers=bearer(token)
            )

        async with busy_loop():  # about 40 ms behind
            behind = [await ask() for _ in range(8)]
            # Refused before the session is read: a bad token is not even looked at.
            unread = await client.post(
                "/widget/v1/chat", json={"message": "a mug?"}, headers=bearer("not-a-token")
            )
        assert_problem(unread, 429, "busy")
        behind.append(unread)
        for response in behind:
            assert_problem(response, 429, "busy")
            assert response.headers["retry-after"] == "2"

        # Caught up: the smoothed lag falls with each question (refused ones included),
        # then questions are answered. More were refused than the shopper's own limit lets
        # through (a burst of 5): refusals for the server's load are not counted there.
        refused = len(behind)
        for _ in range(50):
            response = await ask()
            if response.status_code != 429:
                break
            assert_problem(response, 429, "busy")
            refused += 1
        assert response.status_code == 200, response.text
        assert response.json()["answer"]
        assert refused > DEFAULT_LIMITS["session"].burst
        metrics = (await client.get("/metrics")).text
        assert f'shopbot_rate_limit_rejections_total{{scope="busy"}} {refused}.0' in metrics
