"""The proof that an account was erased: `tenant_erasures`, outside the tenancy wall.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

`DELETE /v1/tenant` removes every row a tenant owns, its audit log included, so the record
that the erasure happened cannot be one of the tenant's rows. `tenant_erasures` holds the
time, the erased tenant's id (an opaque UUID that names nothing once the tenant is gone),
the number of rows removed per table and the role that asked; no name, email or content.

The column is `erased_tenant_id`, not `tenant_id`: the table is not a tenant table (no RLS
policy, not in the catalogue of tenant tables that an erasure empties). Instead the
application role has no privilege on it at all (0002's default grants are revoked) and
may only append through `app_record_tenant_erasure`, a SECURITY DEFINER function that
returns the new record's id; reading the records is the operator's (the schema owner's).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from core.settings import get_settings

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_FUNCTION = "app_record_tenant_erasure(uuid, jsonb, text)"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    role = _quote_ident(get_settings().app_db_role)
    op.create_table(
        "tenant_erasures",
        sa.Column(
            "erased_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("erased_tenant_id", sa.UUID(), nullable=False),
        sa.Column(
            "row_counts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_erasures")),
    )
    op.execute(f"REVOKE ALL ON tenant_erasures FROM {role}")
    op.execute("""
        CREATE FUNCTION app_record_tenant_erasure(
            p_tenant_id uuid, p_row_counts jsonb, p_actor_role text
        ) RETURNS uuid
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            INSERT INTO tenant_erasures (id, erased_tenant_id, row_counts, actor_role)
            VALUES (gen_random_uuid(), p_tenant_id, p_row_counts, p_actor_role)
            RETURNING id
        $$""")
    op.execute(f"REVOKE ALL ON FUNCTION {RECORD_FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {RECORD_FUNCTION} TO {role}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {RECORD_FUNCTION}")
    op.drop_table("tenant_erasures")
