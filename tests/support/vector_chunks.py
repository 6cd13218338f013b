"""A tenant's chunks written straight in as the owner, with vectors that cluster like a
catalogue's: for tests of the per-tenant vector indexes, which need thousands of chunks
and no embedding model."""

from __future__ import annotations

import uuid

import numpy as np
import psycopg
from sqlalchemy.engine import URL

from core.embedding_spaces import CHUNK_VECTOR_DIMENSIONS, MINILM_L6_V2
from core.ids import TenantId
from engine.retrieval.repository import vector_literal
from ingestion.indexing.vector_indexes import owner_conninfo


def seed_chunks(owner_url: URL, tenant_id: TenantId, count: int, seed: int) -> np.ndarray:
    """A store with `count` products of one chunk each; returns their vectors, row order.
    Like a catalogue's embeddings, they cluster (kinds of product): uniformly random
    384-d vectors have no near neighbours to find, a case no catalogue is."""
    rng = np.random.default_rng(seed)
    kinds = rng.normal(size=(50, CHUNK_VECTOR_DIMENSIONS))
    vectors = kinds[rng.integers(0, len(kinds), count)] + 0.6 * rng.normal(
        size=(count, CHUNK_VECTOR_DIMENSIONS)
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store_id = uuid.uuid4()
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO store_connections (id, tenant_id, base_url, credentials_ciphertext)"
            " VALUES (%s, %s, 'https://shop.test', '')",
            (store_id, tenant_id),
        )
        with conn.cursor().copy(
            "COPY products (id, tenant_id, store_id, external_id, name, permalink, content_hash)"
            " FROM STDIN"
        ) as copy:
            product_ids = [uuid.uuid4() for _ in range(count)]
            for i, product_id in enumerate(product_ids):
                url = f"https://shop.test/{i}"
                copy.write_row((product_id, tenant_id, store_id, str(i), f"P{i}", url, "h"))
        with conn.cursor().copy(
            "COPY chunks (id, tenant_id, product_id, ordinal, title, body, token_count,"
            " embedding_space) FROM STDIN"
        ) as copy:
            for product_id in product_ids:
                # The chunk's id is its product's (one chunk each).
                copy.write_row(
                    (product_id, tenant_id, product_id, 0, "t", "b", 1, MINILM_L6_V2.name)
                )
        with conn.cursor().copy(
            "COPY chunk_vectors (id, tenant_id, product_id, embedding_space, embedding) FROM STDIN"
        ) as copy:
            for product_id, vector in zip(product_ids, vectors, strict=True):
                copy.write_row(
                    (
                        product_id,
                        tenant_id,
                        product_id,
                        MINILM_L6_V2.name,
                        vector_literal(vector.tolist()),
                    )
                )
        conn.execute("ANALYZE chunks")
        conn.execute("ANALYZE chunk_vectors")
    return vectors
