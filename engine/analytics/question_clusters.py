"""Shopper questions grouped by meaning as they are answered (online "leader" clustering),
so the top questions and content gaps of a year read counts, never re-cluster a million
questions per request.

When the answer to a question is stored, the query vector retrieval already computed for it
(no second embedding) joins the nearest cluster of the same bot and embedding space when
their cosine similarity reaches the space's threshold, else it opens a new cluster. The
cluster's centroid is the running mean of its members' vectors; the question's assignment
and its UTC day's counts (asked, answered) are written in the same transaction as the
answer, in one statement: the database function `cluster_question` (alembic 0016; twelve
round trips before it). A per-bot advisory lock in it serialises the bot's questions, so
two shoppers asking the same new question at once cannot open two clusters for it.

Dashboard previews are never clustered (they are no shopper's questions). A question with
no query vector (out of scope: no retrieval ran) is not clustered either.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.embedding_spaces import CHUNK_VECTOR_DIMENSIONS
from core.ids import TenantId
from engine.retrieval.repository import vector_literal

log = logging.getLogger(__name__)

# The visitor id of a dashboard preview (api.sessions.preview, dashboard_api.bots.service;
# tests/engine/test_question_clusters.py fails if they drift apart).
PREVIEW_VISITOR_PREFIX = "preview:"
# Cosine similarity to a centroid from which a question joins that cluster, per embedding
# space. minilm-l6-v2: calibrated on tests/fixtures/questions/paraphrases.json (10 intents,
# 52 paraphrases, 8 distractors; five arrival orders): 0.50 keeps purity >= 0.96 with 87% of
# each intent's wordings in its largest cluster; 0.55 reaches purity 0.98-1.0 but keeps
# only 82% together, 0.45 drops purity to 0.90. Other spaces: the same value, uncalibrated.
JOIN_SIMILARITY = {"minilm-l6-v2": 0.50}
DEFAULT_JOIN_SIMILARITY = 0.50
# Candidates the HNSW scan considers for the nearest centroid (iterative scans go on past
# it while other bots' and tenants' clusters are filtered out).
CENTROID_EF_SEARCH = 40


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    tenant_id: TenantId
    bot_id: uuid.UUID
    message_id: uuid.UUID | None  # the shopper's stored message (None: not stored)
    visitor_id: str | None
    space: str  # the embedding space `vector` is in
    vector: list[float] | None  # the query vector retrieval searched with
    answered: bool  # engine.analytics.answered.is_answered of the reply


@dataclass(frozen=True, slots=True)
class Assigned:
    cluster_id: uuid.UUID
    opened: bool  # a new cluster


def join_similarity(space: str) -> float:
    return JOIN_SIMILARITY.get(space, DEFAULT_JOIN_SIMILARITY)


def is_clustered(question: AskedQuestion) -> bool:
    preview = bool(question.visitor_id and question.visitor_id.startswith(PREVIEW_VISITOR_PREFIX))
    return (
        not preview
        and question.message_id is not None
        and question.vector is not None
        and len(question.vector) == CHUNK_VECTOR_DIMENSIONS
    )


async def cluster_question(session: AsyncSession, question: AskedQuestion) -> Assigned | None:
    """Cluster the question and count it, in the caller's transaction (the answer's), in
    one statement: the database function `cluster_question` (alembic 0016). A failure in
    it is logged and undone alone (the function's own subtransaction): analytics never
    cost a shopper their answer. Its lock timeout is 250 ms (set on the function), so it
    never waits long behind a purge or an erasure holding the cluster rows."""
    if not is_clustered(question):
        return None
    assert question.vector is not None  # is_clustered
    # No savepoint: the function undoes its own failures; an error outside it (the
    # connection lost) is the answer's unit of work's to handle.
    row = (
        await session.execute(
            _CLUSTER,
            {
                "tenant_id": question.tenant_id,
                "bot_id": question.bot_id,
                "message_id": question.message_id,
                "space": question.space,
                "vector": vector_literal(question.vector),
                "join": join_similarity(question.space),
                "ef": CENTROID_EF_SEARCH,
                "answered": question.answered,
            },
        )
    ).one_or_none()
    if row is None:  # erased while it was being answered
        return None
    if row.failure is not None:
        log.warning(
            "question clustering failed for bot %s: SQLSTATE %s", question.bot_id, row.failure
        )
        return None
    return Assigned(row.clustered_into, row.opened_cluster)


_CLUSTER = text(
    "SELECT clustered_into, opened_cluster, failure FROM cluster_question("
    ":tenant_id, :bot_id, :message_id, :space, CAST(:vector AS vector), :join, :ef, :answered)"
)
