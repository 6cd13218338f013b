"""Every key of a tenant table includes `tenant_id`: the schema is ready to be distributed
by tenant (Citus), and no row can point at another tenant's row.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

Citus shards a distributed table by one column and enforces a primary key, a unique
constraint or a foreign key only inside one shard, so each must include that column; ours
is `tenant_id` (every tenant table has it, and every request is one tenant's). This
revision makes the schema satisfy that on plain PostgreSQL today:

- Primary keys: `(tenant_id, id)`, or `tenant_id` + the natural key where there is no `id`
  (`question_assignments`, `question_cluster_days`); the analytics rollups already led
  with it.
- Unique constraints: a natural key gets `tenant_id` in front (a product's store and
  external id, a message's one feedback, the one active sync job per store). A random
  secret looked up before the tenant is known (a widget key, an API key's or an
  invitation's hash) and Stripe's subscription id get it appended, so the index still
  serves the look-up by the secret alone. Their uniqueness across tenants now rests on
  their randomness (144 to 256 bits, core.ids and dashboard_api.auth.tokens), which no
  sharded database can enforce with an index either.
- Foreign keys between tenant tables: `(tenant_id, column)` references the parent's
  `(tenant_id, id)`, with the same ON DELETE action; SET NULL names its column
  (PostgreSQL 15+, `SET NULL (column)`) so `tenant_id` is never nulled. Besides Citus,
  this makes a row that points at another tenant's row impossible: the old keys let the
  database accept one (RLS does not apply to foreign key checks).
- Foreign keys to global tables (`tenants`, `users`, `plans`, `embedding_spaces`) stay.
  Row-level security policies are not touched: they key on the column, not on a
  constraint.

On a populated database: the foreign keys are dropped first, the keys swapped, and the
foreign keys added back, which validates every existing row (and fails, naming the
constraint, if a row already pointed at another tenant's). Each new key builds one
btree index under an ACCESS EXCLUSIVE lock on its table; `chunks` is the big one
(measured on this machine: see ARCHITECTURE.md, "Distribution by tenant").
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every foreign key from one tenant table to another: (table, column, parent, ON DELETE).
TENANT_FOREIGN_KEYS = (
    ("analytics_days", "bot_id", "bots", "CASCADE"),
    ("analytics_product_days", "bot_id", "bots", "CASCADE"),
    ("analytics_product_months", "bot_id", "bots", "CASCADE"),
    ("analytics_quarter_hours", "bot_id", "bots", "CASCADE"),
    ("audit_log", "actor_api_key_id", "api_keys", "SET NULL"),
    ("bots", "store_id", "store_connections", "SET NULL"),
    ("chunks", "knowledge_document_id", "knowledge_documents", "CASCADE"),
    ("chunks", "product_id", "products", "CASCADE"),
    ("conversations", "bot_id", "bots", "CASCADE"),
    ("feedback", "message_id", "messages", "CASCADE"),
    ("knowledge_documents", "bot_id", "bots", "CASCADE"),
    ("messages", "conversation_id", "conversations", "CASCADE"),
    ("product_variations", "product_id", "products", "CASCADE"),
    ("products", "store_id", "store_connections", "CASCADE"),
    ("question_assignments", "cluster_id", "question_clusters", "CASCADE"),
    ("question_assignments", "message_id", "messages", "CASCADE"),
    ("question_cluster_days", "cluster_id", "question_clusters", "CASCADE"),
    ("question_clusters", "bot_id", "bots", "CASCADE"),
    ("question_clusters", "representative_message_id", "messages", "SET NULL"),
    ("sync_jobs", "store_id", "store_connections", "CASCADE"),
    ("webhook_events", "store_id", "store_connections", "CASCADE"),
    ("widget_events", "bot_id", "bots", "CASCADE"),
    ("widget_events", "conversation_id", "conversations", "SET NULL"),
    ("widget_events", "message_id", "messages", "SET NULL"),
    ("widget_events", "product_id", "products", "SET NULL"),
)

# Tenant tables keyed on `id` alone before this revision.
ID_KEYED_TABLES = (
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
    "model_usage_daily",
    "product_variations",
    "products",
    "question_clusters",
    "store_connections",
    "subscriptions",
    "sync_jobs",
    "usage_counters",
    "webhook_events",
    "widget_events",
)
# Tenant tables keyed on a natural key without `tenant_id`: (table, key columns).
NATURALLY_KEYED_TABLES = (
    ("question_assignments", ("message_id",)),
    ("question_cluster_days", ("cluster_id", "day")),
)
# Unique constraints without `tenant_id`: (table, columns before, columns after).
UNIQUE_KEYS = (
    ("api_keys", ("key_hash",), ("key_hash", "tenant_id")),
    ("bots", ("widget_key",), ("widget_key", "tenant_id")),
    ("feedback", ("message_id",), ("tenant_id", "message_id")),
    ("invitations", ("token_hash",), ("token_hash", "tenant_id")),
    (
        "product_variations",
        ("product_id", "external_id"),
        ("tenant_id", "product_id", "external_id"),
    ),
    ("products", ("store_id", "external_id"), ("tenant_id", "store_id", "external_id")),
    ("subscriptions", ("stripe_subscription_id",), ("stripe_subscription_id", "tenant_id")),
)
# The per-store lock of sync jobs (core.models.sync), a partial unique index.
ACTIVE_JOB_INDEX = "uq_sync_jobs_one_active_per_store"
ACTIVE_JOB_PREDICATE = "status IN ('queued', 'running')"


def _foreign_key_name(table: str, column: str, parent: str) -> str:
    return f"fk_{table}_{column}_{parent}"


def _unique_name(table: str, columns: Sequence[str]) -> str:
    return f"uq_{table}_{'_'.join(columns)}"


def _drop_foreign_keys() -> None:
    for table, column, parent, _ in TENANT_FOREIGN_KEYS:
        op.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT {_foreign_key_name(table, column, parent)}"
        )


def _set_primary_key(table: str, columns: Sequence[str]) -> None:
    op.execute(
        f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}, "
        f"ADD CONSTRAINT pk_{table} PRIMARY KEY ({', '.join(columns)})"
    )


def _set_unique(table: str, before: Sequence[str], after: Sequence[str]) -> None:
    op.execute(
        f"ALTER TABLE {table} DROP CONSTRAINT {_unique_name(table, before)}, "
        f"ADD CONSTRAINT {_unique_name(table, after)} UNIQUE ({', '.join(after)})"
    )


def _set_active_job_index(columns: Sequence[str]) -> None:
    op.execute(f"DROP INDEX {ACTIVE_JOB_INDEX}")
    op.execute(
        f"CREATE UNIQUE INDEX {ACTIVE_JOB_INDEX} ON sync_jobs ({', '.join(columns)}) "
        f"WHERE {ACTIVE_JOB_PREDICATE}"
    )


def upgrade() -> None:
    _drop_foreign_keys()
    for table in ID_KEYED_TABLES:
        _set_primary_key(table, ("tenant_id", "id"))
    for table, key in NATURALLY_KEYED_TABLES:
        _set_primary_key(table, ("tenant_id", *key))
    for table, before, after in UNIQUE_KEYS:
        _set_unique(table, before, after)
    _set_active_job_index(("tenant_id", "store_id"))
    for table, column, parent, action in TENANT_FOREIGN_KEYS:
        # SET NULL names its column: a plain SET NULL would null tenant_id too.
        on_delete = f"SET NULL ({column})" if action == "SET NULL" else action
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {_foreign_key_name(table, column, parent)} "
            f"FOREIGN KEY (tenant_id, {column}) REFERENCES {parent} (tenant_id, id) "
            f"ON DELETE {on_delete}"
        )


def downgrade() -> None:
    _drop_foreign_keys()
    _set_active_job_index(("store_id",))
    for table, before, after in UNIQUE_KEYS:
        _set_unique(table, after, before)
    for table, key in NATURALLY_KEYED_TABLES:
        _set_primary_key(table, key)
    for table in ID_KEYED_TABLES:
        _set_primary_key(table, ("id",))
    for table, column, parent, action in TENANT_FOREIGN_KEYS:
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {_foreign_key_name(table, column, parent)} "
            f"FOREIGN KEY ({column}) REFERENCES {parent} (id) ON DELETE {action}"
        )
