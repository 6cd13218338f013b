from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sse_starlette import EventSourceResponse

from api.chat import intake, streaming
from api.chat.admission import Busy
from api.chat.answer_slots import AnswerSlot
from api.chat.schemas import ChatRequest, ChatResponse, QuotaProblem
from api.chat.stored_ids import stored_ids_on_errors
from api.dependencies import RuntimeDep
from api.sessions.auth import WidgetSession
from api.shutdown import STREAM_END_MARGIN_S
from engine.answer_stages import AnswerStages
from engine.quota import MessageQuotaExhausted
from web.client import ClientDep
from web.errors import PROBLEM_MEDIA_TYPE, AnsweringUnavailable

QUOTA_OUTCOME = "quota_exceeded"
_QUOTA_SCHEMA = {"$ref": "#/components/schemas/QuotaProblem"}

router = APIRouter(prefix="/widget/v1", tags=["widget"])


async def admit(runtime: RuntimeDep) -> AsyncIterator[AnswerSlot]:
    """A question refused for the server's load is refused before anything else is done
    for it: no session read, and not counted against the shopper's own rate limits. Two
    guards: the event loop behind (api/chat/admission.py), every answer slot taken
    (api/chat/answer_slots.py). The slot taken here goes back when the request ends,
    unless the endpoint handed it to the answer it started."""
    try:
        await runtime.admission.admit()
        slot = runtime.answer_slots.take()
    except Busy:
        runtime.metrics.rejected("busy")
        raise
    try:
        yield slot
    finally:
        slot.release_unless_handed()


Admitted = Annotated[AnswerSlot, Depends(admit)]


@router.post(
    "/chat",
    response_model=ChatResponse,
    response_model_exclude_unset=True,
    responses={
        200: {
            "description": "The answer as JSON, or with `Accept: text/event-stream` as SSE "
            "events `token` (checked text to append, a sentence or clause at a time), `replace` "
            "(checked text that replaces everything shown so far), `sources` (the same cards as "
            "the JSON body's `sources`), `done` (its `answer` is exactly the text shown), "
            "`error`. `done` carries `conversation_id`, `message_id` and `answer`; the ids are "
            "null when nothing was stored (the bot requires consent and `consent` was not true); "
            '`"handoff": {"offered": true}` when the answer offers a person from the store. '
            "When the business's messages for the month are used up, the stream's "
            'first and only event is `error` with data `{"code": "quota_exceeded", '
            '"detail", "fallback"}` (show `fallback` as the assistant\'s reply). An `error` '
            "after the shopper's message was stored (`shutting_down` with "
            '`"retryable": true` when the server restarts, or any other) also carries '
            "`conversation_id` and `message_id`: retry in that conversation with "
            "`retry_of` set to `message_id`.",
            "content": {"text/event-stream": {}},
        },
        402: {
            "description": "JSON mode: the business's messages for the month are used up "
            "(`code: quota_exceeded`); show `fallback` as the assistant's reply.",
            "model": QuotaProblem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _QUOTA_SCHEMA}},
        },
        404: {"description": "Unknown conversation, or `retry_of` is not its question"},
        409: {
            "description": "`retry_conflict`: the question `retry_of` names was answered "
            "(the conversation went on after it), or `message` is not its text"
        },
        429: {
            "description": "Rate limited (`rate_limited`), or the server is too busy to "
            "answer on time (`busy`); both with `Retry-After`"
        },
        503: {
            "description": "JSON mode: the answer could not be completed (`shutting_down`: "
            "the server restarts; `database_unavailable`, a model outage). After the "
            "shopper's message was stored the problem carries `conversation_id` and "
            "`message_id`: retry with `retry_of`."
        },
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    slot: Admitted,  # declared first: FastAPI solves it before the session
    session: WidgetSession,
    runtime: RuntimeDep,
    client: ClientDep,
) -> Response | ChatResponse:
    answer_service = runtime.deps.answer_service
    if answer_service is None:
        raise AnsweringUnavailable("This server is not configured to answer questions.")
    await intake.enforce_chat_limits(runtime.limiter, session, client.address)
    question = intake.build_question(session, body)
    stages = AnswerStages(started=slot.taken_at)
    stages.mark("session")
    measured = streaming.MeasuredStages(stages, runtime.metrics.answer_reached_first_token)
    pump = await streaming.AnswerPump.start(answer_service, question, measured)
    pump.when_done(slot.hand_over())  # the answer gives the slot back when it is done
    answers = runtime.metrics.chat_answers

    if intake.wants_event_stream(request.headers.get("accept")):
        try:
            with stored_ids_on_errors(pump):
                first = await pump.next(timeout=streaming.FIRST_EVENT_WAIT)
        except MessageQuotaExhausted as refused:
            # A stream client reads events, not statuses: the refusal is the stream's one
            # event, with the text the widget shows instead of an answer.
            pump.close()
            answers.labels(mode="sse", outcome=QUOTA_OUTCOME).inc()
            return EventSourceResponse(streaming.refusal_events(refused))
        except BaseException:
            pump.close()
            answers.labels(mode="sse", outcome="error").inc()
            raise
        return EventSourceResponse(
            streaming.sse_events(
                pump,
                first,
                lambda outcome: answers.labels(mode="sse", outcome=outcome).inc(),
                shutdown=runtime.shutdown,
            ),
            ping=streaming.HEARTBEAT_SECONDS,
            client_close_handler_callable=pump.close_on_disconnect,
            # sse-starlette cancels open streams when the server shuts down; the generator
            # ends them itself within our grace, so its cancellation only comes after.
            shutdown_grace_period=runtime.shutdown.grace_s + STREAM_END_MARGIN_S,
        )

    try:
        result = await streaming.collect_answer(pump, runtime.shutdown)
    except MessageQuotaExhausted:
        answers.labels(mode="json", outcome=QUOTA_OUTCOME).inc()
        raise  # 402 problem+json with `quota` and `fallback` (web.errors)
    except BaseException:
        answers.labels(mode="json", outcome="error").inc()
        raise
    finally:
        pump.close()
    answers.labels(mode="json", outcome="ok").inc()
    return result
