"""An open answer stream when the server shuts down (api/chat/streaming.py, api/shutdown.py):
the answer gets the grace period to finish, then the stream ends with a retryable
`shutting_down` error and the answer is cancelled. Driven in process with plain async
generators; tests/cli/test_sigterm_streams.py does it to a real `shopbot serve`."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, cast

import psycopg
import pytest
from sse_starlette import ServerSentEvent

from api.chat.streaming import AnswerPump, collect_answer, sse_events
from api.errors import AnswerFailed
from api.shutdown import ShutdownSignal
from core.errors import AppError
from engine.answer_events import (
    AnswerEvent,
    DoneEvent,
    ErrorEvent,
    QuestionStored,
    SourcesEvent,
    TokenEvent,
)

DONE = DoneEvent(uuid.uuid4(), uuid.uuid4(), "First. Second.")
STORED = QuestionStored(DONE.conversation_id or uuid.uuid4(), uuid.uuid4())
STORED_IDS = {"conversation_id": str(STORED.conversation_id), "message_id": str(STORED.message_id)}


class SlowAnswer:
    """Two sentences `pause` seconds apart; records whether it was cancelled."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self.cancelled = False
        self.finished = False

    async def __call__(self, stored: bool = False) -> AsyncIterator[AnswerEvent]:
        try:
            if stored:
                yield STORED  # not an event of the response: its ids go on an error
            yield TokenEvent("First.")
            await asyncio.sleep(self.pause)
            yield TokenEvent(" Second.")
            yield SourcesEvent([])
            yield DONE
            self.finished = True
        except asyncio.CancelledError:
            self.cancelled = True
            raise


async def _stream(
    answer: SlowAnswer, shutdown: ShutdownSignal, stored: bool = False
) -> list[tuple[str, Any]]:
    pump = AnswerPump(answer(stored))
    first = await pump.next(timeout=1)
    outcomes: list[str] = []
    shown: list[tuple[str, Any]] = []
    async for event in sse_events(pump, first, outcomes.append, shutdown=shutdown):
        assert event.event is not None and isinstance(event.data, str)
        shown.append((event.event, json.loads(event.data)))
        if len(shown) == 1:
            shutdown.begin()  # the server is told to stop while the answer is open
    shown.append(("outcome", outcomes))
    return shown


async def test_an_answer_that_completes_within_the_grace_ends_with_done() -> None:
    answer = SlowAnswer(pause=0.2)
    shown = await _stream(answer, ShutdownSignal(grace_s=5))
    assert [name for name, _ in shown] == ["token", "token", "sources", "done", "outcome"]
    assert shown[-1] == ("outcome", ["ok"]) and answer.finished and not answer.cancelled


async def test_an_answer_past_the_grace_ends_with_a_retryable_error_and_is_cancelled() -> None:
    answer = SlowAnswer(pause=30)
    started = time.monotonic()
    shown = await _stream(answer, ShutdownSignal(grace_s=0.3))
    elapsed = time.monotonic() - started
    assert shown == [
        ("token", {"delta": "First."}),
        (
            "error",
            {
                "code": "shutting_down",
                "detail": "The server is restarting; please ask again.",
                "retryable": True,
            },
        ),
        ("outcome", ["shutting_down"]),
    ]
    assert answer.cancelled and not answer.finished
    assert 0.3 <= elapsed < 3


async def test_the_error_after_the_question_was_stored_carries_its_ids() -> None:
    shown = await _stream(SlowAnswer(pause=30), ShutdownSignal(grace_s=0.1), stored=True)
    assert [name for name, _ in shown] == ["token", "error", "outcome"]
    assert (
        shown[1][1]
        == {
            "code": "shutting_down",
            "detail": "The server is restarting; please ask again.",
            "retryable": True,
        }
        | STORED_IDS
    )


async def _failing(end: AnswerEvent | Exception) -> AsyncIterator[AnswerEvent]:
    yield STORED
    yield TokenEvent("First.")
    if isinstance(end, Exception):
        raise end
    yield end


FAILURES = [
    ErrorEvent("llm_unavailable", "The model is down."),
    AnswerFailed("upstream_error", "bad reply", 502),
    psycopg.OperationalError("the connection is closed"),  # a database outage
    RuntimeError("a bug"),
]


@pytest.mark.parametrize("end", FAILURES, ids=lambda end: type(end).__name__)
async def test_any_error_after_the_question_was_stored_carries_its_ids(
    end: AnswerEvent | Exception,
) -> None:
    pump = AnswerPump(_failing(end))
    events = [event async for event in sse_events(pump, await pump.next(timeout=1))]
    assert events[-1].event == "error"
    assert json.loads(str(events[-1].data)).items() >= STORED_IDS.items()

    collected = AnswerPump(_failing(end))
    if isinstance(end, RuntimeError):  # a bug stays the catch-all's 500, which tells nothing
        with pytest.raises(RuntimeError):
            await collect_answer(collected)
        return
    with pytest.raises(AppError) as failed:
        await collect_answer(collected)
    assert failed.value.problem().items() >= STORED_IDS.items()


async def test_a_stream_waiting_before_the_shutdown_wakes_up_for_its_deadline() -> None:
    """The stream is idle inside the answer when the shutdown begins: it does not wait
    for the next event, only for the grace."""
    answer = SlowAnswer(pause=30)
    shutdown = ShutdownSignal(grace_s=0.2)
    pump = AnswerPump(answer())
    first = await pump.next(timeout=1)
    # An async generator (closed at the end), typed as the iterator the response reads.
    body = cast(AsyncGenerator[ServerSentEvent], sse_events(pump, first, shutdown=shutdown))
    assert (await anext(body)).event == "token"
    waiting = asyncio.ensure_future(anext(body))
    await asyncio.sleep(0.3)
    assert not waiting.done()  # no deadline before the shutdown began
    shutdown.begin()
    last = await asyncio.wait_for(waiting, timeout=3)
    assert last.event == "error" and json.loads(str(last.data))["code"] == "shutting_down"
    await body.aclose()


async def test_a_json_answer_past_the_grace_is_a_503_shutting_down() -> None:
    answer = SlowAnswer(pause=30)
    shutdown = ShutdownSignal(grace_s=0.2)
    shutdown.begin()
    with pytest.raises(AnswerFailed) as failed:
        await collect_answer(AnswerPump(answer()), shutdown)
    assert failed.value.code == "shutting_down" and failed.value.status_code == 503
    assert answer.cancelled


def test_the_grace_starts_once() -> None:
    shutdown = ShutdownSignal(grace_s=10)
    assert shutdown.remaining() is None and not shutdown.begun
    shutdown.begin()
    first = shutdown.remaining()
    time.sleep(0.01)
    shutdown.begin()
    second = shutdown.remaining()
    assert first is not None and second is not None and 9 < second < first <= 10
