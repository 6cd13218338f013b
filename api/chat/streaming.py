"""From a chat request to the answer service's events, and from those events to a response.

`AnswerPump` runs the answer stream in its own task and hands the events over through a
queue. That lets the endpoint wait for the first event before it commits to a response
(an `AppError` raised by the service up front, say an unknown conversation, becomes that
error's problem response, not a 200 stream), and lets a client that goes away cancel the
producer, which cancels the LLM call inside the service.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any, Final

from sse_starlette import ServerSentEvent

from api.chat.schemas import ChatResponse, HandoffOffer
from api.chat.stored_ids import DATABASE_DETAIL, stored_ids, stored_ids_on_errors
from api.dependencies import AnswerStreamer
from api.errors import AnswerFailed
from api.shutdown import SHUTTING_DOWN, ShutdownSignal
from core.db.faults import find_database_unavailable
from core.errors import AppError, DatabaseUnavailable
from engine.answer_events import (
    AnswerEvent,
    DoneEvent,
    ErrorEvent,
    Question,
    QuestionStored,
    ReplaceEvent,
    SourcesEvent,
    TokenEvent,
    handoff_json,
)
from engine.answer_stages import ANSWER_STAGES, AnswerStages
from engine.quota import MessageQuotaExhausted
from web.source_cards import sources_json

logger = logging.getLogger(__name__)

FIRST_EVENT_WAIT = 3.0
HEARTBEAT_SECONDS = 10.0
# After the shutdown grace: how long a cancelled answer may take to stop (its transaction
# rolled back, the model call closed), then how long its queued events take to arrive.
STOP_WAIT_S = 2.0
DRAIN_WAIT_S = 0.05
SHUTDOWN_DETAIL = "The server is restarting; please ask again."


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOT_YET: Final = _Marker("NOT_YET")
_END: Final = _Marker("END")
# The server's shutdown grace ran out before the answer was complete.
_SHUT_DOWN: Final = _Marker("SHUT_DOWN")
# Cancelled producers still finishing their clean-up; held so they are not collected early.
_closing: set[asyncio.Task[None]] = set()


class MeasuredStages:
    """An answer's stages (engine.answer_stages) and who hears of them at its first token."""

    def __init__(self, stages: AnswerStages, report: Callable[[AnswerStages], None]) -> None:
        self.stages = stages
        self._report = report

    def first_token(self) -> None:
        self.stages.mark("first_sentence")
        self._report(self.stages)


class _Failure:
    def __init__(self, error: Exception) -> None:
        self.error = error


class AnswerPump:
    def __init__(
        self, events: AsyncIterator[AnswerEvent], stages: MeasuredStages | None = None
    ) -> None:
        self._events = events
        self._stages = stages
        self._queue: asyncio.Queue[AnswerEvent | _Failure | _Marker] = asyncio.Queue()
        self._getter: asyncio.Task[AnswerEvent | _Failure | _Marker] | None = None
        self._finished = False  # the consumer saw the last event
        self._closed = False
        # The shopper's message as stored (None until it is, or when it is not): an error
        # that ends the answer carries its ids, so the client's retry continues this turn.
        self.stored: QuestionStored | None = None
        self._task = asyncio.create_task(self._produce())

    @classmethod
    async def start(
        cls, service: AnswerStreamer, question: Question, stages: MeasuredStages | None = None
    ) -> AnswerPump:
        """`stages`: the answer's stages to mark (the engine's, in the answer's task, which
        copies the context set here) and to report at its first token."""
        measured = ANSWER_STAGES.set(stages.stages if stages is not None else None)
        try:
            events = service.stream(question)
            if inspect.isawaitable(events):  # `async def stream() -> AsyncIterator` also works
                events = await events
            return cls(events, stages)
        finally:
            ANSWER_STAGES.reset(measured)

    def when_done(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the answer's producer is done: the answer stored, failed,
        or cancelled."""
        self._task.add_done_callback(lambda _task: callback())

    async def _produce(self) -> None:
        try:
            # Drained to the end even after the final event: the service may still be
            # recording usage, and nobody waits for it any more.
            async for event in self._events:
                self._queue.put_nowait(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # handed to the consumer, which decides how to report it
            self._queue.put_nowait(_Failure(exc))
            return
        finally:
            aclose = getattr(self._events, "aclose", None)
            if aclose is not None:
                await aclose()
        self._queue.put_nowait(_END)

    def _queued(self) -> bool:
        return self._getter is None and not self._queue.empty()

    async def _get(
        self, timeout: float | None, interrupt: asyncio.Future[None] | None = None
    ) -> AnswerEvent | _Failure | _Marker:
        # What is queued already is taken as is: no task and no wait per event, which under
        # load is most of them (the producer runs ahead of a busy loop's consumer).
        if self._queued():
            return self._queue.get_nowait()
        if self._getter is None:
            self._getter = asyncio.ensure_future(self._queue.get())
        waiting: set[asyncio.Future[Any]] = {self._getter}
        if interrupt is not None:
            waiting.add(interrupt)
        done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if self._getter not in done:
            return NOT_YET
        item = self._getter.result()
        self._getter = None
        return item

    async def next(
        self, timeout: float | None = None, interrupt: asyncio.Future[None] | None = None
    ) -> AnswerEvent | _Marker:
        """The next event; `_END` when the stream ended; `NOT_YET` after `timeout` or once
        `interrupt` is done. An exception the stream raised is raised here. `QuestionStored`
        is kept in `stored`, not returned: it is no event of the response's own."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        item = await self._get(timeout, interrupt)
        while isinstance(item, QuestionStored):
            self.stored = item
            left = None if deadline is None else max(0.0, deadline - loop.time())
            item = await self._get(left, interrupt)
        if isinstance(item, _Failure):
            self._finished = True
            raise item.error
        if isinstance(item, TokenEvent) and self._stages is not None:
            self._stages.first_token()
            self._stages = None
        if item is _END or isinstance(item, DoneEvent | ErrorEvent):
            self._finished = True
        return item

    async def next_within(self, shutdown: ShutdownSignal) -> AnswerEvent | _Marker:
        """The next event, or `NOT_YET` once the server's shutdown grace has run out."""
        while (remaining := shutdown.remaining()) is None:
            if self._queued():
                item = await self.next(timeout=0)
            else:
                began = asyncio.ensure_future(shutdown.wait())
                try:
                    item = await self.next(interrupt=began)
                finally:
                    began.cancel()
            if item is not NOT_YET:
                return item
        return await self.next(timeout=remaining)

    async def stop_for_shutdown(self) -> None:
        """Cancel the answer (and the model call inside it) and wait until it has stopped:
        its last transaction either committed, and its events are queued, or rolled back,
        so the conversation never holds half an answer. `next` then gives what is queued."""
        if not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=STOP_WAIT_S)

    async def close_on_disconnect(self, _message: object = None) -> None:
        """For sse-starlette's `client_close_handler_callable`: a client that leaves before
        the body generator ever started would otherwise leave the producer running."""
        self.close()

    def close(self) -> None:
        """Stop the producer unless the answer was complete (synchronous on purpose: it runs
        in `finally` blocks of cancelled streams, where awaiting is not possible)."""
        if self._closed:
            return
        self._closed = True
        if self._getter is not None:
            self._getter.cancel()
            self._getter = None
        if not self._finished and not self._task.done():
            self._task.cancel()
        if not self._task.done():
            _closing.add(self._task)
            self._task.add_done_callback(_forget)


def _forget(task: asyncio.Task[None]) -> None:
    _closing.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.warning("answer stream failed after its response: %r", task.exception())


async def next_event(pump: AnswerPump, shutdown: ShutdownSignal | None) -> AnswerEvent | _Marker:
    """The pump's next event; `_SHUT_DOWN` when the shutdown grace ran out and the stopped
    answer left nothing more to send."""
    if shutdown is None:
        return await pump.next()
    event = await pump.next_within(shutdown)
    if event is not NOT_YET:
        return event
    await pump.stop_for_shutdown()
    event = await pump.next(timeout=DRAIN_WAIT_S)
    return _SHUT_DOWN if event is NOT_YET else event


def error_event(code: str, detail: str, stored: QuestionStored | None) -> ServerSentEvent:
    return ServerSentEvent(
        event="error", data=_json({"code": code, "detail": detail} | stored_ids(stored))
    )


def shutting_down_event(stored: QuestionStored | None = None) -> ServerSentEvent:
    """A stream's last event when the server stops before its answer is complete: the
    widget shows it as an error with Retry. Nothing of the answer was stored; the
    shopper's message was, and its ids are on the event (`stored_ids`)."""
    data = {"code": SHUTTING_DOWN, "detail": SHUTDOWN_DETAIL, "retryable": True}
    return ServerSentEvent(event="error", data=_json(data | stored_ids(stored)))


def error_status(code: str) -> int:
    lowered = code.lower()
    if any(word in lowered for word in ("unavailable", "timeout", "overloaded", "busy")):
        return 503
    return 502


async def collect_answer(pump: AnswerPump, shutdown: ShutdownSignal | None = None) -> ChatResponse:
    """The JSON body: the final answer (`done.answer`, the same text the stream shows)."""
    with stored_ids_on_errors(pump):
        return await _collected(pump, shutdown)


async def _collected(pump: AnswerPump, shutdown: ShutdownSignal | None) -> ChatResponse:
    sources: list[dict[str, Any]] = []
    while True:
        event = await next_event(pump, shutdown)
        if event is _SHUT_DOWN:
            raise AnswerFailed(SHUTTING_DOWN, SHUTDOWN_DETAIL, 503)
        if isinstance(event, SourcesEvent):
            sources = list(event.sources)
        elif isinstance(event, DoneEvent):
            # `handoff` is set only when offered: the route leaves unset fields out, so the
            # body without an offer is the one clients before hand-off knew (the ids are
            # always set, null or not).
            offer = {"handoff": HandoffOffer(offered=True)} if event.handoff_offered else {}
            return ChatResponse(
                conversation_id=event.conversation_id,
                message_id=event.message_id,
                answer=event.answer,
                sources=sources,
                **offer,
            )
        elif isinstance(event, ErrorEvent):
            raise AnswerFailed(event.code, event.detail, error_status(event.code))
        elif event is _END:
            raise AnswerFailed("incomplete_answer", "The answer ended before it was complete.", 502)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def sse_event(event: AnswerEvent, stored: QuestionStored | None = None) -> ServerSentEvent:
    """`stored`: the shopper's message as stored, whose ids an `error` carries."""
    if isinstance(event, TokenEvent):
        return ServerSentEvent(event="token", data=_json({"delta": event.delta}))
    if isinstance(event, ReplaceEvent):
        return ServerSentEvent(event="replace", data=_json({"text": event.text}))
    if isinstance(event, SourcesEvent):
        return ServerSentEvent(
            event="sources", data=_json({"sources": sources_json(event.sources)})
        )
    if isinstance(event, DoneEvent):
        # The ids are null when the turn was not stored (no consent where the bot asks).
        data = {
            "conversation_id": event.conversation_id,
            "message_id": event.message_id,
            "answer": event.answer,
        } | handoff_json(event.handoff_offered)
        return ServerSentEvent(event="done", data=_json(data))
    assert isinstance(event, ErrorEvent), event  # `QuestionStored` stays in the pump
    return error_event(event.code, event.detail, stored)


def _error_data(error: AppError, stored: QuestionStored | None = None) -> dict[str, Any]:
    data = {"code": error.code, "detail": error.detail} | stored_ids(stored)
    if isinstance(error, MessageQuotaExhausted):
        data["fallback"] = error.fallback  # what the widget shows instead of an answer
    return data


async def refusal_events(refused: MessageQuotaExhausted) -> AsyncIterator[ServerSentEvent]:
    """The whole SSE body of a message the plan refused: one `error` event."""
    yield ServerSentEvent(event="error", data=_json(_error_data(refused)))


async def sse_events(
    pump: AnswerPump,
    first: AnswerEvent | _Marker,
    on_outcome: Callable[[str], None] = lambda outcome: None,
    shutdown: ShutdownSignal | None = None,
) -> AsyncIterator[ServerSentEvent]:
    """The SSE body. Heartbeats are sse-starlette's pings; a disconnect cancels this
    generator, whose `finally` cancels the producer and with it the LLM call. When the
    server shuts down, the answer has `shutdown.grace_s` to complete, then the stream ends
    with `shutting_down_event()`; every event is whole (one yield, one write)."""
    outcome = "cancelled"
    try:
        event: AnswerEvent | _Marker = first
        while True:
            if event is NOT_YET:
                event = await next_event(pump, shutdown)
                continue
            if event is _SHUT_DOWN:
                outcome = SHUTTING_DOWN
                logger.info("answer stream closed: the server is shutting down")
                yield shutting_down_event(pump.stored)
                return
            if event is _END:
                outcome = "error"
                yield error_event("incomplete_answer", "The answer ended early.", pump.stored)
                return
            assert not isinstance(event, _Marker)
            yield sse_event(event, pump.stored)
            if isinstance(event, DoneEvent | ErrorEvent):
                outcome = "ok" if isinstance(event, DoneEvent) else "error"
                return
            event = NOT_YET
    except AppError as error:
        outcome = "error"
        yield ServerSentEvent(event="error", data=_json(_error_data(error, pump.stored)))
    except Exception as error:
        outcome = "error"
        outage = find_database_unavailable(error)
        if outage is None:
            logger.exception("answer stream failed")
            detail = "Something went wrong; please try again."
            yield error_event("internal_error", detail, pump.stored)
            return
        # Past the 200, an outage can no longer be a 503: the stream ends with the same
        # code, and the log gets the one line an outage gets elsewhere (web.errors).
        logger.warning("database unavailable during an answer stream: %s", outage)
        yield ServerSentEvent(
            event="error",
            data=_json(_error_data(DatabaseUnavailable(DATABASE_DETAIL), pump.stored)),
        )
    finally:
        pump.close()
        on_outcome(outcome)
