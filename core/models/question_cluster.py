"""Shopper questions grouped by meaning, for the top questions and the content gaps.

A cluster is a running mean of the query embeddings retrieval computed for its questions
(one bot, one embedding space). It holds no text: its representative is a message id,
read through a join, so erasing or purging messages leaves no question text behind here.
`question_assignments` ties each clustered question (a shopper message) to its cluster and
goes with the message (ON DELETE CASCADE); `question_cluster_days` keeps per-UTC-day counts
so a year's ranking reads a few hundred thousand small rows, not a million questions.
A trigger on `messages` (migration 0009) keeps `members` and the day counts in step when a
question is deleted (an erasure, a retention purge, a deleted conversation or bot), and
drops a cluster whose last member is gone.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.embedding_spaces import CHUNK_VECTOR_DIMENSIONS
from core.models.base import Base, CreatedAt, TenantScoped, UUIDPrimaryKey, tenant_foreign_key


class QuestionCluster(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "question_clusters"
    __table_args__ = (
        Index(
            "ix_question_clusters_centroid_hnsw",
            "centroid",
            postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64},
            postgresql_ops={"centroid": "vector_cosine_ops"},
        ),
        Index("ix_question_clusters_bot_id_embedding_space", "bot_id", "embedding_space"),
        # The biggest first: the top lists' bound (dashboard_api.analytics.questions_repository).
        Index("ix_question_clusters_tenant_id_members", "tenant_id", "members"),
        tenant_foreign_key("question_clusters", "bot_id", "bots", ondelete="CASCADE"),
        tenant_foreign_key(
            "question_clusters", "representative_message_id", "messages", ondelete="SET NULL"
        ),
    )

    bot_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    embedding_space: Mapped[str] = mapped_column(
        String(64), ForeignKey("embedding_spaces.name"), nullable=False
    )
    # The mean of the members' query vectors (as they were when they joined).
    centroid = mapped_column(Vector(CHUNK_VECTOR_DIMENSIONS), nullable=False)
    members: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    # The member that opened the cluster; NULL once that message is gone (the read then
    # shows the newest remaining member).
    representative_message_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), index=True
    )


class QuestionAssignment(TenantScoped, Base):
    __tablename__ = "question_assignments"
    __table_args__ = (
        Index(
            "ix_question_assignments_tenant_id_asked_at",
            "tenant_id",
            "asked_at",
            postgresql_include=["cluster_id", "bot_id", "answered"],
        ),
        Index("ix_question_assignments_cluster_id_asked_at", "cluster_id", "asked_at"),
        tenant_foreign_key("question_assignments", "message_id", "messages", ondelete="CASCADE"),
        tenant_foreign_key(
            "question_assignments", "cluster_id", "question_clusters", ondelete="CASCADE"
        ),
    )

    message_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    cluster_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    bot_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answered: Mapped[bool] = mapped_column(Boolean, nullable=False)


class QuestionClusterDay(TenantScoped, Base):
    """A cluster's questions asked (and answered) on one UTC day."""

    __tablename__ = "question_cluster_days"
    __table_args__ = (
        Index(
            "ix_question_cluster_days_tenant_id_day",
            "tenant_id",
            "day",
            postgresql_include=["cluster_id", "bot_id", "asked", "answered"],
        ),
        tenant_foreign_key(
            "question_cluster_days", "cluster_id", "question_clusters", ondelete="CASCADE"
        ),
    )

    cluster_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    asked: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    answered: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
