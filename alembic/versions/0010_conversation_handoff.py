"""Hand-off to a person: a conversation's hand-off state and the shopper's contact, and
merchant replies as messages.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

- `conversations.handoff_state` (NULL: never asked; `open`, `closed`), `handoff_requested_at`,
  `handoff_closed_at`, `handoff_email_ciphertext` (the shopper's email, encrypted by the
  application with its SecretBox keys; erased with the conversation) and `handoff_note`
  (the shopper's note to the store, masked like every stored message). A partial index
  lists a tenant's hand-offs by request time. The table's RLS policy (0002) covers the new
  columns.
- `messages.role` may be `merchant` (a person from the store replying); `seen_at` (the
  shopper's widget fetched the reply) and `emailed_at` (it was emailed instead).
- The analytics rollups (0007) count shopper messages and bot answers: a merchant reply is
  neither. The message trigger's function skips it, and so does the rebuild's facts query
  (the function 0007 wrote, with one predicate added, checked to apply exactly once).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "role IN ('user', 'assistant')"
ROLES_AFTER = "role IN ('user', 'assistant', 'merchant')"

# 0007's analytics_count_message, returning early for a merchant reply.
COUNT_MESSAGE = """
CREATE OR REPLACE FUNCTION analytics_count_message(m messages, p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_bot uuid;
    v_card record;
BEGIN
    IF m.role = 'merchant' THEN
        RETURN;  -- a person from the store: neither a shopper message nor an answer
    END IF;
    SELECT c.bot_id INTO v_bot FROM conversations c
    WHERE c.id = m.conversation_id
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE 'preview:%');
    IF v_bot IS NULL THEN
        RETURN;
    END IF;
    IF m.role <> 'assistant' THEN
        PERFORM analytics_add(m.tenant_id, v_bot, m.created_at, '', p_messages => p_sign);
        RETURN;
    END IF;
    PERFORM analytics_add(
        m.tenant_id, v_bot, m.created_at, coalesce(m.model, ''),
        p_answers => p_sign,
        -- engine/analytics/answered.py: answered is `ok` citing a source; every other
        -- reply but a failure (`no_answer`, an `ok` that cites nothing) is unanswered.
        p_answered => p_sign * (m.status = 'ok' AND m.sources @> '[{}]')::integer,
        p_unanswered => p_sign
            * (m.status <> 'error' AND NOT (m.status = 'ok' AND m.sources @> '[{}]'))::integer,
        p_errors => p_sign * (m.status = 'error')::integer,
        p_prompt_tokens => p_sign * coalesce(m.prompt_tokens, 0)::bigint,
        p_completion_tokens => p_sign * coalesce(m.completion_tokens, 0)::bigint,
        p_latency_bin => CASE WHEN m.status <> 'error' THEN analytics_latency_bin(m.latency_ms) END,
        p_latency_count => p_sign
    );
    FOR v_card IN SELECT * FROM analytics_cards(m.sources) LOOP
        PERFORM analytics_add_product(
            m.tenant_id, v_bot, v_card.product_id, m.created_at,
            p_shown => p_sign, p_title => v_card.title, p_url => v_card.url
        );
    END LOOP;
END $$;
"""
COUNT_MESSAGE_BEFORE = COUNT_MESSAGE.replace(
    """    IF m.role = 'merchant' THEN
        RETURN;  -- a person from the store: neither a shopper message nor an answer
    END IF;
""",
    "",
)

REBUILD = "analytics_rebuild_quarter_hours(uuid)"
# The rebuild's facts over messages (0007 `_FACTS`), and the same without merchant replies.
FACTS_BEFORE = (
    "FROM messages m JOIN real r ON r.id = m.conversation_id\n"
    "        WHERE m.tenant_id = p_tenant\n"
)
FACTS_AFTER = (
    "FROM messages m JOIN real r ON r.id = m.conversation_id\n"
    "        WHERE m.tenant_id = p_tenant AND m.role <> 'merchant'\n"
)


def _replace_rebuild(old: str, new: str) -> None:
    definition = op.get_bind().scalar(
        sa.text(f"SELECT pg_get_functiondef('{REBUILD}'::regprocedure)")
    )
    assert isinstance(definition, str)
    if definition.count(old) != 1:
        raise RuntimeError(f"{REBUILD} is not the function this migration expects")
    op.execute(definition.replace(old, new))


def upgrade() -> None:
    op.add_column("conversations", sa.Column("handoff_state", sa.String(16), nullable=True))
    op.create_check_constraint(
        op.f("ck_conversations_handoff_state"),
        "conversations",
        "handoff_state IN ('open', 'closed')",
    )
    for column in ("handoff_requested_at", "handoff_closed_at"):
        op.add_column("conversations", sa.Column(column, sa.DateTime(timezone=True)))
    op.add_column("conversations", sa.Column("handoff_email_ciphertext", sa.LargeBinary()))
    op.add_column("conversations", sa.Column("handoff_note", sa.Text()))
    op.create_index(
        "ix_conversations_tenant_id_handoff_requested_at",
        "conversations",
        ["tenant_id", "handoff_requested_at"],
        postgresql_where=sa.text("handoff_state IS NOT NULL"),
    )
    op.drop_constraint(op.f("ck_messages_role"), "messages", type_="check")
    op.create_check_constraint(op.f("ck_messages_role"), "messages", ROLES_AFTER)
    op.add_column("messages", sa.Column("seen_at", sa.DateTime(timezone=True)))
    op.add_column("messages", sa.Column("emailed_at", sa.DateTime(timezone=True)))
    op.execute(COUNT_MESSAGE)
    _replace_rebuild(FACTS_BEFORE, FACTS_AFTER)


def downgrade() -> None:
    _replace_rebuild(FACTS_AFTER, FACTS_BEFORE)
    op.execute(COUNT_MESSAGE_BEFORE)
    op.execute("DELETE FROM messages WHERE role = 'merchant'")
    op.drop_column("messages", "emailed_at")
    op.drop_column("messages", "seen_at")
    op.drop_constraint(op.f("ck_messages_role"), "messages", type_="check")
    op.create_check_constraint(op.f("ck_messages_role"), "messages", ROLES_BEFORE)
    op.drop_index("ix_conversations_tenant_id_handoff_requested_at", "conversations")
    op.drop_constraint(op.f("ck_conversations_handoff_state"), "conversations", type_="check")
    for column in (
        "handoff_note",
        "handoff_email_ciphertext",
        "handoff_closed_at",
        "handoff_requested_at",
    ):
        op.drop_column("conversations", column)
    op.drop_column("conversations", "handoff_state")
