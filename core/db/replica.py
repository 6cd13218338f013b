"""A read replica for the reads that tolerate a little lag (retrieval), with the primary
as the fallback.

The replica is connected to as the application role (the URL's host, port and database,
the application's user and password), so row-level security holds there as on the
primary: the same role, the tenant set per transaction by `core.db.tenancy`.

Health is a small circuit: a read that cannot get a replica connection (refused,
unreachable, timed out, the server starting or shutting down, the pool exhausted) marks
the replica down for `retry_s`, during which reads go straight to the primary without
waiting on a dead host again; after that one read tries the replica again. The warning is
logged once per outage (when it starts) and one line says when the replica is back, so a
long outage is two log lines, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.db.faults import connection_lost_reason
from core.db.tenancy import begins_itself

log = logging.getLogger(__name__)


class ReadReplica:
    """The replica's engine and whether it is worth trying now."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        retry_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(bind=begins_itself(engine), expire_on_commit=False)
        self._retry_s = retry_s
        self._clock = clock
        self._down_until: float | None = None  # None: up (or not known to be down)

    @property
    def down(self) -> bool:
        return self._down_until is not None

    def worth_trying(self) -> bool:
        return self._down_until is None or self._clock() >= self._down_until

    def failed(self, error: BaseException) -> bool:
        """Record a failed read; True when it means the replica is down (the caller then
        reads from the primary), False for any other error (the caller raises it)."""
        reason = connection_lost_reason(error)
        if reason is None:
            return False
        if self._down_until is None:
            log.warning(
                "read replica unavailable (%s); reading from the primary, retrying the "
                "replica every %.0f s",
                reason,
                self._retry_s,
            )
        self._down_until = self._clock() + self._retry_s
        return True

    def succeeded(self) -> None:
        if self._down_until is not None:
            log.info("read replica is back; reads go to it again")
        self._down_until = None

    async def dispose(self) -> None:
        await self.engine.dispose()
