"""Retention, masking and consent settings; the indexes the retention purge reads by.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

- `tenants.retention_days` (NULL: keep; 1 to 3650): how long conversations are kept after
  their last activity. `app_tenants_with_retention()`, a SECURITY DEFINER lookup like
  0002's `app_active_stores()`, lists the tenants that set one (ids and days only) for the
  hourly purge, which has no tenant; the purge itself runs in each tenant's session.
- `bots.mask_contact_details` (default true), `bots.consent_required` (default false) and
  `bots.consent_text`.
- Indexes: conversations by (tenant_id, last_message_at), the purge's scan; widget events
  by conversation_id and message_id (deleting a conversation or a message otherwise scans
  the whole events table once per row, for the ON DELETE SET NULL) and by
  (tenant_id, created_at), for the events that have no conversation.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from core.settings import get_settings

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOOKUP_FUNCTION = "app_tenants_with_retention()"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    role = _quote_ident(get_settings().app_db_role)
    op.add_column("tenants", sa.Column("retention_days", sa.Integer(), nullable=True))
    op.create_check_constraint(
        op.f("ck_tenants_retention_days"), "tenants", "retention_days BETWEEN 1 AND 3650"
    )
    op.add_column(
        "bots",
        sa.Column("mask_contact_details", sa.Boolean(), server_default="true", nullable=False),
    )
    op.add_column(
        "bots",
        sa.Column("consent_required", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column("bots", sa.Column("consent_text", sa.Text(), nullable=True))
    op.create_index(
        "ix_conversations_tenant_id_last_message_at",
        "conversations",
        ["tenant_id", "last_message_at"],
    )
    op.create_index("ix_widget_events_conversation_id", "widget_events", ["conversation_id"])
    op.create_index("ix_widget_events_message_id", "widget_events", ["message_id"])
    op.create_index(
        "ix_widget_events_tenant_id_created_at", "widget_events", ["tenant_id", "created_at"]
    )
    op.execute("""
        CREATE FUNCTION app_tenants_with_retention()
        RETURNS TABLE (tenant_id uuid, retention_days integer)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT t.id, t.retention_days FROM tenants t
            WHERE t.retention_days IS NOT NULL ORDER BY t.id
        $$""")
    op.execute(f"REVOKE ALL ON FUNCTION {LOOKUP_FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {LOOKUP_FUNCTION} TO {role}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {LOOKUP_FUNCTION}")
    op.drop_index("ix_widget_events_tenant_id_created_at", table_name="widget_events")
    op.drop_index("ix_widget_events_message_id", table_name="widget_events")
    op.drop_index("ix_widget_events_conversation_id", table_name="widget_events")
    op.drop_index("ix_conversations_tenant_id_last_message_at", table_name="conversations")
    op.drop_column("bots", "consent_text")
    op.drop_column("bots", "consent_required")
    op.drop_column("bots", "mask_contact_details")
    op.drop_constraint(op.f("ck_tenants_retention_days"), "tenants", type_="check")
    op.drop_column("tenants", "retention_days")
