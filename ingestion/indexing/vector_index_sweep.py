"""Per-tenant vector indexes kept true between syncs: nightly, and after a business is erased.

`maintain_after_sync` (ingestion.indexing.vector_indexes) decides a tenant's index when a
sync of its catalogue completes. Two changes happen without a sync:
- a business is erased: the cascade deletes its chunks, but an index is not a row, and
  its partial index (`WHERE tenant_id = <id>`) stays behind, empty. Empty is small, yet
  the planner weighs every partial index of `chunk_vectors` against every vector statement it
  plans (one custom plan per question), so dead ones cost every tenant a little;
- knowledge documents (not a sync) add or remove chunks of a tenant that has an index.

The sweep lists the tenants that have an index (from the catalogue: the index names carry
the tenant id) and upkeeps each as after a sync: a tenant with no chunks left, erased or
emptied, is below the drop threshold, so its index is dropped; the others are rebuilt if
invalid, dropped if they shrank. A tenant that grows past the threshold through knowledge
documents alone is not found here (it has no index yet): its next sync, or the nightly
reconcile, builds it. The erasure flow upkeeps its tenant right after the erasure too.
"""

from __future__ import annotations

import logging
import uuid

import psycopg

from core.ids import TenantId
from ingestion.indexing.vector_indexes import (
    INDEX_PREFIX,
    IndexChange,
    IndexUpkeep,
    VectorIndexPolicy,
    maintain_tenant_vector_index,
    owner_conninfo,
)

log = logging.getLogger(__name__)


def _tenant_of(index: str) -> TenantId | None:
    try:
        return TenantId(uuid.UUID(hex=index.removeprefix(INDEX_PREFIX)))
    except ValueError:
        return None  # a name of the prefix this module did not make: not ours to touch


async def indexed_tenants(policy: VectorIndexPolicy) -> list[TenantId]:
    """The tenants that have a per-tenant vector index on `chunk_vectors` (valid or not)."""
    async with await psycopg.AsyncConnection.connect(
        owner_conninfo(policy.owner_url), autocommit=True
    ) as conn:
        cursor = await conn.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = 'chunk_vectors'::regclass AND starts_with(c.relname, %s)"
            " ORDER BY c.relname",
            (INDEX_PREFIX,),
        )
        names = [row[0] for row in await cursor.fetchall()]
    return [tenant for tenant in map(_tenant_of, names) if tenant is not None]


async def sweep_vector_indexes(policy: VectorIndexPolicy | None = None) -> list[IndexUpkeep]:
    """Upkeep every tenant that has an index (see the module); what each came to. A
    database fault is logged and the sweep ends (the next one starts over)."""
    policy = policy or VectorIndexPolicy.configured()
    if policy is None:
        log.debug("no owner database URL: the vector index sweep is skipped")
        return []
    try:
        tenants = await indexed_tenants(policy)
    except psycopg.Error as error:
        log.warning("vector index sweep: could not list the indexes: %s", error)
        return []
    upkeeps = [
        await maintain_tenant_vector_index(
            policy.owner_url, tenant, create_at=policy.create_at, drop_below=policy.drop_below
        )
        for tenant in tenants
    ]
    dropped = sum(1 for upkeep in upkeeps if upkeep.change is IndexChange.DROPPED)
    log.info(
        "vector index sweep: %d indexed tenant(s), %d index(es) dropped", len(tenants), dropped
    )
    return upkeeps


async def upkeep_erased_tenant(
    tenant_id: TenantId, policy: VectorIndexPolicy | None = None
) -> IndexUpkeep | None:
    """Right after a business is erased: its index, if it had one, is dropped (it has no
    chunks left). None when this process has no owner's URL (the nightly sweep then does it)."""
    policy = policy or VectorIndexPolicy.configured()
    if policy is None:
        return None
    return await maintain_tenant_vector_index(
        policy.owner_url, tenant_id, create_at=policy.create_at, drop_below=policy.drop_below
    )
