"""Knowledge documents as the merchant API shows them, in the request's unit of work (each
function takes the session it works in): lists, reads, and the checks a write makes first.

Writes go through `indexing.KnowledgeIndexing`, which indexes them before the response
without holding a transaction across the embedding. Bodies are limited to 200 KB (413
beyond)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import PayloadTooLarge
from core.ids import TenantId
from dashboard_api.auth.context import MerchantContext
from dashboard_api.errors import ResourceNotFound, found
from dashboard_api.knowledge import repository
from dashboard_api.knowledge.schemas import MAX_BODY_BYTES, KnowledgeOut, KnowledgeSummary
from dashboard_api.pagination import Page, PageRequest


def check_size(body: str | None) -> None:
    if body is not None and len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise PayloadTooLarge(
            f"A knowledge document may hold at most {MAX_BODY_BYTES // 1024} KB of text."
        )


def summary_out(row: Any) -> KnowledgeSummary:
    return KnowledgeSummary(
        id=row.id,
        bot_id=row.bot_id,
        title=row.title,
        kind=row.kind,
        content_type=row.content_type,
        size_bytes=row.size_bytes or 0,
        indexed_at=row.indexed_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def check_bot(session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID | None) -> None:
    if bot_id is not None and not await repository.bot_exists(session, tenant_id, bot_id):
        raise ResourceNotFound("bot")


async def list_documents(
    session: AsyncSession,
    context: MerchantContext,
    page: PageRequest,
    *,
    kind: str | None,
    content_type: str | None,
    bot_id: uuid.UUID | None,
) -> Page[KnowledgeSummary]:
    keyset = page.keyset(repository.KNOWLEDGE_SORTS)
    rows = await repository.list_documents(
        session, context.tenant_id, keyset, kind=kind, bot_id=bot_id, content_type=content_type
    )
    return keyset.page(rows, summary_out)


async def get_document(
    session: AsyncSession, context: MerchantContext, document_id: uuid.UUID
) -> KnowledgeOut:
    document = found(
        await repository.get_document(session, context.tenant_id, document_id), "knowledge document"
    )
    chunks = await repository.chunk_count(session, context.tenant_id, document_id)
    return KnowledgeOut(
        id=document.id,
        bot_id=document.bot_id,
        title=document.title,
        kind=document.kind,
        content_type=document.content_type,
        size_bytes=len(document.body.encode("utf-8")),
        indexed_at=document.indexed_at,
        created_at=document.created_at,
        updated_at=document.updated_at,
        body=document.body,
        chunks=chunks,
    )


async def update_fields(
    session: AsyncSession, tenant_id: TenantId, document_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Write the changed fields (nothing to write: only check that the document exists)."""
    if values:
        exists = await repository.update_document(session, tenant_id, document_id, values)
    else:
        exists = await repository.get_document(session, tenant_id, document_id) is not None
    if not exists:
        raise ResourceNotFound("knowledge document")
