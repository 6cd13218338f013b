"""Migration 0019 on a populated database: every chunk's vector moves to `chunk_vectors`
(at half precision), with its owner and space; a tenant's HNSW index is built again on the new table
with the graph it had; the downgrade puts the vectors and the index back on `chunks`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from alembic import command
from core.db import migrate
from ingestion.indexing.vector_indexes import owner_conninfo
from tests.support.migrated_database import database_at, insert_shop

BEFORE, AFTER = "0018", "0019"


@pytest.fixture
def database_at_0018(owner_url: URL) -> Iterator[URL]:
    with database_at(owner_url, BEFORE, "chunk_vectors") as url:
        yield url


def _populate(conn: psycopg.Connection, products: int, seed: float) -> uuid.UUID:
    """A tenant with `products` one-chunk products and a knowledge document's chunk, each
    vector its own (the chunk's ordinal in the tenant, scaled by `seed`)."""
    tenant, store, document = insert_shop(conn)
    owners: list[tuple[uuid.UUID | None, uuid.UUID | None]] = [(None, document)]
    for number in range(products):
        product = uuid.uuid4()
        conn.execute(
            "INSERT INTO products (id, tenant_id, store_id, external_id, name, content_hash)"
            " VALUES (%s, %s, %s, %s, 'P', 'h')",
            (product, tenant, store, str(number)),
        )
        owners.append((product, None))
    for number, (owner_product, knowledge) in enumerate(owners):
        conn.execute(
            "INSERT INTO chunks (id, tenant_id, product_id, knowledge_document_id, ordinal,"
            " title, body, token_count, embedding_space, embedding) VALUES (gen_random_uuid(),"
            " %s, %s, %s, 0, 't', 'b', 1, 'minilm-l6-v2',"
            " array_fill(%s::real, ARRAY[384])::vector)",
            (tenant, owner_product, knowledge, seed * (number + 1)),
        )
    return tenant


def _vectors(conn: psycopg.Connection, table: str) -> dict[uuid.UUID, tuple]:
    rows = conn.execute(
        "SELECT id, tenant_id, product_id, knowledge_document_id, embedding_space,"
        f" embedding::halfvec::text FROM {table}"
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def _hnsw_indexes(conn: psycopg.Connection) -> list[tuple[str, str, list[str]]]:
    """(table, index, reloptions) of every HNSW index on the chunks' two tables."""
    rows = conn.execute(
        "SELECT t.relname, c.relname, c.reloptions FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
        " JOIN pg_am a ON a.oid = c.relam"
        " WHERE a.amname = 'hnsw' AND t.relname IN ('chunks', 'chunk_vectors') ORDER BY 2"
    ).fetchall()
    return [(str(table), str(name), list(options or [])) for table, name, options in rows]


def _has_embedding_column(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_attribute WHERE attrelid = 'chunks'::regclass"
        " AND attname = 'embedding' AND NOT attisdropped"
    ).fetchone()
    return bool(row and row[0])


def test_the_vectors_and_a_tenants_index_move_and_move_back(database_at_0018: URL) -> None:
    config = migrate.alembic_config(database_at_0018)
    with psycopg.connect(owner_conninfo(database_at_0018), autocommit=True) as conn:
        big, small = _populate(conn, 3, 0.01), _populate(conn, 1, 0.02)
        old_index = f"ix_chunks_embedding_hnsw_{big.hex}"
        conn.execute(
            f"CREATE INDEX {old_index} ON chunks USING hnsw (embedding vector_cosine_ops)"
            f" WITH (m = 16, ef_construction = 200) WHERE tenant_id = '{big}'::uuid"
        )
        before = _vectors(conn, "chunks")
        assert len(before) == 6 and len({v[4] for v in before.values()}) == 4  # own vectors

        command.upgrade(config, AFTER)
        assert _vectors(conn, "chunk_vectors") == before
        assert not _has_embedding_column(conn)
        new_index = f"ix_chunk_vectors_hnsw_{big.hex}"
        assert _hnsw_indexes(conn) == [
            ("chunk_vectors", new_index, ["m=16", "ef_construction=200"])
        ]
        definition = conn.execute("SELECT pg_get_indexdef(%s::regclass)", (new_index,)).fetchone()
        assert definition is not None and f"WHERE (tenant_id = '{big}'::uuid)" in definition[0]
        forced = conn.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = 'chunk_vectors'"
        ).fetchone()
        assert forced == (True, True)

        command.downgrade(config, BEFORE)
        assert _vectors(conn, "chunks") == before
        assert conn.execute("SELECT to_regclass('chunk_vectors')").fetchone() == (None,)
        assert _hnsw_indexes(conn) == [("chunks", old_index, ["m=16", "ef_construction=200"])]

        command.upgrade(config, AFTER)
        assert _vectors(conn, "chunk_vectors") == before
        # A chunk's deletion (a product replaced or removed) takes its vector with it.
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(small),))
        conn.execute("DELETE FROM chunks WHERE tenant_id = %s", (small,))
        left = {v[0] for v in _vectors(conn, "chunk_vectors").values()}
        assert left == {big}
