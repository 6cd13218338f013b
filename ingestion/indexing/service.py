"""IndexingService: products in, searchable rows out; idempotent and never half-written.

A batch (a sync page, a webhook's product) goes through three phases:

1. plan (one short read): render each product's indexable text and hash it; compare with
   the stored hash and facts. Unchanged text → no chunking, no embedding. Changed text →
   chunk it.
2. embed (no transaction open): all changed products' chunk texts in one call, batched
   across products by the embedder.
3. write (one transaction): upsert products (INSERT ... ON CONFLICT on (tenant_id,
   store_id, external_id)), make each product's variations exactly the given set, replace
   changed products' chunks (DELETE + multi-row INSERT), delete what disappeared. Readers
   see the whole batch or none of it.

The hash covers exactly what is embedded (the chunks' text and the embedding space), not
the live facts: a price or stock change updates the product's columns and leaves its
vectors alone. (Prices are answered from the columns, never from chunk text.)
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from core import search_vocabulary
from core.db.database import Database
from core.errors import NotFound
from core.ids import TenantId
from engine.embeddings import Embedder
from ingestion.indexing import quota, repository
from ingestion.indexing.documents import ProductDocument
from ingestion.indexing.rows import ChunkText
from ingestion.indexing.spaces import registry_space_name

log = logging.getLogger(__name__)


@dataclass
class BatchCounts:
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    chunks_written: int = 0
    errors: int = 0

    def add(self, other: BatchCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class PlannedBatch:
    """A batch after phase 1 (and, once `embed` ran, phase 2)."""

    documents: list[ProductDocument]
    changed: list[ProductDocument]  # text changed or new: chunks to (re)write
    facts_only: list[ProductDocument]  # same text, different facts: row update only
    unchanged: list[ProductDocument]
    listing_facts: list[ProductDocument] = field(default_factory=list)  # reconcile shortcut
    delete_external_ids: list[str] = field(default_factory=list)
    errors: int = 0
    # New products the plan's product quota left out (`ingestion.indexing.quota`): filled
    # by `plan` (no chance to fit: not embedded) and `write` (no room under the lock).
    left_out: list[ProductDocument] = field(default_factory=list)
    room: quota.ProductRoom | None = None  # the last product-quota check of this batch
    counts: BatchCounts | None = None  # once written (`index_batch`)


class IndexingService:
    def __init__(self, db: Database, tenant_id: TenantId, embedder: Embedder) -> None:
        self.db = db
        self.tenant_id = tenant_id
        self.embedder = embedder
        self.space = registry_space_name(embedder)
        self._verified_stores: set[uuid.UUID] = set()

    async def _require_store(self, session: AsyncSession, store_id: uuid.UUID) -> None:
        """The store must be this tenant's. (Foreign keys are checked past row-level
        security, so without this a caller's mistake could file rows under another
        tenant's store id.)"""
        if store_id in self._verified_stores:
            return
        if not await repository.store_belongs_to(session, self.tenant_id, store_id):
            raise NotFound("store not found")
        self._verified_stores.add(store_id)

    # --- phase 1 --------------------------------------------------------------------
    async def plan(
        self,
        session: AsyncSession,
        store_id: uuid.UUID,
        documents: Sequence[ProductDocument],
        *,
        delete_external_ids: Sequence[str] = (),
        errors: int = 0,
    ) -> PlannedBatch:
        await self._require_store(session, store_id)
        # The last occurrence of an id wins (a page overlap can repeat a product).
        unique = list({d.row.external_id: d for d in documents}.values())
        stored = await repository.load_stored(
            session,
            self.tenant_id,
            store_id,
            [d.row.external_id for d in unique],
            with_variations=any(not d.facts_only for d in unique),
        )
        changed, facts_only, unchanged, listing_facts = [], [], [], []
        left_out: list[ProductDocument] = []
        room = None
        if any(d.row.external_id not in stored and not d.facts_only for d in unique):
            room = await quota.room_estimate(session, self.tenant_id)
        fits = room.room if room else 0
        for document in unique:
            previous = stored.get(document.row.external_id)
            if previous is None and not document.facts_only:
                if fits <= 0:
                    left_out.append(document)  # never chunked nor embedded
                    continue
                fits -= 1
            if document.facts_only:
                if previous is None:
                    continue  # deleted meanwhile; the next walk sees it as new
                if previous.same_listing_facts(document.row):
                    unchanged.append(document)
                else:
                    listing_facts.append(document)
                continue
            document.content_hash = document.text_hash(self.space)
            if previous is None or previous.content_hash != document.content_hash:
                document.chunks = document.chunk(self.space)
                changed.append(document)
            elif previous.same_facts(document.row):
                unchanged.append(document)
            else:
                facts_only.append(document)
        return PlannedBatch(
            documents=unique,
            changed=changed,
            facts_only=facts_only,
            unchanged=unchanged,
            listing_facts=listing_facts,
            delete_external_ids=list(delete_external_ids),
            errors=errors,
            left_out=left_out,
            room=room,
        )

    # --- phase 2 --------------------------------------------------------------------
    async def embed(self, batch: PlannedBatch) -> int:
        texts: list[str] = []
        for document in batch.changed:
            texts.extend(chunk.embedding_input() for chunk in document.chunks or ())
        if not texts:
            return 0
        # Shortest first: the embedder batches consecutive texts, and a batch costs as much
        # as its longest member; sorted batches waste far less on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        in_order = await self.embedder.embed_documents([texts[i] for i in order])
        if len(in_order) != len(texts):
            raise RuntimeError("the embedder returned a different number of vectors than texts")
        vectors: list[list[float]] = [[] for _ in texts]
        for position, index in enumerate(order):
            vectors[index] = in_order[position]
        position = 0
        for document in batch.changed:
            count = len(document.chunks or ())
            document.vectors = vectors[position : position + count]
            position += count
        return len(texts)

    # --- phase 3 --------------------------------------------------------------------
    async def write(
        self, session: AsyncSession, store_id: uuid.UUID, batch: PlannedBatch
    ) -> BatchCounts:
        await self._require_store(session, store_id)
        counts = BatchCounts(
            seen=len(batch.documents), unchanged=len(batch.unchanged), errors=batch.errors
        )
        writing, left_out, room = await quota.admit_new(
            session, self.tenant_id, store_id, [*batch.changed, *batch.facts_only]
        )
        if left_out:
            batch.left_out.extend(left_out)
        batch.room = room or batch.room
        admitted = {id(d) for d in writing}
        changed = [d for d in batch.changed if id(d) in admitted]
        facts_only = [d for d in batch.facts_only if id(d) in admitted]
        to_upsert = [(d.row, d.content_hash, True) for d in changed]
        to_upsert += [(d.row, d.content_hash, False) for d in facts_only]
        ids = await repository.upsert_products(session, self.tenant_id, store_id, to_upsert)
        for document in (*changed, *facts_only):
            written = ids.get(document.row.external_id)
            if written is None:  # the stored version is newer: keep it
                document.product_id = None
                counts.unchanged += 1
                continue
            document.product_id, inserted = written
            if inserted:
                counts.created += 1
            else:
                counts.updated += 1
        counts.updated += await repository.update_facts(
            session, self.tenant_id, store_id, [d.row for d in batch.listing_facts]
        )
        await repository.replace_variations(
            session,
            self.tenant_id,
            {d.product_id: d.row.variations for d in (*changed, *facts_only) if d.product_id},
        )
        chunks_by_product: dict[
            uuid.UUID, tuple[Sequence[ChunkText], Sequence[Sequence[float]]]
        ] = {}
        for document in changed:
            if document.product_id is None:
                continue
            assert document.vectors is not None
            chunks_by_product[document.product_id] = (document.chunks or [], document.vectors)
        replaced = await repository.replace_chunks(
            session,
            self.tenant_id,
            space=self.space,
            owner_column="product_id",
            chunks_by_owner=chunks_by_product,
        )
        counts.chunks_written = replaced.written
        if batch.delete_external_ids:
            keep = {d.row.external_id for d in batch.documents}
            doomed = [e for e in batch.delete_external_ids if e not in keep]
            counts.deleted = len(
                await repository.delete_products(session, self.tenant_id, store_id, doomed)
            )
        # Last (core.search_vocabulary): the new categories and values are filters as soon
        # as the products are visible. What the deleted products took with them (and their
        # chunks, gone by cascade) waits for the recompute at the end of the sync run.
        stored = [d.row.external_id for d in (*changed, *facts_only) if d.product_id]
        stored += [d.row.external_id for d in batch.listing_facts]
        await search_vocabulary.record_batch(
            session,
            self.tenant_id,
            store_id=store_id,
            external_ids=stored,
            chunk_delta=replaced.delta,
        )
        return counts

    # --- all three, for small batches (webhooks, tests) ---------------------------------
    async def index_documents(
        self,
        store_id: uuid.UUID,
        documents: Sequence[ProductDocument],
        *,
        delete_external_ids: Sequence[str] = (),
    ) -> BatchCounts:
        batch = await self.index_batch(store_id, documents, delete_external_ids=delete_external_ids)
        assert batch.counts is not None
        return batch.counts

    async def index_batch(
        self,
        store_id: uuid.UUID,
        documents: Sequence[ProductDocument],
        *,
        delete_external_ids: Sequence[str] = (),
    ) -> PlannedBatch:
        """`index_documents`, returning the written batch (`left_out`, `room`, `counts`)."""
        async with self.db.tenant_session(self.tenant_id) as session:
            batch = await self.plan(
                session, store_id, documents, delete_external_ids=delete_external_ids
            )
        await self.embed(batch)
        async with self.db.tenant_session(self.tenant_id) as session:
            batch.counts = await self.write(session, store_id, batch)
        return batch

    async def delete_products(self, store_id: uuid.UUID, external_ids: Sequence[str]) -> int:
        """Delete products now (a webhook's deletion); a removed product may have been the
        last with a category or value, so a small tenant's vocabulary is recomputed in the
        same transaction (core.search_vocabulary.recompute_if_small)."""
        async with self.db.tenant_session(self.tenant_id) as session:
            await self._require_store(session, store_id)
            deleted = await repository.delete_products(
                session, self.tenant_id, store_id, list(external_ids)
            )
            if deleted:
                await search_vocabulary.recompute_if_small(session, self.tenant_id)
            return len(deleted)
