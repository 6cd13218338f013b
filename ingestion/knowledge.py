"""Merchant knowledge documents (FAQ, shipping and returns policies, pages) → chunks.

Same rules as products: render (text, markdown or HTML → plain text starting with the
title), hash what is embedded, and when the hash changed embed outside any transaction,
then swap the document's chunks in one transaction. Chunks carry
`knowledge_document_id` and no `product_id`. If the document was edited while we were
embedding, the write is skipped: the edit's own indexing run writes the newer text.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from core import search_vocabulary
from core.billing.room import require_room
from core.db.database import Database
from core.db.rows import tenant_row
from core.errors import ValidationFailed
from core.ids import TenantId
from core.models import Chunk, KnowledgeDocument
from engine.embeddings import Embedder
from ingestion.indexing import repository
from ingestion.indexing.chunks import chunk_rendered
from ingestion.indexing.spaces import registry_space_name
from ingestion.rendering import CONTENT_TYPES, render_knowledge

KNOWLEDGE_FORMAT_VERSION = 1
KINDS = ("faq", "policy", "page", "other")
DOCUMENT_NOT_FOUND = "knowledge document not found"


@dataclass(frozen=True)
class KnowledgeIndexOutcome:
    document_id: uuid.UUID
    status: str  # "indexed" | "unchanged" | "superseded"
    chunks: int


def knowledge_hash(space: str, title: str, text: str) -> str:
    digest = hashlib.sha256()
    for part in (f"knowledge={KNOWLEDGE_FORMAT_VERSION};space={space}", title, text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


async def _load(
    db: Database, tenant_id: TenantId, document_id: uuid.UUID
) -> tuple[KnowledgeDocument, int]:
    async with db.tenant_session(tenant_id) as session:
        document = await tenant_row(
            session, KnowledgeDocument, tenant_id, document_id, missing=DOCUMENT_NOT_FOUND
        )
        chunk_count = await session.scalar(
            select(func.count())
            .select_from(Chunk)
            .where(Chunk.tenant_id == tenant_id, Chunk.knowledge_document_id == document_id)
        )
    return document, int(chunk_count or 0)


async def index_knowledge_document(
    db: Database,
    tenant_id: TenantId,
    document_id: uuid.UUID,
    *,
    embedder: Embedder,
    force: bool = False,
) -> KnowledgeIndexOutcome:
    space = registry_space_name(embedder)
    document, chunk_count = await _load(db, tenant_id, document_id)
    title, body, content_type = document.title, document.body, document.content_type
    text = render_knowledge(title, body, content_type)
    digest = knowledge_hash(space, title, text)
    if (
        not force
        and document.content_hash == digest
        and document.indexed_at is not None
        and chunk_count
    ):
        return KnowledgeIndexOutcome(document_id, "unchanged", chunk_count)

    chunks = chunk_rendered(title, "", text, space=space)
    vectors = await embedder.embed_documents([c.embedding_input() for c in chunks])

    async with db.tenant_session(tenant_id) as session:
        current = await tenant_row(
            session,
            KnowledgeDocument,
            tenant_id,
            document_id,
            missing=DOCUMENT_NOT_FOUND,
            for_update=True,
        )
        if (current.title, current.body, current.content_type) != (title, body, content_type):
            return KnowledgeIndexOutcome(document_id, "superseded", 0)
        replaced = await repository.replace_chunks(
            session,
            tenant_id,
            space=space,
            owner_column="knowledge_document_id",
            chunks_by_owner={document_id: (chunks, vectors)},
        )
        await session.execute(
            update(KnowledgeDocument)
            .where(KnowledgeDocument.tenant_id == tenant_id, KnowledgeDocument.id == document_id)
            .values(content_hash=digest, indexed_at=func.now())
            .execution_options(synchronize_session=False)
        )
        # Last in the transaction: the tenant's chunk count and, the document's words being
        # new to its counts, its document frequencies (core.search_vocabulary).
        await search_vocabulary.record_batch(
            session, tenant_id, chunk_delta=replaced.delta, count_terms=True
        )
    return KnowledgeIndexOutcome(document_id, "indexed", replaced.written)


async def add_knowledge_document(
    db: Database,
    tenant_id: TenantId,
    *,
    title: str,
    body: str,
    content_type: str = "text",
    kind: str = "faq",
    bot_id: uuid.UUID | None = None,
    embedder: Embedder,
) -> KnowledgeIndexOutcome:
    """Create a document and index it (operator commands, the demo, tests)."""
    title = " ".join(title.split())
    if not title or not body.strip():
        raise ValidationFailed("a knowledge document needs a title and a body")
    if content_type not in CONTENT_TYPES:
        raise ValidationFailed(f"content type must be one of {', '.join(CONTENT_TYPES)}")
    if kind not in KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(KINDS)}")
    document_id = uuid.uuid4()
    async with db.tenant_session(tenant_id) as session:
        # The plan's count and size, checked under the quota locks held until this insert
        # commits: two uploads racing at the limit cannot both get in.
        await require_room(session, tenant_id, "knowledge_documents")
        await require_room(session, tenant_id, "knowledge_bytes", adding=len(body.encode("utf-8")))
        session.add(
            KnowledgeDocument(
                id=document_id,
                tenant_id=tenant_id,
                bot_id=bot_id,
                title=title[:500],
                kind=kind,
                content_type=content_type,
                body=body,
                content_hash=hashlib.sha256(
                    body.encode("utf-8")
                ).hexdigest(),  # replaced once indexed
            )
        )
        await session.flush()
    return await index_knowledge_document(db, tenant_id, document_id, embedder=embedder)


async def delete_knowledge_document(
    db: Database, tenant_id: TenantId, document_id: uuid.UUID
) -> bool:
    """Remove a document and its chunks, and take them off the tenant's chunk count.

    The document is locked first, as its indexing does, so the chunks counted are the
    ones deleted. A document adds no category nor attribute value, so the count and the
    document frequencies are all that change in the tenant's vocabulary: no full
    recompute is needed."""
    async with db.tenant_session(tenant_id) as session:
        document = await session.scalar(
            select(KnowledgeDocument)
            .where(KnowledgeDocument.tenant_id == tenant_id, KnowledgeDocument.id == document_id)
            .with_for_update()
        )
        if document is None:
            return False
        gone = await session.execute(
            delete(Chunk)
            .where(Chunk.tenant_id == tenant_id, Chunk.knowledge_document_id == document_id)
            .returning(Chunk.embedding_space)
        )
        removed = Counter(gone.scalars().all())
        await session.delete(document)
        await session.flush()
        await search_vocabulary.record_batch(
            session,
            tenant_id,
            chunk_delta={space: -n for space, n in removed.items()},
            count_terms=True,
        )
    return True
