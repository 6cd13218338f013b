"""Shopper questions clustered by meaning: `question_clusters`, `question_assignments`,
`question_cluster_days` (issue 16: top questions and content gaps).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

- All three tables are tenant tables: row-level security ENABLED and FORCED with the same
  policy as every other (0002), so the catalogue-driven account export and erasure cover
  them without a list to maintain.
- No question text is stored: a cluster's representative is a message id (ON DELETE SET
  NULL) and an assignment goes with its message (ON DELETE CASCADE).
- `question_message_removed`, a BEFORE DELETE trigger on `messages` (shopper messages
  only), takes a deleted question out of its cluster's member count and its UTC day's
  counts, and drops the cluster when its last member is gone, whatever deleted the message
  (a visitor's erasure, a retention purge, a deleted conversation or bot). It runs as the
  caller, under the caller's tenant and its policies: it can only touch that tenant's rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from pgvector.sqlalchemy import Vector

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"
TABLES = ("question_clusters", "question_assignments", "question_cluster_days")


def _tenant_column() -> sa.Column[sa.Uuid]:
    return sa.Column("tenant_id", sa.UUID(), nullable=False)


def _tenant_foreign_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_tenants"),
        ondelete="CASCADE",
    )


def _clusters() -> None:
    op.create_table(
        "question_clusters",
        sa.Column("bot_id", sa.UUID(), nullable=False),
        sa.Column("embedding_space", sa.String(64), nullable=False),
        sa.Column("centroid", Vector(384), nullable=False),
        sa.Column("members", sa.Integer(), server_default="0", nullable=False),
        sa.Column("representative_message_id", sa.UUID(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        _tenant_column(),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["bot_id"],
            ["bots.id"],
            name=op.f("fk_question_clusters_bot_id_bots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["embedding_space"],
            ["embedding_spaces.name"],
            name=op.f("fk_question_clusters_embedding_space_embedding_spaces"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_message_id"],
            ["messages.id"],
            name=op.f("fk_question_clusters_representative_message_id_messages"),
            ondelete="SET NULL",
        ),
        _tenant_foreign_key("question_clusters"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_clusters")),
    )
    op.create_index(op.f("ix_question_clusters_tenant_id"), "question_clusters", ["tenant_id"])
    op.create_index(
        op.f("ix_question_clusters_representative_message_id"),
        "question_clusters",
        ["representative_message_id"],
    )
    op.create_index(
        "ix_question_clusters_bot_id_embedding_space",
        "question_clusters",
        ["bot_id", "embedding_space"],
    )
    op.create_index(
        "ix_question_clusters_tenant_id_members", "question_clusters", ["tenant_id", "members"]
    )
    op.create_index(
        "ix_question_clusters_centroid_hnsw",
        "question_clusters",
        ["centroid"],
        postgresql_using="hnsw",
        postgresql_with={"m": 16, "ef_construction": 64},
        postgresql_ops={"centroid": "vector_cosine_ops"},
    )


def _assignments() -> None:
    op.create_table(
        "question_assignments",
        sa.Column("message_id", sa.UUID(), nullable=False),
        sa.Column("cluster_id", sa.UUID(), nullable=False),
        sa.Column("bot_id", sa.UUID(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        _tenant_column(),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_question_assignments_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["question_clusters.id"],
            name=op.f("fk_question_assignments_cluster_id_question_clusters"),
            ondelete="CASCADE",
        ),
        _tenant_foreign_key("question_assignments"),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_question_assignments")),
    )
    op.create_index(
        op.f("ix_question_assignments_tenant_id"), "question_assignments", ["tenant_id"]
    )
    op.create_index(
        "ix_question_assignments_tenant_id_asked_at",
        "question_assignments",
        ["tenant_id", "asked_at"],
        postgresql_include=["cluster_id", "bot_id", "answered"],
    )
    op.create_index(
        "ix_question_assignments_cluster_id_asked_at",
        "question_assignments",
        ["cluster_id", "asked_at"],
    )


def _days() -> None:
    op.create_table(
        "question_cluster_days",
        sa.Column("cluster_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bot_id", sa.UUID(), nullable=False),
        sa.Column("asked", sa.Integer(), server_default="0", nullable=False),
        sa.Column("answered", sa.Integer(), server_default="0", nullable=False),
        _tenant_column(),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["question_clusters.id"],
            name=op.f("fk_question_cluster_days_cluster_id_question_clusters"),
            ondelete="CASCADE",
        ),
        _tenant_foreign_key("question_cluster_days"),
        sa.PrimaryKeyConstraint("cluster_id", "day", name=op.f("pk_question_cluster_days")),
    )
    op.create_index(
        op.f("ix_question_cluster_days_tenant_id"), "question_cluster_days", ["tenant_id"]
    )
    op.create_index(
        "ix_question_cluster_days_tenant_id_day",
        "question_cluster_days",
        ["tenant_id", "day"],
        postgresql_include=["cluster_id", "bot_id", "asked", "answered"],
    )


# Before a shopper's message is deleted: its assignment goes, and its cluster's member
# count and its UTC day's counts with it; a cluster left with no member is deleted. On
# `messages` (BEFORE, not AFTER DELETE on the assignments) so an account erasure, which
# deletes the assignments, days and clusters itself before the messages, finds nothing
# left to do here and reports each table's own rows.
REMOVED_TRIGGER_FUNCTION = """
CREATE FUNCTION question_message_removed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    removed question_assignments%ROWTYPE;
BEGIN
    DELETE FROM question_assignments WHERE message_id = OLD.id RETURNING * INTO removed;
    IF FOUND THEN
        UPDATE question_cluster_days
           SET asked = asked - 1, answered = answered - removed.answered::int
         WHERE cluster_id = removed.cluster_id
           AND day = (removed.asked_at AT TIME ZONE 'UTC')::date;
        DELETE FROM question_cluster_days
         WHERE cluster_id = removed.cluster_id
           AND day = (removed.asked_at AT TIME ZONE 'UTC')::date AND asked <= 0;
        -- The representative's own deletion clears it here: its ON DELETE SET NULL runs only
        -- at the end of the statement, and a later member deleted by the same statement
        -- re-checks this row's foreign key against a message already gone.
        UPDATE question_clusters
           SET members = members - 1,
               representative_message_id = nullif(representative_message_id, OLD.id)
         WHERE id = removed.cluster_id;
        DELETE FROM question_clusters WHERE id = removed.cluster_id AND members <= 0;
    END IF;
    RETURN OLD;
END $$"""


def upgrade() -> None:
    _clusters()
    _assignments()
    _days()
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    op.execute(REMOVED_TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER question_message_removed BEFORE DELETE ON messages "
        "FOR EACH ROW WHEN (OLD.role = 'user') EXECUTE FUNCTION question_message_removed()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS question_message_removed ON messages")
    op.execute("DROP FUNCTION IF EXISTS question_message_removed()")
    for table in reversed(TABLES):
        op.drop_table(table)
