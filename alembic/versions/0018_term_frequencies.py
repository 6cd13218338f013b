"""Each tenant's document frequencies kept with its vocabulary: `term_frequencies`.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

The text ranker counted, per question, how many of the tenant's chunks hold each of the
question's words it had not seen within a minute: a scan of the tenant's rows, the
largest statement of a question at 100 tenants x 2,000 products (6.9 ms p50, 12 ms p95;
bench/README_retrieval.md, "Stored term frequencies"). Ingestion now counts them when it
recomputes the tenant's vocabulary (core.search_vocabulary.recompute) and retrieval reads
the question's words' counts in the statement that reads the vocabulary.

- `term_frequencies`: a tenant table, primary key (tenant_id, embedding_space, lexeme),
  row-level security ENABLED and FORCED with the policy of every other (0002), so the
  catalogue-driven account export and erasure cover it; it goes with its tenant.
- `search_vocabularies.term_totals`: per space, the chunks the counts were taken over
  (NULL: never counted).
- No backfill: counting every tenant's words at once reads every chunk's search vector
  in one transaction. A tenant's are counted at its next recompute (its next sync run,
  the nightly reconcile at the latest); until then retrieval counts a question's words
  itself, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"


def upgrade() -> None:
    op.create_table(
        "term_frequencies",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("embedding_space", sa.Text(), nullable=False),
        sa.Column("lexeme", sa.Text(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_term_frequencies_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "embedding_space", "lexeme", name=op.f("pk_term_frequencies")
        ),
    )
    op.execute("ALTER TABLE term_frequencies ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE term_frequencies FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON term_frequencies "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )
    op.add_column(
        "search_vocabularies",
        sa.Column("term_totals", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("search_vocabularies", "term_totals")
    op.drop_table("term_frequencies")
