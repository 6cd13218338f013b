"""core.billing against the real database: seeded plans, exact admission under concurrency,
row quotas, spend records, and suspensions that a downgrade makes and an upgrade undoes."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select

from core.billing import usage
from core.billing.entitlements import entitlement_for
from core.billing.plan_changes import reconcile, set_plan_manually
from core.billing.plans import offered_plan, offered_plans, parse_limits
from core.billing.prices import cost_micro_usd
from core.billing.room import require_room
from core.billing.spend import AnswerSpend, record_spend
from core.db.database import Database
from core.errors import QuotaExceeded
from core.models import Bot, ModelUsageDaily
from core.models.billing import UsageMetric
from core.provisioning import provision_tenant


async def test_the_migration_seeds_four_plans_with_every_quota(db: Database) -> None:
    async with db.system_session() as session:
        plans = await offered_plans(session)
    assert [plan.code for plan in plans] == ["free", "starter", "growth", "scale"]
    assert [plan.limits.bots for plan in plans] == [1, 2, 3, 10]
    assert plans[0].limits.messages_per_month == 500
    assert plans[-1].limits.allows_model("any-model-at-all")
    assert not plans[0].limits.allows_model("gpt-4o")


def test_a_plan_without_a_limit_is_a_data_error_not_unlimited() -> None:
    with pytest.raises(ValueError, match="products"):
        parse_limits({"messages_per_month": 5})


async def test_a_tenant_without_a_subscription_is_on_free(db: Database) -> None:
    tenant = await provision_tenant(db, name="No Sub", allowed_origins=[])
    async with db.tenant_session(tenant.tenant_id) as session:
        entitlement = await entitlement_for(session, tenant.tenant_id)
    assert entitlement.plan.code == "free"
    assert entitlement.status == "none"


async def test_fifty_concurrent_admissions_at_limit_minus_ten_admit_exactly_ten(
    committed_db: Database,
) -> None:
    tenant = await provision_tenant(committed_db, name=f"Busy {uuid.uuid4()}", allowed_origins=[])
    async with committed_db.tenant_session(tenant.tenant_id) as session:
        await usage.add(session, tenant.tenant_id, UsageMetric.MESSAGES, 90)

    async def one() -> bool:
        async with committed_db.tenant_session(tenant.tenant_id) as session:
            admission = await usage.admit(
                session, tenant.tenant_id, UsageMetric.MESSAGES, limit=100
            )
            return admission.admitted

    results = await asyncio.gather(*(one() for _ in range(50)))
    assert sum(results) == 10
    async with committed_db.tenant_session(tenant.tenant_id) as session:
        used = await usage.used_this_month(session, tenant.tenant_id, [UsageMetric.MESSAGES])
    assert used[UsageMetric.MESSAGES] == 100


async def test_a_row_quota_refuses_with_the_plan_that_would_allow_it(db: Database) -> None:
    tenant = await provision_tenant(db, name="One Bot", allowed_origins=[])  # has one bot
    async with db.tenant_session(tenant.tenant_id) as session:
        with pytest.raises(QuotaExceeded) as refused:
            await require_room(session, tenant.tenant_id, "bots")
    problem = refused.value.problem()
    assert problem["status"] == 402
    assert problem["code"] == "quota_exceeded"
    assert (problem["quota"], problem["limit"], problem["usage"]) == ("bots", 1, 1)
    assert (problem["plan"], problem["upgrade_plan"]) == ("free", "starter")


async def test_spend_is_priced_and_only_platform_tokens_count_against_the_budget(
    db: Database,
) -> None:
    tenant = await provision_tenant(db, name="Spender", allowed_origins=[])
    async with db.tenant_session(tenant.tenant_id) as session:
        for on_platform_key in (True, True, False):
            spend = AnswerSpend(tenant.bot_id, "gpt-4o-mini", 1000, 200, on_platform_key)
            await record_spend(session, tenant.tenant_id, spend)
        row = await session.scalar(select(ModelUsageDaily))
        used = await usage.used_this_month(session, tenant.tenant_id, [UsageMetric.MODEL_TOKENS])
    assert row is not None
    assert (row.answers, row.prompt_tokens, row.completion_tokens) == (3, 3000, 600)
    assert row.cost_micro_usd == 3 * cost_micro_usd("gpt-4o-mini", 1000, 200) == 3 * 270
    assert used[UsageMetric.MODEL_TOKENS] == row.platform_tokens == 2400


async def test_a_downgrade_suspends_the_newest_bots_and_an_upgrade_resumes_them(
    committed_db: Database,
) -> None:
    # Committed transactions: "newest" is by creation time, which one transaction shares.
    db = committed_db
    tenant_name = f"Three Bots {uuid.uuid4()}"
    tenant = await provision_tenant(db, name=tenant_name, allowed_origins=[])
    async with db.tenant_session(tenant.tenant_id) as session:
        growth = await offered_plan(session, "growth")
        free = await offered_plan(session, "free")
        await set_plan_manually(session, tenant.tenant_id, growth)
    for name in ("second", "third"):  # one transaction each: created_at is the commit's
        async with db.tenant_session(tenant.tenant_id) as session:
            await require_room(session, tenant.tenant_id, "bots")
            session.add(Bot(tenant_id=tenant.tenant_id, name=name, widget_key=uuid.uuid4().hex))

    async def active_bots() -> list[str]:
        async with db.tenant_session(tenant.tenant_id) as session:
            return sorted((await session.scalars(select(Bot.name).where(Bot.is_active))).all())

    async with db.tenant_session(tenant.tenant_id) as session:
        _, down = await set_plan_manually(session, tenant.tenant_id, free)
    assert await active_bots() == [f"{tenant_name} assistant"]
    assert len(down.suspended["bots"]) == 2
    async with db.tenant_session(tenant.tenant_id) as session:
        _, up = await set_plan_manually(session, tenant.tenant_id, growth)
        assert set(up.resumed["bots"]) == set(down.suspended["bots"])
        assert (await reconcile(session, tenant.tenant_id)).as_json() == {
            "suspended": {},
            "resumed": {},
        }
    assert await active_bots() == sorted([f"{tenant_name} assistant", "second", "third"])
