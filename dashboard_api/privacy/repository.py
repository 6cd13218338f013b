"""The SQL of a whole account's export and erasure, driven by the database's catalogue.

Which tables hold a tenant's rows is read from `information_schema.columns` (every base
table with a `tenant_id` column) and the order to delete them in from the foreign keys in
`pg_constraint`, never from a list in the code: a table a later migration adds is exported
and erased without anyone remembering to add it here. Table and column names come from
the catalogue and are quoted as identifiers; values are always bound parameters.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from graphlib import TopologicalSorter

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId

TENANTS_TABLE = "tenants"  # keyed on `id`: the business itself, deleted last
EXPORT_BATCH_ROWS = 500

_TENANT_TABLES = text("""
    SELECT c.table_name
    FROM information_schema.columns c
    JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'
      AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name
""")

_FOREIGN_KEYS = text("""
    SELECT child.relname AS child, parent.relname AS parent
    FROM pg_constraint k
    JOIN pg_class child ON child.oid = k.conrelid
    JOIN pg_class parent ON parent.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = child.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public'
""")

_COLUMNS = text("""
    SELECT column_name, udt_name
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = :table
    ORDER BY ordinal_position
""")


@dataclass(frozen=True)
class Column:
    name: str
    type_name: str  # the catalogue's `udt_name`: `vector`, `bytea`, `text`, ...


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def tenant_tables(session: AsyncSession) -> list[str]:
    """Every table with a `tenant_id` column, by name (`tenants` itself is not one)."""
    return list((await session.scalars(_TENANT_TABLES)).all())


async def deletion_order(session: AsyncSession, tables: Iterable[str]) -> list[str]:
    """`tables` with every referencing (child) table before the tables it references, so
    each DELETE removes rows nothing still points at and its count is the table's own
    (not rows an ON DELETE CASCADE took along)."""
    wanted = set(tables)
    sorter: TopologicalSorter[str] = TopologicalSorter({table: () for table in wanted})
    for child, parent in (await session.execute(_FOREIGN_KEYS)).all():
        if child in wanted and parent in wanted and child != parent:
            sorter.add(parent, child)  # the parent waits for its children
    return list(sorter.static_order())


async def columns_of(session: AsyncSession, table: str) -> list[Column]:
    rows = (await session.execute(_COLUMNS, {"table": table})).all()
    return [Column(row.column_name, row.udt_name) for row in rows]


def _owner_filter(table: str) -> str:
    return "id = :tenant_id" if table == TENANTS_TABLE else "tenant_id = :tenant_id"


async def stream_rows(
    session: AsyncSession, tenant_id: TenantId, table: str, columns: list[str]
) -> AsyncIterator[str]:
    """The tenant's rows of `table` as JSON objects (one string each) with only `columns`,
    converted by PostgreSQL (`row_to_json`: timestamps ISO 8601, arrays, JSONB as is),
    read through a server-side cursor so a table of millions of rows is never in memory
    (unsorted: a sort of millions of rows would have to finish before the first one)."""
    selected = ", ".join(quote_ident(column) for column in columns)
    statement = text(
        f"SELECT row_to_json(r)::text FROM (SELECT {selected} FROM {quote_ident(table)}"
        f" WHERE {_owner_filter(table)}) r"
    )
    result = await session.stream(
        statement.execution_options(yield_per=EXPORT_BATCH_ROWS), {"tenant_id": tenant_id}
    )
    async for (line,) in result:
        yield line


async def allow_long_statements(session: AsyncSession, seconds: int) -> None:
    """Raises this transaction's statement timeout (the pool's default is for requests, a
    few seconds): one DELETE of a big tenant's messages may take longer. `SET LOCAL` ends
    with the transaction."""
    await session.execute(text(f"SET LOCAL statement_timeout = '{int(seconds)}s'"))


async def delete_rows(session: AsyncSession, tenant_id: TenantId, table: str) -> int:
    result = await session.execute(
        text(f"DELETE FROM {quote_ident(table)} WHERE {_owner_filter(table)}"),
        {"tenant_id": tenant_id},
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # a CursorResult


async def member_user_ids(session: AsyncSession, tenant_id: TenantId) -> list[uuid.UUID]:
    rows = await session.scalars(
        text("SELECT user_id FROM memberships WHERE tenant_id = :tenant_id"),
        {"tenant_id": tenant_id},
    )
    return list(rows.all())


async def delete_users_without_membership(
    session: AsyncSession, user_ids: Iterable[uuid.UUID]
) -> int:
    """Deletes those of `user_ids` who are no longer a member of any business (their email
    is personal data and nothing keeps them); a user with another membership stays. The
    memberships of other tenants are invisible under RLS, so the `app_user_tenants` lookup
    (SECURITY DEFINER, ids only) answers whether any remains. Their refresh and one-time
    tokens go with them (ON DELETE CASCADE)."""
    deleted = 0
    for user_id in user_ids:
        remaining = await session.scalar(
            text("SELECT count(*) FROM app_user_tenants(:user_id)"), {"user_id": user_id}
        )
        if remaining:
            continue
        result = await session.execute(
            text("DELETE FROM users WHERE id = :user_id"), {"user_id": user_id}
        )
        deleted += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return deleted


async def business_name(session: AsyncSession, tenant_id: TenantId) -> str | None:
    return await session.scalar(
        text("SELECT name FROM tenants WHERE id = :tenant_id"), {"tenant_id": tenant_id}
    )


async def stripe_subscription(session: AsyncSession, tenant_id: TenantId) -> tuple[str, str] | None:
    """(Stripe subscription id, status) of the tenant's billing row when it has one."""
    row = (
        await session.execute(
            text(
                "SELECT stripe_subscription_id, status FROM subscriptions"
                " WHERE tenant_id = :tenant_id AND stripe_subscription_id IS NOT NULL"
            ),
            {"tenant_id": tenant_id},
        )
    ).first()
    return None if row is None else (row.stripe_subscription_id, row.status)


async def record_erasure(
    session: AsyncSession, tenant_id: TenantId, row_counts: dict[str, int], actor_role: str
) -> uuid.UUID:
    """Appends the erasure record through the one function the app role may use for it."""
    erasure_id = await session.scalar(
        text("SELECT app_record_tenant_erasure(:tenant_id, CAST(:counts AS jsonb), :role)"),
        {"tenant_id": tenant_id, "counts": json.dumps(row_counts), "role": actor_role},
    )
    assert erasure_id is not None
    return erasure_id
