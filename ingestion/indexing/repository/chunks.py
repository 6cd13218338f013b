"""Replacing an owner's chunks: DELETE + one INSERT inside the caller's transaction, so a
reader sees a product's old chunks or its new ones, never a mix and never none."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pgvector import Vector
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Chunk
from ingestion.indexing.rows import ChunkText


async def replace_chunks(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    space: str,
    owner_column: str,
    chunks_by_owner: dict[uuid.UUID, tuple[Sequence[ChunkText], Sequence[Sequence[float]]]],
) -> int:
    """Delete the owners' chunks and insert the new ones (the caller's transaction makes it
    atomic). `owner_column` is "product_id" or "knowledge_document_id"."""
    if not chunks_by_owner:
        return 0
    owner = getattr(Chunk, owner_column)
    await session.execute(
        delete(Chunk).where(Chunk.tenant_id == tenant_id, owner.in_(list(chunks_by_owner)))
    )
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
        if owner_column not in _OWNER_COLUMNS:  # a column name goes into the SQL text
            raise ValueError(f"chunks are owned by a product or a document, not {owner_column!r}")
        await session.execute(
            text(_INSERT_CHUNKS_SQL.format(owner=owner_column)),
            {"tenant_id": tenant_id, "space": space, **columns},
        )
    return len(columns["ids"])


# One statement whatever the number of chunks: the rows travel as one array per column.
# The ORM's multi-row insert compiled a bind parameter per value, which was the largest
# share of the sync's own CPU (1.6 s of ~5 s for 1,500 products), and every second of it is
# taken from the model on a small machine. (COPY is not an option: PostgreSQL refuses
# COPY FROM into a table whose row-level security applies to the role.)
_INSERT_CHUNKS_SQL = """
    INSERT INTO chunks (id, tenant_id, {owner}, ordinal, title, attributes_text, body,
                        token_count, embedding_space, embedding)
    SELECT r.id, :tenant_id, r.owner, r.ordinal, r.title, r.attributes_text, r.body,
           r.token_count, :space, CAST(r.embedding AS vector)
    FROM unnest(CAST(:ids AS uuid[]), CAST(:owners AS uuid[]), CAST(:ordinals AS int[]),
                CAST(:titles AS text[]), CAST(:attributes AS text[]), CAST(:bodies AS text[]),
                CAST(:tokens AS int[]), CAST(:embeddings AS text[]))
         AS r(id, owner, ordinal, title, attributes_text, body, token_count, embedding)
"""
_OWNER_COLUMNS = frozenset({"product_id", "knowledge_document_id"})
