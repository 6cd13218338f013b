"""An answer names its question, and a question has one stored answer: `messages.question_id`.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

A shopper's retry (engine.question_retry) is accepted while the question is its
conversation's last message. Two requests could pass that check before either stored its
answer (a double-clicked retry, or a retry sent while the answer it retries was still being
written after the shopper's connection dropped), and both answers were stored: the
conversation then showed the question answered twice.

- `question_id` on an answer names the shopper's message it answers, as a tenant foreign
  key (tenant_id, question_id) to messages (ON DELETE CASCADE: an answer goes with its
  question, as both go with their conversation).
- A unique index on (tenant_id, question_id) where it is set: the second answer's insert
  finds the first (engine.conversation.add_answer stores it with ON CONFLICT DO NOTHING).
  It includes tenant_id, as every key of a tenant table does (alembic 0012, for Citus).
- A check keeps `question_id` on answers only.

Answers stored before this revision keep NULL: they are not paired with their questions
after the fact (nothing reads the pair but the uniqueness). On a large `messages` table the
index build and the key's validation each read the table once, under its lock; every
existing row is NULL, so neither writes more than the index's root.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("question_id", sa.UUID(), nullable=True))
    op.create_check_constraint(
        op.f("ck_messages_question_of_answer"),
        "messages",
        "question_id IS NULL OR role = 'assistant'",
    )
    op.create_foreign_key(
        op.f("fk_messages_question_id_messages"),
        "messages",
        "messages",
        ["tenant_id", "question_id"],
        ["tenant_id", "id"],
        ondelete="CASCADE",
    )
    op.create_index(
        "uq_messages_tenant_id_question_id",
        "messages",
        ["tenant_id", "question_id"],
        unique=True,
        postgresql_where=sa.text("question_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_messages_tenant_id_question_id", table_name="messages")
    op.drop_constraint(op.f("fk_messages_question_id_messages"), "messages", type_="foreignkey")
    op.drop_constraint(op.f("ck_messages_question_of_answer"), "messages", type_="check")
    op.drop_column("messages", "question_id")
