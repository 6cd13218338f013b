"""Knowledge documents, through `ingestion.knowledge` (rendering, chunking, embedding,
swapping chunks). Writes are indexed before the response: the merchant sees at once
whether the bot can use the text. Bodies are limited to 200 KB (413 beyond)."""

from __future__ import annotations

import uuid
from typing import Any

from core.errors import PayloadTooLarge
from dashboard_api.auth.context import MerchantContext
from dashboard_api.dependencies import DashboardRuntime
from dashboard_api.errors import ResourceNotFound
from dashboard_api.knowledge import repository
from dashboard_api.knowledge.schemas import (
    MAX_BODY_BYTES,
    IndexOutcome,
    KnowledgeCreate,
    KnowledgeOut,
    KnowledgeSummary,
    KnowledgeUpdate,
)
from ingestion.knowledge import (
    add_knowledge_document,
    delete_knowledge_document,
    index_knowledge_document,
)


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


async def _check_bot(
    runtime: DashboardRuntime, context: MerchantContext, bot_id: uuid.UUID | None
) -> None:
    if bot_id is None:
        return
    async with runtime.db.tenant_session(context.tenant_id) as session:
        if not await repository.bot_exists(session, context.tenant_id, bot_id):
            raise ResourceNotFound("bot")


async def get_document(
    runtime: DashboardRuntime, context: MerchantContext, document_id: uuid.UUID
) -> KnowledgeOut:
    async with runtime.db.tenant_session(context.tenant_id) as session:
        document = await repository.get_document(session, context.tenant_id, document_id)
        if document is None:
            raise ResourceNotFound("knowledge document")
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


async def create(
    runtime: DashboardRuntime, context: MerchantContext, body: KnowledgeCreate
) -> KnowledgeOut:
    check_size(body.body)
    await _check_bot(runtime, context, body.bot_id)
    outcome = await add_knowledge_document(
        runtime.db,
        context.tenant_id,
        title=body.title,
        body=body.body,
        content_type=body.content_type,
        kind=body.kind,
        bot_id=body.bot_id,
        embedder=runtime.embedder(),
    )
    return await get_document(runtime, context, outcome.document_id)


async def update(
    runtime: DashboardRuntime,
    context: MerchantContext,
    document_id: uuid.UUID,
    body: KnowledgeUpdate,
) -> KnowledgeOut:
    values = {
        k: v
        for k, v in body.model_dump(exclude_unset=True).items()
        if v is not None or k == "bot_id"
    }
    check_size(values.get("body"))
    await _check_bot(runtime, context, values.get("bot_id"))
    async with runtime.db.tenant_session(context.tenant_id) as session:
        if values:
            found = await repository.update_document(
                session, context.tenant_id, document_id, values
            )
        else:
            found = (
                await repository.get_document(session, context.tenant_id, document_id) is not None
            )
    if not found:
        raise ResourceNotFound("knowledge document")
    if {"title", "body", "content_type"} & values.keys():
        await index_knowledge_document(
            runtime.db, context.tenant_id, document_id, embedder=runtime.embedder()
        )
    return await get_document(runtime, context, document_id)


async def reindex(
    runtime: DashboardRuntime, context: MerchantContext, document_id: uuid.UUID
) -> IndexOutcome:
    await get_document(runtime, context, document_id)  # 404 first, before any embedding
    outcome = await index_knowledge_document(
        runtime.db, context.tenant_id, document_id, embedder=runtime.embedder(), force=True
    )
    return IndexOutcome(
        document_id=outcome.document_id, status=outcome.status, chunks=outcome.chunks
    )


async def delete(
    runtime: DashboardRuntime, context: MerchantContext, document_id: uuid.UUID
) -> None:
    if not await delete_knowledge_document(runtime.db, context.tenant_id, document_id):
        raise ResourceNotFound("knowledge document")
