"""What the chat endpoint reads from a request before an answer starts: the question, the
shopper's rate limits, and whether the client wants a stream (`Accept`)."""

from __future__ import annotations

from api.chat.schemas import ChatRequest
from api.rate_limit import Check, RateLimiter
from api.sessions.auth import WidgetSessionContext
from engine.answer_events import Question
from engine.types import PageContext


def build_question(session: WidgetSessionContext, body: ChatRequest) -> Question:
    page = None
    if body.page is not None and (body.page.url or body.page.product_id):
        page = PageContext(url=body.page.url, product_id=body.page.product_id)
    return Question(
        tenant_id=session.tenant_id,
        bot_id=session.bot_id,
        message=body.message,
        conversation_id=body.conversation_id,
        page=page,
        visitor_id=session.visitor_id,
        consent=body.consent,
        retry_of=body.retry_of,
        scope=session.search_scope,
    )


async def enforce_chat_limits(
    limiter: RateLimiter, session: WidgetSessionContext, client_address: str
) -> None:
    limits = session.limits
    await limiter.enforce_all(
        [
            Check("session", session.visitor_id, limits["session"]),
            Check("ip", f"{session.bot_id}:{client_address}", limits["ip"]),
            Check("bot", str(session.bot_id), limits["bot"]),
        ]
    )


def wants_event_stream(accept: str | None) -> bool:
    for part in (accept or "").split(","):
        media, *params = (piece.strip().lower() for piece in part.split(";"))
        if media != "text/event-stream":
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False
