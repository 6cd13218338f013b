"""The retrieval plan in the bench's database: every tenant's vector index upkeep run by the
product's own code (ingestion.indexing.vector_indexes, as after a sync), timed, and what
the chunk and vector tables and their indexes weigh (pg_relation_size).

A second run on the same `--data-dir` finds the indexes made and only reports them, with
the build time the first run recorded.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg

from bench.retrieval_measure import Tenant
from core.ids import TenantId
from ingestion.indexing.vector_indexes import (
    INDEX_PREFIX,
    IndexChange,
    maintain_tenant_vector_index,
)

PLAN_MARKER = "retrieval-plan.json"
GLOBAL_HNSW = "ix_chunk_vectors_hnsw"


async def upkeep(
    owner_uri: str, tenants: list[Tenant], data_dir: Path, create_at: int, drop_below: int
) -> str:
    """Runs the upkeep for every tenant; returns what it did, or what a first run did."""
    started = time.perf_counter()
    changes: Counter[str] = Counter()
    builds: list[float] = []
    for tenant_id, _ in tenants:
        done = await maintain_tenant_vector_index(
            owner_uri, TenantId(tenant_id), create_at=create_at, drop_below=drop_below
        )
        changes[done.change.value] += 1
        if done.change is IndexChange.CREATED:
            builds.append(done.seconds)
    took = time.perf_counter() - started
    marker = data_dir / PLAN_MARKER
    note = (
        f"vector index upkeep over {len(tenants)} tenants (threshold {create_at:,} chunks) in "
        f"{took:.0f} s: {dict(changes)}"
        + (
            f"; per-tenant HNSW builds took {', '.join(f'{b:.0f} s' for b in builds)}"
            if builds
            else ""
        )
    )
    if builds or not marker.exists():
        marker.write_text(json.dumps({"note": note}))
        return note
    return note + f" (first run: {json.loads(marker.read_text())['note']})"


def index_sizes(owner_uri: str) -> str:
    """The chunk and vector tables and their indexes, by kind, in MB."""
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c"
            " WHERE c.relname IN ('chunks', 'chunk_vectors', 'pk_chunks', 'pk_chunk_vectors')"
            " OR (c.relkind = 'i' AND (c.relname LIKE 'ix_chunks%'"
            " OR c.relname LIKE 'ix_chunk_vectors%'))"
        ).fetchall()
        toast = conn.execute(
            "SELECT sum(pg_relation_size(reltoastrelid)) FROM pg_class"
            " WHERE relname IN ('chunks', 'chunk_vectors')"
        ).fetchone()
    partial = [size for name, size in rows if name.startswith(INDEX_PREFIX)]
    parts = [
        f"{name} {size / 2**20:,.0f} MB"
        for name, size in sorted(rows)
        if not name.startswith(INDEX_PREFIX)
    ]
    if partial:
        parts.append(f"{len(partial)} per-tenant HNSW {sum(partial) / 2**20:,.0f} MB")
    if toast:
        parts.append(f"TOAST {toast[0] / 2**20:,.0f} MB")
    return "sizes: " + ", ".join(parts)


def hide_indexes_sql(pattern: str, hidden: bool) -> tuple[str, ...]:
    """Hides indexes from the planner without dropping them, for one config's what-if (a
    superuser's catalogue edit on the bench's own database: they are still maintained,
    and shown again afterwards at no cost)."""
    return (
        f"UPDATE pg_index SET indisvalid = {'false' if hidden else 'true'} WHERE indexrelid IN"
        f" (SELECT oid FROM pg_class WHERE relkind = 'i' AND relname LIKE '{pattern}')",
    )


WRITE_ROWS = 1_000


def write_costs(owner_uri: str, tenants: dict[str, uuid.UUID], global_hnsw: bool) -> str:
    """What writing chunks costs under each plan (the write amplification of the vector
    indexes): up to `WRITE_ROWS` copies of a tenant's chunks inserted in a transaction that is
    rolled back, timed, for each tenant class; with the global index present, once with
    it and once without (dropped inside the same rolled-back transaction)."""
    regimes = [("global HNSW + per-tenant", False), ("per-tenant only", True)]
    if not global_hnsw:
        regimes = [("per-tenant only", False)]
    parts = []
    with psycopg.connect(owner_uri, autocommit=True) as conn:
        for label, tenant_id in tenants.items():
            for regime, drop_global in regimes:
                with conn.transaction(force_rollback=True):
                    if drop_global:
                        conn.execute(f"DROP INDEX {GLOBAL_HNSW}")
                    started = time.perf_counter()
                    # As ingestion writes them: the chunk and its vector in one statement.
                    written = conn.execute(
                        "WITH src AS MATERIALIZED (SELECT gen_random_uuid() AS new_id, c.*,"
                        " v.embedding FROM chunks c JOIN chunk_vectors v"
                        " ON v.tenant_id = c.tenant_id AND v.id = c.id"
                        " WHERE c.tenant_id = %s LIMIT %s),"
                        " chunk_rows AS (INSERT INTO chunks (id, tenant_id, product_id, ordinal,"
                        " title, attributes_text, body, token_count, embedding_space)"
                        " SELECT new_id, tenant_id, product_id, ordinal + 1, title,"
                        " attributes_text, body, token_count, embedding_space FROM src)"
                        " INSERT INTO chunk_vectors (id, tenant_id, product_id,"
                        " embedding_space, embedding)"
                        " SELECT new_id, tenant_id, product_id, embedding_space, embedding"
                        " FROM src",
                        (tenant_id, WRITE_ROWS),
                    )
                    took = (time.perf_counter() - started) * 1000 / max(1, written.rowcount)
                parts.append(f"{label}, {regime}: {took:.2f} ms per chunk")
    return f"writing up to {WRITE_ROWS:,} chunks (rolled back): " + "; ".join(parts)
