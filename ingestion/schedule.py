"""Which stores the beat's fan-out starts: due by the plan's sync frequency, not suspended.

`app_active_stores()` (a SECURITY DEFINER lookup: the beat has no tenant) lists every
store that is not disconnected, with its `last_synced_at`. A scheduled incremental sync
starts a store only when that is older than max(the deployment's interval, the plan's
`sync_interval_minutes`); the nightly reconcile starts every store. Either way a store the
plan suspended (`suspended_by_plan_at`, a downgrade below its store count) is skipped.

The plan and the suspension are tenant data, behind row-level security, so they are read
in one tenant session per tenant, with one query each (the stores, the tenant's billing
row and plan, and the Free plan's limits, joined). Only tenants that have a store the
deployment's interval alone would start are read: a store synced within it is never due,
whatever the plan. For 1,000 tenants with stores due that is 1,000 short transactions
(BEGIN, set_config, one indexed SELECT, COMMIT; about 1 to 2 ms each on a local
database) run one after another: a second or two of the beat task every 15 minutes, and
no long transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import in_good_standing
from core.billing.plans import FREE_PLAN, parse_limits
from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from core.models.billing import Plan, Subscription
from core.models.sync import SyncMode

# The beat fires every `every`; a store the previous tick started finished a little less
# than `every` ago. Without this slack it would wait for a second tick.
SCHEDULE_SLACK = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class ScheduledStore:
    tenant_id: uuid.UUID
    store_id: uuid.UUID
    last_synced_at: datetime | None


async def active_stores(db: Database) -> list[ScheduledStore]:
    """Every store not disconnected, via the SECURITY DEFINER lookup (no tenant needed)."""
    async with db.system_session() as session:
        rows = (
            await session.execute(
                text("SELECT tenant_id, store_id, last_synced_at FROM app_active_stores()")
            )
        ).all()
    return [ScheduledStore(row.tenant_id, row.store_id, row.last_synced_at) for row in rows]


def _synced_within(last_synced_at: datetime | None, interval: timedelta, now: datetime) -> bool:
    return last_synced_at is not None and now - last_synced_at < interval - SCHEDULE_SLACK


async def _tenant_due(
    session: AsyncSession,
    tenant_id: TenantId,
    store_ids: Sequence[uuid.UUID],
    *,
    mode: SyncMode,
    every: timedelta,
) -> list[uuid.UUID]:
    """The tenant's stores (of `store_ids`) to start now: one query."""
    free_limits = (
        select(Plan.limits)
        .where(Plan.code == FREE_PLAN, Plan.is_active.is_(True))
        .order_by(Plan.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(
                StoreConnection.id,
                StoreConnection.last_synced_at,
                StoreConnection.suspended_by_plan_at,
                Subscription.status,
                Subscription.grace_until,
                Plan.limits.label("plan_limits"),
                free_limits.label("free_limits"),
                func.now().label("now"),
            )
            .outerjoin(Subscription, Subscription.tenant_id == StoreConnection.tenant_id)
            .outerjoin(Plan, Plan.id == Subscription.plan_id)
            .where(StoreConnection.tenant_id == tenant_id, StoreConnection.id.in_(store_ids))
        )
    ).all()
    due = []
    for row in rows:
        if row.suspended_by_plan_at is not None:
            continue
        if mode == SyncMode.INCREMENTAL:
            # The same rule as core.billing.entitlements: the plan in good standing, else Free.
            standing = row.status is not None and in_good_standing(
                row.status, row.grace_until, row.now
            )
            limits = parse_limits(row.plan_limits if standing else row.free_limits)
            interval = max(every, timedelta(minutes=limits.sync_interval_minutes))
            if _synced_within(row.last_synced_at, interval, row.now):
                continue
        due.append(row.id)
    return due


async def stores_to_start(
    db: Database,
    stores: Sequence[ScheduledStore],
    *,
    mode: SyncMode,
    every: timedelta,
    now: datetime,
) -> list[ScheduledStore]:
    """The stores of `stores` a scheduled `mode` sync starts now, in the given order."""
    candidates = [
        s
        for s in stores
        if mode != SyncMode.INCREMENTAL or not _synced_within(s.last_synced_at, every, now)
    ]
    by_tenant: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for store in candidates:
        by_tenant[store.tenant_id].append(store.store_id)
    due: set[uuid.UUID] = set()
    for tenant, store_ids in by_tenant.items():
        tenant_id = TenantId(tenant)
        async with db.tenant_session(tenant_id) as session:
            due.update(await _tenant_due(session, tenant_id, store_ids, mode=mode, every=every))
    return [s for s in candidates if s.store_id in due]
