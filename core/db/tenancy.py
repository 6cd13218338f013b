"""The database wall of tenancy: the tenant is set per transaction.

`set_config('app.tenant_id', ..., true)` is transaction-local, so a pooled connection can
never carry one request's tenant into the next. A session created for a tenant records it
in `session.info`; the `after_begin` hook sets it at the start of every transaction the
session opens (including the ones after a commit).

Where the session's engine leaves the driver in autocommit and marks it `EXPLICIT_BEGIN`
(the application's engines, made with `ENGINE_BEGINS_ITSELF`), the hook begins the
transaction itself: `BEGIN` and the setting go out as one simple-protocol query, one round
trip where psycopg's implicit BEGIN and the setting took two. Every unit of work starts
that way; COMMIT and ROLLBACK are psycopg's as before (it sends them whenever the server
reports a transaction open, autocommit or not). The driver is put in autocommit once, when
the connection is made: switching it at every checkout and back at every checkin
(`begins_itself` on an engine made otherwise, as tests' shared engine is) cost more CPU
than the round trip saved (bench.unit_of_work).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, SessionTransaction

from core.errors import MissingTenant
from core.ids import TenantId

TENANT_KEY = "tenant_id"
_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant_id, true)")
# An execution option: this engine's sessions send their own BEGIN.
EXPLICIT_BEGIN = "shopbot_explicit_begin"
# `create_async_engine` arguments of an engine whose sessions begin their transactions
# themselves: its connections in autocommit from the start. Code using such an engine's
# connections outside a session runs in autocommit (core.db.one_trip sends its own BEGIN).
ENGINE_BEGINS_ITSELF: dict[str, Any] = {
    "isolation_level": "AUTOCOMMIT",
    "execution_options": {EXPLICIT_BEGIN: True},
}


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
    if not connection.get_execution_options().get(EXPLICIT_BEGIN):
        connection.execute(_SET_TENANT, {"tenant_id": "" if tenant_id is None else str(tenant_id)})
        return
    # A literal, not a parameter: the simple protocol carries none, and only the extended
    # one could be given them. A UUID's text is hex digits and dashes, nothing to escape.
    value = "" if tenant_id is None else str(uuid.UUID(str(tenant_id)))
    connection.exec_driver_sql(
        f"BEGIN; SELECT set_config('app.tenant_id', '{value}', true)",
        execution_options={"no_parameters": True},
    )


def begins_itself(engine: AsyncEngine) -> AsyncEngine:
    """`engine` for sessions whose transactions the `after_begin` hook begins with the
    tenant's setting, in one round trip: itself when it was made so (`ENGINE_BEGINS_ITSELF`),
    else a copy that puts the driver in autocommit at each checkout (so it sends no BEGIN of
    its own) and tells the hook to send it."""
    if engine.get_execution_options().get(EXPLICIT_BEGIN):
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT", **{EXPLICIT_BEGIN: True})
