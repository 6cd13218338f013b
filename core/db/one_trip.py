"""A tenant read in one round trip: for a statement on a hot path that needs nothing else.

A tenant unit of work (`Database.tenant_session`) costs three round trips for one SELECT:
BEGIN with the tenant's `set_config` (core.db.tenancy), the statement, COMMIT. Under load
each also waits its turn on the event loop and wakes a PostgreSQL backend. Here the four
commands are queued in psycopg's pipeline mode on a connection in autocommit (so psycopg
adds no BEGIN of its own) and go out with one sync: one round trip, the same transaction,
the same row-level security (the setting is transaction-local, as in every unit of work).

The statement is compiled once per process (`OneTripRead`); its parameters are bound by
name at each read.

A connection whose pipeline failed is invalidated rather than pooled: its transaction state
is not worth reasoning about. In tests whose sessions share one connection (`Database.bind`)
the read runs as an ordinary unit of work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler

from core.db import tenancy
from core.db.database import Database
from core.ids import TenantId

_SET_TENANT = "SELECT set_config('app.tenant_id', %(tenant)s, true)"


class OneTripRead:
    """`statement` (a SELECT whose parameters are `bindparam`s), read for a tenant in one
    round trip. Rows come back as tuples, in the statement's column order, typed by psycopg
    (uuid, jsonb as Python objects, arrays as lists)."""

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self._statement = statement
        self._compiled: SQLCompiler | None = None

    def _sql(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The SQL and its values: the caller's, and those the statement carries itself (its
        literals, an `IN` list's one per item). A parameter without a value is an error."""
        if self._compiled is None or self._compiled.dialect is not dialect:
            compiled = self._statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)
            self._compiled = compiled
        expanded = self._compiled.construct_expanded_state(dict(params), escape_names=False)
        return expanded.statement, dict(expanded.parameters)

    async def rows(
        self, db: Database, tenant_id: TenantId, params: Mapping[str, Any]
    ) -> Sequence[tuple[Any, ...]]:
        tenancy.require_tenant(tenant_id)
        if db.bind is not None:
            async with db.tenant_session(tenant_id) as session:
                result = await session.execute(self._statement, dict(params))
                return [tuple(row) for row in result.all()]
        async with db.engine.connect() as connection:
            sql, values = self._sql(connection.dialect, params)
            if not db.engine.get_execution_options().get(tenancy.EXPLICIT_BEGIN):
                # An engine made otherwise (tests'): autocommit for this read only.
                await connection.execution_options(isolation_level="AUTOCOMMIT")
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, psycopg.AsyncConnection)
            try:
                async with driver.pipeline():
                    await driver.execute("BEGIN")
                    await driver.execute(_SET_TENANT, {"tenant": str(tenant_id)})
                    cursor = await driver.execute(sql, values)
                    await driver.execute("COMMIT")
                return await cursor.fetchall()
            except BaseException:
                await connection.invalidate()
                raise
