"""The vector index sweep (ingestion.indexing.vector_index_sweep) on real PostgreSQL: an
erased business's partial HNSW index is dropped, by the sweep and by `DELETE /v1/tenant`'s
upkeep, and the other tenants' indexes stay. Thresholds are set low; the chunks are
written as the owner (tests/support/vector_chunks: no embedding is needed for a graph)."""

from __future__ import annotations

import psycopg
from sqlalchemy.engine import URL

from core.db.database import Database
from core.ids import TenantId
from ingestion.indexing.vector_index_sweep import (
    indexed_tenants,
    sweep_vector_indexes,
    upkeep_erased_tenant,
)
from ingestion.indexing.vector_indexes import (
    IndexChange,
    VectorIndexPolicy,
    index_name,
    maintain_tenant_vector_index,
    owner_conninfo,
)
from tests.support.sync import new_tenant
from tests.support.vector_chunks import seed_chunks

CREATE_AT, DROP_BELOW = 200, 100


def erase_as_owner(owner_url: URL, tenant_id: TenantId) -> None:
    """What the erasure's transaction leaves: no row of the tenant (the cascade)."""
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        conn.execute("DELETE FROM tenants WHERE id = %s", (tenant_id,))


def index_exists(owner_url: URL, tenant_id: TenantId) -> bool:
    with psycopg.connect(owner_conninfo(owner_url), autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (index_name(tenant_id),))
        return bool(row.fetchone()[0])  # type: ignore[index]


async def indexed(owner_url: URL, tenant_id: TenantId, policy: VectorIndexPolicy) -> None:
    upkeep = await maintain_tenant_vector_index(
        owner_url, tenant_id, create_at=policy.create_at, drop_below=policy.drop_below
    )
    assert upkeep.change is IndexChange.CREATED, upkeep
    assert index_exists(owner_url, tenant_id)


async def test_the_sweep_drops_an_erased_tenants_index_and_keeps_the_others(
    owner_url: URL, committed_db: Database
) -> None:
    policy = VectorIndexPolicy(owner_url, create_at=CREATE_AT, drop_below=DROP_BELOW)
    erased = await new_tenant(committed_db, "Erased big shop")
    kept = await new_tenant(committed_db, "Kept big shop")
    small = await new_tenant(committed_db, "Small shop")
    for seed, (tenant, count) in enumerate(((erased, 300), (kept, 300), (small, 50))):
        seed_chunks(owner_url, tenant, count, seed=seed)
    await indexed(owner_url, erased, policy)
    await indexed(owner_url, kept, policy)
    assert {erased, kept} <= set(await indexed_tenants(policy))
    assert small not in await indexed_tenants(policy)

    erase_as_owner(owner_url, erased)
    assert index_exists(owner_url, erased)  # the cascade took the rows, not the index

    upkeeps = {u.tenant_id: u for u in await sweep_vector_indexes(policy)}
    assert upkeeps[erased].change is IndexChange.DROPPED and upkeeps[erased].chunks == 0
    assert upkeeps[kept].change is IndexChange.UNCHANGED and upkeeps[kept].indexed
    assert small not in upkeeps
    assert not index_exists(owner_url, erased)
    assert index_exists(owner_url, kept)
    assert erased not in await indexed_tenants(policy)

    # Idempotent: a second sweep finds nothing more to drop.
    again = {u.tenant_id: u.change for u in await sweep_vector_indexes(policy)}
    assert erased not in again and again[kept] is IndexChange.UNCHANGED


async def test_an_erased_tenants_upkeep_drops_its_index_at_once(
    owner_url: URL, committed_db: Database
) -> None:
    policy = VectorIndexPolicy(owner_url, create_at=CREATE_AT, drop_below=DROP_BELOW)
    tenant = await new_tenant(committed_db, "Leaving shop")
    seed_chunks(owner_url, tenant, 250, seed=9)
    await indexed(owner_url, tenant, policy)
    erase_as_owner(owner_url, tenant)

    upkeep = await upkeep_erased_tenant(tenant, policy)

    assert upkeep is not None and upkeep.change is IndexChange.DROPPED, upkeep
    assert not index_exists(owner_url, tenant)
    # Without an owner's URL in this process there is nothing to do (the sweep does it).
    assert await upkeep_erased_tenant(tenant, None) is None
