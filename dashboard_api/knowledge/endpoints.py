"""`/v1/knowledge/...`: FAQs, policies and pages the bot answers from (text, markdown or
HTML, at most 200 KB each)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.knowledge import repository, service
from dashboard_api.knowledge.schemas import (
    MAX_BODY_BYTES,
    ContentType,
    IndexOutcome,
    Kind,
    KnowledgeCreate,
    KnowledgeOut,
    KnowledgeSummary,
    KnowledgeUpdate,
)
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, page_of, parse_sort

router = APIRouter(prefix="/knowledge", tags=["knowledge"])

# JSON escaping can more than double a body's size (\uXXXX); beyond this the request is
# refused (413) while it is read, chunked or not, by the process's body limit middleware,
# which finds this declaration in the OpenAPI document (`x-max-body-bytes`: the name is
# `api.body_limit.BODY_LIMIT_EXTENSION`, which this package cannot import). The text
# itself is held to MAX_BODY_BYTES by the service.
MAX_REQUEST_BYTES = MAX_BODY_BYTES * 6 + 16 * 1024
UPLOAD_LIMIT = {"x-max-body-bytes": MAX_REQUEST_BYTES}


@router.get("", operation_id="knowledge_list")
async def list_documents(
    context: MerchantRead,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal[
        "created_at", "-created_at", "updated_at", "-updated_at", "title", "-title"
    ] = "-created_at",
    kind: Kind | None = None,
    content_type: ContentType | None = None,
    bot_id: uuid.UUID | None = None,
) -> Page[KnowledgeSummary]:
    order = parse_sort(sort, repository.KNOWLEDGE_SORTS)
    rows = await repository.list_documents(
        session,
        context.tenant_id,
        sort=order,
        cursor=cursor,
        limit=limit,
        kind=kind,
        bot_id=bot_id,
        content_type=content_type,
    )
    kept, next_cursor = page_of(
        rows, order, limit, key=lambda r: (getattr(r, order.key.name), r.id)
    )
    return Page(items=[service.summary_out(r) for r in kept], next_cursor=next_cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="knowledge_create",
    openapi_extra=UPLOAD_LIMIT,
)
async def create_document(
    body: KnowledgeCreate, context: MerchantWrite, runtime: RuntimeDep
) -> KnowledgeOut:
    """Stored and indexed before the response."""
    return await service.create(runtime, context, body)


@router.get("/{document_id}", operation_id="knowledge_get")
async def get_document(
    document_id: uuid.UUID, context: MerchantRead, runtime: RuntimeDep
) -> KnowledgeOut:
    return await service.get_document(runtime, context, document_id)


@router.patch("/{document_id}", operation_id="knowledge_update", openapi_extra=UPLOAD_LIMIT)
async def update_document(
    document_id: uuid.UUID, body: KnowledgeUpdate, context: MerchantWrite, runtime: RuntimeDep
) -> KnowledgeOut:
    """A changed title, body or format is re-indexed before the response."""
    return await service.update(runtime, context, document_id, body)


@router.delete(
    "/{document_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="knowledge_delete"
)
async def delete_document(
    document_id: uuid.UUID, context: MerchantWrite, runtime: RuntimeDep
) -> Response:
    await service.delete(runtime, context, document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{document_id}/reindex", operation_id="knowledge_reindex")
async def reindex_document(
    document_id: uuid.UUID, context: MerchantWrite, runtime: RuntimeDep
) -> IndexOutcome:
    return await service.reindex(runtime, context, document_id)
