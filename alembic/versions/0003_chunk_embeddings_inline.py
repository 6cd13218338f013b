"""Chunk embeddings stored inline, not in TOAST.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

A 384-dimension vector is 1,544 bytes; with a chunk's text beside it the row passes
PostgreSQL's 2 kB TOAST threshold and, with the default EXTENDED storage, the vector was
the column moved out of line. The exact ranking inside one tenant (the plan the planner
picks for a tenant of a few thousand chunks) then de-TOASTs every vector it sorts: 3.2 ms
for a 2,000-product tenant, 0.5 ms inline. MAIN keeps the vector in the row and lets the
text columns go out of line first.

Only rows written from now on are affected: a product's chunks are rewritten whenever it
is re-indexed, and a full sync rewrites them all. No rewrite here: under FORCE'd row-level
security a migration sees no tenant's rows, and a table rewrite is the operator's call.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE chunks ALTER COLUMN embedding SET STORAGE MAIN")


def downgrade() -> None:
    op.execute("ALTER TABLE chunks ALTER COLUMN embedding SET STORAGE EXTERNAL")
