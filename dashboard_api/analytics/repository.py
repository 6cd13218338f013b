"""Aggregates for the analytics summary. Dashboard previews (visitor `preview:...`) are
left out everywhere."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Conversation, Feedback, Message, WidgetEvent
from dashboard_api.conversations.repository import is_preview

PRODUCT_CLICK = "product_click"


def _real(statement: Any) -> Any:
    return statement.where(or_(Conversation.visitor_id.is_(None), not_(is_preview())))


async def summary(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    bot_id: uuid.UUID | None,
) -> dict[str, int]:
    conversations = _real(
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.created_at >= start,
            Conversation.created_at < end,
        )
    )
    messages = _real(
        select(
            func.count().filter(Message.role == "user"),
            func.count().filter(Message.role == "assistant"),
            func.count().filter(Message.role == "assistant", Message.status == "ok"),
            func.count().filter(Message.role == "assistant", Message.status == "no_answer"),
            func.count().filter(Message.role == "assistant", Message.status == "error"),
        )
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.tenant_id == tenant_id, Message.created_at >= start, Message.created_at < end
        )
    )
    ratings = _real(
        select(
            func.count().filter(Feedback.rating == "up"),
            func.count().filter(Feedback.rating == "down"),
        )
        .select_from(Feedback)
        .join(Message, Message.id == Feedback.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Feedback.tenant_id == tenant_id, Feedback.created_at >= start, Feedback.created_at < end
        )
    )
    clicks = (
        select(func.count())
        .select_from(WidgetEvent)
        .where(
            WidgetEvent.tenant_id == tenant_id,
            WidgetEvent.type == PRODUCT_CLICK,
            WidgetEvent.created_at >= start,
            WidgetEvent.created_at < end,
        )
    )
    if bot_id is not None:
        conversations = conversations.where(Conversation.bot_id == bot_id)
        messages = messages.where(Conversation.bot_id == bot_id)
        ratings = ratings.where(Conversation.bot_id == bot_id)
        clicks = clicks.where(WidgetEvent.bot_id == bot_id)
    user, assistant, answered, no_answer, errors = (await session.execute(messages)).one()
    up, down = (await session.execute(ratings)).one()
    return {
        "conversations": int(await session.scalar(conversations) or 0),
        "messages": user,
        "answers": assistant,
        "answered": answered,
        "no_answer": no_answer,
        "errors": errors,
        "thumbs_up": up,
        "thumbs_down": down,
        "product_clicks": int(await session.scalar(clicks) or 0),
    }
