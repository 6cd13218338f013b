"""The periodic sweep of payment grace periods, as a Celery beat task.

A past-due subscription has Free's limits the moment its grace period ends (entitlements
read `grace_until`), so nothing new beyond Free can be created; what already runs beyond
Free is suspended by `reconcile`, which this sweep runs hourly for every past-due tenant
(and `GET /v1/billing` runs for its own tenant on read). Stripe is the index of past-due
subscriptions: their customers map to tenants through the SECURITY DEFINER lookup, so the
sweep needs no query across tenants. Without Stripe there is nothing past due to sweep.

Registered with the worker and beat by importing this module (`cli/worker_commands.py`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from core.background.celery_app import celery_app
from core.background.queues import TaskQueue
from core.db.database import Database
from core.runtime import open_runtime
from core.settings import get_settings
from dashboard_api.billing import repository
from dashboard_api.billing.gateway import StripeConfig, StripeGateway
from dashboard_api.billing.service import settle_expired_grace

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 60 * 60
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "billing-grace-sweep": {"task": "billing.grace.sweep", "schedule": SWEEP_EVERY_S},
}


def install_beat_schedule(app: Any = celery_app) -> None:
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


install_beat_schedule()


async def sweep_expired_grace(db: Database, gateway: StripeGateway) -> int:
    """Settle every past-due tenant whose grace ended; returns how many were looked at.
    Each tenant is its own short transaction, after the Stripe listing (no transaction is
    held across it)."""
    seen = 0
    for customer in sorted(set(await gateway.past_due_customers())):
        async with db.system_session() as session:
            tenant_id = await repository.tenant_by_customer(session, customer)
        if tenant_id is None:
            continue
        seen += 1
        try:
            async with db.tenant_session(tenant_id) as session:
                await settle_expired_grace(session, tenant_id, actor="system")
        except Exception:
            # One tenant's failure must not stop the others; the next sweep tries again.
            log.exception("grace sweep failed for tenant %s", tenant_id)
    return seen


async def _sweep_with_settings() -> int:
    settings = get_settings()
    config = StripeConfig.from_settings(settings)
    if config is None:
        return 0
    async with open_runtime(settings) as runtime:
        return await sweep_expired_grace(runtime.db, StripeGateway(config))


@celery_app.task(name="billing.grace.sweep", acks_late=True, routed_to=TaskQueue.BULK)
def sweep_grace_periods() -> int:
    return asyncio.run(_sweep_with_settings())
