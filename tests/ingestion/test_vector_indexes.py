"""Per-tenant HNSW indexes (ingestion.indexing.vector_indexes) on real PostgreSQL/pgvector:
made past the threshold, used by the planner for that tenant only, dropped below it, and
row-level security still the wall between tenants.

The catalogues are random unit vectors written straight in as the owner (no embedding:
the exact neighbours are computed here with numpy), thresholds set low."""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import psycopg
from sqlalchemy.engine import URL

from bench.retrieval_recall import captured_vector_statement
from core.crypto import SecretBox
from core.db.database import Database
from core.embedding_spaces import CHUNK_VECTOR_DIMENSIONS, MINILM_L6_V2
from core.ids import TenantId
from engine.retrieval import repository
from engine.retrieval.filters import QueryFilters
from ingestion.indexing.vector_indexes import (
    IndexChange,
    VectorIndexPolicy,
    graph_parameters,
    index_name,
    maintain_after_sync,
    maintain_tenant_vector_index,
    owner_conninfo,
)
from ingestion.sync.service import run_sync
from tests.support.sync import MemoEmbedder, connect_store, new_tenant
from tests.support.vector_chunks import seed_chunks
from tests.support.woo_store import FakeWooStore

CREATE_AT, DROP_BELOW = 1_000, 500
BIG, SMALL = 6_000, 300
CANDIDATES = 40


def exact_top(vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(i) for i in np.argsort(-(vectors @ query))[:k]]


async def rank(
    db: Database, session_tenant: TenantId, tenant_id: TenantId, query: np.ndarray
) -> tuple[list[uuid.UUID], str]:
    """The engine's vector ranker (text ranker off) for `tenant_id` in a session of
    `session_tenant`: the chunk ids nearest first, and the plan PostgreSQL ran it with."""
    with captured_vector_statement(db) as seen:
        async with db.tenant_session(session_tenant) as session:
            found = await repository.hybrid_candidates(
                session,
                tenant_id=tenant_id,
                space=MINILM_L6_V2.name,
                query_vector=query.tolist(),
                filters=QueryFilters(search_text="anything"),
                store_id=None,
                candidates=CANDIDATES,
                vector_weight=1.0,
                text_weight=0.0,
                rrf_k=60,
                ef_search=100,
            )
            statement, parameters = seen[-1]
            connection = await session.connection()
            plan = await connection.exec_driver_sql("EXPLAIN " + statement, parameters)
            text_plan = "\n".join(row[0] for row in plan.all())
    ranked = sorted((c for c in found if c.vector_rank), key=lambda c: c.vector_rank or 0)
    return [c.chunk_id for c in ranked], text_plan


def hnsw_indexes(owner_url: URL) -> list[str]:
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT indexdef FROM pg_indexes"
            " WHERE tablename = 'chunk_vectors' AND indexdef ILIKE '%hnsw%'"
        ).fetchall()
    return [row[0] for row in rows]


async def test_a_big_tenant_gets_its_own_index_the_planner_uses_and_small_ones_stay_exact(
    committed_db: Database, owner_url: URL
) -> None:
    big, small = await new_tenant(committed_db, "Big"), await new_tenant(committed_db, "Small")
    big_vectors = seed_chunks(owner_url, big, BIG, seed=1)
    small_vectors = seed_chunks(owner_url, small, SMALL, seed=2)
    big_ids = await _ids_in_row_order(owner_url, big)
    small_ids = await _ids_in_row_order(owner_url, small)

    made = await maintain_tenant_vector_index(
        owner_url, big, create_at=CREATE_AT, drop_below=DROP_BELOW
    )
    kept = await maintain_tenant_vector_index(
        owner_url, small, create_at=CREATE_AT, drop_below=DROP_BELOW
    )
    assert (made.change, made.indexed, made.chunks) == (IndexChange.CREATED, True, BIG)
    assert (kept.change, kept.indexed, kept.chunks) == (IndexChange.UNCHANGED, False, SMALL)
    ours = [d for d in hnsw_indexes(owner_url) if index_name(big) in d]
    assert len(ours) == 1 and f"WHERE (tenant_id = '{big}'::uuid)" in ours[0]
    assert not [d for d in hnsw_indexes(owner_url) if str(small) in d]
    again = await maintain_tenant_vector_index(
        owner_url, big, create_at=CREATE_AT, drop_below=DROP_BELOW
    )
    assert (again.change, again.indexed) == (IndexChange.UNCHANGED, True)

    # Questions near some product, as a shopper's are.
    rng = np.random.default_rng(3)
    queries = big_vectors[rng.integers(0, BIG, 5)] + 0.05 * rng.normal(
        size=(5, CHUNK_VECTOR_DIMENSIONS)
    )
    recalls = []
    for query in queries / np.linalg.norm(queries, axis=1, keepdims=True):
        found, plan = await rank(committed_db, big, big, query)
        assert index_name(big) in plan, plan  # the tenant's own graph, proven by its value
        exact = {big_ids[i] for i in exact_top(big_vectors, query, 10)}
        recalls.append(len(exact & set(found[:10])) / 10)

        found, plan = await rank(committed_db, small, small, query)
        assert "hnsw" not in plan, plan  # below the threshold: the tenant's rows, sorted
        assert found[:10] == [small_ids[i] for i in exact_top(small_vectors, query, 10)]
    assert sum(recalls) / len(recalls) >= 0.9, recalls


async def test_row_level_security_still_isolates_a_tenant_with_its_own_index(
    committed_db: Database, owner_url: URL
) -> None:
    big, other = await new_tenant(committed_db, "Big"), await new_tenant(committed_db, "Other")
    seed_chunks(owner_url, big, BIG, seed=4)
    seed_chunks(owner_url, other, SMALL, seed=5)
    await maintain_tenant_vector_index(owner_url, big, create_at=CREATE_AT, drop_below=DROP_BELOW)
    query = np.random.default_rng(6).normal(size=CHUNK_VECTOR_DIMENSIONS)
    # The other tenant's session naming the big tenant: the partial index's predicate is
    # proven by the statement, the policy still hides every row.
    found, _ = await rank(committed_db, other, big, query / np.linalg.norm(query))
    assert found == []
    found, _ = await rank(committed_db, big, big, query / np.linalg.norm(query))
    assert len(found) == CANDIDATES


async def test_the_index_is_dropped_below_the_lower_threshold_and_an_invalid_one_rebuilt(
    committed_db: Database, owner_url: URL
) -> None:
    tenant = await new_tenant(committed_db, "Shrinking")
    seed_chunks(owner_url, tenant, 1_200, seed=7)
    policy = VectorIndexPolicy(owner_url, create_at=CREATE_AT, drop_below=DROP_BELOW)
    assert (await maintain_after_sync(tenant, policy) or _none()).change is IndexChange.CREATED
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        # What an interrupted CREATE INDEX CONCURRENTLY leaves: an index marked invalid.
        conn.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass",
            (index_name(tenant),),
        )
    rebuilt = await maintain_after_sync(tenant, policy) or _none()
    assert (rebuilt.change, rebuilt.indexed) == (IndexChange.CREATED, True)
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        valid = conn.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass",
            (index_name(tenant),),
        ).fetchone()
        assert valid == (True,)
        # Between the thresholds nothing changes; below the lower one the index goes.
        conn.execute(
            "DELETE FROM chunks WHERE id IN (SELECT id FROM chunks WHERE tenant_id = %s LIMIT 500)",
            (tenant,),
        )
        between = await maintain_after_sync(tenant, policy) or _none()
        assert (between.change, between.indexed) == (IndexChange.UNCHANGED, True)
        conn.execute(
            "DELETE FROM chunks WHERE id IN (SELECT id FROM chunks WHERE tenant_id = %s LIMIT 300)",
            (tenant,),
        )
    dropped = await maintain_after_sync(tenant, policy) or _none()
    assert (dropped.change, dropped.indexed, dropped.chunks) == (IndexChange.DROPPED, False, 400)
    assert not [d for d in hnsw_indexes(owner_url) if index_name(tenant) in d]


async def test_a_tenant_grown_large_gets_its_index_rebuilt_with_a_richer_graph_once(
    committed_db: Database, owner_url: URL
) -> None:
    tenant = await new_tenant(committed_db, "Growing")
    seed_chunks(owner_url, tenant, 1_200, seed=8)

    async def upkeep(large_graph_at: int) -> tuple[IndexChange, str]:
        done = await maintain_tenant_vector_index(
            owner_url,
            tenant,
            create_at=CREATE_AT,
            drop_below=DROP_BELOW,
            large_graph_at=large_graph_at,
        )
        (definition,) = [d for d in hnsw_indexes(owner_url) if index_name(tenant) in d]
        return done.change, definition

    small = graph_parameters(1_200)
    change, definition = await upkeep(large_graph_at=100_000)
    assert change is IndexChange.CREATED
    assert f"m='{small.m}', ef_construction='{small.ef_construction}'" in definition
    # The same tenant counted as large (as after growing past the threshold).
    large = graph_parameters(1_200, large_at=1_000)
    change, definition = await upkeep(large_graph_at=1_000)
    assert change is IndexChange.REBUILT
    assert f"m='{large.m}', ef_construction='{large.ef_construction}'" in definition
    assert (await upkeep(large_graph_at=1_000))[0] is IndexChange.UNCHANGED
    # Never back to the smaller graph.
    assert (await upkeep(large_graph_at=100_000))[0] is IndexChange.UNCHANGED


async def test_a_completed_sync_builds_the_index_of_a_tenant_past_the_threshold(
    committed_db: Database,
    owner_url: URL,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
) -> None:
    tenant = await new_tenant(committed_db, "Synced")
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        outbound=fake_store.outbound_policy,
        vector_indexes=VectorIndexPolicy(owner_url, create_at=1, drop_below=1),
    )
    assert record.status == "succeeded", record
    ours = [d for d in hnsw_indexes(owner_url) if index_name(tenant) in d]
    assert len(ours) == 1 and f"WHERE (tenant_id = '{tenant}'::uuid)" in ours[0]


async def test_a_second_process_does_not_build_the_same_index_at_once(
    committed_db: Database, owner_url: URL
) -> None:
    tenant = await new_tenant(committed_db, "Busy")
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (0x5EC7, str(tenant)))
        busy = await maintain_tenant_vector_index(owner_url, tenant, create_at=0)
        assert (busy.change, busy.indexed) == (IndexChange.BUSY, False)
    assert not [d for d in hnsw_indexes(owner_url) if index_name(tenant) in d]


async def test_without_an_owner_url_the_upkeep_is_skipped_and_no_server_is_started(
    committed_db: Database,
) -> None:
    # The test process has no DATABASE_URL and runs no embedded server for its data dir.
    assert VectorIndexPolicy.configured() is None
    assert await maintain_after_sync(await new_tenant(committed_db, "Nowhere")) is None


async def test_an_unreachable_owner_database_is_reported_not_raised(
    committed_db: Database, owner_url: URL
) -> None:
    tenant = await new_tenant(committed_db, "Unreachable")
    refused = owner_url.set(host="127.0.0.1", port=1, query={})
    done = await maintain_tenant_vector_index(refused, tenant)
    assert (done.change, done.indexed) == (IndexChange.FAILED, False)


async def _ids_in_row_order(owner_url: URL, tenant_id: TenantId) -> list[uuid.UUID]:
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT c.id FROM chunks c JOIN products p ON p.id = c.product_id"
            " WHERE c.tenant_id = %s ORDER BY p.external_id::int",
            (tenant_id,),
        ).fetchall()
    return [row[0] for row in rows]


def _none() -> Any:
    raise AssertionError("the upkeep was skipped")
