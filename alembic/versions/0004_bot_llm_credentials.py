"""A bot's own model API key, encrypted at rest.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

A merchant may point a bot at their own OpenAI-compatible endpoint only together with
their own key (the platform's key goes only to the platform's endpoint). The key is kept
as a Fernet ciphertext like store credentials (core.crypto.SecretBox), never in the
`llm_settings` JSON.

- `bots.llm_api_key_ciphertext`: NULL when the bot has no key of its own. The application
  role's table grants (0002) and the table's row-level security policy cover the column.
- `app_bots_with_llm_keys()`: which tenants hold bot keys, so `shopbot secrets rotate`
  can open a tenant session for each. Ids only, like the other lookups of 0002.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from core.settings import get_settings

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROTATION_LOOKUP = "app_bots_with_llm_keys()"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    role = _quote_ident(get_settings().app_db_role)
    op.add_column("bots", sa.Column("llm_api_key_ciphertext", sa.LargeBinary(), nullable=True))
    op.execute("""
        CREATE FUNCTION app_bots_with_llm_keys()
        RETURNS TABLE (tenant_id uuid, bot_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT b.tenant_id, b.id FROM bots b WHERE b.llm_api_key_ciphertext IS NOT NULL
        $$""")
    op.execute(f"REVOKE ALL ON FUNCTION {ROTATION_LOOKUP} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {ROTATION_LOOKUP} TO {role}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {ROTATION_LOOKUP}")
    op.drop_column("bots", "llm_api_key_ciphertext")
