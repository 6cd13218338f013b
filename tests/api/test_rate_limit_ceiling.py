"""The plan's rate-limit ceiling at load: a bot row written before the ceiling existed (a
million a minute, straight in the database) is capped to its plan's ceiling, read with the
bot's policy in one query; a better plan lifts the cap."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import update

from api.rate_limit import DEFAULT_LIMITS, Limit, limits_for_bot
from api.sessions import repository
from core.billing.plan_changes import set_plan_manually
from core.billing.plans import RateCeiling, offered_plan
from core.db.database import Database
from core.models import Bot
from core.provisioning import provision_tenant

MILLION = {"per_minute": 1_000_000, "burst": 1_000_000}


def test_every_scope_is_capped_and_an_override_above_the_ceiling_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ceiling = {"bot": RateCeiling(per_minute=120, burst=120), "session": RateCeiling(20, 20)}
    with caplog.at_level(logging.WARNING, logger="api.rate_limit"):
        for _ in range(3):
            limits = limits_for_bot({"bot": MILLION}, ceiling=ceiling, label="bot b1")
    assert limits["bot"] == Limit(per_minute=120, burst=120)
    assert limits["session"] == DEFAULT_LIMITS["session"]  # under the ceiling: as it was
    assert limits["ip"] == DEFAULT_LIMITS["ip"]  # no ceiling for the scope: as it was
    capped = [r for r in caplog.records if "above the plan's ceiling" in r.getMessage()]
    assert len(capped) == 1 and "bot b1" in capped[0].getMessage()
    assert limits_for_bot({"bot": MILLION})["bot"] == Limit(1_000_000, 1_000_000)


async def test_a_million_a_minute_written_before_is_capped_at_load(db: Database) -> None:
    tenant = await provision_tenant(db, name="Old Row", allowed_origins=[])
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(rate_limits={"bot": MILLION, "session": MILLION})
        )
        public = await repository.get_public_bot(session, tenant.tenant_id, tenant.bot_id)
    policy = await repository.read_bot_policy(db, tenant.tenant_id, tenant.bot_id)
    assert policy is not None and public is not None
    limits = limits_for_bot(policy.rate_limits, ceiling=policy.rate_ceiling)
    assert limits["bot"] == Limit(per_minute=120, burst=120)  # Free's ceiling
    assert limits["session"] == Limit(per_minute=20, burst=20)
    assert public.rate_ceiling == policy.rate_ceiling

    async with db.tenant_session(tenant.tenant_id) as session:
        await set_plan_manually(session, tenant.tenant_id, await offered_plan(session, "scale"))
    policy = await repository.read_bot_policy(db, tenant.tenant_id, tenant.bot_id)
    assert policy is not None
    limits = limits_for_bot(policy.rate_limits, ceiling=policy.rate_ceiling)
    assert limits["bot"] == Limit(per_minute=6000, burst=6000)
