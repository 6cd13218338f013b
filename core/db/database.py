"""Engines and sessions. Commit happens only at the edge (request dependency, task wrapper).

`Database` holds the application-role engine. Sessions come in two kinds:
- `tenant_session(tenant_id)`: every transaction runs with `app.tenant_id` set;
- `system_session()`: no tenant, so tenant tables show no rows; it may only call the
  SECURITY DEFINER lookup functions (core.db.lookups) and touch global tables.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from core.db import tenancy
from core.ids import TenantId


@dataclass
class Database:
    engine: AsyncEngine
    # In tests the sessions join one outer connection whose transaction is rolled back.
    bind: AsyncConnection | None = None

    @classmethod
    def connect(cls, url: URL, *, pool_size: int = 10) -> Database:
        engine = create_async_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
        )
        return cls(engine=engine)

    def _sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        if self.bind is not None:
            return async_sessionmaker(
                bind=self.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
        return async_sessionmaker(bind=self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def tenant_session(self, tenant_id: TenantId) -> AsyncIterator[AsyncSession]:
        """A unit of work for one tenant: committed on success, rolled back on error."""
        tenancy.require_tenant(tenant_id)
        async with self._sessionmaker()() as session:
            session.info[tenancy.TENANT_KEY] = tenant_id
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    @asynccontextmanager
    async def system_session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessionmaker()() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()
