"""`/v1/conversations/...`: what shoppers asked and what the bot answered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from dashboard_api.auth.context import MerchantRead, TenantSession
from dashboard_api.conversations import handoff_service, service
from dashboard_api.conversations.repository import ConversationFilter
from dashboard_api.conversations.schemas import (
    ConversationOut,
    ConversationSummary,
    HandoffFilter,
    Rating,
)
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.filters import DateFrom, DateTo, aware
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest

router = APIRouter(prefix="/conversations", tags=["conversations"])


def conversation_filter(
    bot_id: uuid.UUID | None = None,
    from_: DateFrom = None,
    to: DateTo = None,
    rating: Annotated[
        Rating | None, Query(description="Conversations with a thumbs up / down")
    ] = None,
    has_no_answer: Annotated[
        bool | None, Query(description="Conversations where the bot found nothing to answer from")
    ] = None,
    include_previews: Annotated[
        bool, Query(description="Include dashboard previews (`POST /v1/bots/{bot_id}/try`)")
    ] = False,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Text any message of it contains"),
    ] = None,
    handoff: Annotated[
        HandoffFilter | None,
        Query(description="Hand-off to a person: open, closed, any (either) or none"),
    ] = None,
) -> ConversationFilter:
    return ConversationFilter(
        bot_id=bot_id,
        created_from=aware(from_),
        created_to=aware(to),
        rating=rating,
        has_no_answer=has_no_answer,
        include_previews=include_previews,
        text=q,
        handoff=handoff,
    )


FilterDep = Annotated[ConversationFilter, Depends(conversation_filter)]

_EXPORT_ITEM: dict[str, Any] = {"$ref": "#/components/schemas/ConversationOut"}


@router.get("", operation_id="conversations_list")
async def list_conversations(
    context: MerchantRead,
    session: TenantSession,
    where: FilterDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal[
        "last_message_at", "-last_message_at", "created_at", "-created_at"
    ] = "-last_message_at",
) -> Page[ConversationSummary]:
    return await service.list_conversations(
        session,
        context.tenant_id,
        where,
        PageRequest(sort, cursor, limit),
    )


@router.get(
    "/export",
    operation_id="conversations_export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": (
                "Every conversation the filter selects: CSV (one row per message) or a JSON array"
            ),
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": _EXPORT_ITEM}},
            },
        }
    },
)
async def export_conversations(
    context: MerchantRead,
    runtime: RuntimeDep,
    where: FilterDep,
    format: Literal["csv", "json"] = "csv",
) -> StreamingResponse:
    """Streamed: it starts at once and runs in batches, however many conversations match."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if format == "json":
        body = service.export_json(runtime.db, context.tenant_id, where)
        media_type = "application/json"
    else:
        body = service.export_csv(runtime.db, context.tenant_id, where)
        media_type = "text/csv; charset=utf-8"
    return StreamingResponse(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="conversations-{stamp}.{format}"'},
    )


@router.get("/{conversation_id}", operation_id="conversations_get")
async def get_conversation(
    conversation_id: uuid.UUID, context: MerchantRead, session: TenantSession, runtime: RuntimeDep
) -> ConversationOut:
    """With its messages, and the hand-off (the shopper's email included) if one was asked."""
    conversation = await service.get_conversation(session, context.tenant_id, conversation_id)
    return await handoff_service.with_handoff(
        session, context.tenant_id, conversation, runtime.deps.secret_box
    )
