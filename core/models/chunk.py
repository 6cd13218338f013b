"""Chunks: the searchable units, with a vector and a weighted full-text vector."""

from __future__ import annotations

import uuid

from pgvector.sqlalchemy import Vector
from sqlalchemy import CheckConstraint, Computed, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.embedding_spaces import CHUNK_VECTOR_DIMENSIONS
from core.models.base import Base, CreatedAt, TenantScoped, UUIDPrimaryKey, tenant_foreign_key

# Title outweighs attributes, which outweigh body text, in ts_rank.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(attributes_text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"
)


class EmbeddingSpaceRow(Base):
    __tablename__ = "embedding_spaces"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(32), nullable=False)
    model: Mapped[str] = mapped_column(String(200), nullable=False)
    dimensions: Mapped[int] = mapped_column(Integer, nullable=False)


class Chunk(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "chunks"
    __table_args__ = (
        CheckConstraint(
            "(product_id IS NULL) <> (knowledge_document_id IS NULL)", name="one_source"
        ),
        # No HNSW index over every tenant's vectors: a tenant with 10,000 chunks or more
        # has its own partial one, made and dropped by ingestion.indexing.vector_indexes
        # (migration 0013); smaller tenants are searched exactly through ix_chunks_tenant_id.
        Index("ix_chunks_search_vector", "search_vector", postgresql_using="gin"),
        tenant_foreign_key("chunks", "product_id", "products", ondelete="CASCADE"),
        tenant_foreign_key(
            "chunks", "knowledge_document_id", "knowledge_documents", ondelete="CASCADE"
        ),
    )

    product_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    knowledge_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    ordinal: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    attributes_text: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    body: Mapped[str] = mapped_column(Text, nullable=False)
    token_count: Mapped[int] = mapped_column(Integer, nullable=False)
    embedding_space: Mapped[str] = mapped_column(
        String(64), ForeignKey("embedding_spaces.name"), nullable=False
    )
    embedding = mapped_column(Vector(CHUNK_VECTOR_DIMENSIONS), nullable=False)
    search_vector = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True))
