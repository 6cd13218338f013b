"""Retrieval's indexes usable under row-level security for a large tenant.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

Under a forced policy PostgreSQL evaluates the policy's condition before any condition of
the statement whose function is not LEAKPROOF, so such a condition can never be an index
condition: on the bench's 100,000-product tenant the text ranker and the product-name
match read every one of the tenant's rows on every question (bench/README_retrieval.md,
"Statement by statement"). Two changes make the indexes usable:

- `products.name_head`: the first word of the product's name, lower-cased, as a stored
  generated column with the index (tenant_id, name_head). The name match
  (engine.retrieval.named_products) asks for the heads its question can contain; text
  equality is LEAKPROOF, so the index serves it under the policy.
- `ts_match_vq` (the function of the full-text `@@` operator) marked LEAKPROOF, so the GIN
  index on `chunks.search_vector` serves the text ranker and the term statistics. Only a
  superuser may mark a function LEAKPROOF: when the migrating role is not one, this part
  is skipped with a warning (retrieval stays correct, a large tenant's text ranker stays a
  scan of its rows) and a superuser can run the statement later.

Why marking it is safe here: LEAKPROOF promises that the function reveals nothing about
its arguments except through its result (no error or message that depends on a row's
value). ts_match_vq evaluates a tsquery against a tsvector and raises no error that
depends on the tsvector: its only errors come from the query (its depth), which the
caller wrote. And the policy's guard is `app.tenant_id`, a setting the application role
may set itself: row-level security here is the wall against a statement of ours that
forgets its tenant filter, not against a role running hostile SQL, which the leak the
ordering prevents would need. The promise is recorded in pg_proc, so a dump and restore
or a pg_upgrade into a new cluster loses it; this migration's statement (or
`ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF` as a superuser) restores it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As core.models.product.NAME_HEAD_SQL (a migration does not import application code).
NAME_HEAD_SQL = "lower(split_part(name, ' ', 1))"

MARK_LEAKPROOF = """
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ELSE
        RAISE WARNING 'ts_match_vq was not marked LEAKPROOF: % is not a superuser. '
            'Full-text search stays correct, but under row-level security it reads every '
            'row of the tenant. Run as a superuser: ALTER FUNCTION '
            'ts_match_vq(tsvector, tsquery) LEAKPROOF', current_user;
    END IF;
END $$;
"""


def upgrade() -> None:
    op.execute(
        f"ALTER TABLE products ADD COLUMN name_head text GENERATED ALWAYS AS ({NAME_HEAD_SQL}) "
        "STORED"
    )
    op.create_index("ix_products_tenant_id_name_head", "products", ["tenant_id", "name_head"])
    op.execute(MARK_LEAKPROOF)


def downgrade() -> None:
    op.execute("""
        DO $$
        BEGIN
            IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) NOT LEAKPROOF;
            END IF;
        END $$;
    """)
    op.drop_index("ix_products_tenant_id_name_head", table_name="products")
    op.drop_column("products", "name_head")
