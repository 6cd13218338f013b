"""Merchant knowledge documents become chunks like products do (no product id)."""

from __future__ import annotations

from sqlalchemy import select, update

from core.db.database import Database
from core.models import Chunk, KnowledgeDocument
from ingestion.knowledge import (
    add_knowledge_document,
    delete_knowledge_document,
    index_knowledge_document,
)
from tests.support.sync import MemoEmbedder, new_tenant

POLICY = """# Shipping

We ship **within 2 business days**. Orders over $75 ship free.

## Returns

- Unworn items can be returned within 30 days.
- Refunds reach your card in 5-7 days.
"""


async def _chunks(db: Database, tenant, document_id) -> list[Chunk]:
    async with db.tenant_session(tenant) as session:
        return list(
            await session.scalars(
                select(Chunk)
                .where(Chunk.knowledge_document_id == document_id)
                .order_by(Chunk.ordinal)
            )
        )


async def test_knowledge_document_is_chunked_embedded_and_replaced(
    db: Database, embedder: MemoEmbedder
) -> None:
    tenant = await new_tenant(db)
    outcome = await add_knowledge_document(
        db,
        tenant,
        title="Shipping and returns",
        body=POLICY,
        content_type="markdown",
        kind="policy",
        embedder=embedder,
    )
    assert outcome.status == "indexed" and outcome.chunks >= 1
    chunks = await _chunks(db, tenant, outcome.document_id)
    assert len(chunks) == outcome.chunks
    assert all(c.product_id is None and c.embedding_space == "minilm-l6-v2" for c in chunks)
    assert chunks[0].body.startswith("Shipping and returns")
    assert "**" not in chunks[0].body and "#" not in chunks[0].body
    first_ids = {c.id for c in chunks}

    again = await index_knowledge_document(db, tenant, outcome.document_id, embedder=embedder)
    assert again.status == "unchanged"

    async with db.tenant_session(tenant) as session:
        await session.execute(
            update(KnowledgeDocument)
            .where(KnowledgeDocument.id == outcome.document_id)
            .values(body=POLICY.replace("30 days", "60 days"))
        )
    edited = await index_knowledge_document(db, tenant, outcome.document_id, embedder=embedder)
    assert edited.status == "indexed"
    replaced = await _chunks(db, tenant, outcome.document_id)
    assert not first_ids & {c.id for c in replaced}
    assert any("60 days" in c.body for c in replaced)

    assert await delete_knowledge_document(db, tenant, outcome.document_id)
    assert await _chunks(db, tenant, outcome.document_id) == []


async def test_html_documents_are_rendered_to_text(db: Database, embedder: MemoEmbedder) -> None:
    tenant = await new_tenant(db)
    outcome = await add_knowledge_document(
        db,
        tenant,
        title="Size guide",
        content_type="html",
        kind="page",
        embedder=embedder,
        body=(
            "<h2>Jackets</h2><p>Our jackets run <em>small</em>: order one size up.</p>"
            "<script>x()</script>"
        ),
    )
    [chunk] = await _chunks(db, tenant, outcome.document_id)
    assert "<" not in chunk.body and "order one size up" in chunk.body and "x()" not in chunk.body
