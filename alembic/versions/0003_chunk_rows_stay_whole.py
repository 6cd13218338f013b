"""Chunk rows stay whole: nothing of a chunk is moved to TOAST below 8 kB.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

A chunk row is a 384-dimension vector (1.5 kB), its text (token-bounded by the chunker)
and its tsvector: usually 2-5 kB, past PostgreSQL's default 2 kB toasting threshold. At
the default, one of its large columns was moved out of line (the vector, or with the
vector kept in the row, the tsvector), and every ranking de-TOASTed it for every chunk it
looked at: both rankers read all of a tenant's chunks that pass its filters. With
toast_tuple_target at its maximum, a row goes to TOAST only when it would not fit a page.

Rows written from now on are affected; a product's chunks are rewritten whenever it is
re-indexed, and a full sync rewrites them all.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE chunks SET (toast_tuple_target = 8160)")


def downgrade() -> None:
    op.execute("ALTER TABLE chunks RESET (toast_tuple_target)")
