"""Engines and sessions. Commit happens only at the edge (request dependency, task wrapper).

`Database` holds the application-role engine. Its connections carry the server-side limits
of `SessionTimeouts` from the moment they connect (startup options, not per transaction),
so no request can hold a statement, a lock wait or an idle transaction open for longer.
Sessions come in two kinds:
- `tenant_session(tenant_id)`: every transaction runs with `app.tenant_id` set;
- `system_session()`: no tenant, so tenant tables show no rows; it may only call the
  SECURITY DEFINER lookup functions (core.db.lookups) and touch global tables.
- `read_session(tenant_id)`: a tenant session for reads that tolerate replication lag
  (retrieval): on the read replica when one is configured and up, else on the primary
  (core.db.replica).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.db import tenancy
from core.db.liveness import ping_after_idle
from core.db.replica import ReadReplica
from core.ids import TenantId
from core.settings import Settings, get_settings

# libpq's own floor (a smaller connect_timeout counts as 2 s).
REPLICA_CONNECT_TIMEOUT_S = 2


@dataclass(frozen=True)
class SessionTimeouts:
    """Server-side limits of every application connection (0 turns one off)."""

    statement_ms: int
    lock_ms: int
    idle_in_transaction_ms: int
    connect_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionTimeouts:
        return cls(
            statement_ms=settings.db_statement_timeout_ms,
            lock_ms=settings.db_lock_timeout_ms,
            idle_in_transaction_ms=settings.db_idle_in_transaction_timeout_ms,
            connect_s=settings.db_connect_timeout_s,
        )

    def connect_args(self, url: URL) -> dict[str, object]:
        """psycopg connection arguments: the timeouts as startup `options`, after any
        options the URL already carries (so an operator's own `-c` flags survive)."""
        given = url.query.get("options")
        given_text = " ".join(given) if isinstance(given, tuple) else (given or "")
        ours = (
            f"-c statement_timeout={self.statement_ms} -c lock_timeout={self.lock_ms}"
            f" -c idle_in_transaction_session_timeout={self.idle_in_transaction_ms}"
        )
        return {"options": f"{given_text} {ours}".strip(), "connect_timeout": self.connect_s}


@dataclass
class Database:
    engine: AsyncEngine
    # In tests the sessions join one outer connection whose transaction is rolled back.
    bind: AsyncConnection | None = None
    replica: ReadReplica | None = None
    # The units of work's sessionmaker, made once.
    _sessions: async_sessionmaker[AsyncSession] | None = field(default=None, init=False, repr=False)

    @classmethod
    def connect(
        cls,
        url: URL,
        *,
        pool_size: int = 10,
        timeouts: SessionTimeouts | None = None,
        read_url: URL | None = None,
        replica_retry_s: float = 5.0,
    ) -> Database:
        """The application's engine; `timeouts` default to the process settings'.
        `read_url`: a read replica's (already with the application role's credentials)."""
        limits = timeouts or SessionTimeouts.from_settings(get_settings())
        replica = None
        if read_url is not None:
            # A dead replica is waited on only this long before the primary takes over.
            quick = replace(limits, connect_s=min(limits.connect_s, REPLICA_CONNECT_TIMEOUT_S))
            replica = ReadReplica(_engine(read_url, pool_size, quick), retry_s=replica_retry_s)
        return cls(engine=_engine(url, pool_size, limits), replica=replica)

    @asynccontextmanager
    async def read_session(self, tenant_id: TenantId) -> AsyncIterator[AsyncSession]:
        """A tenant unit of work for reads that tolerate replication lag: on the replica
        when there is one and it answers, else on the primary. Only getting the connection
        falls back; an error of the reads themselves is raised as on the primary (a
        replica lost mid-read is then skipped by the next reads)."""
        tenancy.require_tenant(tenant_id)
        replica = self.replica
        if replica is None or self.bind is not None or not replica.worth_trying():
            async with self.tenant_session(tenant_id) as session:
                yield session
            return
        session = replica.sessions()
        session.info[tenancy.TENANT_KEY] = tenant_id
        try:
            await session.connection()  # connects and begins: the tenant is set
        except Exception as error:
            await session.close()
            if not replica.failed(error):
                raise
            async with self.tenant_session(tenant_id) as primary_session:
                yield primary_session
            return
        replica.succeeded()
        async with session:
            try:
                yield session
            except BaseException as error:
                await session.rollback()
                if isinstance(error, Exception):
                    replica.failed(error)
                raise
            await session.commit()

    @property
    def concurrent_sessions(self) -> bool:
        """Whether two units of work may run at once (not in tests whose sessions all join
        one connection, which runs one statement at a time)."""
        return self.bind is None

    def _sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        if self.bind is not None:
            return async_sessionmaker(
                bind=self.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
        if self._sessions is None:
            engine = tenancy.begins_itself(self.engine)
            self._sessions = async_sessionmaker(bind=engine, expire_on_commit=False)
        return self._sessions

    @asynccontextmanager
    async def _unit_of_work(self, tenant_id: TenantId | None) -> AsyncIterator[AsyncSession]:
        """A session committed on success and rolled back on error, tagged with the tenant."""
        async with self._sessionmaker()() as session:
            if tenant_id is not None:
                session.info[tenancy.TENANT_KEY] = tenant_id
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    @asynccontextmanager
    async def tenant_session(self, tenant_id: TenantId) -> AsyncIterator[AsyncSession]:
        """A unit of work for one tenant: committed on success, rolled back on error."""
        tenancy.require_tenant(tenant_id)
        async with self._unit_of_work(tenant_id) as session:
            yield session

    @asynccontextmanager
    async def system_session(self) -> AsyncIterator[AsyncSession]:
        async with self._unit_of_work(None) as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.replica is not None:
            await self.replica.dispose()


def _engine(url: URL, pool_size: int, limits: SessionTimeouts) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # A connection is pinged at checkout only after it sat idle (core.db.liveness);
        # the most recently used one is handed out first.
        pool_use_lifo=True,
        connect_args=limits.connect_args(url),
        # SQLAlchemy would otherwise append every value of a failed statement (a
        # shopper's message, an email, a password hash) to its message, and so to logs
        # and error reports, where no scrubber can tell free text from the rest.
        hide_parameters=True,
        # Every connection in autocommit at the driver from the start, its sessions'
        # transactions begun by the tenancy hook with the tenant's setting in one round
        # trip (core.db.tenancy): set once here, not switched at every checkout.
        **tenancy.ENGINE_BEGINS_ITSELF,
    )
    ping_after_idle(engine)
    return engine
