"""Every key of a tenant table includes tenant_id (alembic 0012), as the catalogue records
it: the schema can be distributed by tenant, and no row can point at another tenant's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from core.models import Base, tenant_scoped_tables
from tests.support.tenant_keys import GLOBAL_TABLES, key_problems


@pytest.fixture
def owner_conn(owner_url: URL) -> Iterator[psycopg.Connection]:
    """The schema owner, in a transaction that is always rolled back."""
    with psycopg.connect(
        owner_url.set(drivername="postgresql").render_as_string(hide_password=False)
    ) as conn:
        with conn.transaction(force_rollback=True):
            yield conn


def test_every_key_of_the_migrated_schema_includes_tenant_id(owner_conn) -> None:
    assert key_problems(owner_conn) == []


def test_the_tables_without_tenant_id_are_exactly_the_listed_global_ones(owner_conn) -> None:
    rows = owner_conn.execute("""
        SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a
                                  WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    """).fetchall()
    assert sorted(name for name, scoped in rows if not scoped) == sorted(GLOBAL_TABLES)
    assert sorted(name for name, scoped in rows if scoped) == tenant_scoped_tables()


def test_models_declare_the_primary_keys_of_the_database_in_order(owner_conn) -> None:
    # `alembic check` compares foreign keys, unique constraints and indexes, but not
    # primary keys: this does, column order included (tenant_id first).
    rows = owner_conn.execute("""
        SELECT c.relname, array(SELECT pg_get_indexdef(i.indexrelid, k, true)
                                FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND i.indisprimary AND c.relname <> 'alembic_version'
    """).fetchall()
    declared = {
        table.name: [column.name for column in table.primary_key.columns]
        for table in Base.metadata.sorted_tables
    }
    assert dict(rows) == declared
    assert all(declared[name][0] == "tenant_id" for name in tenant_scoped_tables())


# A table (or change) someone might add, and what the check must say about it.
BREACHES = {
    "a plain id primary key": (
        "CREATE TABLE keys_probe (id uuid PRIMARY KEY,"
        " tenant_id uuid NOT NULL REFERENCES tenants (id))",
        ["keys_probe: primary key (id) does not include tenant_id"],
    ),
    "a unique constraint without tenant_id": (
        "CREATE TABLE keys_probe (id uuid, tenant_id uuid, code text UNIQUE,"
        " PRIMARY KEY (tenant_id, id))",
        ["keys_probe: unique index keys_probe_code_key (code) does not include tenant_id"],
    ),
    "a foreign key matching tenant_id to another column": (
        "CREATE TABLE keys_probe (id uuid, tenant_id uuid, bot_id uuid,"
        " PRIMARY KEY (tenant_id, id),"
        " CONSTRAINT probe_bot FOREIGN KEY (tenant_id, bot_id) REFERENCES bots (id, tenant_id))",
        ["keys_probe: foreign key probe_bot does not match tenant_id to bots.tenant_id"],
    ),
    "a SET NULL that would null tenant_id": (
        "CREATE TABLE keys_probe (id uuid, tenant_id uuid, bot_id uuid,"
        " PRIMARY KEY (tenant_id, id), CONSTRAINT probe_bot FOREIGN KEY (tenant_id, bot_id)"
        " REFERENCES bots (tenant_id, id) ON DELETE SET NULL)",
        ["keys_probe: foreign key probe_bot ON DELETE SET NULL nulls tenant_id"],
    ),
    "a table with neither tenant_id nor a place in the global list": (
        "CREATE TABLE keys_probe (id uuid PRIMARY KEY)",
        ["keys_probe: no tenant_id and not a listed global table"],
    ),
    "a global table given tenant_id": (
        "ALTER TABLE plans ADD COLUMN tenant_id uuid",
        ["plans: a global table has tenant_id"],
    ),
}


@pytest.mark.parametrize("ddl, problems", BREACHES.values(), ids=BREACHES.keys())
def test_the_check_names_each_breach(owner_conn, ddl: str, problems: list[str]) -> None:
    owner_conn.execute(ddl)  # rolled back with the test's transaction
    assert key_problems(owner_conn) == problems


def _tenant_with_store(conn: psycopg.Connection) -> tuple[uuid.UUID, uuid.UUID]:
    tenant, store = uuid.uuid4(), uuid.uuid4()
    conn.execute("INSERT INTO tenants (id, name) VALUES (%s, 'Keys test')", (tenant,))
    conn.execute(
        "INSERT INTO store_connections (id, tenant_id, base_url, credentials_ciphertext)"
        " VALUES (%s, %s, 'https://shop.example', 'x')",
        (store, tenant),
    )
    return tenant, store


def _bot(conn: psycopg.Connection, tenant: uuid.UUID, store: uuid.UUID) -> uuid.UUID:
    bot = uuid.uuid4()
    conn.execute(
        "INSERT INTO bots (id, tenant_id, name, widget_key, store_id) VALUES (%s, %s, 'b', %s, %s)",
        (bot, tenant, f"wk_{bot.hex}", store),
    )
    return bot


def test_a_row_cannot_point_at_another_tenants_row(owner_conn) -> None:
    # The schema owner bypasses row-level security, as foreign key checks always do: only
    # the composite key stands between tenant B's bot and tenant A's store.
    _, store_of_a = _tenant_with_store(owner_conn)
    tenant_b, store_of_b = _tenant_with_store(owner_conn)
    _bot(owner_conn, tenant_b, store_of_b)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        _bot(owner_conn, tenant_b, store_of_a)


def test_set_null_clears_the_reference_and_keeps_the_tenant(owner_conn) -> None:
    tenant, store = _tenant_with_store(owner_conn)
    bot, product, event = _bot(owner_conn, tenant, store), uuid.uuid4(), uuid.uuid4()
    owner_conn.execute(
        "INSERT INTO products (id, tenant_id, store_id, external_id, name, content_hash)"
        " VALUES (%s, %s, %s, '7', 'Mug', 'h')",
        (product, tenant, store),
    )
    owner_conn.execute(
        "INSERT INTO widget_events (id, tenant_id, bot_id, type, product_id)"
        " VALUES (%s, %s, %s, 'open', %s)",
        (event, tenant, bot, product),
    )
    owner_conn.execute("DELETE FROM products WHERE id = %s", (product,))
    owner_conn.execute("DELETE FROM store_connections WHERE id = %s", (store,))
    assert owner_conn.execute(
        "SELECT tenant_id, product_id FROM widget_events WHERE id = %s", (event,)
    ).fetchone() == (tenant, None)
    assert owner_conn.execute(
        "SELECT tenant_id, store_id FROM bots WHERE id = %s", (bot,)
    ).fetchone() == (tenant, None)
