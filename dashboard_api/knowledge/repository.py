from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Bot, Chunk, KnowledgeDocument
from dashboard_api.pagination import Keyset, SortKey

KNOWLEDGE_SORTS = (
    SortKey("created_at", KnowledgeDocument.created_at, datetime),
    SortKey("updated_at", KnowledgeDocument.updated_at, datetime),
    SortKey("title", KnowledgeDocument.title, str),
)
_SIZE = func.octet_length(KnowledgeDocument.body).label("size_bytes")


async def list_documents(
    session: AsyncSession,
    tenant_id: TenantId,
    keyset: Keyset,
    *,
    kind: str | None,
    bot_id: uuid.UUID | None,
    content_type: str | None,
) -> list[Any]:
    # The list leaves the bodies out (up to 200 KB each) and reports their size.
    statement = select(
        KnowledgeDocument.id,
        KnowledgeDocument.bot_id,
        KnowledgeDocument.title,
        KnowledgeDocument.kind,
        KnowledgeDocument.content_type,
        KnowledgeDocument.indexed_at,
        KnowledgeDocument.created_at,
        KnowledgeDocument.updated_at,
        KnowledgeDocument.suspended_by_plan_at,
        _SIZE,
    ).where(KnowledgeDocument.tenant_id == tenant_id)
    if kind:
        statement = statement.where(KnowledgeDocument.kind == kind)
    if bot_id:
        statement = statement.where(KnowledgeDocument.bot_id == bot_id)
    if content_type:
        statement = statement.where(KnowledgeDocument.content_type == content_type)
    return list((await session.execute(keyset.apply(statement, KnowledgeDocument.id))).all())


async def get_document(
    session: AsyncSession, tenant_id: TenantId, document_id: uuid.UUID
) -> KnowledgeDocument | None:
    return await session.scalar(
        select(KnowledgeDocument)
        .where(KnowledgeDocument.tenant_id == tenant_id, KnowledgeDocument.id == document_id)
        .execution_options(populate_existing=True)
    )


async def chunk_count(session: AsyncSession, tenant_id: TenantId, document_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Chunk)
        .where(Chunk.tenant_id == tenant_id, Chunk.knowledge_document_id == document_id)
    )
    return int(count or 0)


async def update_document(
    session: AsyncSession, tenant_id: TenantId, document_id: uuid.UUID, values: dict[str, Any]
) -> bool:
    updated = await session.scalar(
        update(KnowledgeDocument)
        .where(KnowledgeDocument.tenant_id == tenant_id, KnowledgeDocument.id == document_id)
        .values(**values)
        .returning(KnowledgeDocument.id)
    )
    return updated is not None


async def bot_exists(session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID) -> bool:
    return (
        await session.scalar(select(Bot.id).where(Bot.tenant_id == tenant_id, Bot.id == bot_id))
        is not None
    )
