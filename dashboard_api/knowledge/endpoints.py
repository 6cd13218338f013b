"""`/v1/knowledge/...`: FAQs, policies and pages the bot answers from (text, markdown or
HTML, at most 200 KB each)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.knowledge import service
from dashboard_api.knowledge.indexing import KnowledgeIndexingDep
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
from dashboard_api.openapi import QUOTA_RESPONSES
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest
from web.body_limit import BODY_LIMIT_EXTENSION

router = APIRouter(prefix="/knowledge", tags=["knowledge"])

# JSON escaping can more than double a body's size (\uXXXX); beyond this the request is
# refused (413) while it is read, chunked or not, by the process's body limit middleware
# (web.body_limit), which finds this declaration in the OpenAPI document. The text itself
# is held to MAX_BODY_BYTES by the service.
MAX_REQUEST_BYTES = MAX_BODY_BYTES * 6 + 16 * 1024
UPLOAD_LIMIT = {BODY_LIMIT_EXTENSION: MAX_REQUEST_BYTES}


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
    return await service.list_documents(
        session,
        context,
        PageRequest(sort, cursor, limit),
        kind=kind,
        content_type=content_type,
        bot_id=bot_id,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="knowledge_create",
    openapi_extra=UPLOAD_LIMIT,
    responses=QUOTA_RESPONSES,
)
async def create_document(
    body: KnowledgeCreate, context: MerchantWrite, indexing: KnowledgeIndexingDep
) -> KnowledgeOut:
    """Stored and indexed before the response."""
    return await indexing.create(context, body)


@router.get("/{document_id}", operation_id="knowledge_get")
async def get_document(
    document_id: uuid.UUID, context: MerchantRead, session: TenantSession
) -> KnowledgeOut:
    return await service.get_document(session, context, document_id)


@router.patch(
    "/{document_id}",
    operation_id="knowledge_update",
    openapi_extra=UPLOAD_LIMIT,
    responses=QUOTA_RESPONSES,
)
async def update_document(
    document_id: uuid.UUID,
    body: KnowledgeUpdate,
    context: MerchantWrite,
    indexing: KnowledgeIndexingDep,
) -> KnowledgeOut:
    """A changed title, body or format is re-indexed before the response."""
    return await indexing.update(context, document_id, body)


@router.delete(
    "/{document_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="knowledge_delete"
)
async def delete_document(
    document_id: uuid.UUID, context: MerchantWrite, indexing: KnowledgeIndexingDep
) -> Response:
    await indexing.delete(context, document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{document_id}/reindex", operation_id="knowledge_reindex")
async def reindex_document(
    document_id: uuid.UUID, context: MerchantWrite, indexing: KnowledgeIndexingDep
) -> IndexOutcome:
    return await indexing.reindex(context, document_id)
