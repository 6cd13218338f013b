"""Replacing an owner's chunks: DELETE + one INSERT inside the caller's transaction, so a
reader sees a product's old chunks or its new ones, never a mix and never none."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pgvector import Vector
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from ingestion.indexing.rows import ChunkText


@dataclass(frozen=True, slots=True)
class ReplacedChunks:
    space: str  # where the new chunks are
    written: int
    deleted: dict[str, int] = field(default_factory=dict)  # by space

    @property
    def delta(self) -> dict[str, int]:
        """The change in the number of chunks per space (the tenant's search vocabulary
        counts them). The old chunks may be in another space than the new ones: the
        embedding model changed, and every product's text hash with it."""
        change = {space: -n for space, n in self.deleted.items()}
        change[self.space] = change.get(self.space, 0) + self.written
        return change


async def replace_chunks(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    space: str,
    owner_column: str,
    chunks_by_owner: dict[uuid.UUID, tuple[Sequence[ChunkText], Sequence[Sequence[float]]]],
) -> ReplacedChunks:
    """Delete the owners' chunks and insert the new ones (the caller's transaction makes it
    atomic). `owner_column` is "product_id" or "knowledge_document_id"."""
    if not chunks_by_owner:
        return ReplacedChunks(space, 0)
    if owner_column not in _OWNER_COLUMNS:  # a column name goes into the SQL text
        raise ValueError(f"chunks are owned by a product or a document, not {owner_column!r}")
    gone = await session.execute(
        text(_DELETE_CHUNKS_SQL.format(owner=owner_column)),
        {"tenant_id": tenant_id, "owners": list(chunks_by_owner)},
    )
    deleted = {r.space: r.n for r in gone.all()}
    columns: dict[str, list[Any]] = {
        "ids": [],
        "owners": [],
        "ordinals": [],
        "titles": [],
        "attributes": [],
        "bodies": [],
        "tokens": [],
        "embeddings": [],
    }
    for owner_id, (chunks, vectors) in chunks_by_owner.items():
        for chunk, vector in zip(chunks, vectors, strict=True):
            columns["ids"].append(uuid.uuid4())
            columns["owners"].append(owner_id)
            columns["ordinals"].append(chunk.ordinal)
            columns["titles"].append(chunk.title)
            columns["attributes"].append(chunk.attributes_text)
            columns["bodies"].append(chunk.body)
            columns["tokens"].append(chunk.token_count)
            columns["embeddings"].append(Vector(list(vector)).to_text())
    if columns["ids"]:
        await session.execute(
            text(_INSERT_CHUNKS_SQL.format(owner=owner_column)),
            {"tenant_id": tenant_id, "space": space, **columns},
        )
    return ReplacedChunks(space, len(columns["ids"]), deleted)


# The owners' chunks go, counted per space in the same statement.
_DELETE_CHUNKS_SQL = """
    WITH gone AS (
        DELETE FROM chunks
        WHERE tenant_id = :tenant_id AND {owner} = ANY(CAST(:owners AS uuid[]))
        RETURNING embedding_space
    )
    SELECT embedding_space AS space, count(*) AS n FROM gone GROUP BY embedding_space
"""


# One statement whatever the number of chunks: the rows travel as one array per column.
# The ORM's multi-row insert compiled a bind parameter per value, which was the largest
# share of the sync's own CPU (1.6 s of ~5 s for 1,500 products), and every second of it is
# taken from the model on a small machine. (COPY is not an option: PostgreSQL refuses
# COPY FROM into a table whose row-level security applies to the role.) The vectors go to
# their own table (core.models.chunk.ChunkVector) in the same statement: the chunk's key
# is checked at its end, when both rows are in.
_INSERT_CHUNKS_SQL = """
    WITH r AS MATERIALIZED (
        SELECT *
        FROM unnest(CAST(:ids AS uuid[]), CAST(:owners AS uuid[]), CAST(:ordinals AS int[]),
                    CAST(:titles AS text[]), CAST(:attributes AS text[]),
                    CAST(:bodies AS text[]), CAST(:tokens AS int[]),
                    CAST(:embeddings AS text[]))
             AS r(id, owner, ordinal, title, attributes_text, body, token_count, embedding)
    ), chunk_rows AS (
        INSERT INTO chunks (id, tenant_id, {owner}, ordinal, title, attributes_text, body,
                            token_count, embedding_space)
        SELECT r.id, :tenant_id, r.owner, r.ordinal, r.title, r.attributes_text, r.body,
               r.token_count, :space
        FROM r
    )
    INSERT INTO chunk_vectors (id, tenant_id, {owner}, embedding_space, embedding)
    SELECT r.id, :tenant_id, r.owner, :space, CAST(r.embedding AS halfvec) FROM r
"""
_OWNER_COLUMNS = frozenset({"product_id", "knowledge_document_id"})
