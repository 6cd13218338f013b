from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sse_starlette import EventSourceResponse

from api.chat import streaming
from api.chat.schemas import ChatRequest, ChatResponse
from api.dependencies import RuntimeDep
from api.sessions.auth import WidgetSession
from web.client import ClientDep
from web.errors import AnsweringUnavailable

router = APIRouter(prefix="/widget/v1", tags=["widget"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        200: {
            "description": "The answer as JSON, or with `Accept: text/event-stream` as SSE "
            "events `token` (checked text to append, a sentence or clause at a time), `replace` "
            "(checked text that replaces everything shown so far), `sources` (the same cards as "
            "the JSON body's `sources`), `done` (its `answer` is exactly the text shown), "
            "`error`.",
            "content": {"text/event-stream": {}},
        },
        429: {"description": "Rate limited (`Retry-After`)"},
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    session: WidgetSession,
    runtime: RuntimeDep,
    client: ClientDep,
) -> Response | ChatResponse:
    answer_service = runtime.deps.answer_service
    if answer_service is None:
        raise AnsweringUnavailable("This server is not configured to answer questions.")
    await streaming.enforce_chat_limits(runtime.limiter, session, client.address)
    question = streaming.build_question(session, body)
    answers = runtime.metrics.chat_answers
    pump = await streaming.AnswerPump.start(answer_service, question)

    if streaming.wants_event_stream(request.headers.get("accept")):
        try:
            first = await pump.next(timeout=streaming.FIRST_EVENT_WAIT)
        except BaseException:
            pump.close()
            answers.labels(mode="sse", outcome="error").inc()
            raise
        return EventSourceResponse(
            streaming.sse_events(
                pump, first, lambda outcome: answers.labels(mode="sse", outcome=outcome).inc()
            ),
            ping=streaming.HEARTBEAT_SECONDS,
            client_close_handler_callable=pump.close_on_disconnect,
        )

    try:
        result = await streaming.collect_answer(pump)
    except BaseException:
        answers.labels(mode="json", outcome="error").inc()
        raise
    finally:
        pump.close()
    answers.labels(mode="json", outcome="ok").inc()
    return result
