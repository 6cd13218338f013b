"""Per-tenant HNSW indexes: the vector ranker's plan for tenants of every size.

There is no global HNSW index on the chunks' vectors (`chunk_vectors`; migration 0013
dropped the global one, 0019 moved the vectors out of `chunks`). A tenant's vector
search is one of two plans, both exact in what they filter and chosen by the planner:
- a tenant below `CREATE_AT_CHUNKS` chunks is read through the `tenant_id` b-tree and
  sorted exactly by distance (a 2,000-chunk tenant takes a few milliseconds; recall 1.0);
- a tenant at or above it gets its own partial index, `USING hnsw (embedding) WHERE
  tenant_id = '<id>'`, so its search walks a graph of its own chunks only: no other
  tenant's rows to filter out, which a global index shared by 1,000 tenants could not
  avoid (bench/README_retrieval.md has the measurements).

The planner uses a partial index only when it can prove the predicate, i.e. when the
statement's `tenant_id` is a value known at plan time: the engine's vector ranker passes
it as a parameter and sets `plan_cache_mode = force_custom_plan` for its transaction
(`engine.retrieval.repository.configure_search`), so every plan is made for the value;
RLS's `current_setting('app.tenant_id')` alone would never match it.

Creating and dropping indexes needs the table's owner, so this runs on the owner's URL
(`DATABASE_URL`), outside any transaction, with CONCURRENTLY: shoppers' reads and other
tenants' syncs go on while a 100,000-chunk graph is built (about a minute). An index
left invalid by an interrupted build is dropped and built again. Between the two
thresholds nothing changes, so a tenant near the line does not build and drop in turn.

The graph grows with the tenant (`graph_parameters`): pgvector's defaults below
LARGE_GRAPH_CHUNKS, a richer graph from it. A tenant that grows past it has its index
rebuilt once under the same name (ALTER INDEX SET, REINDEX CONCURRENTLY), never back.
The engine searches a tenant whose index holds LARGE_GRAPH_CHUNKS at a wider ef_search
(`engine.retrieval.repository.configure_search`). The nightly sweep's upkeep upgrades an
index built before a tenant grew (or before this rule) the same way.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum

import psycopg
from sqlalchemy.engine import URL

from core.db.embedded import running_embedded_url
from core.db.urls import with_psycopg_driver
from core.ids import TenantId
from core.settings import get_settings

log = logging.getLogger(__name__)

# Measured (bench.retrieval): an exact scan of a 10,000-chunk tenant still answers within
# the small tenants' budget; beyond it the exact sort grows linearly and the index wins.
CREATE_AT_CHUNKS = 10_000
DROP_BELOW_CHUNKS = 5_000
INDEX_PREFIX = "ix_chunk_vectors_hnsw_"
# The graph of a 100,000-chunk tenant (384-d halfvec, m=16) is about 112 MB (195 MB when the
# vectors were single precision): built in memory it takes about 30 s here, spilled to disk
# several times that.
BUILD_MEMORY = "512MB"
# Any constant: the first key of the advisory lock that serialises one tenant's upkeep.
_LOCK_CLASS = 0x5EC7
# From this many chunks the graph is built with more neighbours per node and a wider
# search while building (`graph_parameters`).
LARGE_GRAPH_CHUNKS = 50_000


@dataclass(frozen=True)
class GraphParameters:
    """pgvector's HNSW build options: `m` links per node, `ef_construction` candidates
    considered for them while building."""

    m: int
    ef_construction: int


def graph_parameters(chunks: int, large_at: int = LARGE_GRAPH_CHUNKS) -> GraphParameters:
    """The graph a tenant of `chunks` chunks is built with. pgvector's defaults (16, 64)
    serve a 10,000-chunk tenant (recall@10 0.99 at ef_search 100); the bench's
    100,000-chunk tenant found only 0.72 of its exact top 10 on such a graph at ef_search
    100 and 0.93 at 400. A richer graph costs build time and memory once per build, not
    per question (bench/README_retrieval.md, "HNSW quality by tenant size")."""
    if chunks >= large_at:
        return GraphParameters(m=16, ef_construction=200)
    return GraphParameters(m=16, ef_construction=64)


class IndexChange(StrEnum):
    CREATED = "created"
    REBUILT = "rebuilt"  # grown past LARGE_GRAPH_CHUNKS: the same index, a richer graph
    DROPPED = "dropped"
    UNCHANGED = "unchanged"
    BUSY = "busy"  # another process is maintaining this tenant's index right now
    FAILED = "failed"


@dataclass(frozen=True)
class IndexUpkeep:
    tenant_id: TenantId
    chunks: int
    change: IndexChange
    indexed: bool  # whether the tenant has its index afterwards
    seconds: float


def index_name(tenant_id: uuid.UUID) -> str:
    return INDEX_PREFIX + tenant_id.hex


def owner_conninfo(owner_url: URL | str) -> str:
    url = with_psycopg_driver(owner_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def maintain_tenant_vector_index(
    owner_url: URL | str,
    tenant_id: TenantId,
    *,
    create_at: int = CREATE_AT_CHUNKS,
    drop_below: int = DROP_BELOW_CHUNKS,
    build_memory: str = BUILD_MEMORY,
    large_graph_at: int = LARGE_GRAPH_CHUNKS,
) -> IndexUpkeep:
    """Create the tenant's HNSW index when it has `create_at` chunks or more, drop it when
    it has fewer than `drop_below`, rebuild it with a richer graph once the tenant has
    grown to `large_graph_at` (`graph_parameters`; never back). A database fault is logged
    and reported as FAILED: without its index a tenant is still searched, exactly, only
    more slowly."""
    started = time.perf_counter()
    try:
        async with await psycopg.AsyncConnection.connect(
            owner_conninfo(owner_url), autocommit=True
        ) as conn:
            return await _maintain(
                conn, tenant_id, (create_at, drop_below, large_graph_at), build_memory, started
            )
    except psycopg.Error as error:
        log.warning("vector index upkeep for tenant %s failed: %s", tenant_id, error)
        return IndexUpkeep(tenant_id, -1, IndexChange.FAILED, False, time.perf_counter() - started)


async def _maintain(
    conn: psycopg.AsyncConnection,
    tenant_id: TenantId,
    thresholds: tuple[int, int, int],  # create_at, drop_below, large_graph_at
    build_memory: str,
    started: float,
) -> IndexUpkeep:
    create_at, drop_below, large_graph_at = thresholds

    def outcome(chunks: int, change: IndexChange, indexed: bool) -> IndexUpkeep:
        return IndexUpkeep(tenant_id, chunks, change, indexed, time.perf_counter() - started)

    locked = await conn.execute(
        "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (_LOCK_CLASS, str(tenant_id))
    )
    if not (await locked.fetchone() or (False,))[0]:
        return outcome(-1, IndexChange.BUSY, False)
    name = index_name(tenant_id)
    try:
        chunks = await _count_chunks(conn, tenant_id)
        state = await _index_state(conn, name)
        if state is False:  # left invalid by an interrupted CONCURRENTLY build
            await conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            state = None
        if state is None and chunks >= create_at:
            await conn.execute(f"SET maintenance_work_mem = '{build_memory}'")
            # The tenant id is a uuid.UUID: its text is hex and dashes, safe to inline (a
            # partial index's predicate cannot take a parameter).
            graph = graph_parameters(chunks, large_graph_at)
            await conn.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON chunk_vectors"
                f" USING hnsw (embedding halfvec_cosine_ops) WITH (m = {graph.m},"
                f" ef_construction = {graph.ef_construction})"
                f" WHERE tenant_id = '{uuid.UUID(str(tenant_id))}'::uuid"
            )
            log.info("built the vector index of tenant %s (%d chunks)", tenant_id, chunks)
            return outcome(chunks, IndexChange.CREATED, True)
        if state is not None and chunks >= create_at:
            wanted = graph_parameters(chunks, large_graph_at)
            built = await _built_graph(conn, name)
            if wanted.m > built.m or wanted.ef_construction > built.ef_construction:
                await conn.execute(f"SET maintenance_work_mem = '{build_memory}'")
                # The same name, which the engine finds the index by; REINDEX CONCURRENTLY
                # serves reads from the old graph until the new one is ready.
                await conn.execute(
                    f"ALTER INDEX {name} SET (m = {wanted.m},"
                    f" ef_construction = {wanted.ef_construction})"
                )
                await conn.execute(f"REINDEX INDEX CONCURRENTLY {name}")
                log.info("rebuilt the vector index of tenant %s (%d chunks)", tenant_id, chunks)
                return outcome(chunks, IndexChange.REBUILT, True)
        if state is not None and chunks < drop_below:
            await conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            log.info("dropped the vector index of tenant %s (%d chunks)", tenant_id, chunks)
            return outcome(chunks, IndexChange.DROPPED, False)
        return outcome(chunks, IndexChange.UNCHANGED, state is not None)
    finally:
        await conn.execute(
            "SELECT pg_advisory_unlock(%s, hashtext(%s))", (_LOCK_CLASS, str(tenant_id))
        )


async def _count_chunks(conn: psycopg.AsyncConnection, tenant_id: TenantId) -> int:
    # With the tenant set, as the policies expect: an owner that is not a superuser is
    # under the forced row-level security too.
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id),))
        cursor = await conn.execute(
            "SELECT count(*) FROM chunks WHERE tenant_id = %s", (tenant_id,)
        )
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _built_graph(conn: psycopg.AsyncConnection, name: str) -> GraphParameters:
    """The options the index was built with (pgvector's defaults where none was given)."""
    cursor = await conn.execute("SELECT reloptions FROM pg_class WHERE relname = %s", (name,))
    row = await cursor.fetchone()
    options = dict(o.split("=", 1) for o in ((row[0] if row else None) or []))
    return GraphParameters(int(options.get("m", 16)), int(options.get("ef_construction", 64)))


async def _index_state(conn: psycopg.AsyncConnection, name: str) -> bool | None:
    """None: no such index; else whether it is valid (usable by the planner)."""
    cursor = await conn.execute(
        "SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid"
        " WHERE c.relname = %s AND c.relkind = 'i'",
        (name,),
    )
    row = await cursor.fetchone()
    return None if row is None else bool(row[0])


@dataclass(frozen=True)
class VectorIndexPolicy:
    """With which owner's URL, and at which chunk counts, a tenant's index is upkept."""

    owner_url: URL | str
    create_at: int = CREATE_AT_CHUNKS
    drop_below: int = DROP_BELOW_CHUNKS

    @classmethod
    def configured(cls) -> VectorIndexPolicy | None:
        """`DATABASE_URL`, or the embedded server this process already runs for its data
        dir (never one it would start); None when it has neither."""
        settings = get_settings()
        if settings.database_url:
            return cls(with_psycopg_driver(settings.database_url))
        running = running_embedded_url(settings.data_dir)
        return cls(with_psycopg_driver(running)) if running else None


async def maintain_after_sync(
    tenant_id: TenantId, policy: VectorIndexPolicy | None = None
) -> IndexUpkeep | None:
    """After a sync completed: the tenant's chunk count may have crossed a threshold.
    `policy` None: the process's configured one; None when it has no owner's URL."""
    policy = policy or VectorIndexPolicy.configured()
    if policy is None:
        log.debug("no owner database URL: vector index upkeep for %s skipped", tenant_id)
        return None
    return await maintain_tenant_vector_index(
        policy.owner_url, tenant_id, create_at=policy.create_at, drop_below=policy.drop_below
    )
