"""The database wall of tenancy: the tenant is set per transaction.

`set_config('app.tenant_id', ..., true)` is transaction-local, so a pooled connection can
never carry one request's tenant into the next. A session created for a tenant records it
in `session.info`; the `after_begin` hook sets it at the start of every transaction the
session opens (including the ones after a commit).
"""

from __future__ import annotations

import uuid

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from core.errors import MissingTenant
from core.ids import TenantId

TENANT_KEY = "tenant_id"
_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant_id, true)")


def require_tenant(tenant_id: TenantId | None) -> TenantId:
    if not isinstance(tenant_id, uuid.UUID):
        raise MissingTenant(f"tenant-scoped work needs a tenant id; got {tenant_id!r}")
    return tenant_id


@event.listens_for(Session, "after_begin")
def _set_tenant_on_begin(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    # A session without a tenant explicitly clears it: on a connection shared with an
    # enclosing transaction (tests, nested units of work) nothing may be inherited.
    tenant_id = session.info.get(TENANT_KEY)
    connection.execute(_SET_TENANT, {"tenant_id": "" if tenant_id is None else str(tenant_id)})
