"""A pooled connection is checked with a round trip only after it sat idle.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` at every checkout, so every transaction paid
one round trip more than its statements (four or five an answer). Under a busy hour each
round trip is also a turn of a busy event loop. A connection used a moment ago is as alive
as a ping would show: the ping is skipped for one checked in less than
`IDLE_BEFORE_PING_S` ago, as HikariCP skips its alive check for one used within 500 ms.

What a ping caught before is still caught:
- a connection that idled through a restart, a failover or the server's idle timeout is
  pinged at its next checkout, found dead and replaced, with every connection made before
  it (`InvalidatePoolError`, as the pre-ping does);
- one that dies within the second after its last use fails its first statement instead;
  SQLAlchemy then invalidates it and the pool's older connections, and the request gets the
  503 `database_unavailable` (core.db.faults) that an outage gives anyway.

With `pool_use_lifo` the busiest connections are reused at once and the pool's surplus
idles, so pings fall on the surplus when a burst reaches it.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry

IDLE_BEFORE_PING_S = 1.0
_CHECKED_IN_AT = "shopbot_checked_in_at"


def ping_after_idle(engine: AsyncEngine, idle_s: float | None = None) -> None:
    """Ping `engine`'s connections at checkout once they sat idle `idle_s` (default
    `IDLE_BEFORE_PING_S`) or longer (the engine is made without `pool_pre_ping`)."""
    idle_s = IDLE_BEFORE_PING_S if idle_s is None else idle_s
    sync_engine = engine.sync_engine
    dialect = sync_engine.dialect

    def checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        # None: the connection was made for this checkout (its info is cleared when the
        # pool replaces it), so it is as alive as a ping would show.
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_s:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool replaces this connection and every one made before it, then hands
            # out the new one (or raises the connection error when the server is down).
            raise exc.InvalidatePoolError("a pooled connection failed its ping") from error

    event.listen(sync_engine.pool, "checkin", checked_in)
    event.listen(sync_engine.pool, "checkout", checked_out)
