"""`/v1/analytics/top-questions` and `/v1/analytics/content-gaps`: what shoppers ask most,
grouped by meaning, and which of those questions the bot could not answer, each with a
one-call path to a knowledge document that answers it (issue 16)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from dashboard_api.analytics import questions_service as service
from dashboard_api.analytics.endpoints import EndDay, FirstDay
from dashboard_api.analytics.questions_schemas import ContentGaps, TopQuestions
from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.knowledge.schemas import KnowledgeOut
from dashboard_api.openapi import QUOTA_RESPONSES
from web.client import ClientDep

# Mounted by dashboard_api.routes beside analytics.endpoints' router (same prefix and tag).
router = APIRouter(prefix="/analytics", tags=["analytics"])

Limit = Annotated[int, Query(ge=1, le=100, description="How many clusters to list")]


@router.get("/top-questions", operation_id="analytics_top_questions", response_model_by_alias=True)
async def top_questions(
    context: MerchantRead,
    session: TenantSession,
    from_: FirstDay = None,
    to: EndDay = None,
    bot_id: uuid.UUID | None = None,
    limit: Limit = 10,
) -> TopQuestions:
    """The shopper questions asked most, grouped by meaning (questions whose query vectors
    are close, per bot), with the share answered. Dashboard previews and out-of-scope
    questions (no catalogue search ran) are not counted."""
    return await service.top_questions(
        session, context, first=from_, end=to, bot_id=bot_id, limit=limit
    )


@router.get("/content-gaps", operation_id="analytics_content_gaps", response_model_by_alias=True)
async def content_gaps(
    context: MerchantRead,
    session: TenantSession,
    from_: FirstDay = None,
    to: EndDay = None,
    bot_id: uuid.UUID | None = None,
    limit: Limit = 10,
) -> ContentGaps:
    """The question clusters with unanswered questions, most unanswered first (then the
    larger unanswered share). `POST .../content-gaps/{cluster_id}/document` drafts the
    knowledge document that would answer one."""
    return await service.content_gaps(
        session, context, first=from_, end=to, bot_id=bot_id, limit=limit
    )


@router.post(
    "/content-gaps/{cluster_id}/document",
    status_code=status.HTTP_201_CREATED,
    operation_id="analytics_content_gap_document",
    responses=QUOTA_RESPONSES,
)
async def create_gap_document(
    cluster_id: uuid.UUID, context: MerchantWrite, session: TenantSession, client: ClientDep
) -> KnowledgeOut:
    """A draft FAQ for the cluster's bot: titled with its representative question, the body
    lists the shoppers' wordings and ends with a placeholder line for the answer. A draft
    is stored but not indexed (`indexed_at` null, `chunks` 0): the bot does not use it
    until the merchant saves their own text with `PATCH /v1/knowledge/{id}`, which indexes
    it. 404 for an unknown cluster or another tenant's."""
    return await service.create_gap_document(session, context, cluster_id, client=client)
