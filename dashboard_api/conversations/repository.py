from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Conversation, Feedback, Message
from dashboard_api.filters import within
from dashboard_api.pagination import Keyset, SortKey

CONVERSATION_SORTS = (
    SortKey("last_message_at", Conversation.last_message_at, datetime),
    SortKey("created_at", Conversation.created_at, datetime),
)
PREVIEW_PATTERN = "preview:%"


def is_preview(column: Any = Conversation.visitor_id) -> ColumnElement[bool]:
    return and_(column.is_not(None), column.like(PREVIEW_PATTERN))


@dataclass(frozen=True)
class ConversationFilter:
    bot_id: uuid.UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    rating: str | None = None
    has_no_answer: bool | None = None
    include_previews: bool = False
    text: str | None = None  # a case-insensitive substring of any message
    handoff: str | None = None  # "open", "closed", "any" (either) or "none" (never asked)


def _rated(rating: str) -> Any:
    return exists().where(
        Message.conversation_id == Conversation.id,
        Feedback.message_id == Message.id,
        Feedback.rating == rating,
    )


_NO_ANSWER = exists().where(
    Message.conversation_id == Conversation.id,
    Message.role == "assistant",
    Message.status == "no_answer",
)


def _count_rating(rating: str) -> Any:
    return (
        select(func.count())
        .select_from(Feedback)
        .join(Message, Message.id == Feedback.message_id)
        .where(Message.conversation_id == Conversation.id, Feedback.rating == rating)
        .scalar_subquery()
    )


FIRST_MESSAGE_CHARS = 200

# What the shopper asked first: how a merchant recognises a conversation in a list.
_FIRST_MESSAGE = (
    select(func.left(Message.content, FIRST_MESSAGE_CHARS))
    .where(Message.conversation_id == Conversation.id, Message.role == "user")
    .order_by(Message.created_at, Message.id)
    .limit(1)
    .scalar_subquery()
)


def _mentions(text: str) -> Any:
    # LIKE's wildcards in the merchant's text are matched literally.
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return exists().where(
        Message.conversation_id == Conversation.id, Message.content.ilike(pattern, escape="\\")
    )


def _handoff(state: str) -> ColumnElement[bool]:
    if state == "any":
        return Conversation.handoff_state.is_not(None)
    if state == "none":
        return Conversation.handoff_state.is_(None)
    return Conversation.handoff_state == state


def filtered(tenant_id: TenantId, where: ConversationFilter) -> Select[Any]:
    statement = select(
        Conversation,
        _FIRST_MESSAGE.label("first_message"),
        _NO_ANSWER.label("has_no_answer"),
        _count_rating("up").label("thumbs_up"),
        _count_rating("down").label("thumbs_down"),
    ).where(Conversation.tenant_id == tenant_id)
    if where.bot_id:
        statement = statement.where(Conversation.bot_id == where.bot_id)
    statement = statement.where(
        *within(Conversation.created_at, where.created_from, where.created_to)
    )
    if where.rating:
        statement = statement.where(_rated(where.rating))
    if where.text:
        statement = statement.where(_mentions(where.text))
    if where.handoff is not None:
        statement = statement.where(_handoff(where.handoff))
    if where.has_no_answer is not None:
        statement = statement.where(_NO_ANSWER if where.has_no_answer else not_(_NO_ANSWER))
    if not where.include_previews:
        statement = statement.where(or_(Conversation.visitor_id.is_(None), not_(is_preview())))
    return statement


async def list_conversations(
    session: AsyncSession,
    tenant_id: TenantId,
    where: ConversationFilter,
    keyset: Keyset,
) -> list[Any]:
    statement = keyset.apply(filtered(tenant_id, where), Conversation.id)
    return list((await session.execute(statement)).all())


async def get_conversation(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID
) -> Any:
    statement = filtered(tenant_id, ConversationFilter(include_previews=True)).where(
        Conversation.id == conversation_id
    )
    return (await session.execute(statement)).first()


async def messages_of(
    session: AsyncSession, tenant_id: TenantId, conversation_ids: list[uuid.UUID]
) -> list[tuple[Message, Feedback | None]]:
    if not conversation_ids:
        return []
    rows = await session.execute(
        select(Message, Feedback)
        .outerjoin(
            Feedback, and_(Feedback.message_id == Message.id, Feedback.tenant_id == tenant_id)
        )
        .where(Message.tenant_id == tenant_id, Message.conversation_id.in_(conversation_ids))
        .order_by(Message.conversation_id, Message.created_at, Message.id)
    )
    return [(m, f) for m, f in rows.all()]
