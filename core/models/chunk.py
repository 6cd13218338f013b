"""Chunks: the searchable units, with a weighted full-text vector; their embeddings are in
`chunk_vectors`, one row per chunk."""

from __future__ import annotations

import uuid
from typing import Any

from pgvector.sqlalchemy import HALFVEC
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
    search_vector = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True))


class ChunkVector(TenantScoped, Base):
    """A chunk's embedding, keyed by the chunk's own id (alembic 0019).

    In a table of its own so that the rows the text ranker, the fusion and the product's
    evidence read are a quarter as wide: 1,544 of a chunk row's 2,222 bytes were its
    vector (bench/README_retrieval.md, "The vectors in a table of their own"). The chunk's
    owner and space are copied here, written in the same statement as the chunk and never
    changed (a chunk is replaced, not edited), so the vector ranker and its product filter
    read this table alone. The chunk's deletion deletes its vector (the foreign key).
    The vector is a `halfvec` (2 bytes a dimension): nine rows to a page instead of four,
    at a ranking cost measured in bench/README_retrieval.md.

    No HNSW index over every tenant's vectors: a tenant with 10,000 chunks or more has its
    own partial one, made and dropped by ingestion.indexing.vector_indexes; smaller
    tenants are searched exactly through ix_chunk_vectors_tenant_id."""

    __tablename__ = "chunk_vectors"
    __table_args__ = (tenant_foreign_key("chunk_vectors", "id", "chunks", ondelete="CASCADE"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # Indexed for the evidence of the page's product (the vector ranker with `only_product`):
    # a few rows, where the tenant's b-tree or its HNSW graph would read thousands.
    product_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    knowledge_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    embedding_space: Mapped[str] = mapped_column(
        String(64), ForeignKey("embedding_spaces.name"), nullable=False
    )
    embedding = mapped_column(HALFVEC(CHUNK_VECTOR_DIMENSIONS), nullable=False)
    __mapper_args__: dict[str, Any] = {"primary_key": ["id"]}
