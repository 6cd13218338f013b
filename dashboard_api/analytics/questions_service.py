"""Top questions and content gaps (issue 16) in the request's unit of work, and the draft
knowledge document a content gap opens.

Windows are calendar days in the business's time zone (analytics.days), like the other
analytics reads; the counts come from the clusters the answer service keeps as it answers
(engine.analytics.question_clusters) and "answered" is engine.analytics.answered's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dashboard_api.analytics import questions_repository as repository
from dashboard_api.analytics.days import DayRange
from dashboard_api.analytics.questions_schemas import (
    ContentGap,
    ContentGaps,
    TopQuestionCluster,
    TopQuestions,
)
from dashboard_api.analytics.repository import business_days
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.errors import ResourceNotFound
from dashboard_api.knowledge import service as knowledge
from dashboard_api.knowledge.schemas import KnowledgeOut
from web.client import ClientInfo

DRAFT_WORDINGS = 10
DRAFT_TITLE_CHARS = 500  # knowledge_documents.title
DRAFT_PLACEHOLDER = (
    "[Write the answer shoppers should get here. The bot does not use this document until "
    "you save your own text.]"
)
_ALL_TIME = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))


async def _ranked(
    session: AsyncSession,
    context: MerchantContext,
    window: DayRange,
    *,
    bot_id: uuid.UUID | None,
    limit: int,
    ranking: repository.Ranking,
) -> list[tuple[dict[str, Any], str | None, list[str]]]:
    """The window's clusters ranked by `ranking`, each with its representative question and
    examples (read through the messages they point at)."""
    start, end = window.start_at, window.end_at
    rows = await repository.ranked_clusters(
        session,
        context.tenant_id,
        start=start,
        end=end,
        bot_id=bot_id,
        limit=limit,
        ranking=ranking,
    )
    ids = [row["cluster_id"] for row in rows]
    texts = await repository.cluster_texts(session, context.tenant_id, ids, start=start, end=end)
    return [(row, *texts.get(row["cluster_id"], (None, []))) for row in rows]


async def top_questions(
    session: AsyncSession,
    context: MerchantContext,
    *,
    first: date | None,
    end: date | None,
    bot_id: uuid.UUID | None,
    limit: int,
) -> TopQuestions:
    window = await business_days(session, context.tenant_id, first, end)
    ranked = await _ranked(session, context, window, bot_id=bot_id, limit=limit, ranking="asked")
    questions = [
        TopQuestionCluster(
            cluster_id=row["cluster_id"],
            asked=row["asked"],
            answered=row["answered"],
            answered_share=round(row["answered"] / row["asked"], 4),
            representative=representative,
            examples=examples,
        )
        for row, representative, examples in ranked
    ]
    return TopQuestions(
        from_=window.first,
        to=window.end,
        timezone=window.timezone,
        bot_id=bot_id,
        questions=questions,
    )


async def content_gaps(
    session: AsyncSession,
    context: MerchantContext,
    *,
    first: date | None,
    end: date | None,
    bot_id: uuid.UUID | None,
    limit: int,
) -> ContentGaps:
    window = await business_days(session, context.tenant_id, first, end)
    ranked = await _ranked(
        session, context, window, bot_id=bot_id, limit=limit, ranking="unanswered"
    )
    gaps = [
        ContentGap(
            cluster_id=row["cluster_id"],
            unanswered=row["asked"] - row["answered"],
            asked=row["asked"],
            representative=representative,
            examples=examples,
        )
        for row, representative, examples in ranked
    ]
    return ContentGaps(
        from_=window.first, to=window.end, timezone=window.timezone, bot_id=bot_id, gaps=gaps
    )


def draft_text(representative: str, wordings: list[str]) -> tuple[str, str]:
    """The draft's title (the representative question) and body: the shoppers' wordings,
    then the line the merchant replaces with the answer."""
    title = " ".join(representative.split())[:DRAFT_TITLE_CHARS] or "Shopper question"
    asked = [representative, *(w for w in wordings if w != representative)]
    lines = ["Shoppers asked:", *(f"- {' '.join(w.split())}" for w in asked), "", DRAFT_PLACEHOLDER]
    return title, "\n".join(lines)


async def create_gap_document(
    session: AsyncSession,
    context: MerchantContext,
    cluster_id: uuid.UUID,
    *,
    client: ClientInfo | None,
) -> KnowledgeOut:
    """A knowledge document for the cluster's bot, pre-filled with its questions; stored,
    not indexed, so the bot never answers from the placeholder (see DRAFT_PLACEHOLDER)."""
    bot_id = await repository.cluster_bot(session, context.tenant_id, cluster_id)
    if bot_id is None:
        raise ResourceNotFound("question cluster")
    texts = await repository.cluster_texts(
        session,
        context.tenant_id,
        [cluster_id],
        start=_ALL_TIME[0],
        end=_ALL_TIME[1],
        examples=DRAFT_WORDINGS,
    )
    representative, wordings = texts.get(cluster_id, (None, []))
    title, body = draft_text(representative or (wordings[0] if wordings else ""), wordings)
    knowledge.check_size(body)
    await knowledge.require_room_for_new(session, context.tenant_id, body)
    document_id = await repository.add_document(
        session, context.tenant_id, bot_id=bot_id, title=title, body=body
    )
    await audit.record_by(
        session,
        context,
        "knowledge.drafted_from_content_gap",
        client=client,
        target_type="knowledge_document",
        target_id=document_id,
        details={"cluster_id": str(cluster_id)},
    )
    return await knowledge.get_document(session, context, document_id)
