"""The bridge from an answer stream to a response (api/chat/streaming.py).

These drive the bridge with plain async generators of `engine.answer_events` values: they
test how the API turns events into SSE or JSON and how it cancels a stream, not how
answers are made (tests/api/test_chat_answers.py does that with the real AnswerService).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from api.chat.intake import wants_event_stream
from api.chat.streaming import (
    AnswerPump,
    collect_answer,
    error_status,
    sse_events,
)
from api.errors import AnswerFailed
from core.errors import NotFound, UpstreamError
from engine.answer_events import (
    AnswerEvent,
    DoneEvent,
    ErrorEvent,
    ReplaceEvent,
    SourcesEvent,
    TokenEvent,
)
from engine.types import ProductHit, product_source

CONVERSATION, MESSAGE = uuid.uuid4(), uuid.uuid4()
# A card as the engine builds it: the API checks sources against its schema.
SOURCE = product_source(
    ProductHit(
        product_id=uuid.uuid4(),
        external_id="101",
        title="Blue Rain Jacket",
        price=Decimal("49.99"),
        currency="USD",
        in_stock=True,
        stock_status="instock",
    )
)
DONE = DoneEvent(CONVERSATION, MESSAGE, "The Blue Rain Jacket costs 49.99 USD.")


async def events(*items: AnswerEvent | Exception) -> AsyncIterator[AnswerEvent]:
    for item in items:
        await asyncio.sleep(0)
        if isinstance(item, Exception):
            raise item
        yield item


async def _sse(
    pump: AnswerPump, outcomes: list[str] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    first = await pump.next(timeout=1)
    sink = outcomes if outcomes is not None else []
    events: list[tuple[str, dict[str, Any]]] = []
    async for event in sse_events(pump, first, sink.append):
        # Every event the body sends is named and carries a JSON document.
        assert event.event is not None and isinstance(event.data, str)
        events.append((event.event, json.loads(event.data)))
    return events


async def test_sse_events_in_order() -> None:
    outcomes: list[str] = []
    pump = AnswerPump(
        events(TokenEvent("The Blue "), TokenEvent("Rain Jacket"), SourcesEvent([SOURCE]), DONE)
    )
    assert await _sse(pump, outcomes) == [
        ("token", {"delta": "The Blue "}),
        ("token", {"delta": "Rain Jacket"}),
        ("sources", {"sources": [SOURCE]}),
        (
            "done",
            {
                "conversation_id": str(CONVERSATION),
                "message_id": str(MESSAGE),
                "answer": DONE.answer,
            },
        ),
    ]
    assert outcomes == ["ok"]


async def test_sse_turns_failures_into_error_events() -> None:
    assert (
        await _sse(
            AnswerPump(events(TokenEvent("a"), ErrorEvent("llm_unavailable", "The model is down.")))
        )
    )[-1] == ("error", {"code": "llm_unavailable", "detail": "The model is down."})
    assert (await _sse(AnswerPump(events(TokenEvent("a"), UpstreamError("The model failed.")))))[
        -1
    ] == ("error", {"code": "upstream_error", "detail": "The model failed."})
    last = (await _sse(AnswerPump(events(TokenEvent("a"), RuntimeError("secret internals")))))[-1]
    assert (
        last[0] == "error"
        and last[1]["code"] == "internal_error"
        and "secret" not in last[1]["detail"]
    )
    assert (await _sse(AnswerPump(events(TokenEvent("a")))))[-1][1]["code"] == "incomplete_answer"


async def test_a_replace_is_framed_as_its_own_event() -> None:
    pump = AnswerPump(
        events(
            TokenEvent("The Blue Rain Jacket."),
            ReplaceEvent("I can't share that."),
            SourcesEvent([]),
            DONE,
        )
    )
    assert await _sse(pump) == [
        ("token", {"delta": "The Blue Rain Jacket."}),
        ("replace", {"text": "I can't share that."}),
        ("sources", {"sources": []}),
        (
            "done",
            {
                "conversation_id": str(CONVERSATION),
                "message_id": str(MESSAGE),
                "answer": DONE.answer,
            },
        ),
    ]


async def test_an_app_error_before_the_first_event_is_raised() -> None:
    pump = AnswerPump(events(NotFound("No such conversation.")))
    with pytest.raises(NotFound):
        await pump.next(timeout=1)


async def test_json_collects_the_final_answer() -> None:
    result = await collect_answer(
        AnswerPump(events(TokenEvent("draft"), SourcesEvent([SOURCE]), DONE))
    )
    assert (result.conversation_id, result.message_id, result.answer) == (
        CONVERSATION,
        MESSAGE,
        DONE.answer,
    )
    assert [source.model_dump(mode="json") for source in result.sources] == [SOURCE]


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (ErrorEvent("llm_unavailable", "down"), 503),
        (ErrorEvent("llm_timeout", "slow"), 503),
        (ErrorEvent("upstream_error", "bad reply"), 502),
    ],
)
async def test_json_error_first_is_a_problem(event: ErrorEvent, status: int) -> None:
    with pytest.raises(AnswerFailed) as caught:
        await collect_answer(AnswerPump(events(event)))
    assert (caught.value.status_code, caught.value.code, caught.value.detail) == (
        status,
        event.code,
        event.detail,
    )
    assert caught.value.problem()["type"].endswith("/" + event.code)
    assert error_status(event.code) == status


async def test_closing_the_stream_cancels_the_answer() -> None:
    """A client that disconnects cancels the SSE generator; the answer stream (and the LLM
    call awaited inside it) must be cancelled and closed too."""
    reached_llm, closed = asyncio.Event(), asyncio.Event()

    async def slow_answer() -> AsyncIterator[AnswerEvent]:
        try:
            yield TokenEvent("Thinking")
            reached_llm.set()
            await asyncio.sleep(3600)  # the model call that must not run on
            yield DONE
        finally:
            closed.set()

    pump = AnswerPump(slow_answer())
    stream = sse_events(pump, await pump.next(timeout=1))
    # The body is an async generator: closing it is what runs its `finally`.
    assert isinstance(stream, AsyncGenerator)
    assert (await anext(stream)).event == "token"
    pending = asyncio.ensure_future(anext(stream))
    await asyncio.wait_for(reached_llm.wait(), 1)
    pending.cancel()  # what sse-starlette does when the client goes away
    with pytest.raises(asyncio.CancelledError):
        await pending
    await stream.aclose()
    await asyncio.wait_for(closed.wait(), 1)


async def test_a_finished_answer_is_not_cancelled() -> None:
    """After `done` the service may still record usage: closing must not cut it off."""
    recorded = asyncio.Event()

    async def answer_then_bookkeeping() -> AsyncIterator[AnswerEvent]:
        yield DONE
        await asyncio.sleep(0.01)
        recorded.set()

    pump = AnswerPump(answer_then_bookkeeping())
    await collect_answer(pump)
    pump.close()
    await asyncio.wait_for(recorded.wait(), 1)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/event-stream", True),
        ("application/json, text/event-stream;q=0.9", True),
        ("text/event-stream;q=0", False),
        ("application/json", False),
        (None, False),
        ("*/*", False),
    ],
)
def test_accept_negotiation(accept: str | None, expected: bool) -> None:
    assert wants_event_stream(accept) is expected
