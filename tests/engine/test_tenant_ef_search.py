"""ef_search follows the tenant's plan: a tenant whose own HNSW index (named as ingestion
names it) holds LARGE_INDEX_CHUNKS or more is searched with at least LARGE_INDEX_EF_SEARCH;
a smaller index, or none (an exact search, where ef_search is moot), keeps the setting."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import URL

from core import search_vocabulary
from core.db.database import Database
from core.ids import TenantId
from engine.retrieval.repository import (
    LARGE_INDEX_CHUNKS,
    LARGE_INDEX_EF_SEARCH,
    TENANT_INDEX_PREFIX,
    configure_search,
    search_settings,
)
from ingestion.indexing.vector_indexes import LARGE_GRAPH_CHUNKS, graph_parameters, index_name
from tests.support.sync import new_tenant


def test_the_engine_names_and_sizes_a_tenant_index_as_ingestion_does() -> None:
    tenant_id = uuid.uuid4()
    assert TENANT_INDEX_PREFIX + tenant_id.hex == index_name(tenant_id)
    assert LARGE_INDEX_CHUNKS == LARGE_GRAPH_CHUNKS


def test_a_big_tenant_graph_is_built_richer() -> None:
    small, big = graph_parameters(10_000), graph_parameters(100_000)
    assert (small.m, small.ef_construction) == (16, 64)  # pgvector's defaults
    assert big.ef_construction > small.ef_construction and big.m >= small.m


async def _ef_search(db: Database, tenant_id: TenantId, ef_search: int) -> int:
    """The ef_search a transaction gets, set on its own (`configure_search`) and with the
    vocabulary's read (`search_settings`, as the retriever sets it): the same."""
    found = []
    for together in (False, True):
        async with db.tenant_session(tenant_id) as session:
            if together:
                settings = search_settings(ef_search=ef_search, tenant_id=tenant_id)
                await search_vocabulary.read(session, tenant_id, "space", settings=settings)
            else:
                await configure_search(session, ef_search=ef_search, tenant_id=tenant_id)
            found.append(
                tuple(
                    (
                        await session.execute(
                            text(
                                "SELECT current_setting('hnsw.ef_search'), "
                                "current_setting('hnsw.iterative_scan'), "
                                "current_setting('plan_cache_mode')"
                            )
                        )
                    ).one()
                )
            )
    assert found[0] == found[1]
    assert found[0][1:] == ("relaxed_order", "force_custom_plan")
    return int(found[0][0])


async def test_a_tenant_with_a_large_index_is_searched_with_a_wider_ef_search(
    committed_db: Database, owner_url: URL
) -> None:
    indexed, exact = await new_tenant(committed_db, "Indexed"), await new_tenant(committed_db)
    conninfo = owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = index_name(indexed)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # The tenant has no chunks: its partial index is empty, made in an instant; its
        # size is what the planner's statistics say (set as ANALYZE would).
        conn.execute(
            f"CREATE INDEX {name} ON chunk_vectors USING hnsw"
            f" (embedding halfvec_cosine_ops) WHERE tenant_id = '{indexed}'::uuid"
        )

        def sized(chunks: int) -> None:
            conn.execute(
                "UPDATE pg_class SET reltuples = %s WHERE oid = %s::regclass", (chunks, name)
            )

        try:
            sized(LARGE_INDEX_CHUNKS)
            assert await _ef_search(committed_db, indexed, 100) == LARGE_INDEX_EF_SEARCH
            # A setting above it is kept; a smaller index or none keeps the setting.
            assert await _ef_search(committed_db, indexed, 900) == 900
            sized(LARGE_INDEX_CHUNKS - 1)
            assert await _ef_search(committed_db, indexed, 100) == 100
            assert await _ef_search(committed_db, exact, 100) == 100
        finally:
            conn.execute(f"DROP INDEX {name}")
