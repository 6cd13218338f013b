"""Each tenant's search vocabulary kept with the catalogue: `search_vocabularies`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

Retrieval computed, per question for a tenant not in its process's 60 s cache, the
store's categories and attribute values (DISTINCT over every published product) and the
number of its chunks (the IDF total): 17 + 9.5 + 10.5 ms of an 85 ms p95 at 1,000
tenants x 2,000 products (bench/README_retrieval.md). Now ingestion keeps them in one row
per tenant (core.search_vocabulary) and retrieval reads it by primary key.

- A tenant table: primary key (tenant_id), row-level security ENABLED and FORCED with the
  same policy as every other (0002), so the catalogue-driven account export and erasure
  cover it, and it goes with its tenant (ON DELETE CASCADE).
- Backfilled for every tenant in one set-based statement (each of products and chunks
  read once, no loop per tenant), as the migrating role sees them: a superuser or a role
  with BYPASSRLS sees every tenant. A tenant left without a row is computed by its next
  write, and by retrieval's fallback until then.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"

# As core.search_vocabulary.BACKFILL_SQL.
BACKFILL_SQL = """
    INSERT INTO search_vocabularies
        (tenant_id, categories, attribute_values, chunk_counts, refreshed_at)
    SELECT t.id, coalesce(c.categories, '{}'), coalesce(a.attribute_values, '{}'),
           coalesce(k.chunk_counts, '{}'), now()
    FROM tenants t
    LEFT JOIN (
        SELECT p.tenant_id, array_agg(DISTINCT lower(cat) ORDER BY lower(cat)) AS categories
        FROM products p, unnest(p.categories) AS cat
        WHERE p.status = 'publish' GROUP BY p.tenant_id
    ) c ON c.tenant_id = t.id
    LEFT JOIN (
        SELECT p.tenant_id,
               array_agg(DISTINCT lower(val) ORDER BY lower(val)) AS attribute_values
        FROM products p, jsonb_each(p.attributes) AS kv,
             jsonb_array_elements_text(kv.value) AS val
        WHERE p.status = 'publish' AND jsonb_typeof(kv.value) = 'array'
        GROUP BY p.tenant_id
    ) a ON a.tenant_id = t.id
    LEFT JOIN (
        SELECT tenant_id, jsonb_object_agg(embedding_space, n) AS chunk_counts FROM (
            SELECT tenant_id, embedding_space, count(*) AS n FROM chunks
            GROUP BY tenant_id, embedding_space
        ) s GROUP BY tenant_id
    ) k ON k.tenant_id = t.id
    ON CONFLICT (tenant_id) DO NOTHING
"""


def upgrade() -> None:
    op.create_table(
        "search_vocabularies",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("categories", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column(
            "attribute_values", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column(
            "chunk_counts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "refreshed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_search_vocabularies_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_search_vocabularies")),
    )
    op.execute("ALTER TABLE search_vocabularies ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE search_vocabularies FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON search_vocabularies "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )
    op.execute(BACKFILL_SQL)


def downgrade() -> None:
    op.drop_table("search_vocabularies")
