"""ef_search follows the tenant's plan: a tenant with its own HNSW index (named as
ingestion names it) is searched with at least INDEXED_EF_SEARCH, any other with the
settings' value (its search is exact, ef_search is moot there)."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import URL

from core.db.database import Database
from engine.retrieval.repository import (
    INDEXED_EF_SEARCH,
    configure_search,
    tenant_index_name,
)
from ingestion.indexing.vector_indexes import graph_parameters, index_name
from tests.support.sync import new_tenant


def test_the_engine_names_a_tenant_index_as_ingestion_does() -> None:
    tenant_id = uuid.uuid4()
    assert tenant_index_name(tenant_id) == index_name(tenant_id)


def test_a_big_tenant_graph_is_built_richer() -> None:
    small, big = graph_parameters(10_000), graph_parameters(100_000)
    assert (small.m, small.ef_construction) == (16, 64)  # pgvector's defaults
    assert big.ef_construction > small.ef_construction and big.m >= small.m


async def _ef_search(db: Database, tenant_id: uuid.UUID, ef_search: int) -> int:
    async with db.tenant_session(tenant_id) as session:
        await configure_search(session, ef_search=ef_search, tenant_id=tenant_id)
        value = await session.scalar(text("SELECT current_setting('hnsw.ef_search')"))
    return int(value or 0)


async def test_a_tenant_with_its_own_index_is_searched_with_a_wider_ef_search(
    committed_db: Database, owner_url: URL
) -> None:
    indexed, exact = await new_tenant(committed_db, "Indexed"), await new_tenant(committed_db)
    conninfo = owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # The tenant has no chunks: its partial index is empty, made in an instant.
        conn.execute(
            f"CREATE INDEX {index_name(indexed)} ON chunks USING hnsw"
            f" (embedding vector_cosine_ops) WHERE tenant_id = '{indexed}'::uuid"
        )
        try:
            assert await _ef_search(committed_db, indexed, 100) == INDEXED_EF_SEARCH
            # A setting above it is kept; a tenant without an index keeps the setting.
            assert await _ef_search(committed_db, indexed, 900) == 900
            assert await _ef_search(committed_db, exact, 100) == 100
        finally:
            conn.execute(f"DROP INDEX {index_name(indexed)}")
