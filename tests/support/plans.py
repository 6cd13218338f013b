"""Plans for tests: the seeded ones by code, and private ones a test shapes for itself.

A private plan is a copy of a seeded plan's limits with some changed ("two stores, still
500 products"), written as the schema owner (plans are read-only to the application role)
and inactive, so it is never offered and no other test's list of plans sees it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import URL, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from core.billing.plan_changes import set_plan_manually
from core.billing.plans import PlanInfo, offered_plan
from core.db.database import Database
from core.ids import TenantId
from core.models.billing import Plan


async def private_plan(owner_url: URL, *, like: str, **limits: Any) -> uuid.UUID:
    """An inactive copy of plan `like` with `limits` changed; returns its id."""
    plan_id = uuid.uuid4()
    engine = create_async_engine(owner_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO plans (id, code, version, name, monthly_price_cents, limits, "
                    "is_active) SELECT :id, :code, 1, 'Test plan', monthly_price_cents, "
                    "limits || CAST(:limits AS jsonb), false FROM plans WHERE code = :like "
                    "ORDER BY version DESC LIMIT 1"
                ),
                {
                    "id": plan_id,
                    "code": f"test-{plan_id.hex[:12]}",
                    "like": like,
                    "limits": json.dumps(limits),
                },
            )
    finally:
        await engine.dispose()
    return plan_id


async def put_on_plan(db: Database, tenant_id: TenantId, plan: str | uuid.UUID) -> None:
    """An operator's plan change (`shopbot tenants set-plan`): a seeded plan by code, or a
    private plan by id."""
    async with db.tenant_session(tenant_id) as session:
        if isinstance(plan, uuid.UUID):
            row = await session.scalar(select(Plan).where(Plan.id == plan))
            assert row is not None, "no such plan"
            info = PlanInfo.of(row)
        else:
            info = await offered_plan(session, plan)
        await set_plan_manually(session, tenant_id, info)
