"""Plans with every quota, one billing row per tenant, model spend, plan suspensions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

- `plans` are versioned: unique on (code, version) instead of code. The three rows seeded
  by 0002 (never referenced: nothing wrote a subscription before this revision) get the full
  set of quotas as version 1, and a Starter plan joins them. Limits are frozen here on
  purpose: a later change of a plan's limits is a new version in a new revision.
- `subscriptions`: one row per tenant (unique `tenant_id`), a status CHECK, the Stripe
  price, the current period's start, the grace period after a failed payment and the time
  of the Stripe state applied (so an older event never overwrites a newer state).
- `model_usage_daily`: tokens and their cost per tenant, bot, day and model, under the
  same row-level security as every tenant table.
- `suspended_by_plan_at` on bots, store connections, knowledge documents and memberships:
  what a downgrade disabled (never deleted), so an upgrade can re-enable exactly that.
- `bots.fallback_message`, `store_connections.sync_warning`, `sync_jobs.warnings`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"
SUSPENDABLE = ("bots", "store_connections", "knowledge_documents", "memberships")
SUBSCRIPTION_STATUSES = (
    "none",
    "manual",
    "incomplete",
    "incomplete_expired",
    "trialing",
    "active",
    "past_due",
    "unpaid",
    "canceled",
    "paused",
)
_SMALL_MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano"]


def _ceiling(session: int, ip: int, bot: int) -> dict[str, dict[str, int]]:
    return {
        "session": {"per_minute": session, "burst": session},
        "ip": {"per_minute": ip, "burst": ip},
        "bot": {"per_minute": bot, "burst": bot},
        "session_create": {"per_minute": ip, "burst": ip},
        "interaction": {"per_minute": 4 * session, "burst": 4 * session},
    }


# code: (name, version, monthly price in cents, limits)
PLANS: dict[str, tuple[str, int, int, dict[str, object]]] = {
    "free": (
        "Free",
        1,
        0,
        {
            "messages_per_month": 500,
            "products": 500,
            "bots": 1,
            "stores": 1,
            "knowledge_documents": 10,
            "knowledge_bytes": 1_000_000,
            "seats": 2,
            "sync_interval_minutes": 1440,
            "models": ["gpt-4o-mini"],
            "model_tokens_per_month": 1_500_000,
            "rate_limit_ceiling": _ceiling(20, 60, 120),
        },
    ),
    "starter": (
        "Starter",
        1,
        1900,
        {
            "messages_per_month": 2_000,
            "products": 2_000,
            "bots": 2,
            "stores": 1,
            "knowledge_documents": 50,
            "knowledge_bytes": 5_000_000,
            "seats": 3,
            "sync_interval_minutes": 360,
            "models": _SMALL_MODELS,
            "model_tokens_per_month": 6_000_000,
            "rate_limit_ceiling": _ceiling(30, 120, 300),
        },
    ),
    "growth": (
        "Growth",
        1,
        4900,
        {
            "messages_per_month": 10_000,
            "products": 20_000,
            "bots": 3,
            "stores": 2,
            "knowledge_documents": 200,
            "knowledge_bytes": 20_000_000,
            "seats": 5,
            "sync_interval_minutes": 60,
            "models": [*_SMALL_MODELS, "gpt-4o", "gpt-4.1"],
            "model_tokens_per_month": 30_000_000,
            "rate_limit_ceiling": _ceiling(60, 300, 1200),
        },
    ),
    "scale": (
        "Scale",
        1,
        19900,
        {
            "messages_per_month": 100_000,
            "products": 200_000,
            "bots": 10,
            "stores": 5,
            "knowledge_documents": 1_000,
            "knowledge_bytes": 100_000_000,
            "seats": 20,
            "sync_interval_minutes": 15,
            "models": ["*"],
            "model_tokens_per_month": 300_000_000,
            "rate_limit_ceiling": _ceiling(120, 600, 6000),
        },
    ),
}


def _seed_plans() -> None:
    plans = sa.table(
        "plans",
        sa.column("code", sa.String),
        sa.column("version", sa.Integer),
        sa.column("name", sa.String),
        sa.column("monthly_price_cents", sa.Integer),
        sa.column("limits", postgresql.JSONB),
    )
    for code, (name, version, price, limits) in PLANS.items():
        updated = op.get_bind().execute(
            sa.update(plans)
            .where(plans.c.code == code, plans.c.version == version)
            .values(name=name, monthly_price_cents=price, limits=limits)
        )
        if updated.rowcount == 0:
            op.execute(
                sa.text(
                    "INSERT INTO plans (id, code, version, name, monthly_price_cents, currency, "
                    "limits) VALUES (gen_random_uuid(), :code, :version, :name, :price, 'USD', "
                    "CAST(:limits AS jsonb))"
                ).bindparams(
                    code=code, version=version, name=name, price=price, limits=json.dumps(limits)
                )
            )


def upgrade() -> None:
    op.add_column("plans", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.drop_constraint("uq_plans_code", "plans", type_="unique")
    op.create_unique_constraint(op.f("uq_plans_code_version"), "plans", ["code", "version"])
    _seed_plans()

    op.add_column("subscriptions", sa.Column("stripe_price_id", sa.String(200), nullable=True))
    for column in ("current_period_start", "grace_until", "stripe_state_at"):
        op.add_column("subscriptions", sa.Column(column, sa.DateTime(timezone=True)))
    op.create_unique_constraint(op.f("uq_subscriptions_tenant_id"), "subscriptions", ["tenant_id"])
    statuses = ", ".join(f"'{status}'" for status in SUBSCRIPTION_STATUSES)
    op.create_check_constraint(
        op.f("ck_subscriptions_status"), "subscriptions", f"status IN ({statuses})"
    )

    op.create_table(
        "model_usage_daily",
        sa.Column("bot_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("answers", sa.Integer(), server_default="0", nullable=False),
        sa.Column("prompt_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("completion_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("cost_micro_usd", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("platform_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_model_usage_daily_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_usage_daily")),
        sa.UniqueConstraint(
            "tenant_id",
            "bot_id",
            "day",
            "model",
            name=op.f("uq_model_usage_daily_tenant_id_bot_id_day_model"),
        ),
    )
    op.create_index(
        op.f("ix_model_usage_daily_tenant_id"), "model_usage_daily", ["tenant_id"], unique=False
    )
    op.execute("ALTER TABLE model_usage_daily ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE model_usage_daily FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON model_usage_daily "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )

    for table in SUSPENDABLE:
        op.add_column(table, sa.Column("suspended_by_plan_at", sa.DateTime(timezone=True)))
    op.add_column("bots", sa.Column("fallback_message", sa.Text(), nullable=True))
    op.add_column("store_connections", sa.Column("sync_warning", sa.Text(), nullable=True))
    op.add_column(
        "sync_jobs",
        sa.Column(
            "warnings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("sync_jobs", "warnings")
    op.drop_column("store_connections", "sync_warning")
    op.drop_column("bots", "fallback_message")
    for table in SUSPENDABLE:
        op.drop_column(table, "suspended_by_plan_at")
    op.drop_index(op.f("ix_model_usage_daily_tenant_id"), table_name="model_usage_daily")
    op.drop_table("model_usage_daily")
    op.drop_constraint(op.f("ck_subscriptions_status"), "subscriptions", type_="check")
    op.drop_constraint(op.f("uq_subscriptions_tenant_id"), "subscriptions", type_="unique")
    for column in ("stripe_state_at", "grace_until", "current_period_start", "stripe_price_id"):
        op.drop_column("subscriptions", column)
    op.execute("DELETE FROM plans WHERE code = 'starter'")
    op.drop_constraint(op.f("uq_plans_code_version"), "plans", type_="unique")
    op.create_unique_constraint("uq_plans_code", "plans", ["code"])
    op.drop_column("plans", "version")
