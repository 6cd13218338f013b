"""Reading conversations: lists with filters, one conversation with its messages and
sources, and a streamed export (CSV or JSON) of everything a filter selects."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from core.ids import TenantId
from core.models import Feedback, Message
from dashboard_api.conversations import repository
from dashboard_api.conversations.repository import ConversationFilter
from dashboard_api.conversations.schemas import (
    ConversationOut,
    ConversationSummary,
    FeedbackOut,
    MessageOut,
)
from dashboard_api.errors import found
from dashboard_api.pagination import Keyset, Page, PageRequest, Sort, encode_cursor, parse_sort

EXPORT_BATCH = 200
CSV_COLUMNS = (
    "conversation_id",
    "bot_id",
    "conversation_created_at",
    "visitor_id",
    "page_url",
    "message_id",
    "message_created_at",
    "role",
    "status",
    "content",
    "rating",
    "comment",
)


def summary_out(row: Any) -> ConversationSummary:
    conversation = row[0]
    return ConversationSummary(
        id=conversation.id,
        bot_id=conversation.bot_id,
        visitor_id=conversation.visitor_id,
        page_url=conversation.page_url,
        first_message=row.first_message,
        created_at=conversation.created_at,
        last_message_at=conversation.last_message_at,
        message_count=conversation.message_count,
        is_preview=bool(conversation.visitor_id and conversation.visitor_id.startswith("preview:")),
        has_no_answer=bool(row.has_no_answer),
        thumbs_up=int(row.thumbs_up or 0),
        thumbs_down=int(row.thumbs_down or 0),
        handoff_state=conversation.handoff_state,
        handoff_requested_at=conversation.handoff_requested_at,
    )


def message_out(message: Message, feedback: Feedback | None) -> MessageOut:
    return MessageOut(
        id=message.id,
        role=message.role,
        content=message.content,
        status=message.status,
        sources=list(message.sources or []),
        model=message.model,
        latency_ms=message.latency_ms,
        created_at=message.created_at,
        feedback=FeedbackOut(
            rating=feedback.rating, comment=feedback.comment, created_at=feedback.created_at
        )
        if feedback is not None
        else None,
    )


async def list_conversations(
    session: AsyncSession,
    tenant_id: TenantId,
    where: ConversationFilter,
    page: PageRequest,
) -> Page[ConversationSummary]:
    keyset = page.keyset(repository.CONVERSATION_SORTS)
    rows = await repository.list_conversations(session, tenant_id, where, keyset)
    # A row is (conversation, counts...): the sort value is the conversation's.
    return keyset.page(
        rows, summary_out, key=lambda r: (getattr(r[0], keyset.sort.key.name), r[0].id)
    )


async def get_conversation(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID
) -> ConversationOut:
    row = found(
        await repository.get_conversation(session, tenant_id, conversation_id), "conversation"
    )
    messages = await repository.messages_of(session, tenant_id, [conversation_id])
    return ConversationOut(
        **summary_out(row).model_dump(), messages=[message_out(m, f) for m, f in messages]
    )


async def _batches(
    db: Database, tenant_id: TenantId, where: ConversationFilter
) -> AsyncIterator[list[ConversationOut]]:
    """Conversations in creation order, a batch per short transaction (an export of a
    large shop must not hold one snapshot open for minutes)."""
    sort: Sort = parse_sort("created_at", repository.CONVERSATION_SORTS)
    cursor: str | None = None
    while True:
        async with db.tenant_session(tenant_id) as session:
            rows = await repository.list_conversations(
                session, tenant_id, where, Keyset(sort, cursor, EXPORT_BATCH)
            )
            kept = rows[:EXPORT_BATCH]
            messages = await repository.messages_of(session, tenant_id, [r[0].id for r in kept])
        by_conversation: dict[uuid.UUID, list[MessageOut]] = defaultdict(list)
        for message, feedback in messages:
            by_conversation[message.conversation_id].append(message_out(message, feedback))
        yield [
            ConversationOut(
                **summary_out(r).model_dump(), messages=by_conversation.get(r[0].id, [])
            )
            for r in kept
        ]
        if len(rows) <= EXPORT_BATCH or not kept:
            return
        cursor = encode_cursor(sort, kept[-1][0].created_at, kept[-1][0].id)


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheet formula injection: a shopper's message must not run as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_csv_cell(v) for v in values])
    return buffer.getvalue()


async def export_csv(
    db: Database, tenant_id: TenantId, where: ConversationFilter
) -> AsyncIterator[str]:
    yield _csv_line(list(CSV_COLUMNS))
    async for batch in _batches(db, tenant_id, where):
        lines = []
        for conversation in batch:
            for message in conversation.messages:
                lines.append(
                    _csv_line(
                        [
                            conversation.id,
                            conversation.bot_id,
                            conversation.created_at.isoformat(),
                            conversation.visitor_id,
                            conversation.page_url,
                            message.id,
                            message.created_at.isoformat(),
                            message.role,
                            message.status,
                            message.content,
                            message.feedback.rating if message.feedback else None,
                            message.feedback.comment if message.feedback else None,
                        ]
                    )
                )
        if lines:
            yield "".join(lines)


async def export_json(
    db: Database, tenant_id: TenantId, where: ConversationFilter
) -> AsyncIterator[str]:
    yield "["
    first = True
    async for batch in _batches(db, tenant_id, where):
        for conversation in batch:
            yield ("" if first else ",") + json.dumps(
                conversation.model_dump(mode="json"), ensure_ascii=False
            )
            first = False
    yield "]"
