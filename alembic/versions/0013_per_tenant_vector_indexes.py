"""Vector search by tenant: no global HNSW index, a partial one per big tenant.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-06

One HNSW index over every tenant's chunks served nobody well at 1,000 tenants: a small
tenant's search is faster as an exact sort of its own rows (the planner chose that
already), and a big tenant's search walked a graph of everyone's chunks, filtering out
the other tenants' ones (pgvector's iterative scan), while every chunk written by any
sync paid for inserting into that one graph, and building it took far longer than the
table's load. Now a tenant with 10,000 chunks or more has its own partial index
(`ix_chunks_embedding_hnsw_<tenant hex>`, `WHERE tenant_id = '<id>'`), created and
dropped by `ingestion.indexing.vector_indexes` after a sync; the measurements are in
bench/README_retrieval.md.

The tenants already above the threshold get their index here (counted as the migrating
role: a superuser or a role with BYPASSRLS sees them; otherwise their next sync builds it).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As ingestion.indexing.vector_indexes (a migration does not import application code).
CREATE_AT_CHUNKS = 10_000
INDEX_PREFIX = "ix_chunks_embedding_hnsw_"


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_chunks_embedding_hnsw")
    # The tenants are read into an array first: CREATE INDEX refuses to run while a
    # query over the same table (the loop's own cursor) is still open.
    op.execute(f"""
        DO $$
        DECLARE
            big uuid[];
            t uuid;
        BEGIN
            SELECT coalesce(array_agg(tenant_id), '{{}}') INTO big FROM (
                SELECT tenant_id FROM chunks GROUP BY tenant_id
                HAVING count(*) >= {CREATE_AT_CHUNKS}
            ) counted;
            FOREACH t IN ARRAY big LOOP
                EXECUTE format(
                    'CREATE INDEX IF NOT EXISTS %I ON chunks USING hnsw '
                    '(embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64) '
                    'WHERE tenant_id = %L::uuid',
                    '{INDEX_PREFIX}' || replace(t::text, '-', ''), t);
            END LOOP;
        END $$
    """)


def downgrade() -> None:
    op.execute(f"""
        DO $$
        DECLARE name text;
        BEGIN
            FOR name IN SELECT relname FROM pg_class
                        WHERE relkind = 'i' AND relname LIKE '{INDEX_PREFIX}%'
            LOOP
                EXECUTE format('DROP INDEX %I', name);
            END LOOP;
        END $$
    """)
    op.execute(
        "CREATE INDEX ix_chunks_embedding_hnsw ON chunks"
        " USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
    )
