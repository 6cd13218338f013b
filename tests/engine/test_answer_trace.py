"""The answer trace (engine.answer_trace): set, it receives what the engine did for the
answer (the query retrieval searched with, the hits in rank order, the prompt, the
provider), also from a task the caller starts (as the widget chat's answer pump does);
unset, nothing is recorded anywhere."""

from __future__ import annotations

import asyncio

from engine.answer import AnswerService
from engine.answer_trace import ANSWER_TRACE, AnswerTrace
from engine.embeddings import shared_local_embedder
from tests.engine.support import question as _question


async def test_a_set_trace_records_query_hits_prompt_and_provider(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    trace = AnswerTrace()
    token = ANSWER_TRACE.set(trace)
    try:
        result = await service.answer(_question(tenant, "I need a rain jacket"))
    finally:
        ANSWER_TRACE.reset(token)
    assert trace.rewritten_query == "I need a rain jacket"
    assert trace.provider == "offline"
    assert trace.products, "retrieval found products"
    scores = [p.score for p in trace.products]
    assert scores == sorted(scores, reverse=True), "rank order"
    assert any("rain" in p.text.lower() for p in trace.products)
    cited = {s["external_id"] for s in result.sources if "external_id" in s}
    assert cited <= {p.external_id for p in trace.products}, "cards come from the hits"
    roles = [m["role"] for m in trace.prompt]
    assert roles[0] == "system" and roles[-1] == "user"
    assert "I need a rain jacket" in trace.prompt[-1]["content"]


async def test_a_follow_up_records_the_rewritten_query(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await service.answer(_question(tenant, "I need a rain jacket"))
    trace = AnswerTrace()
    token = ANSWER_TRACE.set(trace)
    try:
        await service.answer(
            _question(tenant, "is it waterproof?", conversation_id=first.conversation_id)
        )
    finally:
        ANSWER_TRACE.reset(token)
    assert trace.rewritten_query is not None
    assert trace.rewritten_query != "is it waterproof?"
    assert "jacket" in trace.rewritten_query.lower()


async def test_a_task_started_by_the_caller_shares_the_trace(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    trace = AnswerTrace()
    token = ANSWER_TRACE.set(trace)
    try:
        # create_task copies the context: the task sees the same mutable trace object.
        await asyncio.create_task(service.answer(_question(tenant, "a warm fleece")))
    finally:
        ANSWER_TRACE.reset(token)
    assert trace.products and trace.prompt and trace.provider == "offline"


async def test_without_a_trace_nothing_is_recorded(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    assert ANSWER_TRACE.get() is None
    await service.answer(_question(tenant, "I need a rain jacket"))
    assert ANSWER_TRACE.get() is None
