"""POST /widget/v1/chat end to end with the real answer service (engine.answer.AnswerService,
offline answerer, bundled MiniLM) over a small seeded catalogue: JSON, SSE, conversations,
cross-tenant 404s and the per-visitor limit."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from core.db.database import Database
from engine.answer import AnswerService
from engine.answer_stages import STAGES
from tests.api.harness import (
    Shop,
    add_exchange,
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
    provision_shop,
    sse_events,
    update_bot,
)


@pytest.fixture
async def answering(db: Database, shop: Shop) -> AsyncIterator[httpx.AsyncClient]:
    from engine.embeddings import shared_local_embedder
    from tests.support.index import SeedProduct, seed_store

    embedder = shared_local_embedder()
    await seed_store(
        db,
        shop.tenant_id,
        embedder,
        [
            SeedProduct(
                "Alpine Rain Jacket",
                "89.00",
                "A waterproof, breathable shell jacket with taped seams and a "
                "packable hood for hiking in the rain.",
                ["Jackets"],
                external_id="101",
            ),
            SeedProduct(
                "Merino Wool Beanie",
                "24.00",
                "A soft merino wool hat that keeps your head warm on cold winter mornings.",
                ["Accessories"],
                external_id="102",
            ),
            SeedProduct(
                "Cast Iron Skillet",
                "35.00",
                "A pre-seasoned 10-inch cast iron pan for searing, baking and campfire cooking.",
                ["Kitchen"],
                external_id="103",
            ),
        ],
    )
    service = AnswerService(db, embedder)
    async with client_for(create_app(make_deps(db, answer_service=service))) as client:
        yield client


async def test_json_answer_with_live_sources(answering: httpx.AsyncClient, shop: Shop) -> None:
    token = (await open_session(answering, shop))["session_token"]
    response = await answering.post(
        "/widget/v1/chat",
        json={"message": "  Do you have a rain jacket for hiking?  "},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == shop.origin
    body = response.json()
    assert set(body) == {"conversation_id", "message_id", "answer", "sources"}
    assert body["answer"].strip()
    jacket = next(s for s in body["sources"] if s["title"] == "Alpine Rain Jacket")
    assert (jacket["external_id"], jacket["price"], jacket["currency"], jacket["in_stock"]) == (
        "101",
        "89.00",
        "USD",
        True,
    )

    # The answer is stored: the shopper can rate it, and ask a follow-up in the same conversation.
    rated = await answering.post(
        "/widget/v1/feedback",
        json={"message_id": body["message_id"], "rating": "up"},
        headers=bearer(token),
    )
    assert rated.status_code == 200, rated.text
    follow_up = await answering.post(
        "/widget/v1/chat",
        json={
            "message": "is it waterproof?",
            "conversation_id": body["conversation_id"],
            "page": {"url": "https://shop.alpha.test/p/alpine", "product_id": 101},
        },
        headers=bearer(token),
    )
    assert follow_up.status_code == 200, follow_up.text
    assert follow_up.json()["conversation_id"] == body["conversation_id"]
    assert follow_up.json()["message_id"] != body["message_id"]


async def test_sse_streams_tokens_sources_then_done(
    answering: httpx.AsyncClient, shop: Shop
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    response = await answering.post(
        "/widget/v1/chat",
        json={"message": "I need a warm hat"},
        headers={**bearer(token), "Accept": "text/event-stream"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["access-control-allow-origin"] == shop.origin
    assert response.headers["cache-control"] == "no-store"
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-2:] == ["sources", "done"] and "token" in names
    assert set(names) <= {"token", "sources", "done"}
    assert all(set(data) == {"delta"} for name, data in events if name == "token")
    done = events[-1][1]
    assert set(done) == {"conversation_id", "message_id", "answer"} and done["answer"].strip()
    assert any(s["title"] == "Merino Wool Beanie" for s in events[-2][1]["sources"])


@pytest.mark.parametrize("accept", ["application/json", "text/event-stream"])
async def test_unknown_or_foreign_conversation_is_404(
    answering: httpx.AsyncClient, db: Database, shop: Shop, accept: str
) -> None:
    other = await provision_shop(db, name="Beta Books")
    foreign = await add_exchange(db, other)
    token = (await open_session(answering, shop))["session_token"]
    for conversation_id in (
        "00000000-0000-4000-8000-000000000000",
        str(foreign["conversation_id"]),
    ):
        response = await answering.post(
            "/widget/v1/chat",
            json={"message": "hello?", "conversation_id": conversation_id},
            headers={**bearer(token), "Accept": accept},
        )
        assert_problem(response, 404, "not_found")


async def test_a_visitor_gets_exactly_its_limit(
    answering: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    await update_bot(db, shop, rate_limits={"session": {"per_minute": 1, "burst": 2}})
    token = (await open_session(answering, shop))["session_token"]
    responses = [
        await answering.post(
            "/widget/v1/chat", json={"message": "a cast iron pan?"}, headers=bearer(token)
        )
        for _ in range(4)
    ]
    assert [r.status_code for r in responses] == [200, 200, 429, 429]
    problem = assert_problem(responses[-1], 429, "rate_limited")
    assert problem["scope"] == "session"
    assert int(responses[-1].headers["retry-after"]) >= 1
    # A new session (another visitor) is not limited by the first one's bucket.
    other_token = (await open_session(answering, shop))["session_token"]
    assert (
        await answering.post(
            "/widget/v1/chat", json={"message": "a pan?"}, headers=bearer(other_token)
        )
    ).status_code == 200
    metrics = (await answering.get("/metrics")).text
    assert 'shopbot_chat_answers_total{mode="json",outcome="ok"} 3.0' in metrics
    assert 'shopbot_rate_limit_rejections_total{scope="session"} 2.0' in metrics


async def test_each_answer_reports_its_stages_up_to_its_first_token(
    answering: httpx.AsyncClient, shop: Shop
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    started = time.perf_counter()
    for accept in ("text/event-stream", "application/json"):
        response = await answering.post(
            "/widget/v1/chat",
            json={"message": "I need a warm hat"},
            headers={**bearer(token), "Accept": accept},
        )
        assert response.status_code == 200, response.text
    took = time.perf_counter() - started

    families = text_string_to_metric_families((await answering.get("/metrics")).text)
    [stage_family] = [f for f in families if f.name == "shopbot_answer_stage_seconds"]
    counts = {s.labels["stage"]: s.value for s in stage_family.samples if s.name.endswith("_count")}
    sums = {s.labels["stage"]: s.value for s in stage_family.samples if s.name.endswith("_sum")}
    assert counts == {stage: 2.0 for stage in STAGES}  # both answers, every stage
    assert all(seconds > 0 for seconds in sums.values()), sums
    assert sum(sums.values()) < took  # stages follow each other, within the requests
