"""Shopper questions grouped by meaning as they are answered (online "leader" clustering),
so the top questions and content gaps of a year read counts, never re-cluster a million
questions per request.

When the answer to a question is stored, the query vector retrieval already computed for it
(no second embedding) joins the nearest cluster of the same bot and embedding space when
their cosine similarity reaches the space's threshold, else it opens a new cluster. The
cluster's centroid is the running mean of its members' vectors; the question's assignment
and its UTC day's counts (asked, answered) are written in the same transaction as the
answer. A per-bot advisory lock serialises these few statements, so two shoppers asking
the same new question at once cannot open two clusters for it.

Dashboard previews are never clustered (they are no shopper's questions). A question with
no query vector (out of scope: no retrieval ran) is not clustered either.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.faults import connection_lost_reason
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
    """Cluster the question and count it, in the caller's transaction (the answer's). A
    failure here is logged and undone alone (a savepoint): analytics never cost a shopper
    their answer."""
    if not is_clustered(question):
        return None
    try:
        async with session.begin_nested():
            # Never wait long behind a purge or an erasure holding the cluster rows: the
            # shopper's `done` waits on this transaction. A timeout rolls the savepoint back
            # (and the setting with it); a success puts the caller's setting back.
            previous = await session.scalar(text("SELECT current_setting('lock_timeout')"))
            await session.execute(_SET_LOCK_TIMEOUT, {"value": CLUSTER_LOCK_TIMEOUT})
            assigned = await _assign(session, question)
            await session.execute(_SET_LOCK_TIMEOUT, {"value": previous})
            return assigned
    except SQLAlchemyError as exc:
        if connection_lost_reason(exc) is not None:
            raise  # the whole transaction is gone: the answer's unit of work must know
        log.warning(
            "question clustering failed for bot %s: %s", question.bot_id, type(exc).__name__
        )
        return None


CLUSTER_LOCK_TIMEOUT = "250ms"
_SET_LOCK_TIMEOUT = text("SELECT set_config('lock_timeout', :value, true)")
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('question_clusters:' || :bot_id, 0))"
_SEARCH_SETTINGS = (
    "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), "
    "set_config('hnsw.ef_search', :ef, true)"
)
_ASKED_AT = "SELECT created_at FROM messages WHERE tenant_id = :tenant_id AND id = :message_id"
_NEAREST = """
SELECT id, members, centroid::text AS centroid,
       1 - (centroid <=> CAST(:vector AS vector)) AS similarity
FROM question_clusters
WHERE tenant_id = :tenant_id AND bot_id = :bot_id AND embedding_space = :space
ORDER BY centroid <=> CAST(:vector AS vector)
LIMIT 1
FOR UPDATE
"""
_JOIN = """
UPDATE question_clusters SET centroid = CAST(:centroid AS vector), members = members + 1
WHERE tenant_id = :tenant_id AND id = :cluster_id
"""
_OPEN = """
INSERT INTO question_clusters
    (id, tenant_id, bot_id, embedding_space, centroid, members, representative_message_id)
VALUES (:cluster_id, :tenant_id, :bot_id, :space, CAST(:vector AS vector), 1, :message_id)
"""
_ASSIGN = """
INSERT INTO question_assignments (message_id, tenant_id, cluster_id, bot_id, asked_at, answered)
VALUES (:message_id, :tenant_id, :cluster_id, :bot_id, :asked_at, :answered)
"""
_COUNT_DAY = """
INSERT INTO question_cluster_days AS d (tenant_id, cluster_id, day, bot_id, asked, answered)
VALUES (:tenant_id, :cluster_id, (CAST(:asked_at AS timestamptz) AT TIME ZONE 'UTC')::date,
        :bot_id, 1, :answered_count)
ON CONFLICT (tenant_id, cluster_id, day)
DO UPDATE SET asked = d.asked + 1, answered = d.answered + excluded.answered
"""


async def _assign(session: AsyncSession, question: AskedQuestion) -> Assigned | None:
    assert question.vector is not None  # is_clustered
    ids = {"tenant_id": question.tenant_id, "bot_id": question.bot_id}
    asked_at: datetime | None = await session.scalar(
        text(_ASKED_AT), {"tenant_id": question.tenant_id, "message_id": question.message_id}
    )
    if asked_at is None:  # erased while it was being answered
        return None
    await session.execute(text(_LOCK), {"bot_id": str(question.bot_id)})
    await session.execute(text(_SEARCH_SETTINGS), {"ef": str(CENTROID_EF_SEARCH)})
    vector = vector_literal(question.vector)
    nearest = (
        await session.execute(text(_NEAREST), {**ids, "space": question.space, "vector": vector})
    ).one_or_none()
    opened = nearest is None or nearest.similarity < join_similarity(question.space)
    if opened:
        cluster_id = uuid.uuid4()
        await session.execute(
            text(_OPEN),
            {
                **ids,
                "cluster_id": cluster_id,
                "space": question.space,
                "vector": vector,
                "message_id": question.message_id,
            },
        )
    else:
        assert nearest is not None
        cluster_id = nearest.id
        centroid = _running_mean(_parse_vector(nearest.centroid), nearest.members, question.vector)
        await session.execute(
            text(_JOIN), {**ids, "cluster_id": cluster_id, "centroid": vector_literal(centroid)}
        )
    counted = {**ids, "cluster_id": cluster_id, "asked_at": asked_at}
    await session.execute(
        text(_ASSIGN),
        {**counted, "message_id": question.message_id, "answered": question.answered},
    )
    await session.execute(text(_COUNT_DAY), {**counted, "answered_count": int(question.answered)})
    return Assigned(cluster_id, opened)


def _running_mean(centroid: list[float], members: int, vector: list[float]) -> list[float]:
    weight = max(members, 0)
    return [(c * weight + v) / (weight + 1) for c, v in zip(centroid, vector, strict=True)]


def _parse_vector(literal: str) -> list[float]:
    return [float(x) for x in literal.strip("[]").split(",")]
