"""Write an eval dataset into a tenant: products, and one embedded chunk per evidence piece.

The rows are written the way indexing writes them (a tenant session as the application
role, under RLS), with the real embedder; what is skipped is WooCommerce and the chunker,
because an eval needs one chunk per judged piece of evidence to score evidence ranking.
A chunk's embedding input is "title\\nbody", the same join as ingestion's
`ChunkText.embedding_input` with no attributes text.

Ids are derived from the tenant id and the dataset's keys (uuid5), so a chunk id maps back
to its evidence piece without a lookup table, and so the eval tenant for a given dataset
fingerprint and embedding space is always the same tenant: `ensure_store` reuses it when
it is complete and builds it (in one transaction, so never half) when it is not there.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select

from core.db.database import Database
from core.ids import TenantId
from core.models import Chunk, ChunkVector, Product, StoreConnection, Tenant
from engine.embeddings.base import Embedder
from evals.datasets.hetpqa import EvalProduct, HetPQADataset

EVAL_NAMESPACE = uuid.UUID("8f0b6c2e-61a4-4a8e-9d0e-5e7d3c1f2a90")
EVAL_STORE_URL = "https://eval.invalid"
ROWS_PER_STATEMENT = 500
EMBED_SLICE = 256

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class EvalStore:
    tenant_id: TenantId
    store_id: uuid.UUID
    product_ids: dict[str, uuid.UUID]  # ASIN → product id
    piece_by_chunk: dict[uuid.UUID, str]  # chunk id → evidence piece key
    reused: bool
    build_seconds: float = 0.0
    chunk_count: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def eval_tenant_id(dataset: HetPQADataset, space: str) -> TenantId:
    return TenantId(uuid.uuid5(EVAL_NAMESPACE, f"{dataset.name}:{dataset.fingerprint}:{space}"))


def product_id_for(tenant_id: TenantId, asin: str) -> uuid.UUID:
    return uuid.uuid5(tenant_id, f"product:{asin}")


def chunk_id_for(tenant_id: TenantId, piece_key: str) -> uuid.UUID:
    return uuid.uuid5(tenant_id, f"chunk:{piece_key}")


def embedding_input(product: EvalProduct, body: str) -> str:
    return f"{product.title}\n{body}"


def _ids(
    tenant_id: TenantId, dataset: HetPQADataset
) -> tuple[dict[str, uuid.UUID], dict[uuid.UUID, str]]:
    products = {p.asin: product_id_for(tenant_id, p.asin) for p in dataset.products}
    chunks = {
        chunk_id_for(tenant_id, piece.key): piece.key
        for p in dataset.products
        for piece in p.pieces
    }
    return products, chunks


def _marker(dataset: HetPQADataset, space: str) -> dict[str, object]:
    return {
        "dataset": dataset.name,
        "subset": dataset.subset,
        "fingerprint": dataset.fingerprint,
        "title_mode": dataset.title_mode,
        "embedding_space": space,
        "products": len(dataset.products),
        "chunks": dataset.piece_count,
    }


async def find_store(
    db: Database, tenant_id: TenantId, dataset: HetPQADataset, space: str
) -> EvalStore | None:
    """The complete eval store in this tenant, or None when there is none."""
    async with db.tenant_session(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None or (tenant.profile or {}).get("eval") != _marker(dataset, space):
            return None
        store_id = await session.scalar(
            select(StoreConnection.id).where(StoreConnection.tenant_id == tenant_id)
        )
        chunks = await session.scalar(
            select(func.count()).select_from(Chunk).where(Chunk.tenant_id == tenant_id)
        )
    if store_id is None or chunks != dataset.piece_count:
        return None
    products, pieces = _ids(tenant_id, dataset)
    return EvalStore(tenant_id, store_id, products, pieces, reused=True, chunk_count=chunks)


async def ensure_store(
    db: Database,
    dataset: HetPQADataset,
    embedder: Embedder,
    *,
    tenant_id: TenantId | None = None,
    progress: Progress | None = None,
) -> EvalStore:
    """Reuse the dataset's eval tenant when it is complete, else build it."""
    space = embedder.space.name
    tenant_id = tenant_id or eval_tenant_id(dataset, space)
    found = await find_store(db, tenant_id, dataset, space)
    if found is not None:
        return found
    return await build_store(db, dataset, embedder, tenant_id=tenant_id, progress=progress)


async def embed_pieces(
    dataset: HetPQADataset, embedder: Embedder, *, progress: Progress | None = None
) -> dict[str, list[float]]:
    """piece key → vector. Texts go to the model sorted by length: batches of similar
    length pad less, which on a CPU is most of the cost."""
    texts = {
        piece.key: embedding_input(p, piece.text) for p in dataset.products for piece in p.pieces
    }
    order = sorted(texts, key=lambda key: len(texts[key]))
    vectors: dict[str, list[float]] = {}
    for start in range(0, len(order), EMBED_SLICE):
        keys = order[start : start + EMBED_SLICE]
        for key, vector in zip(
            keys, await embedder.embed_documents([texts[k] for k in keys]), strict=True
        ):
            vectors[key] = vector
        if progress is not None:
            progress("embedding", len(vectors), len(order))
    return vectors


async def build_store(
    db: Database,
    dataset: HetPQADataset,
    embedder: Embedder,
    *,
    tenant_id: TenantId,
    vectors: dict[str, list[float]] | None = None,
    progress: Progress | None = None,
) -> EvalStore:
    """Embed (outside any transaction), then write everything in one transaction. A tenant
    left by an older build of the same id is replaced."""
    started = time.perf_counter()
    space = embedder.space.name
    if vectors is None:
        vectors = await embed_pieces(dataset, embedder, progress=progress)
    products, pieces = _ids(tenant_id, dataset)
    store_id = uuid.uuid5(tenant_id, "store")
    async with db.tenant_session(tenant_id) as session:
        stale = await session.get(Tenant, tenant_id)
        if stale is not None:  # incomplete or from another build: start over (cascades)
            await session.delete(stale)
            await session.flush()
        session.add(
            Tenant(
                id=tenant_id,
                name=f"shopbot eval: {dataset.name} ({dataset.subset}, {dataset.fingerprint[:8]})"[
                    :200
                ],
                profile={"eval": _marker(dataset, space)},
            )
        )
        await session.flush()
        # Disconnected: no scheduled sync will ever try to reach this store.
        session.add(
            StoreConnection(
                id=store_id,
                tenant_id=tenant_id,
                name=f"{dataset.name} eval store",
                base_url=EVAL_STORE_URL,
                credentials_ciphertext=b"",
                status="disconnected",
            )
        )
        await session.flush()
        product_rows = [
            _product_row(tenant_id, store_id, products[p.asin], p) for p in dataset.products
        ]
        for batch in _batches(product_rows):
            await session.execute(insert(Product), list(batch))
        chunk_rows, vector_rows = _chunk_rows(tenant_id, space, dataset, products, vectors)
        written = 0
        for batch, vector_batch in zip(_batches(chunk_rows), _batches(vector_rows), strict=True):
            await session.execute(insert(Chunk), list(batch))
            await session.execute(insert(ChunkVector), list(vector_batch))
            written += len(batch)
            if progress is not None:
                progress("writing", written, len(chunk_rows))
    return EvalStore(
        tenant_id,
        store_id,
        products,
        pieces,
        reused=False,
        build_seconds=time.perf_counter() - started,
        chunk_count=len(chunk_rows),
    )


def _chunk_rows(
    tenant_id: TenantId,
    space: str,
    dataset: HetPQADataset,
    products: dict[str, uuid.UUID],
    vectors: dict[str, list[float]],
) -> tuple[list[dict], list[dict]]:
    """Each piece's chunk row and its vector's row (`chunk_vectors`), in the same order."""
    chunk_rows, vector_rows = [], []
    for p in dataset.products:
        for ordinal, piece in enumerate(p.pieces):
            chunk_id, product_id = chunk_id_for(tenant_id, piece.key), products[p.asin]
            chunk_rows.append(
                {
                    "id": chunk_id,
                    "tenant_id": tenant_id,
                    "product_id": product_id,
                    "ordinal": ordinal,
                    "title": p.title,
                    "attributes_text": "",
                    "body": piece.text,
                    "token_count": len(piece.text.split()),
                    "embedding_space": space,
                }
            )
            vector_rows.append(
                {
                    "id": chunk_id,
                    "tenant_id": tenant_id,
                    "product_id": product_id,
                    "embedding_space": space,
                    "embedding": vectors[piece.key],
                }
            )
    return chunk_rows, vector_rows


def _product_row(
    tenant_id: TenantId, store_id: uuid.UUID, product_id: uuid.UUID, product: EvalProduct
) -> dict:
    content = "\n".join(piece.text for piece in product.pieces)
    described = [
        piece.text
        for piece in product.pieces
        if piece.kind in {"bullet", "description", "editorial"}
    ]
    return {
        "id": product_id,
        "tenant_id": tenant_id,
        "store_id": store_id,
        "external_id": product.asin,
        "name": product.title,
        "slug": product.asin.lower(),
        "permalink": f"{EVAL_STORE_URL}/product/{product.asin.lower()}/",
        "currency": "USD",
        "description": "\n".join(described) or None,
        "content_hash": hashlib.sha256(content.encode()).hexdigest(),
    }


def _batches(rows: Sequence[dict], size: int = ROWS_PER_STATEMENT):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
