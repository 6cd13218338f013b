"""Recording what shoppers do with the widget. References are resolved inside the tenant
and bot (a message only in the session visitor's own conversations); one that does not
resolve is stored as NULL (the event still counts), so a foreign or stale id can never link
one tenant's analytics to another's rows, or a visitor's clicks to another's conversation.

An event sent without consent (`consent: false`, from a bot that asks for it) is counted
anonymously: no visitor id in its payload and no answer linked, as the chat keeps nothing
of such a shopper either."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from api.events import repository
from api.events.schemas import WidgetEventIn
from api.feedback.repository import find_visitors_answer
from api.sessions.auth import WidgetSessionContext


async def record_event(
    session: AsyncSession, widget: WidgetSessionContext, body: WidgetEventIn
) -> uuid.UUID:
    payload: dict[str, str] = {"origin": widget.origin}
    anonymous = body.consent is False
    if not anonymous:
        payload["visitor_id"] = widget.visitor_id
    product_id = None
    if body.product_id is not None:
        product_id = await repository.resolve_product(
            session, widget.tenant_id, widget.store_id, body.product_id
        )
        if product_id is None:
            payload["unresolved_product_id"] = body.product_id
    message_id = conversation_id = None
    if body.message_id is not None and not anonymous:
        # Only the session visitor's own answers: another visitor's id would tie this
        # visitor's clicks to a conversation that is not theirs.
        message = await find_visitors_answer(
            session, widget.tenant_id, widget.bot_id, widget.visitor_id, body.message_id
        )
        if message is not None:
            message_id, conversation_id = message.message_id, message.conversation_id
    return await repository.insert_event(
        session,
        tenant_id=widget.tenant_id,
        bot_id=widget.bot_id,
        type_=body.type,
        product_id=product_id,
        message_id=message_id,
        conversation_id=conversation_id,
        url=body.url,
        payload=payload,
    )
