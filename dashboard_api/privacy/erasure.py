"""`DELETE /v1/tenant`: a whole business erased, as a named flow over the `Database`.

Why a flow and not the request's `TenantSession`: the Stripe subscription is cancelled
between two transactions (no transaction is held across a network call), and the
erasure's own transaction must not be the one the request dependency commits after
auth has already read the membership it deletes.

1. A short read: the business name (the confirmation must match it exactly) and the
   Stripe subscription, if any.
2. Stripe: the subscription is cancelled now (not at period end: nobody is left to use
   it). Any Stripe failure is `BillingUnavailable` (503) and nothing is deleted. Already
   cancelled or unknown to Stripe counts as done, so a retry after a failure in step 3
   goes straight through.
3. One transaction: every table with a `tenant_id` (read from the catalogue, children
   before parents), the business row, then the members who belong to no other business;
   the erasure record (no personal data) is written in the same transaction.

One transaction rather than resumable batches: atomicity means there is never a
half-erased account that still signs in, still answers shoppers, or lost its data without
its proof being written, and a failure leaves everything in place to try again. The size
is bounded by the plan (a year of a busy store is a few million rows, each table deleted
through its `tenant_id` index); PostgreSQL takes row locks only and never escalates them,
so other businesses' shoppers and merchants are not blocked while it runs; the
transaction's statement timeout is raised for it (`ERASURE_STATEMENT_TIMEOUT_S`). If erasures of
the largest accounts ever outgrow one transaction, the same catalogue order can run in
batches (each DELETE is idempotent), with the business row and the record last.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from core.db.database import Database
from core.ids import TenantId
from dashboard_api.auth.context import MerchantContext
from dashboard_api.billing.errors import BillingNotConfigured
from dashboard_api.dependencies import DashboardRuntime
from dashboard_api.privacy import repository
from dashboard_api.privacy.errors import ConfirmationMismatch

log = logging.getLogger(__name__)

# Subscriptions Stripe will never charge again: nothing to cancel.
_ENDED = frozenset({"canceled", "incomplete_expired"})
# The erasure transaction's statement timeout (requests get a few seconds).
ERASURE_STATEMENT_TIMEOUT_S = 600


@dataclass(frozen=True)
class Erased:
    erasure_id: uuid.UUID
    row_counts: dict[str, int]


class TenantErasure:
    def __init__(self, runtime: DashboardRuntime) -> None:
        self.runtime = runtime

    @property
    def db(self) -> Database:
        return self.runtime.db

    async def erase(self, context: MerchantContext, confirm: str) -> Erased:
        tenant_id = context.tenant_id
        async with self.db.tenant_session(tenant_id) as session:
            name = await repository.business_name(session, tenant_id)
            subscription = await repository.stripe_subscription(session, tenant_id)
        if name is None or confirm != name:
            raise ConfirmationMismatch()
        if subscription is not None:
            await self._cancel_in_stripe(tenant_id, subscription[0])
        async with self.db.tenant_session(tenant_id) as session:
            await repository.allow_long_statements(session, ERASURE_STATEMENT_TIMEOUT_S)
            members = await repository.member_user_ids(session, tenant_id)
            tables = await repository.tenant_tables(session)
            counts: dict[str, int] = {}
            for table in await repository.deletion_order(session, tables):
                counts[table] = await repository.delete_rows(session, tenant_id, table)
            counts[repository.TENANTS_TABLE] = await repository.delete_rows(
                session, tenant_id, repository.TENANTS_TABLE
            )
            counts["users"] = await repository.delete_users_without_membership(session, members)
            erasure_id = await repository.record_erasure(session, tenant_id, counts, context.role)
        log.info("tenant %s erased (record %s)", tenant_id, erasure_id)
        return Erased(erasure_id=erasure_id, row_counts=counts)

    async def _cancel_in_stripe(self, tenant_id: TenantId, subscription_id: str) -> None:
        if not self.runtime.stripe_configured:
            # A live subscription this server cannot reach would keep charging a business
            # that no longer exists: refuse rather than erase the only link to it.
            raise BillingNotConfigured(
                "This business has a Stripe subscription but payments are not set up on "
                "this server; an operator must cancel it before the business is deleted."
            )
        gateway = self.runtime.stripe()
        current = await gateway.subscription(subscription_id)
        if current is None or current.get("status") in _ENDED:
            return
        await gateway.cancel_subscription(subscription_id)
        log.info("tenant %s: Stripe subscription cancelled before erasure", tenant_id)
