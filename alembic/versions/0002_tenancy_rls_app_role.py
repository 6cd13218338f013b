"""Tenancy wall in the database: RLS on every tenant table, the application role, lookups.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

- Every table with `tenant_id` (and `tenants` itself, on `id`) gets row-level security
  ENABLED and FORCED with one policy for USING and WITH CHECK on
  `current_setting('app.tenant_id')`. With no tenant set the setting is NULL or '' and
  the policy matches nothing: a query sees no rows and can insert none.
- The application role owns nothing and has neither SUPERUSER nor BYPASSRLS.
- A few SECURITY DEFINER functions answer the lookups that must happen before a tenant is
  known (a widget key, a webhook's store, a user's memberships, an API key, a Stripe
  customer, the stores due for a scheduled sync). Each returns only the ids needed to
  open a tenant session, never tenant data.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from core.settings import get_settings

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later migration that adds a tenant table adds its own policy,
# and tests/core/test_rls_catalog.py fails if any tenant table is left without one.
TENANT_TABLES = (
    "api_keys",
    "audit_log",
    "bots",
    "chunks",
    "conversations",
    "feedback",
    "invitations",
    "knowledge_documents",
    "memberships",
    "messages",
    "product_variations",
    "products",
    "store_connections",
    "subscriptions",
    "sync_jobs",
    "usage_counters",
    "webhook_events",
    "widget_events",
)
CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"

LOOKUP_FUNCTIONS = {
    "app_bot_by_widget_key(text)": """
        CREATE FUNCTION app_bot_by_widget_key(p_widget_key text)
        RETURNS TABLE (tenant_id uuid, bot_id uuid, allowed_origins text[], is_active boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT b.tenant_id, b.id, b.allowed_origins, b.is_active
            FROM bots b WHERE b.widget_key = p_widget_key
        $$""",
    "app_store_tenant(uuid)": """
        CREATE FUNCTION app_store_tenant(p_store_id uuid) RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT s.tenant_id FROM store_connections s WHERE s.id = p_store_id
        $$""",
    "app_user_tenants(uuid)": """
        CREATE FUNCTION app_user_tenants(p_user_id uuid)
        RETURNS TABLE (tenant_id uuid, role text, created_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT m.tenant_id, m.role, m.created_at FROM memberships m
            WHERE m.user_id = p_user_id ORDER BY m.created_at
        $$""",
    "app_api_key_by_hash(text)": """
        CREATE FUNCTION app_api_key_by_hash(p_key_hash text)
        RETURNS TABLE (tenant_id uuid, api_key_id uuid, scopes text[],
                       expires_at timestamptz, revoked_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT k.tenant_id, k.id, k.scopes, k.expires_at, k.revoked_at
            FROM api_keys k WHERE k.key_hash = p_key_hash
        $$""",
    "app_invitation_by_token(text)": """
        CREATE FUNCTION app_invitation_by_token(p_token_hash text)
        RETURNS TABLE (tenant_id uuid, invitation_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT i.tenant_id, i.id FROM invitations i WHERE i.token_hash = p_token_hash
        $$""",
    "app_stripe_customer_tenant(text)": """
        CREATE FUNCTION app_stripe_customer_tenant(p_customer_id text) RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT s.tenant_id FROM subscriptions s WHERE s.stripe_customer_id = p_customer_id
            LIMIT 1
        $$""",
    "app_active_stores()": """
        CREATE FUNCTION app_active_stores()
        RETURNS TABLE (tenant_id uuid, store_id uuid, last_synced_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT s.tenant_id, s.id, s.last_synced_at FROM store_connections s
            WHERE s.status <> 'disconnected'
        $$""",
}


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    role = _quote_ident(get_settings().app_db_role)
    role_literal = get_settings().app_db_role.replace("'", "''")
    op.execute(f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role_literal}') THEN
                CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            END IF;
        END $$""")
    op.execute(f"ALTER ROLE {role} NOSUPERUSER NOBYPASSRLS")
    op.execute(
        f"DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', "
        "current_database()); END $$"
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    # Tables added by later migrations (run by this same owner) are granted too.
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
    )
    op.execute(f"REVOKE ALL ON alembic_version FROM {role}")
    # Global reference tables are read-only for the application.
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON embedding_spaces, plans FROM {role}")

    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON tenants USING (id = {CURRENT_TENANT}) "
        f"WITH CHECK (id = {CURRENT_TENANT})"
    )
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING (tenant_id = {CURRENT_TENANT}) "
            f"WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )

    for signature, ddl in LOOKUP_FUNCTIONS.items():
        op.execute(ddl)
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {role}")

    op.execute("""
        INSERT INTO embedding_spaces (name, provider, model, dimensions) VALUES
            ('minilm-l6-v2', 'local', 'sentence-transformers/all-MiniLM-L6-v2', 384),
            ('openai-3-small-384', 'openai', 'text-embedding-3-small', 384)
    """)
    op.execute("""
        INSERT INTO plans (id, code, name, monthly_price_cents, currency, limits) VALUES
            (gen_random_uuid(), 'free', 'Free', 0, 'USD',
             '{"messages_per_month": 500, "products": 500, "bots": 1}'),
            (gen_random_uuid(), 'growth', 'Growth', 4900, 'USD',
             '{"messages_per_month": 10000, "products": 20000, "bots": 3}'),
            (gen_random_uuid(), 'scale', 'Scale', 19900, 'USD',
             '{"messages_per_month": 100000, "products": 200000, "bots": 10}')
    """)


def downgrade() -> None:
    role = _quote_ident(get_settings().app_db_role)
    op.execute("DELETE FROM plans")
    op.execute("DELETE FROM embedding_spaces")
    for signature in LOOKUP_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    for table in (*TENANT_TABLES, "tenants"):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {role}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {role}")
    # The role is cluster-wide and may serve other databases: it is left in place.
