"""The plan's product quota, applied where products are written (sync pages, webhooks).

What is already indexed always stays and is always updated (prices, stock); only new rows
need room, and a product left out is never indexed half-way (no row, no chunks). Deleting
what the store itself deleted still applies: the quota never deletes anything.

Which products get in when not all fit: the store's listing order, which is ascending
product id (`ingestion.woocommerce.listing`), so the oldest products first. That order
depends on nothing that changes between syncs, so the same products are kept by every
sync, a resumed run picks the same ones as the run it continues, and a product never
drops out because another one went out of stock. (Preferring published, in-stock products
would need the whole catalogue before the first page is written, and would churn the
index whenever stock moved.)

Two checks, one authoritative:
- `room_estimate` when a page is planned (no lock): products with no chance of fitting are
  not chunked or embedded. It can only be too generous (the pages in flight before it are
  not committed yet), never too strict, except when a deletion frees room meanwhile (the
  next sync picks those up).
- `admit_new` in the transaction that writes the page, under the tenant's "products" lock
  (`core.billing.room.lock_quota`), so two stores of one tenant syncing at once cannot
  together overshoot the limit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import entitlement_for
from core.billing.room import count_usage, lock_quota
from core.ids import TenantId
from core.models import Product
from ingestion.indexing.documents import ProductDocument

QUOTA = "products"
WARNING_CODE = "product_quota"


@dataclass(frozen=True, slots=True)
class ProductRoom:
    """The plan whose product limit held when a batch was checked, and the room left."""

    plan: str  # the plan's code
    plan_name: str
    limit: int
    room: int  # new products that still fit (0 when at or over the limit)


async def _room(session: AsyncSession, tenant_id: TenantId) -> ProductRoom:
    entitlement = await entitlement_for(session, tenant_id)
    limit = entitlement.limits.count_limit(QUOTA)
    used = await count_usage(session, tenant_id, QUOTA)
    return ProductRoom(entitlement.plan.code, entitlement.plan.name, limit, max(0, limit - used))


async def room_estimate(session: AsyncSession, tenant_id: TenantId) -> ProductRoom:
    """The room as committed rows show it now (no lock: for planning only)."""
    return await _room(session, tenant_id)


async def _stored_ids(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, external_ids: list[str]
) -> set[str]:
    rows = await session.scalars(
        select(Product.external_id).where(
            Product.tenant_id == tenant_id,
            Product.store_id == store_id,
            Product.external_id.in_(external_ids),
        )
    )
    return set(rows)


async def admit_new(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    documents: Sequence[ProductDocument],
) -> tuple[list[ProductDocument], list[ProductDocument], ProductRoom | None]:
    """Split the documents about to be upserted into (written, left out, the room checked).

    Stored products are always written. New ones are admitted in the given order while the
    tenant has room; the lock taken here holds until the caller's transaction ends, so the
    rows it then inserts are counted by the next writer. Without new products no lock is
    taken and the room is None.
    """
    ids = [d.row.external_id for d in documents]
    if not ids:
        return [], [], None
    if not set(ids) - await _stored_ids(session, tenant_id, store_id, ids):
        return list(documents), [], None
    await lock_quota(session, tenant_id, QUOTA)
    stored = await _stored_ids(session, tenant_id, store_id, ids)  # again, under the lock
    room = await _room(session, tenant_id)
    fits, written, left_out = room.room, [], []
    for document in documents:
        if document.row.external_id in stored:
            written.append(document)
        elif fits > 0:
            written.append(document)
            fits -= 1
        else:
            left_out.append(document)
    return written, left_out, room


def product_quota_warning(
    plan: str, plan_name: str, limit: int, skipped: int, listed: int | None
) -> dict[str, Any]:
    """The job's warning (`sync_jobs.warnings`); its detail is the store's `sync_warning`."""
    of_total = f" of the store's {listed:,}" if listed else ""
    detail = (
        f"The {plan_name} plan indexes up to {limit:,} products; {skipped:,}{of_total} "
        f"{'was' if skipped == 1 else 'were'} left out. Upgrade to index them."
    )
    return {
        "code": WARNING_CODE,
        "detail": detail,
        "limit": limit,
        "skipped": skipped,
        "plan": plan,
    }


def not_applied_reason(room: ProductRoom | None) -> str:
    """Why a webhook's new product was not indexed (the event's recorded reason)."""
    if room is None:
        return "not applied: the plan's product quota has no room for a new product"
    return (
        f"not applied: the {room.plan_name} plan indexes up to {room.limit:,} products "
        "and has no room for a new one"
    )
