"""Distribution by tenant, read from the live catalogue (alembic 0012).

Citus enforces a primary key, a unique constraint or a foreign key only inside one shard,
so sharding by `tenant_id` needs every key of a tenant table to include it, and every
foreign key between tenant tables to match `tenant_id` to `tenant_id`. `key_problems`
lists each breach in words; an empty list is a schema that can be distributed the way
ARCHITECTURE.md ("Distribution by tenant") describes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

DISTRIBUTION_COLUMN = "tenant_id"
# The tenants themselves: keyed on `id`, which is every tenant table's `tenant_id`.
DISTRIBUTION_ROOT = "tenants"
# Every table without `tenant_id`, and why it has none.
GLOBAL_TABLES = {
    DISTRIBUTION_ROOT: "the tenant itself; Citus: distributed by id, colocated with the rest",
    "users": "a person may belong to several tenants; Citus: reference table",
    "refresh_tokens": "a user's sign-in sessions, the user's not a tenant's; reference",
    "one_time_tokens": "a user's email and password tokens; reference",
    "plans": "the plans every tenant may subscribe to; reference",
    "embedding_spaces": "the embedding models every tenant's vectors name; reference",
    "tenant_erasures": "the proof of an erasure outlives the tenant; coordinator-local",
    "alembic_version": "the migration state; coordinator-local",
}

_TABLES = """
    SELECT c.oid, c.relname, EXISTS (
        SELECT 1 FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    )
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname
"""
# Unique and exclusion indexes (constraints and bare indexes alike), with their key
# columns in order (INCLUDE columns are not part of the key).
_UNIQUE_INDEXES = """
    SELECT i.indrelid, i.indexrelid::regclass::text, i.indisprimary,
           array(SELECT pg_get_indexdef(i.indexrelid, k, true)
                 FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k)
    FROM pg_index i
    WHERE i.indisunique OR i.indisexclusion
"""
_FOREIGN_KEYS = """
    SELECT k.conname, k.conrelid, k.confrelid, k.confdeltype, k.confupdtype,
           array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, at)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                 ORDER BY u.at),
           array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, at)
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
                 ORDER BY u.at),
           array(SELECT a.attname FROM unnest(coalesce(k.confdelsetcols, '{}')) AS u(attnum)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum)
    FROM pg_constraint k
    WHERE k.contype = 'f'
"""
_NULLING_ACTIONS = {"n": "SET NULL", "d": "SET DEFAULT"}


@dataclass(frozen=True)
class Table:
    name: str
    has_tenant_id: bool

    @property
    def tenant_scoped(self) -> bool:
        """A tenant table (a listed global table given tenant_id is reported as that)."""
        return self.has_tenant_id and self.name not in GLOBAL_TABLES


def key_problems(connection: psycopg.Connection) -> list[str]:
    """Every key of the `public` schema that a distribution by tenant could not enforce."""
    tables = {
        oid: Table(name, scoped) for oid, name, scoped in connection.execute(_TABLES).fetchall()
    }
    problems = [*_table_problems(tables.values())]
    problems += _unique_problems(connection, tables)
    problems += _foreign_key_problems(connection, tables)
    return sorted(problems)


def _table_problems(tables: Iterable[Table]) -> list[str]:
    problems = []
    for table in tables:
        if table.has_tenant_id and table.name in GLOBAL_TABLES:
            problems.append(f"{table.name}: a global table has tenant_id")
        if not table.has_tenant_id and table.name not in GLOBAL_TABLES:
            problems.append(f"{table.name}: no tenant_id and not a listed global table")
    return problems


def _unique_problems(connection: psycopg.Connection, tables: dict[int, Table]) -> list[str]:
    problems = []
    keyed = set()
    for relation, index, primary, columns in connection.execute(_UNIQUE_INDEXES).fetchall():
        table = tables.get(relation)
        if table is None:
            continue
        if primary:
            keyed.add(table.name)
        what = "primary key" if primary else f"unique index {index}"
        if table.name == DISTRIBUTION_ROOT:
            if primary and columns != ["id"]:
                problems.append(f"{table.name}: primary key ({', '.join(columns)}) is not (id)")
        elif table.tenant_scoped and DISTRIBUTION_COLUMN not in columns:
            problems.append(
                f"{table.name}: {what} ({', '.join(columns)}) does not include tenant_id"
            )
    problems += [
        f"{table.name}: no primary key"
        for table in tables.values()
        if table.tenant_scoped and table.name not in keyed
    ]
    return problems


def _foreign_key_problems(connection: psycopg.Connection, tables: dict[int, Table]) -> list[str]:
    problems = []
    for row in connection.execute(_FOREIGN_KEYS).fetchall():
        name, child_oid, parent_oid, on_delete, on_update, columns, referred, nulled = row
        child, parent = tables.get(child_oid), tables.get(parent_oid)
        if child is None or parent is None:
            continue
        where = f"{child.name}: foreign key {name}"
        if not child.tenant_scoped:
            if parent.tenant_scoped:
                problems.append(f"{where} points from a global table into a tenant table")
            continue
        if parent.name == DISTRIBUTION_ROOT:
            if (columns, referred) != ([DISTRIBUTION_COLUMN], ["id"]):
                problems.append(f"{where} must be (tenant_id) -> tenants (id)")
            continue
        if not parent.tenant_scoped:
            continue  # to a reference table: any columns
        if (DISTRIBUTION_COLUMN, DISTRIBUTION_COLUMN) not in zip(columns, referred, strict=True):
            problems.append(f"{where} does not match tenant_id to {parent.name}.tenant_id")
            continue
        # A SET NULL without a column list (and any ON UPDATE one) nulls every column.
        if on_delete in _NULLING_ACTIONS and (not nulled or DISTRIBUTION_COLUMN in nulled):
            problems.append(f"{where} ON DELETE {_NULLING_ACTIONS[on_delete]} nulls tenant_id")
        if on_update in _NULLING_ACTIONS:
            problems.append(f"{where} ON UPDATE {_NULLING_ACTIONS[on_update]} nulls tenant_id")
    return problems
