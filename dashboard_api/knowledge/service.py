"""Knowledge documents as the merchant API shows them, in the request's unit of work (each
function takes the session it works in): lists, reads, and the checks a write makes first.

Writes go through `indexing.KnowledgeIndexing`, which indexes them before the response
without holding a transaction across the embedding. Bodies are limited to 200 KB (413
beyond). The plan counts documents and their total size: a new document needs room for
one more and for its bytes, a longer body for the bytes it adds (402 otherwise). A
document a downgrade suspended is shown as such and is not searched (engine.retrieval)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.room import require_room
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
        suspended_by_plan=row.suspended_by_plan_at is not None,
        indexed_at=row.indexed_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def check_bot(session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID | None) -> None:
    if bot_id is not None and not await repository.bot_exists(session, tenant_id, bot_id):
        raise ResourceNotFound("bot")


async def require_room_for_new(session: AsyncSession, tenant_id: TenantId, body: str) -> None:
    """Room for one more document and its bytes. The document is written by the indexing
    flow after this transaction (none is held across embedding), so two creates racing at
    the limit can both pass; the next plan reconcile suspends the newest."""
    await require_room(session, tenant_id, "knowledge_documents")
    await require_room(session, tenant_id, "knowledge_bytes", adding=len(body.encode("utf-8")))


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
        suspended_by_plan=document.suspended_by_plan_at is not None,
        indexed_at=document.indexed_at,
        created_at=document.created_at,
        updated_at=document.updated_at,
        body=document.body,
        chunks=chunks,
    )


async def update_fields(
    session: AsyncSession, tenant_id: TenantId, document_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Write the changed fields (nothing to write: only check that the document exists).
    A longer body needs room for the bytes it adds, checked under the quota lock in this
    transaction (a suspended document's bytes are not counted, so neither is its growth)."""
    if values.get("body") is not None:
        current = await repository.get_document(session, tenant_id, document_id)
        if current is None:
            raise ResourceNotFound("knowledge document")
        added = len(values["body"].encode("utf-8")) - len(current.body.encode("utf-8"))
        if added > 0 and current.suspended_by_plan_at is None:
            await require_room(session, tenant_id, "knowledge_bytes", adding=added)
    if values:
        exists = await repository.update_document(session, tenant_id, document_id, values)
    else:
        exists = await repository.get_document(session, tenant_id, document_id) is not None
    if not exists:
        raise ResourceNotFound("knowledge document")
