"""One shopper's data: their conversations (with messages and feedback) and the widget
events they sent, read for an export and erased on request (GDPR access and erasure).

Both the widget (`/widget/v1/me`, the session's own visitor, within its bot) and the
merchant API (`/v1/privacy/visitors/{visitor_id}`, every bot of the tenant) call these
functions, so what "a visitor's data" means is decided here only. They take the caller's
session and never commit: the edge owns the transaction.

A visitor's events are the ones linked to their conversations and the ones that name them
in their payload (`visitor_id`, set by the widget API): an event sent before any answer has
no conversation. Events are deleted before conversations, whose deletion would otherwise
only null their link (ON DELETE SET NULL) and leave them behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Delete, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import SecretBox
from core.ids import BotId, TenantId
from core.models import Conversation, Feedback, Message, WidgetEvent


@dataclass(frozen=True, slots=True)
class VisitorScope:
    tenant_id: TenantId
    visitor_id: str
    bot_id: BotId | None = None  # None: every bot of the tenant (a merchant's request)


@dataclass(frozen=True, slots=True)
class ExportedFeedback:
    rating: str
    comment: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExportedMessage:
    id: uuid.UUID
    role: str
    content: str
    created_at: datetime
    feedback: ExportedFeedback | None = None


@dataclass(frozen=True, slots=True)
class ExportedHandoff:
    """The visitor asked for a person (core.handoff): the email and note they left."""

    state: str
    requested_at: datetime | None
    email: str | None  # None only when the export is read without the decryption key
    note: str | None


@dataclass(frozen=True, slots=True)
class ExportedConversation:
    id: uuid.UUID
    bot_id: uuid.UUID
    page_url: str | None
    created_at: datetime
    last_message_at: datetime
    messages: list[ExportedMessage] = field(default_factory=list)
    handoff: ExportedHandoff | None = None


@dataclass(frozen=True, slots=True)
class ExportedEvent:
    id: uuid.UUID
    bot_id: uuid.UUID
    type: str
    conversation_id: uuid.UUID | None
    message_id: uuid.UUID | None
    product_id: uuid.UUID | None
    url: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class VisitorExport:
    """Everything stored about one visitor (what they sent and what they were answered)."""

    visitor_id: str
    conversations: list[ExportedConversation]
    events: list[ExportedEvent]

    @property
    def is_empty(self) -> bool:
        return not self.conversations and not self.events


@dataclass(frozen=True, slots=True)
class ErasedCounts:
    """How many rows an erasure removed (counts only: safe for an audit entry)."""

    conversations: int = 0
    messages: int = 0
    feedback: int = 0
    events: int = 0

    @property
    def total(self) -> int:
        return self.conversations + self.messages + self.feedback + self.events


def _conversations_of(scope: VisitorScope) -> ColumnElement[bool]:
    condition = (Conversation.tenant_id == scope.tenant_id) & (
        Conversation.visitor_id == scope.visitor_id
    )
    return condition if scope.bot_id is None else condition & (Conversation.bot_id == scope.bot_id)


def _events_of(scope: VisitorScope) -> ColumnElement[bool]:
    conversation_ids = select(Conversation.id).where(_conversations_of(scope))
    condition = (WidgetEvent.tenant_id == scope.tenant_id) & or_(
        WidgetEvent.conversation_id.in_(conversation_ids),
        WidgetEvent.payload["visitor_id"].astext == scope.visitor_id,
    )
    return condition if scope.bot_id is None else condition & (WidgetEvent.bot_id == scope.bot_id)


async def export_visitor(
    session: AsyncSession, scope: VisitorScope, secret_box: SecretBox | None = None
) -> VisitorExport:
    """`secret_box` opens the email a hand-off request left (None: it is listed without)."""
    conversations = (
        await session.scalars(
            select(Conversation)
            .where(_conversations_of(scope))
            .order_by(Conversation.created_at, Conversation.id)
        )
    ).all()
    messages = await _messages_by_conversation(session, scope, [c.id for c in conversations])
    events = (
        await session.scalars(
            select(WidgetEvent)
            .where(_events_of(scope))
            .order_by(WidgetEvent.created_at, WidgetEvent.id)
        )
    ).all()
    return VisitorExport(
        visitor_id=scope.visitor_id,
        conversations=[
            ExportedConversation(
                id=c.id,
                bot_id=c.bot_id,
                page_url=c.page_url,
                created_at=c.created_at,
                last_message_at=c.last_message_at,
                messages=messages.get(c.id, []),
                handoff=_handoff(c, secret_box),
            )
            for c in conversations
        ],
        events=[
            ExportedEvent(
                id=e.id,
                bot_id=e.bot_id,
                type=e.type,
                conversation_id=e.conversation_id,
                message_id=e.message_id,
                product_id=e.product_id,
                url=e.url,
                created_at=e.created_at,
            )
            for e in events
        ],
    )


def _handoff(conversation: Conversation, secret_box: SecretBox | None) -> ExportedHandoff | None:
    if conversation.handoff_state is None:
        return None
    ciphertext = conversation.handoff_email_ciphertext
    return ExportedHandoff(
        state=conversation.handoff_state,
        requested_at=conversation.handoff_requested_at,
        email=secret_box.decrypt(ciphertext) if secret_box is not None and ciphertext else None,
        note=conversation.handoff_note,
    )


async def _messages_by_conversation(
    session: AsyncSession, scope: VisitorScope, conversation_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ExportedMessage]]:
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(Message, Feedback)
        .outerjoin(
            Feedback,
            (Feedback.message_id == Message.id) & (Feedback.tenant_id == scope.tenant_id),
        )
        .where(Message.tenant_id == scope.tenant_id, Message.conversation_id.in_(conversation_ids))
        .order_by(Message.created_at, Message.id)
    )
    grouped: dict[uuid.UUID, list[ExportedMessage]] = {}
    for message, feedback in rows:
        grouped.setdefault(message.conversation_id, []).append(
            ExportedMessage(
                id=message.id,
                role=message.role,
                content=message.content,
                created_at=message.created_at,
                feedback=ExportedFeedback(feedback.rating, feedback.comment, feedback.created_at)
                if feedback is not None
                else None,
            )
        )
    return grouped


async def erase_visitor(session: AsyncSession, scope: VisitorScope) -> ErasedCounts:
    """Delete the visitor's events, feedback, messages and conversations; other visitors'
    rows and the merchant's are untouched. Erasing a visitor with nothing left is a no-op."""
    events = await _count_deleted(session, delete(WidgetEvent).where(_events_of(scope)))
    conversation_ids = select(Conversation.id).where(_conversations_of(scope))
    message_ids = select(Message.id).where(
        Message.tenant_id == scope.tenant_id, Message.conversation_id.in_(conversation_ids)
    )
    feedback = await _count_deleted(
        session,
        delete(Feedback).where(
            Feedback.tenant_id == scope.tenant_id, Feedback.message_id.in_(message_ids)
        ),
    )
    messages = await _count_deleted(
        session,
        delete(Message).where(
            Message.tenant_id == scope.tenant_id, Message.conversation_id.in_(conversation_ids)
        ),
    )
    conversations = await _count_deleted(
        session, delete(Conversation).where(_conversations_of(scope))
    )
    return ErasedCounts(
        conversations=conversations, messages=messages, feedback=feedback, events=events
    )


async def _count_deleted(session: AsyncSession, statement: Delete) -> int:
    result = await session.execute(statement, execution_options={"synchronize_session": False})
    return int(cast("CursorResult[Any]", result).rowcount)
